"""The linear baseline: the best reconstruction of a data set through a k-number code.

Of every map x -> m + (x - m) A B with A (D, k) and B (k, D), the squared error over the data is
smallest for the projection onto the top k principal directions of the centred data (Eckart and
Young): the top k right singular vectors V_k of X - mean, giving mean + (x - mean) V_k V_k^T. An
autoencoder whose activations are all the identity is such a map, so trained on the squared
error it can at best reach this reconstruction; one with a nonlinearity can go below it. This is
the closed form, computed from one SVD with no training, and measured as the autoencoders are
(runner.training.measures): wrong pixels on either side of 0.5, and the error measures.

Shapes: x (N, D); k the code's width.
"""

from __future__ import annotations

import numpy as np

from runner.training.measures import error_measures, wrong_pixels


def reconstruct(x: np.ndarray, k: int) -> np.ndarray:
    """The rank-k PCA reconstruction of every row of x, mean-centred: (N, D)."""
    mean = x.mean(axis=0)
    centred = x - mean
    _, _, vt = np.linalg.svd(centred, full_matrices=False)  # rows of vt: directions, by variance
    top = vt[:k]  # (k, D)
    return mean + (centred @ top.T) @ top  # code (N, k), then back to pixels


def measures(x: np.ndarray, k: int) -> dict:
    """The rank-k reconstruction's wrong pixels per sample (N,) and error measures."""
    output = reconstruct(x, k)
    return {"per_char": wrong_pixels(output, x), "errors": error_measures(output, x, len(x))}
