"""Adam's update as one compiled pass over the parameters, for the optimiser's compiled mode
(nets.optimizers.Adam(..., compiled=True)).

NumPy's update makes ten passes over arrays as large as the model (a fifth of an MNIST VAE's
step on one thread); this makes one, about five times faster (benchmarks/vae_epoch.py). The
operations are NumPy's, in NumPy's order and dtype, without fast-math (so nothing is fused or
reordered): the numbers are the NumPy update's, bit for bit (tests/test_optimizers.py).
"""

import numpy as np
from numba import njit


@njit(error_model="numpy", cache=True, nogil=True)
def update_row(p, g, M, V, b1, b2, eps, rate):
    """One member's row, 1-D arrays in place; the scalars in the row's dtype."""
    for j in range(p.shape[0]):
        m = M[j] * b1 + g[j]
        v = V[j] * b2 + g[j] * g[j]
        M[j] = m
        V[j] = v
        p[j] -= m / (np.sqrt(v) + eps) * rate
