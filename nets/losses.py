"""Losses as pure functions of arrays with a leading ensemble axis.

Each returns ``(value, gradient with respect to each of its non-target inputs)``; values are one
number per member, shape (S,). Reductions never cross the ensemble axis, and gradients are
normalised by the batch size B only (a mean over S would divide every member's gradient by S).
``out`` is an optional buffer for the gradient. ``batch``, if given, is the B to divide by: a
step split into parts of its batch (nets.split) takes each part's share of the batch's mean, so
that the parts' values and gradients add up to the whole batch's.
"""

import numpy as np

# Sums of log(1 + e) are taken as logs of products over runs of at most this many columns: every
# factor is in (1, 2], so a product stays below 2**64 (fine even in float32, max ~2**128).
_LOG_RUN = 64


def mse(y, target, out=None, batch=None):
    """Mean squared error over B and D.

    y (S, B, D); target (B, D) or (S, B, D). Returns value (S,) and dL/dy (S, B, D).
    """
    S, n = y.shape[0], (batch or y.shape[-2]) * y.shape[-1]
    diff = np.subtract(y, target, out=out)  # (S, B, D)
    flat = diff.reshape(S, -1)
    value = np.vecdot(flat, flat) / n
    diff *= 2.0 / n
    return value, diff


def sse(y, target, out=None, batch=None):
    """Half the squared error summed over a sample's D pixels, mean over B.

    E = 1/2 sum_d (y_d - t_d)^2 per sample, the textbook's per-pattern error: its gradient is
    y - t itself (the delta rule), so with B = 1 a step is the course's per-character update at
    the course's learning rate. Over a batch, the mean of the samples' E (the gradient is
    (y - t) / B), so the value is always per character.
    y (S, B, D); target (B, D) or (S, B, D). Returns value (S,) and dL/dy (S, B, D).
    """
    S, B = y.shape[0], batch or y.shape[-2]
    diff = np.subtract(y, target, out=out)  # (S, B, D)
    flat = diff.reshape(S, -1)
    value = np.vecdot(flat, flat) * (0.5 / B)
    if B > 1:  # at B = 1 it would multiply by 1.0, a pass that changes no bit
        diff *= 1.0 / B
    return value, diff


def bce_logits(logits, target, out=None, batch=None):
    """Binary cross-entropy of sigmoid(logits) against target in [0, 1], from the logits.

    Per element, softplus(l) - l*x with softplus(l) = max(l, 0) + log(1 + exp(-|l|)), which never
    overflows; summed over D, mean over B (nats per image). dL/dl = (sigmoid(l) - x) / B.
    logits (S, B, D); target (B, D) or (S, B, D). Returns value (S,) and dL/dlogits (S, B, D).
    """
    S, D = logits.shape[0], logits.shape[-1]
    B = batch or logits.shape[-2]
    g = out if out is not None else np.empty_like(logits)
    # max(l, 0) - l*x >= 0 elementwise for x in [0, 1]: summed apart from the log term, nothing
    # cancels, so the value stays accurate even when the loss is tiny
    lx = np.multiply(logits, target)
    np.maximum(logits, 0, out=g)
    g -= lx
    value = g.reshape(S, -1).sum(axis=1)
    e = np.abs(logits, out=lx)
    np.negative(e, out=e)
    np.exp(e, out=e)  # exp(-|l|), in (0, 1]
    one_plus_e = np.add(e, 1, out=g)
    # log1p is ~20 ns per element in float64 without AVX-512: take the log of products instead
    runs = np.multiply.reduceat(one_plus_e, np.arange(0, D, _LOG_RUN), axis=-1)  # (S, B, runs)
    value += np.log(runs).reshape(S, -1).sum(axis=1)
    # sigmoid(l) = 1/2 + sign(l) * (sigmoid(|l|) - 1/2), with sigmoid(|l|) = 1 / (1 + exp(-|l|))
    p = np.reciprocal(one_plus_e, out=g)
    p -= 0.5
    np.copysign(p, logits, out=p)
    p += 0.5
    p -= target
    p *= 1.0 / B
    return value / B, p


def kl_diag(mu, logvar, batch=None):
    """KL(N(mu, exp(logvar)) || N(0, I)), summed over Z, mean over B.

    mu, logvar (S, B, Z). Returns value (S,), dL/dmu and dL/dlogvar (S, B, Z).
    """
    S, B = mu.shape[0], batch or mu.shape[-2]
    var = np.exp(logvar)
    terms = var + np.square(mu) - 1.0 - logvar  # (S, B, Z)
    value = 0.5 * terms.reshape(S, -1).sum(axis=1) / B
    return value, mu / B, 0.5 * (var - 1.0) / B
