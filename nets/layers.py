"""The dense layer, for an ensemble of S members at once.

Shapes: W (S, n_in, n_out), b (S, 1, n_out) (a singleton batch axis, so it broadcasts), input
x (B, n_in) shared by every member or (S, B, n_in) per member; outputs are (S, B, n_out).
``matmul`` broadcasts over the leading axis, so every member's product is its own small GEMM
and nothing ever mixes members.
"""
import numpy as np

from . import activations


class Dense:
    """a = activation(x @ W + b).

    ``forward(x)`` stores what ``backward`` needs; ``backward(grad_out)`` fills ``self.grads``
    (same keys as ``self.params``) and returns the gradient with respect to x. Buffers are reused
    between calls with the same input shape, so an array returned by forward or backward is
    overwritten by the next call of that shape; ``apply(x)`` is the side-effect-free forward.

    ``grads`` may be given as preallocated arrays (e.g. views into one flat buffer, so that an
    optimiser updates every parameter of a model in one call).
    """

    def __init__(self, W, b, activation="identity", grads=None):
        self.params = {"W": W, "b": b}
        if grads is None:
            grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self.grads = grads
        self._W_T = W.mT  # (S, n_out, n_in), a view: the input gradient's operand
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
        """Forward without caching: fresh arrays, for inference."""
        z = np.matmul(x, self.params["W"])  # (S, B, n_out)
        z += self.params["b"]
        return self.activation.fn(z, out=z)

    def forward(self, x):
        """For training, inside the model's np.errstate (hence ``fn_raw``)."""
        buf = self._workspace(x.shape)
        z = np.matmul(x, self.params["W"], out=buf["z"])  # (S, B, n_out)
        z += self.params["b"]
        a = self.activation.fn_raw(z, out=buf["a"])
        self._cache = x, z, a, buf
        return a

    def backward(self, grad_out, need_grad_in=True):
        """grad_out (S, B, n_out) = dL/da -> dL/dx (S, B, n_in), or None if not needed."""
        x, z, a, buf = self._cache
        dz = self.activation.chain(grad_out, z, a, out=buf["dz"])  # (S, B, n_out)
        np.matmul(x.mT, dz, out=self.grads["W"])  # (S, n_in, n_out)
        # the bias gradient sums dz over B; as a product with ones it is one GEMM per member,
        # cheaper than a strided sum and identical whatever S is
        np.matmul(buf["ones"], dz, out=self.grads["b"])  # (S, 1, n_out)
        if not need_grad_in:
            return None
        return np.matmul(dz, self._W_T, out=buf["dx"])  # (S, B, n_in)

    def _workspace(self, x_shape):
        buf = self._buffers.get(x_shape)
        if buf is None:
            W = self.params["W"]
            S, B = W.shape[0], x_shape[-2]
            out = (S, B, self.n_out)
            buf = {"z": np.empty(out, W.dtype), "a": np.empty(out, W.dtype),
                   "dz": np.empty(out, W.dtype), "dx": np.empty((S, B, self.n_in), W.dtype),
                   "ones": np.ones((1, B), W.dtype)}
            self._buffers[x_shape] = buf
        return buf


def apply_stack(layers, x, rows=8192):
    """x through ``layers`` without caching, ``rows`` samples at a time to bound memory.

    x (N, n_in) or (S, N, n_in) -> (S, N, n_out). Diverged members give NaN, silently.
    """
    chunks = []
    with np.errstate(all="ignore"):
        for start in range(0, x.shape[-2], rows):
            h = x[..., start:start + rows, :]
            for layer in layers:
                h = layer.apply(h)
            chunks.append(h)
    return chunks[0] if len(chunks) == 1 else np.concatenate(chunks, axis=-2)
