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

import numpy as np

from . import activations


class Dense:
    """a = activation(x @ W + b).

    ``forward(x)`` stores what ``backward`` needs; ``backward(grad_out)`` fills ``self.grads``
    (same keys as ``self.params``) and returns the gradient with respect to x. Buffers are reused
    between calls with the same input shape, so an array returned by forward or backward is
    overwritten by the next call of that shape; ``apply(x)`` is the side-effect-free forward.

    ``Dense.over(block, grad_block)`` builds a layer that works in given blocks (views into a
    model's flat buffers, so that an optimiser updates every parameter in one call).
    """

    def __init__(self, W, b, activation="identity"):
        """A layer holding copies of W (S, n_in, n_out) and b (S, 1, n_out)."""
        W = np.asarray(W)
        block = np.concatenate([W, np.broadcast_to(b, (W.shape[0], 1, W.shape[-1]))], axis=1)
        self._setup(block, np.zeros_like(block), activation)

    @classmethod
    def over(cls, block, grad_block, activation="identity"):
        """A layer whose parameters and gradients are the blocks [W; b] and [dW; db], each
        (S, n_in + 1, n_out)."""
        layer = cls.__new__(cls)
        layer._setup(block, grad_block, activation)
        return layer

    def _setup(self, block, grad_block, activation):
        self._block, self._grad_block = block, grad_block  # (S, n_in + 1, n_out)
        self.params = {"W": block[:, :-1], "b": block[:, -1:]}
        self.grads = {"W": grad_block[:, :-1], "b": grad_block[:, -1:]}
        self._W_T = self.params["W"].mT  # (S, n_out, n_in), a view: the input gradient's operand
        self.activation = activations.get(activation)
        self._buffers = {}  # input shape -> work arrays
        self._cache = None

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
            # matmul makes it one BLAS call per member with an inner dimension of 1, 2-4x
            # slower than einsum's loop over the whole pack (benchmarks/study_regime.py)
            np.einsum("...bi,...bj->...ij", x1, dz, out=self._grad_block)
        else:
            np.matmul(x1.mT, dz, out=self._grad_block)  # (S, n_in + 1, n_out): [dW; db]
        if not need_grad_in:
            return None
        return np.matmul(dz, self._W_T, out=buf["dx"])  # (S, B, n_in)

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
