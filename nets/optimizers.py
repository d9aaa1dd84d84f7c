"""Optimisers sharing one public contract, which every training step uses:

    constants = optimizer.advance()            # count one step
    state = optimizer.state_of(name, p)        # the arrays it keeps for parameter p
    optimizer.update(p, g, state, constants)   # p updated in place, elementwise

``step(params, grads)`` is those three over a dict of arrays (nets.ensemble's step); a split step
(nets.split) calls them itself to update column slices on several threads. Parameters and
gradients are dicts of arrays with the same keys; state (velocity, Adam's moments) is kept per
key. Every array has the ensemble axis S first and ``learning_rate`` is a scalar or one value per
member, shape (S,). All updates are elementwise, so members never interact. Use one optimiser per
model: its state belongs to that model's parameters.
"""
import math

import numpy as np

NAMES = ("sgd", "adam")


class Optimizer:
    """The contract (see the module's docstring); subclasses name their state arrays (KEYS) and
    write ``update``."""

    KEYS: tuple[str, ...] = ()

    def __init__(self, learning_rate):
        self.learning_rate = learning_rate
        self.state = {}  # parameter name -> dict of arrays

    def _rate(self, p, scale=1.0):
        """learning_rate * scale, broadcastable against p (S, ...) and in p's dtype."""
        lr = self.learning_rate
        if isinstance(lr, (int, float)):
            return float(lr) * scale  # a Python float never upcasts a float32 array
        lr = np.asarray(lr, dtype=np.float64) * scale
        if lr.ndim == 0:
            return float(lr)
        return lr.reshape((-1,) + (1,) * (p.ndim - 1)).astype(p.dtype)

    def step(self, params, grads):
        """Update every array of ``params`` in place from ``grads``."""
        constants = self.advance()
        for name, p in params.items():
            self.update(p, grads[name], self.state_of(name, p), constants)

    def advance(self):
        """Count one step; return what ``update`` needs to know of it (None here)."""
        return None

    def state_of(self, name, p):
        """The state arrays of parameter ``name`` (shaped as p), created zero on first use."""
        st = self.state.get(name)
        if st is None:
            self._check_rate(p)
            st = self.state[name] = {k: np.zeros_like(p) for k in self.KEYS}
        return st

    def saved(self):
        """Everything the next step depends on, as arrays "<parameter>.<key>" (a checkpoint
        keeps them; ``restore`` puts them back)."""
        return {f"{name}.{key}": a.copy() for name, st in self.state.items()
                for key, a in st.items()}

    def restore(self, saved):
        """Put back what ``saved()`` returned."""
        self.state = {}
        for label, a in saved.items():
            name, key = label.rsplit(".", 1)
            self.state.setdefault(name, {})[key] = np.array(a)

    def _check_rate(self, p):
        """A learning rate per member must have one value per member of p (S, ...)."""
        shape = np.shape(self.learning_rate)
        if shape and shape != p.shape[:1]:
            raise ValueError(f"learning_rate has shape {shape}; expected a scalar or "
                             f"({p.shape[0]},), one per member")

    def update(self, p, g, state, constants):
        """p <- its updated value, from its gradient g and its ``state``; ``constants`` from
        ``advance()``. Elementwise: any slice of the arrays along their last axis, updated on
        its own, gets exactly the numbers of the whole (nets.split updates slices in threads)."""
        raise NotImplementedError


class SGD(Optimizer):
    """Gradient descent, optionally with momentum mu (PyTorch's form)::

        v <- mu * v + g
        p <- p - lr * v          (v = g when mu = 0)
    """

    def __init__(self, learning_rate, momentum=0.0):
        super().__init__(learning_rate)
        self.momentum = float(momentum)
        self.KEYS = ("v", "tmp") if self.momentum else ("tmp",)

    def update(self, p, g, state, constants):
        if self.momentum:
            v = state["v"]
            v *= self.momentum
            v += g
            g = v
        tmp = np.multiply(g, self._rate(p), out=state["tmp"])
        p -= tmp


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015)::

        m <- b1 m + (1 - b1) g,   v <- b2 v + (1 - b2) g^2,   t <- t + 1
        p <- p - lr * mhat / (sqrt(vhat) + eps),  mhat = m / (1 - b1^t), vhat = v / (1 - b2^t)

    Computed, to round-off, as the same update with M = m / (1 - b1) and V = v / (1 - b2)
    (M <- b1 M + g, V <- b2 V + g^2) and the constants folded into lr and eps: two fewer passes
    over the parameters per step. ``compiled``: the same arithmetic in one compiled pass
    (nets.fused.adam, needs numba), the same numbers bit for bit.
    """

    KEYS = ("M", "V", "tmp")

    def __init__(self, learning_rate, beta1=0.9, beta2=0.999, eps=1e-8, compiled=False):
        super().__init__(learning_rate)
        self.beta1, self.beta2, self.eps = float(beta1), float(beta2), float(eps)
        self.t = 0
        self._compiled = None
        if compiled:
            from .fused.adam import update_row  # numba is optional: imported only when asked
            self._compiled = update_row

    def saved(self):
        """The state's arrays and the step count "t", which the bias correction depends on."""
        return {**super().saved(), "t": np.array(self.t)}

    def restore(self, saved):
        saved = dict(saved)
        self.t = int(saved.pop("t"))
        super().restore(saved)

    def advance(self):
        """Count one step; return its folded constants (lr's factor, eps)."""
        b1, b2 = self.beta1, self.beta2
        self.t += 1
        # mhat = (1 - b1) M / c1 and sqrt(vhat) = k sqrt(V), so the step is
        # lr (1 - b1) / (c1 k) * M / (sqrt(V) + eps / k)
        c1 = 1.0 - b1 ** self.t
        k = math.sqrt((1.0 - b2) / (1.0 - b2 ** self.t))
        return (1.0 - b1) / (c1 * k), float(self.eps / k)

    def update(self, p, g, state, constants):
        scale, eps = constants
        M, V, tmp = state["M"], state["V"], state["tmp"]
        if self._compiled is not None:
            return self._update_compiled(p, g, M, V, scale, eps)
        M *= self.beta1
        M += g
        np.square(g, out=tmp)
        V *= self.beta2
        V += tmp
        np.sqrt(V, out=tmp)
        tmp += eps
        np.divide(M, tmp, out=tmp)
        tmp *= self._rate(p, scale)
        p -= tmp

    def _update_compiled(self, p, g, M, V, scale, eps):
        """The update row by row (member by member), its constants cast to the dtype as NumPy
        casts a Python float against the arrays."""
        dtype = p.dtype.type
        rates = np.broadcast_to(self._rate(p, scale), p.shape[:1] + (1,) * (p.ndim - 1))
        for k in range(p.shape[0]):
            self._compiled(*(a[k].reshape(-1, copy=False) for a in (p, g, M, V)),
                           dtype(self.beta1), dtype(self.beta2), dtype(eps),
                           dtype(rates[k].flat[0]))


def named(name, **kwargs):
    """An optimiser by name: "sgd" (learning_rate, momentum) or "adam" (learning_rate, beta1,
    beta2, eps)."""
    if name == "sgd":
        return SGD(**kwargs)
    if name == "adam":
        return Adam(**kwargs)
    raise ValueError(f"unknown optimizer {name!r} (allowed: {', '.join(NAMES)})")
