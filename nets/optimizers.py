"""Optimisers sharing one public contract, which every training step uses:

    constants = optimizer.advance()            # count one step
    state = optimizer.state_of(name, p)        # the arrays it keeps for parameter p
    optimizer.update(p, g, state, constants)   # p updated in place, elementwise

``step(params, grads)`` is those three over a dict of arrays (nets.ensemble's step); a split step
(nets.split) calls them itself to update column slices on several threads. An optimiser that
``takes_outer`` (SGD, compiled) also updates from a batch of one's gradient given as its factors,
``update_outer``, which a batch-1 step uses instead of writing the gradient. Parameters and
gradients are dicts of arrays with the same keys; state (velocity, Adam's moments) is kept per
key. Every array has the ensemble axis S first and ``learning_rate`` is a scalar or one value per
member, shape (S,). All updates are elementwise, so members never interact. Use one optimiser per
model: its state belongs to that model's parameters.

Two controls apply to every optimiser:

* ``weight_decay`` lambda (a scalar or one per member, like the rate) is *coupled* L2: the
  gradient of the penalised loss L + lambda/2 * sum(p^2) is used, g <- g + lambda * p, before
  the optimiser's own arithmetic (PyTorch's ``weight_decay`` of SGD and Adam, not AdamW's
  decoupled decay). It applies to every parameter, biases included (they share one buffer).
* ``schedule`` (``Step`` or ``Cosine``) scales the rate by a factor of the epoch; the epoch loop
  says which epoch it is with ``begin_epoch(epoch, epochs)``.

Unset (None), neither changes a number: the arithmetic is the one without them.
"""

import math

import numpy as np

NAMES = ("sgd", "adam")


class Optimizer:
    """The contract (see the module's docstring); subclasses name their state arrays (KEYS) and
    write ``update``."""

    KEYS: tuple[str, ...] = ()
    #: whether ``update_outer`` can take a batch of one's gradient as its factors (SGD, compiled)
    takes_outer = False

    def __init__(self, learning_rate, weight_decay=None, schedule=None):
        self.learning_rate = learning_rate
        self.weight_decay, self.schedule = weight_decay, schedule
        self._factor = None  # the schedule's factor for the current epoch
        self.state = {}  # parameter name -> dict of arrays

    def begin_epoch(self, epoch, epochs):
        """Set the schedule's factor for ``epoch`` (0-based) of ``epochs``."""
        if self.schedule is not None:
            self._factor = self.schedule(epoch, epochs)

    def _rate(self, p, scale=1.0):
        """learning_rate * the schedule's factor * scale, broadcastable against p (S, ...) and in
        p's dtype."""
        if self._factor is not None:
            scale = self._factor * scale
        return _per_member(self.learning_rate, p, scale)

    def _decayed(self, p, g):
        """The gradient of the penalised loss, g + weight_decay * p (g itself without decay)."""
        if self.weight_decay is None:
            return g
        return g + _per_member(self.weight_decay, p) * p

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
        return {
            f"{name}.{key}": a.copy() for name, st in self.state.items() for key, a in st.items()
        }

    def restore(self, saved):
        """Put back what ``saved()`` returned."""
        self.state = {}
        for label, a in saved.items():
            name, key = label.rsplit(".", 1)
            self.state.setdefault(name, {})[key] = np.array(a)

    def _check_rate(self, p):
        """A learning rate or decay per member must have one value per member of p (S, ...)."""
        for name in ("learning_rate", "weight_decay"):
            shape = np.shape(getattr(self, name))
            if shape and shape != p.shape[:1]:
                raise ValueError(
                    f"{name} has shape {shape}; expected a scalar or "
                    f"({p.shape[0]},), one per member"
                )

    def update(self, p, g, state, constants):
        """p <- its updated value, from its gradient g and its ``state``; ``constants`` from
        ``advance()``. Elementwise: any slice of the arrays along their last axis, updated on
        its own, gets exactly the numbers of the whole (nets.split updates slices in threads)."""
        raise NotImplementedError


def _per_member(value, p, scale=1.0):
    """value * scale, a scalar or one per member, broadcastable against p (S, ...) and in p's
    dtype."""
    if isinstance(value, (int, float)):
        return float(value) * scale  # a Python float never upcasts a float32 array
    value = np.asarray(value, dtype=np.float64) * scale
    if value.ndim == 0:
        return float(value)
    return value.reshape((-1,) + (1,) * (p.ndim - 1)).astype(p.dtype)


class Step:
    """The rate times ``factor`` every ``every`` epochs: epoch e (0-based) runs at
    lr * factor ** (e // every), so epochs 0 .. every-1 run at lr."""

    def __init__(self, every, factor):
        self.every, self.factor = int(every), float(factor)

    def __call__(self, epoch, epochs):
        return self.factor ** (epoch // self.every)


class Cosine:
    """The rate on half a cosine from lr to ``final`` * lr: epoch e (0-based) of E runs at
    lr * (final + (1 - final) * (1 + cos(pi * e / (E - 1))) / 2), so the first epoch runs at lr
    and the last at final * lr (one epoch: lr)."""

    def __init__(self, final):
        self.final = float(final)

    def __call__(self, epoch, epochs):
        t = epoch / (epochs - 1) if epochs > 1 else 0.0
        return self.final + (1.0 - self.final) * (1.0 + math.cos(math.pi * t)) / 2.0


def schedule(kind, **options):
    """A schedule by kind: "step" (every, factor) or "cosine" (final)."""
    if kind == "step":
        return Step(**options)
    if kind == "cosine":
        return Cosine(**options)
    raise ValueError(f"unknown schedule {kind!r} (allowed: step, cosine)")


class SGD(Optimizer):
    """Gradient descent, optionally with momentum mu (PyTorch's form), on the decayed gradient::

    g <- g + lambda * p      (coupled weight decay, when set)
    v <- mu * v + g
    p <- p - lr_e * v        (v = g when mu = 0; lr_e: the rate times the epoch's factor)

    ``compiled``: the same arithmetic in one compiled pass (nets.fused.sgd, needs numba), the
    same numbers bit for bit.
    """

    def __init__(
        self, learning_rate, momentum=0.0, weight_decay=None, schedule=None, compiled=False
    ):
        super().__init__(learning_rate, weight_decay, schedule)
        self.momentum = float(momentum)
        self.KEYS = ("v", "tmp") if self.momentum else ("tmp",)
        self._compiled = None
        self._wide_blocks = {}  # update_outer's block start -> (S,) bool (see _wide)
        if compiled:
            from .fused import sgd  # numba is optional: imported only when asked

            self._compiled = sgd

    def update(self, p, g, state, constants):
        g = self._decayed(p, g)
        if self._compiled is not None:
            return self._update_compiled(p, g, state.get("v"))
        if self.momentum:
            v = state["v"]
            v *= self.momentum
            v += g
            g = v
        tmp = np.multiply(g, self._rate(p), out=state["tmp"])
        p -= tmp

    def _update_compiled(self, p, g, v):
        """The update in one pass over rows (members): p, g and v seen as (S, P) without a copy,
        the constants cast to the dtype as NumPy casts a Python float against the arrays."""
        S = p.shape[0]
        rows = [None if a is None else a.reshape(S, -1, copy=False) for a in (p, g, v)]
        self._compiled.update_rows(*rows, *self._constants(p))

    def _constants(self, p):
        """The momentum and the rates (S,), or (1,) shared, rounded to p's dtype as NumPy casts
        them, then held in float64, as the kernels take them (nets.fused.sgd._times)."""
        rates = np.asarray(self._rate(p), p.dtype).reshape(-1).astype(np.float64)
        return float(p.dtype.type(self.momentum)), rates

    @property
    def takes_outer(self):
        """Whether ``update_outer`` can update from a batch of one's gradient as its factors:
        compiled, and without weight decay (which needs the gradient itself)."""
        return self._compiled is not None and self.weight_decay is None

    def update_outer(self, p, factors, state):
        """``update`` of p (S, P) from a batch of one's gradient given as the factors of each
        layer's block: (start, x1, dz) for the columns start .. of every member's row, whose
        gradient is x1^T dz (x1 (S or 1, n), dz (S, m)), never formed (nets.fused.sgd): the
        numbers of ``update`` with the gradient nets.layers.Dense would write. Only when
        ``takes_outer``; after ``advance()``, like ``update``."""
        momentum, rates = self._constants(p)
        for start, x1, dz in factors:
            wide = self._wide(start, p.shape[0])
            self._compiled.update_outer(p, state.get("v"), x1, dz, start, momentum, rates, wide)

    def _wide(self, start, S):
        """Which members' velocity held tiny values in the block at ``start`` at the last step
        (nets.fused.sgd.update_outer): which of two loops is faster, never a number, so a
        checkpoint does not keep it."""
        wide = self._wide_blocks.get(start)
        if wide is None or wide.shape != (S,):
            wide = self._wide_blocks[start] = np.zeros(S, np.bool_)
        return wide


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015), on the decayed gradient (coupled, not AdamW)::

        g <- g + lambda * p      (when weight decay is set)
        m <- b1 m + (1 - b1) g,   v <- b2 v + (1 - b2) g^2,   t <- t + 1
        p <- p - lr_e * mhat / (sqrt(vhat) + eps),  mhat = m / (1 - b1^t), vhat = v / (1 - b2^t)

    Computed, to round-off, as the same update with M = m / (1 - b1) and V = v / (1 - b2)
    (M <- b1 M + g, V <- b2 V + g^2) and the constants folded into lr and eps: two fewer passes
    over the parameters per step. ``compiled``: the same arithmetic in one compiled pass
    (nets.fused.adam, needs numba), the same numbers bit for bit.
    """

    KEYS = ("M", "V", "tmp")

    def __init__(
        self,
        learning_rate,
        beta1=0.9,
        beta2=0.999,
        eps=1e-8,
        compiled=False,
        weight_decay=None,
        schedule=None,
    ):
        super().__init__(learning_rate, weight_decay, schedule)
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
        c1 = 1.0 - b1**self.t
        k = math.sqrt((1.0 - b2) / (1.0 - b2**self.t))
        return (1.0 - b1) / (c1 * k), float(self.eps / k)

    def update(self, p, g, state, constants):
        scale, eps = constants
        g = self._decayed(p, g)
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
            self._compiled(
                *(a[k].reshape(-1, copy=False) for a in (p, g, M, V)),
                dtype(self.beta1),
                dtype(self.beta2),
                dtype(eps),
                dtype(rates[k].flat[0]),
            )


def named(name, **kwargs):
    """An optimiser by name: "sgd" (learning_rate, momentum) or "adam" (learning_rate, beta1,
    beta2, eps); either also takes weight_decay and schedule."""
    if name == "sgd":
        return SGD(**kwargs)
    if name == "adam":
        return Adam(**kwargs)
    raise ValueError(f"unknown optimizer {name!r} (allowed: {', '.join(NAMES)})")
