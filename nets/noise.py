"""Input corruption for denoising autoencoders, one noise level and one generator per member.

``apply(x, rngs)`` takes clean inputs x (N, D), or (S, N, D), and returns noisy copies (S, N, D):
member k's draws come from ``rngs[k]`` and use level k (a level is a scalar or an array (S,)).
Members draw separately, so member k's noise is the same whatever the ensemble around it.
"""
import numpy as np

KINDS = ("bitflip", "gaussian")


class _Noise:
    def __init__(self, level):
        self.level = level

    def _levels(self, S, dtype):
        """The level of each member, shaped (S, 1, 1) to broadcast over (S, N, D)."""
        return np.broadcast_to(np.asarray(self.level, dtype), (S,)).reshape(S, 1, 1)

    def _draws(self, shape, rngs, dtype, out):
        """A standard draw per member from ``rngs[k]``, written into out (S, N, D)."""
        S = len(rngs)
        out = np.empty((S,) + tuple(shape[-2:]), dtype) if out is None else out
        for rng, o in zip(rngs, out):
            self._draw(rng, o)
        return out


class BitFlip(_Noise):
    """Each pixel flipped, x -> 1 - x, with probability p (salt and pepper on binary images)."""

    kind = "bitflip"

    @staticmethod
    def _draw(rng, out):
        rng.random(out=out, dtype=out.dtype)

    def apply(self, x, rngs, out=None):
        noisy = self._draws(x.shape, rngs, x.dtype, out)  # (S, N, D), U[0, 1)
        flip = noisy < self._levels(len(rngs), x.dtype)
        np.copyto(noisy, x)
        return np.subtract(1, noisy, out=noisy, where=flip)


class Gaussian(_Noise):
    """x + sigma * N(0, 1), clipped to [0, 1]."""

    kind = "gaussian"

    @staticmethod
    def _draw(rng, out):
        rng.standard_normal(out=out, dtype=out.dtype)

    def apply(self, x, rngs, out=None):
        noisy = self._draws(x.shape, rngs, x.dtype, out)  # (S, N, D), N(0, 1)
        noisy *= self._levels(len(rngs), x.dtype)
        noisy += x
        return np.clip(noisy, 0, 1, out=noisy)


def make(kind, level):
    """A noise model by kind ("bitflip" or "gaussian") and level (p or sigma; scalar or (S,))."""
    if kind == "bitflip":
        return BitFlip(level)
    if kind == "gaussian":
        return Gaussian(level)
    raise ValueError(f"unknown noise {kind!r} (allowed: {', '.join(KINDS)})")
