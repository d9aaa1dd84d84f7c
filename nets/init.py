"""Weight initialisers: one draw per member, each from that member's own generator.

Scales, for a layer of n_in inputs and n_out outputs:
- uniform: U(-1, 1), a fixed scale that ignores the layer's size (the naive baseline);
- xavier:  U(-a, a), a = sqrt(6 / (n_in + n_out)) (Glorot & Bengio 2010), for sigmoid/tanh;
- he:      N(0, 2 / n_in) (He et al. 2015), for relu;
- lecun:   N(0, 1 / n_in) (LeCun et al. 1998).
Draws are made in float64 and then cast, so a float32 model starts from the same weights
(rounded) as its float64 twin. Biases start at zero (done by the models).
"""

import numpy as np

NAMES = ("uniform", "xavier", "he", "lecun")


def _draw(name, rng, n_in, n_out):
    shape = (n_in, n_out)
    if name == "uniform":
        return rng.uniform(-1.0, 1.0, shape)
    if name == "xavier":
        a = np.sqrt(6.0 / (n_in + n_out))
        return rng.uniform(-a, a, shape)
    if name == "he":
        return rng.normal(0.0, np.sqrt(2.0 / n_in), shape)
    if name == "lecun":
        return rng.normal(0.0, np.sqrt(1.0 / n_in), shape)
    raise ValueError(f"unknown init {name!r} (allowed: {', '.join(NAMES)})")


def weights(name, rngs, n_in, n_out, dtype=np.float64):
    """Initial weights (S, n_in, n_out), member k drawn from ``rngs[k]``."""
    return np.stack([_draw(name, rng, n_in, n_out) for rng in rngs]).astype(dtype, copy=False)
