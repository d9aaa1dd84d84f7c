"""Central finite differences of every member's loss, the oracle of the gradient tests."""

import numpy as np


def numeric_grads(model, x, h=1e-6):
    """Central differences of each member's loss with respect to each of its parameters."""
    flat, grads = model._flat, np.zeros_like(model._flat)
    for k, j in np.ndindex(flat.shape):
        old = flat[k, j]
        flat[k, j] = old + h
        up = model._step(x, x)[0][k]
        flat[k, j] = old - h
        down = model._step(x, x)[0][k]
        flat[k, j] = old
        grads[k, j] = (up - down) / (2 * h)
    return grads
