"""A compiled training step for autoencoder packs of small dense layers (numba, optional).

On the font a pack's NumPy step is some 60 calls of a few microseconds each, most of it call
overhead and one-value-at-a-time float64 exp; here the whole step (forward, loss, backward and the
optimiser's update) is one compiled call, parallel over the members. The epoch loop, the
batches, the noise and every random draw stay in NumPy (nets.ensemble), so a member draws the
same numbers on either path and the two differ by round-off only.

    step = FusedStep(model, optimizer)  # then model.fit(..., engine="numba") uses it
"""
import importlib
import importlib.util
import os

import numpy as np

from .. import activations

#: Losses the kernel computes, and the activations it knows, by name.
LOSSES = ("mse", "sse", "bce")
_ACTIVATIONS = {name: code for code, name in enumerate(activations.NAMES)}


def available() -> bool:
    """Whether numba is installed (an extra: pip install 'tp5[fast]'), without importing it."""
    return importlib.util.find_spec("numba") is not None


def set_threads(n: int) -> None:
    """Threads of the compiled step's loop over members. The members never mix, so any count
    gives the same numbers; on a busy machine one stalled thread holds up every step."""
    numba = _numba()
    numba.set_num_threads(max(1, min(int(n), numba.config.NUMBA_NUM_THREADS)))


def _numba():
    """numba, with OpenMP's threads (the layer numba takes without TBB) set to sleep between
    steps unless the user says otherwise (OMP_WAIT_POLICY). Spinning, they wait for their time
    slice on a machine that other jobs load, and two threads ran 5x (full batch) to 15x
    (batch 1) slower than one (benchmarks/fused_packs.py, load average 4 on 2 cores); sleeping,
    no slower than one. OpenMP reads the setting when it is loaded: when numba first starts
    its threads, which is after this, unless another library (torch) loaded it before."""
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    import numba
    return numba


def _offsets(sizes):
    """Start of each block, and the total, of consecutive blocks of ``sizes``."""
    ends = np.cumsum([0, *sizes])
    return ends.astype(np.int64)


class FusedStep:
    """step(x, target) -> (loss values (S,),): one training step of every member of ``model``
    (an nets.Autoencoder), parameters updated by ``optimizer`` (nets.SGD or nets.Adam) in place.

    It works in the model's own flat buffers and in the optimiser's state, so the model, its
    gradients and ``training_outputs`` read as after a NumPy step.
    """

    def __init__(self, model, optimizer):
        if not available():
            raise ImportError("the numba engine needs numba: pip install 'tp5[fast]'")
        # numba's import and the kernels' load from its cache happen here, when first used
        _numba()
        self._kernels = importlib.import_module(".kernels", __name__)
        if model.loss not in LOSSES:
            raise ValueError(f"the fused step has no loss {model.loss!r}")
        self.model, self.optimizer = model, optimizer
        dims = model.architecture
        self._dims = np.array(dims, np.int64)
        self._kinds = np.array([_ACTIVATIONS[layer.activation.name] for layer in model.layers],
                               np.int64)
        self._poff = _offsets([(n_in + 1) * n_out for n_in, n_out in zip(dims, dims[1:])])
        self._work = {}  # batch length -> (acts, deltas, out, aoff)
        self._opt = self._optimizer_kind()
        state = optimizer.state_of("params", model._flat)  # the state NumPy's step keeps
        self._m = state.get("M", state.get("v", model._flat))  # plain SGD reads neither moment
        self._v = state.get("V", model._flat)

    def _optimizer_kind(self):
        """The kernel's code for the optimiser."""
        kernels = self._kernels
        if hasattr(self.optimizer, "beta1"):
            return kernels.ADAM
        if self.optimizer.momentum:
            return kernels.MOMENTUM
        return kernels.SGD

    def _hyper(self):
        """This step's learning rates (S,) and hyperparameters, in the model's dtype."""
        opt, dtype, flat = self.optimizer, self.model.dtype, self.model._flat
        if self._opt == self._kernels.ADAM:
            scale, eps = opt.advance()
            hyper = (opt.beta1, opt.beta2, eps)
        else:
            scale, hyper = 1.0, (opt.momentum,)
        rates = np.asarray(opt._rate(flat, scale), dtype).reshape(-1)
        return np.broadcast_to(rates, (flat.shape[0],)).copy(), np.array(hyper, dtype)

    def _workspace(self, B):
        work = self._work.get(B)
        if work is None:
            S, dtype, dims = self.model.n_members, self.model.dtype, self._dims
            aoff = _offsets([n * B for n in dims])
            work = self._work[B] = (np.empty((S, aoff[-1]), dtype),
                                    np.empty((S, 2 * max(dims) * B), dtype),
                                    np.empty((S, B, dims[-1]), dtype), aoff)
        return work

    def _loss(self, B):
        """The kernel's loss code and (value, gradient) factors of a squared error."""
        D = self._dims[-1]
        factors = {"mse": (1.0 / (B * D), 2.0 / (B * D)), "sse": (0.5 / B, 1.0 / B)}
        code = self._kernels.BCE if self.model.loss == "bce" else self._kernels.SQUARED
        return code, np.array(factors.get(self.model.loss, (0.0, 0.0)))

    def __call__(self, x, target):
        x, target = (np.ascontiguousarray(a).reshape((-1,) + a.shape[-2:]) for a in (x, target))
        B = x.shape[1]
        acts, deltas, out, aoff = self._workspace(B)
        values = np.empty(self.model.n_members)
        rates, hyper = self._hyper()
        self._kernels.train_step(x, target, self.model._flat, self.model._flat_grads, acts, deltas,
                           out, values, self._dims, self._kinds, self._poff, aoff,
                           *self._loss(B), self._opt, rates, hyper, self._m, self._v)
        self.model._outputs = out
        return (values,)
