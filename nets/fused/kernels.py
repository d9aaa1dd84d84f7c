"""The compiled training step of a dense autoencoder pack: forward, loss, backward and update,
one member per iteration of a parallel loop.

A member's activations are kept feature-major, (n, B) per layer, so that the innermost loop of
every product runs over the batch (32 samples on the font: whole SIMD registers, no remainder).
Arithmetic stays in the parameters' dtype (constants are cast to it, as NumPy casts Python
floats), and the optimiser updates are NumPy's operations in NumPy's order; only the sums of the
products run in another order (and with fused multiply-adds), which moves results by round-off.
"""
import numpy as np
from numba import prange

from .fastexp import exp, jit

IDENTITY, SIGMOID, TANH, RELU = 0, 1, 2, 3  # activation codes, as nets.activations.NAMES
SQUARED, BCE = 0, 1  # squared error (mse, sse), cross-entropy
SGD, MOMENTUM, ADAM = 0, 1, 2

#: Sums of products may be reordered (vectorised reductions) and fused; nothing else may.
_SUMS = {"reassoc", "contract"}
_LOG_RUN = 64  # as nets.losses: log of products of (1 + e) over at most this many columns


@jit(inline="always")
def _block(buf, start, rows, cols):
    """buf[start:start + rows * cols] as a (rows, cols) array (a view)."""
    return buf[start:start + rows * cols].reshape((rows, cols))


@jit(inline="always")
def _activate(z, kind):
    """z <- activation(z) in place, as nets.activations computes it. One loop over all of z, so
    that with a batch of 1 the exp still runs on whole SIMD registers."""
    zero, one, two = z.dtype.type(0.0), z.dtype.type(1.0), z.dtype.type(2.0)
    z = z.reshape(z.size)
    for k in range(z.size):
        if kind == SIGMOID:
            z[k] = one / (exp(-z[k]) + one)
        elif kind == TANH:
            z[k] = two / (exp(z[k] * -two) + one) - one
        elif kind == RELU:
            z[k] = z[k] if not z[k] <= zero else zero  # NaN stays NaN, as np.maximum


@jit(inline="always")
def _chain(dz, a, kind):
    """dz <- dz * activation'(z) in place, from the activation's output a (one loop, as
    _activate)."""
    zero, one = a.dtype.type(0.0), a.dtype.type(1.0)
    dz, a = dz.reshape(dz.size), a.reshape(a.size)
    for k in range(dz.size):
        if kind == SIGMOID:
            dz[k] *= (one - a[k]) * a[k]
        elif kind == TANH:
            dz[k] *= one - a[k] * a[k]
        elif kind == RELU:
            dz[k] *= one if a[k] > zero else zero  # a > 0 exactly where z > 0


@jit(fastmath=_SUMS)
def _dense(x, W, bias, z):
    """z = (x^T W + bias)^T: x (n_in, B), W (n_in, n_out), z (n_out, B)."""
    n_in, B = x.shape
    if B == 1:  # a product of a vector: run along W's rows, which are contiguous
        z1 = _vector(z)
        z1[:] = 0
        for i in range(n_in):
            _axpy(x[i, 0], W[i], z1)
    else:
        z[:, :] = 0
        _product_t(W, x, z)
    for j in range(z.shape[0]):
        for b in range(B):
            z[j, b] += bias[j]


@jit(inline="always")
def _vector(a):
    """An (n, 1) array as (n,), a view."""
    return a.reshape(a.shape[0])


@jit(inline="always")  # inside the callers' flags
def _dot(x, y):
    total = x.dtype.type(0.0)
    for k in range(x.size):
        total += x[k] * y[k]
    return total


@jit(inline="always")  # inside the callers' flags
def _axpy(a, x, y):
    """y += a x, vectors."""
    for k in range(y.size):
        y[k] += a * x[k]


@jit(inline="always")  # inside the callers' flags
def _accumulate(w, x, y):
    """y += w^T x: w (n,), x (n, B), y (B,); rows taken four at a time, so that y is loaded and
    stored once per four rows (with B = 32 the loop overhead per row otherwise dominates)."""
    n, i = x.shape[0], 0
    while i + 4 <= n:
        w0, w1, w2, w3 = w[i], w[i + 1], w[i + 2], w[i + 3]
        for b in range(y.size):
            y[b] += w0 * x[i, b] + w1 * x[i + 1, b] + w2 * x[i + 2, b] + w3 * x[i + 3, b]
        i += 4
    for k in range(i, n):
        _axpy(w[k], x[k], y)


@jit(inline="always")  # inside the callers' flags
def _product_t(A, x, z):
    """z += A^T x: A (n, m), x (n, B), z (m, B); four outputs by four inputs per pass over the
    batch, so that a pass does 16 multiply-adds per sample for its loop's fixed cost."""
    n, m = A.shape
    j = 0
    while j + 4 <= m:
        i = 0
        while i + 4 <= n:
            _block44(A, x, z, i, j)
            i += 4
        for k in range(i, n):
            a0, a1, a2, a3 = A[k, j], A[k, j + 1], A[k, j + 2], A[k, j + 3]
            for b in range(x.shape[1]):
                xb = x[k, b]
                z[j, b] += a0 * xb
                z[j + 1, b] += a1 * xb
                z[j + 2, b] += a2 * xb
                z[j + 3, b] += a3 * xb
        j += 4
    for k in range(j, m):
        _accumulate(A[:, k], x, z[k])


@jit(inline="always")  # inside the callers' flags
def _block44(A, x, z, i, j):
    """z[j:j+4] += A[i:i+4, j:j+4]^T x[i:i+4]."""
    a00, a01, a02, a03 = A[i, j], A[i, j + 1], A[i, j + 2], A[i, j + 3]
    a10, a11, a12, a13 = A[i + 1, j], A[i + 1, j + 1], A[i + 1, j + 2], A[i + 1, j + 3]
    a20, a21, a22, a23 = A[i + 2, j], A[i + 2, j + 1], A[i + 2, j + 2], A[i + 2, j + 3]
    a30, a31, a32, a33 = A[i + 3, j], A[i + 3, j + 1], A[i + 3, j + 2], A[i + 3, j + 3]
    for b in range(x.shape[1]):
        x0, x1, x2, x3 = x[i, b], x[i + 1, b], x[i + 2, b], x[i + 3, b]
        z[j, b] += a00 * x0 + a10 * x1 + a20 * x2 + a30 * x3
        z[j + 1, b] += a01 * x0 + a11 * x1 + a21 * x2 + a31 * x3
        z[j + 2, b] += a02 * x0 + a12 * x1 + a22 * x2 + a32 * x3
        z[j + 3, b] += a03 * x0 + a13 * x1 + a23 * x2 + a33 * x3


@jit(fastmath=_SUMS)
def _weight_grads(x, dz, dW, db):
    """dW = x dz^T, db = dz summed over the batch: x (n_in, B), dz (n_out, B)."""
    n_out = dz.shape[0]
    if x.shape[1] == 1:  # an outer product, along dW's contiguous rows
        dz1 = _vector(dz)
        for i in range(x.shape[0]):
            xi = x[i, 0]
            for j in range(n_out):
                dW[i, j] = xi * dz1[j]
        db[:] = dz1
        return
    for i in range(x.shape[0]):
        j = 0
        while j + 4 <= n_out:
            dW[i, j], dW[i, j + 1], dW[i, j + 2], dW[i, j + 3] = _dots4(x[i], dz, j)
            j += 4
        for k in range(j, n_out):
            dW[i, k] = _dot(x[i], dz[k])
    for j in range(n_out):
        db[j] = dz[j].sum()


@jit(inline="always")  # inside the callers' flags
def _dots4(x, y, j):
    """x . y[j], ..., x . y[j + 3] in one pass over x."""
    zero = x.dtype.type(0.0)
    s0, s1, s2, s3 = zero, zero, zero, zero
    for b in range(x.size):
        xb = x[b]
        s0 += xb * y[j, b]
        s1 += xb * y[j + 1, b]
        s2 += xb * y[j + 2, b]
        s3 += xb * y[j + 3, b]
    return s0, s1, s2, s3


@jit(fastmath=_SUMS)
def _input_grads(W, dz, dx):
    """dx = W dz: W (n_in, n_out), dz (n_out, B), dx (n_in, B)."""
    if dx.shape[1] == 1:  # dot products along W's rows
        for i in range(dx.shape[0]):
            dx[i, 0] = _dot(W[i], _vector(dz))
    else:
        dx[:, :] = 0
        _product_t(W.T, dz, dx)


@jit(inline="always")
def _weights(p, dims, poff, l):
    """Layer l's W (n_in, n_out) and b (n_out,) in a member's flat buffer p, as views."""
    n_in, n_out = dims[l], dims[l + 1]
    return (_block(p, poff[l], n_in, n_out),
            p[poff[l] + n_in * n_out:poff[l] + (n_in + 1) * n_out])


@jit(inline="always")
def _io(acts, dims, aoff, l, B):
    """Layer l's input (n_in, B) and output (n_out, B) in a member's activations, as views."""
    return _block(acts, aoff[l], dims[l], B), _block(acts, aoff[l + 1], dims[l + 1], B)


@jit(inline="always")
def _forward(x, p, acts, dims, kinds, poff, aoff):
    """Every layer's output into acts, from the batch x (B, D)."""
    B = x.shape[0]
    a0 = _block(acts, aoff[0], dims[0], B)
    a0[:, :] = x.T
    for l in range(len(kinds)):
        W, bias = _weights(p, dims, poff, l)
        inp, z = _io(acts, dims, aoff, l, B)
        _dense(inp, W, bias, z)
        _activate(z, kinds[l])


@jit(inline="always")
def _squared(y, target, g, value_scale, grad_scale):
    """Squared error of y (D, B) against target (B, D), its sum times value_scale (mse: 1 / (B D),
    sse: 1 / (2 B)); g <- (y - target) grad_scale (D, B)."""
    total = 0.0
    for j in range(y.shape[0]):
        for b in range(y.shape[1]):
            diff = y[j, b] - target[b, j]
            total += diff * diff
            g[j, b] = diff * grad_scale
    return total * value_scale


@jit(inline="always")
def _bce(logits, target, g):
    """Cross-entropy from logits (D, B) against target (B, D), nats per sample; g <- dL/dl.

    As nets.losses.bce_logits: softplus(l) - l x summed apart from the log(1 + e) terms, which
    are logs of products over runs of columns, and sigmoid(l) built from sigmoid(|l|)."""
    D, B = logits.shape
    zero, one, half = logits.dtype.type(0.0), logits.dtype.type(1.0), logits.dtype.type(0.5)
    scale = logits.dtype.type(1.0 / B)
    total = 0.0
    for b in range(B):
        for start in range(0, D, _LOG_RUN):
            product = one
            for j in range(start, min(start + _LOG_RUN, D)):
                l, t = logits[j, b], target[b, j]
                total += max(l, zero) - l * t
                one_plus_e = exp(-abs(l)) + one
                product *= one_plus_e
                p = np.copysign(one / one_plus_e - half, l) + half
                g[j, b] = (p - t) * scale
            total += np.log(product)
    return total / B


@jit(inline="always")
def _backward(p, grads, acts, deltas, dims, kinds, poff, aoff, B):
    """Gradients of every layer into grads, from dL/d(output) in the first half of deltas."""
    half, side = deltas.size // 2, 0
    dz = _block(deltas, 0, dims[-1], B)
    for l in range(len(kinds) - 1, -1, -1):
        inp, a = _io(acts, dims, aoff, l, B)
        _chain(dz, a, kinds[l])
        dW, db = _weights(grads, dims, poff, l)
        _weight_grads(inp, dz, dW, db)
        if l > 0:
            side = 1 - side  # dx goes to the half that dz is not in
            dx = _block(deltas, half * side, dims[l], B)
            _input_grads(_weights(p, dims, poff, l)[0], dz, dx)
            dz = dx


@jit(inline="always")
def _update(p, g, opt, rate, hyper, m, v):
    """One optimiser step on a member's parameters, as nets.optimizers does it."""
    if opt == ADAM:
        for i in range(p.size):
            m[i] = m[i] * hyper[0] + g[i]
            v[i] = v[i] * hyper[1] + g[i] * g[i]
            p[i] -= m[i] / (np.sqrt(v[i]) + hyper[2]) * rate
    elif opt == MOMENTUM:
        for i in range(p.size):
            m[i] = m[i] * hyper[0] + g[i]
            p[i] -= m[i] * rate
    else:
        for i in range(p.size):
            p[i] -= g[i] * rate


@jit(parallel=True, cache=True)
def train_step(x, target, params, grads, acts, deltas, out, values, dims, kinds, poff, aoff,
               loss, loss_scales, opt, rates, hyper, m, v):
    """One step of every member: forward, loss, backward, update.

    x, target (1 or S, B, D): shared or per member. params, grads, m, v (S, P): flat buffers
    (a layer is W row by row, then b). acts (S, sum of n B), deltas (S, 2 max(n) B): work space.
    out (S, B, D) <- the outputs (logits for bce) before the update; values (S,) <- the loss.
    loss_scales (value, gradient): SQUARED's factors. rates (S,) and hyper, (b1, b2, eps) or
    (momentum,), in the parameters' dtype.
    """
    B, D = x.shape[1], x.shape[2]
    for s in prange(params.shape[0]):
        k = np.int64(s)
        xs = x[k if x.shape[0] > 1 else 0]  # a shared batch has one row for all members
        ts = target[k if target.shape[0] > 1 else 0]
        _forward(xs, params[s], acts[s], dims, kinds, poff, aoff)
        y = _block(acts[s], aoff[len(kinds)], D, B)
        out[s][:, :] = y.T
        g = _block(deltas[s], 0, D, B)
        values[s] = (_squared(y, ts, g, loss_scales[0], g.dtype.type(loss_scales[1]))
                     if loss == SQUARED else _bce(y, ts, g))
        _backward(params[s], grads[s], acts[s], deltas[s], dims, kinds, poff, aoff, B)
        _update(params[s], grads[s], opt, rates[s], hyper, m[s], v[s])
