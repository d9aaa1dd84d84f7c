"""The dense layer, for an ensemble of S members at once.

Shapes: W (S, n_in, n_out), b (S, 1, n_out) (a singleton batch axis, so it broadcasts), input
x (B, n_in) shared by every member or (S, B, n_in) per member; outputs are (S, B, n_out).
``matmul`` broadcasts over the leading axis, so every member's product is its own small GEMM
and nothing ever mixes members.

The bias rides in the products: W and b are one block [W; b] (S, n_in + 1, n_out) and the input
gets a column of ones, so x @ W + b is one BLAS call and [dW; db] = [x 1]^T @ dz another. On the
font, where a product is a few thousand multiply-adds, a call costs more than its arithmetic:
this saves a bias addition and a bias-gradient call per layer and step, for one copy of the input
beside its ones (the activations themselves stay contiguous).
"""

import functools

import numpy as np

from . import activations, fused


class Dense:
    """a = activation(x @ W + b).

    ``forward(x)`` stores what ``backward`` needs; ``backward(grad_out)`` fills ``self.grads``
    (same keys as ``self.params``; at batch 1 with ``factored`` set, leaves their factors in
    ``factors`` instead) and returns the gradient with respect to x. Buffers are reused
    between calls with the same input shape, so an array returned by forward or backward is
    overwritten by the next call of that shape; ``apply(x)`` is the side-effect-free forward.

    ``Dense.over(params, grads, start, n_in, n_out)`` builds a layer whose parameters and gradients
    are columns of a model's flat buffers (so that an optimiser updates every parameter in one
    call, and a compiled kernel can address a layer's columns).
    """

    def __init__(self, W, b, activation="identity"):
        """A layer holding copies of W (S, n_in, n_out) and b (S, 1, n_out)."""
        W = np.asarray(W)
        S, n_in, n_out = W.shape
        block = np.concatenate([W, np.broadcast_to(b, (S, 1, n_out))], axis=1)
        params = block.reshape(S, -1)
        self._setup(params, np.zeros_like(params), 0, n_in, n_out, activation)

    @classmethod
    def over(cls, params, grads, start, n_in, n_out, activation="identity"):
        """A layer whose block [W; b] (n_in + 1, n_out), row by row, is member k's columns
        start .. start + (n_in + 1) n_out of params (S, P), and [dW; db] the same columns of
        grads (S, P), both C-contiguous."""
        layer = cls.__new__(cls)
        layer._setup(params, grads, start, n_in, n_out, activation)
        return layer

    def twin(self, grads):
        """This layer, its parameters shared, with its gradients in another buffer like its
        own: one part of a split step works in it (nets.split)."""
        return Dense.over(self._params, grads, self.start, self.n_in, self.n_out, self.activation)

    def _setup(self, params, grads, start, n_in, n_out, activation):
        self._params, self._grads = params, grads
        self.start = start  # the block's first column in a member's row of params and grads
        S, stop = params.shape[0], start + (n_in + 1) * n_out
        self._block, self._grad_block = (
            np.reshape(a[:, start:stop], (S, n_in + 1, n_out), copy=False) for a in (params, grads)
        )
        self.params = {"W": self._block[:, :-1], "b": self._block[:, -1:]}
        self.grads = {"W": self._grad_block[:, :-1], "b": self._grad_block[:, -1:]}
        self._W_T = self.params["W"].mT  # (S, n_out, n_in), a view: the input gradient's operand
        self.activation = activations.get(activation)
        self._buffers = {}  # input shape -> work arrays
        self._cache = None
        # at batch 1, backward may leave [dW; db] as its factors x1 (S or 1, n_in + 1) and dz
        # (S, n_out) in ``factors`` for an optimiser that updates from them, never writing it
        self.factored, self.factors = False, None

    @property
    def n_in(self):
        return self.params["W"].shape[-2]

    @property
    def n_out(self):
        return self.params["W"].shape[-1]

    def __repr__(self):
        S = self.params["W"].shape[0]
        return f"Dense({self.n_in}, {self.n_out}, {self.activation.name}, S={S})"

    def apply(self, x):
        """Forward without caching: fresh arrays, for inference (the same arithmetic as
        forward, to the last bit)."""
        x1 = np.empty(x.shape[:-1] + (x.shape[-1] + 1,), x.dtype)
        x1[..., :-1], x1[..., -1] = x, 1
        z = np.matmul(x1, self._block)  # (S, B, n_out): x @ W + b
        return self.activation.fn(z, out=z)

    def forward(self, x):
        """For training, inside the model's np.errstate (hence ``fn_raw``)."""
        buf = self._workspace(x.shape)
        x1 = buf["x1"]  # (..., B, n_in + 1), its last column ones
        x1[..., :-1] = x
        z = np.matmul(x1, self._block, out=buf["z"])  # (S, B, n_out): x @ W + b
        a = self.activation.fn_raw(z, out=buf["a"])
        self._cache = x1, z, a, buf
        return a

    def backward(self, grad_out, need_grad_in=True):
        """grad_out (S, B, n_out) = dL/da -> dL/dx (S, B, n_in), or None if not needed."""
        x1, z, a, buf = self._cache
        dz = self.activation.chain(grad_out, z, a, out=buf["dz"])  # (S, B, n_out)
        if x1.shape[-2] == 1:  # one sample: [dW; db] is an outer product per member
            if self.factored:  # formed by the update itself (Ensemble._factored_step)
                self.factors = tuple(f.reshape(-1, f.shape[-1]) for f in (x1, dz))
            else:
                self._outer(x1, dz)
        else:
            np.matmul(x1.mT, dz, out=self._grad_block)  # (S, n_in + 1, n_out): [dW; db]
        if not need_grad_in:
            return None
        return np.matmul(dz, self._W_T, out=buf["dx"])  # (S, B, n_in)

    def _outer(self, x1, dz):
        """[dW; db] <- x1^T dz for one sample, x1 (..., 1, n_in + 1) and dz (S, 1, n_out):
        compiled where numba is installed (nets.fused.outer: einsum's numbers, faster), else
        einsum, which loops over the pack in C (matmul would take it element by element, an
        inner dimension of 1: 2-4x slower, benchmarks/study_regime.py)."""
        kernel = _compiled_outer()
        if kernel is None:
            np.einsum("...bi,...bj->...ij", x1, dz, out=self._grad_block)
        else:
            rows = (a.reshape(-1, a.shape[-1]) for a in (x1, dz))  # (S or 1, n_in + 1), (S, n_out)
            kernel(*rows, self._grads, self.start)

    def _workspace(self, x_shape):
        buf = self._buffers.get(x_shape)
        if buf is None:
            W = self.params["W"]
            S, B = W.shape[0], x_shape[-2]
            out = (S, B, self.n_out)
            buf = {
                "z": np.empty(out, W.dtype),
                "a": np.empty(out, W.dtype),
                "dz": np.empty(out, W.dtype),
                "dx": np.empty((S, B, self.n_in), W.dtype),
                "x1": np.ones(x_shape[:-1] + (self.n_in + 1,), W.dtype),
            }
            self._buffers[x_shape] = buf
        return buf


@functools.cache
def _compiled_outer():
    """nets.fused.outer's kernel, or None without numba (imported on first use: numba is
    optional, and only a batch of one needs it)."""
    if not fused.available():
        return None
    from .fused.outer import outer_columns

    return outer_columns


def apply_stack(layers, x, rows=8192):
    """x through ``layers`` without caching, ``rows`` samples at a time to bound memory.

    x (N, n_in) or (S, N, n_in) -> (S, N, n_out). Diverged members give NaN, silently.
    """
    chunks = []
    with np.errstate(all="ignore"):
        for start in range(0, x.shape[-2], rows):
            h = x[..., start : start + rows, :]
            for layer in layers:
                h = layer.apply(h)
            chunks.append(h)
    return chunks[0] if len(chunks) == 1 else np.concatenate(chunks, axis=-2)
