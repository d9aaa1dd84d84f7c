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
- ``code_free``: a VAE's negative ELBO when its code carries nothing: the posterior is the prior
  (KL 0) and the decoder draws each pixel from its training mean, the best such decoder on the
  training set. A VAE whose -ELBO is not below it has learnt nothing from its code.

Each is named for the data's samples (report.summary.Summary.sample): the mean character of
the font, the mean image of pictures. Denoising's references (the noisy input, the nearest
training sample, the Bayes floor) depend on the noise draw and come with the runs' store
(runner.floors).
"""

from __future__ import annotations

import numpy as np
from scipy.special import xlogy

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


def code_free(x_train: np.ndarray, x: np.ndarray | None = None) -> float:
    """Negative ELBO in nats per image, on ``x`` (default: the training set), of a VAE whose
    code carries nothing: KL 0, and each pixel's Bernoulli cross-entropy against its training
    mean. On another set the mean is kept half a training image from 0 and 1, so that a pixel
    never lit in training costs a finite amount where it is lit."""
    mean = x_train.mean(axis=0, dtype=np.float64)
    if x is not None:
        margin = 0.5 / len(x_train)
        mean = np.clip(mean, margin, 1 - margin)
    x = x_train if x is None else x
    return float(-(xlogy(x, mean) + xlogy(1 - x, 1 - mean)).sum(axis=1).mean())


def of(s: sm.Summary, c: sm.Configuration) -> list[tuple[str, float]]:
    """The references of a headline, to set beside configuration ``c``'s."""
    if s.kind == "vae":
        data = load_data(c.runs[0].spec)
        test = s.headline.key == "neg_elbo_test"
        value = code_free(data.x_train, data.x_test if test else None)
        return [("a VAE whose code carries nothing (KL 0, each pixel its training mean)", value)]
    if s.kind != "autoencoder" or s.denoising or s.headline.key != "wrong_mean":
        return []
    x = load_data(c.runs[0].spec).x_train  # (N, D) as the runs read it
    k = min(c.runs[0].spec.architecture)
    return [
        (f"the mean {s.sample} drawn for every input", mean_character(x)),
        (f"the best linear {k}-number code (PCA)", linear_code(x, k)),
    ]
