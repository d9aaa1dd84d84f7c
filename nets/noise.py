"""Input corruption for denoising autoencoders, one noise level and one generator per member.

``apply(x, rngs)`` takes clean inputs x (N, D), or (S, N, D), and returns noisy copies (S, N, D):
member k's draws come from ``rngs[k]`` and use level k (a level is a scalar or an array (S,)).
Members draw separately, so member k's noise is the same whatever the ensemble around it.

The kinds that hit each pixel with probability p (bit flips, salt and pepper, masking) all
decide it from one uniform draw u per pixel, hit when u < p, so at one seed and level they hit
the same pixels and differ only in what a hit pixel becomes.
"""

import numpy as np


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


class _PerPixel(_Noise):
    """Each pixel hit independently with probability p: u < p for a draw u ~ U[0, 1)."""

    @staticmethod
    def _draw(rng, out):
        rng.random(out=out, dtype=out.dtype)


class BitFlip(_PerPixel):
    """Each pixel flipped, x -> 1 - x, with probability p."""

    kind = "bitflip"

    def apply(self, x, rngs, out=None):
        noisy = self._draws(x.shape, rngs, x.dtype, out)  # (S, N, D), U[0, 1)
        flip = noisy < self._levels(len(rngs), x.dtype)
        np.copyto(noisy, x)
        return np.subtract(1, noisy, out=noisy, where=flip)


class SaltAndPepper(_PerPixel):
    """Each pixel forced, with probability p, to 0 or to 1 with equal chance: u < p/2 gives 0,
    p/2 <= u < p gives 1. Half the hits leave a binary pixel as it was, so on binary images it
    is a bit flip at p/2."""

    kind = "salt_and_pepper"

    def apply(self, x, rngs, out=None):
        noisy = self._draws(x.shape, rngs, x.dtype, out)  # (S, N, D), U[0, 1)
        p = self._levels(len(rngs), x.dtype)
        hit, pepper = noisy < p, noisy < p / 2  # pepper is a subset of hit
        np.copyto(noisy, x)
        np.copyto(noisy, 1, where=hit)
        np.copyto(noisy, 0, where=pepper)
        return noisy


class Masking(_PerPixel):
    """Each pixel set to 0 with probability p (dropped from the input)."""

    kind = "masking"

    def apply(self, x, rngs, out=None):
        noisy = self._draws(x.shape, rngs, x.dtype, out)  # (S, N, D), U[0, 1)
        masked = noisy < self._levels(len(rngs), x.dtype)
        np.copyto(noisy, x)
        np.copyto(noisy, 0, where=masked)
        return noisy


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


_BY_KIND = {model.kind: model for model in (BitFlip, SaltAndPepper, Masking, Gaussian)}
KINDS = tuple(_BY_KIND)


def make(kind, level):
    """A noise model by kind (one of KINDS) and level (p or sigma; scalar or (S,))."""
    if kind not in _BY_KIND:
        raise ValueError(f"unknown noise {kind!r} (allowed: {', '.join(KINDS)})")
    return _BY_KIND[kind](level)
