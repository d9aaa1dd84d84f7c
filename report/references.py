"""What a headline number is to be read beside: references that need no training, computed
exactly from the data.

An autoencoder's "wrong pixels per character" means little alone: 9.9 sounds like an error
until one knows that drawing the mean character for every input costs 11.3. Each reference
here is a function of the data (and of the code's width) only, so it is exact: no seeds, no
spread.

- ``mean_character``: the mean of the training images output whatever the input (the best
  constant output, pixel by pixel, for wrong pixels): the bar any autoencoder must clear.
- ``linear_code``: the best rank-k linear reconstruction (runner.pca, PCA), k the code's width
  of the configuration it is set beside: what a nonlinear autoencoder must beat to earn its
  nonlinearity (the linear_baseline slide sets every configuration beside it).

Each is named for the data's samples (report.summary.Summary.sample): the mean character of
the font, the mean image of pictures. Denoising's references (the noisy input, the nearest
training sample, the Bayes floor) depend on the noise draw and come with the runs' store
(runner.floors).
"""

from __future__ import annotations

import numpy as np

from report import summary as sm
from runner import pca
from runner.training.data import load_data
from runner.training.measures import wrong_pixels


def mean_character(x: np.ndarray) -> float:
    """Wrong pixels per character of the mean training image drawn for every input."""
    return float(wrong_pixels(np.broadcast_to(x.mean(axis=0), x.shape), x).mean())


def linear_code(x: np.ndarray, k: int) -> float:
    """Wrong pixels per character of the exact rank-k PCA reconstruction."""
    return float(pca.measures(x, k)["per_char"].mean())


def of(s: sm.Summary, c: sm.Configuration) -> list[tuple[str, float]]:
    """The references of an autoencoder's wrong pixels, to set beside configuration ``c``'s."""
    if s.kind != "autoencoder" or s.denoising or s.headline.key != "wrong_mean":
        return []
    x = load_data(c.runs[0].spec).x_train  # (N, D) as the runs read it
    k = min(c.runs[0].spec.architecture)
    return [
        (f"the mean {s.sample} drawn for every input", mean_character(x)),
        (f"the best linear {k}-number code (PCA)", linear_code(x, k)),
    ]
