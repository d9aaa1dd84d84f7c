"""What a headline number is to be read beside: references that need no training, computed
exactly from the data.

An autoencoder's "wrong pixels per character" means little alone: 9.9 sounds like an error
until one knows that drawing the mean character for every input costs 11.3. Each reference
here is a function of the dataset only, so it is exact (no seeds, no spread):

- ``mean_character``: output the mean of the training images whatever the input (the best
  constant output, pixel by pixel, for wrong pixels); the bar any autoencoder must clear.
- The best rank-k linear reconstruction (PCA) is the reference for a k-unit code; it belongs
  in REFERENCES beside the mean character, as (label, function of the summary) like it.

Denoising's references (the noisy input, the nearest glyph, the Bayes floor) depend on the
noise draw and come with the runs' store (runner.floors).
"""

from __future__ import annotations

import functools

import numpy as np

from report import summary as sm
from runner import datasets


@functools.cache
def mean_character(dataset: str) -> float:
    """Wrong pixels per character of the mean training image, drawn for every input: each
    pixel on the side of 0.5 that most characters take it (a tie costs the same either way)."""
    x = datasets.load(dataset).x_train > 0.5
    guess = x.mean(axis=0) > 0.5
    return float((x != guess).sum(axis=1).mean())


def _mean_character(s: sm.Summary) -> float | None:
    return mean_character(s.spec.dataset) if s.headline.key == "wrong_mean" else None


#: The exact references of an experiment's headline: (what it is, summary -> value or None).
REFERENCES = (("the mean character drawn for every input", _mean_character),)


def of(s: sm.Summary) -> list[tuple[str, float]]:
    """The references that apply to this experiment's headline, with their values."""
    if s.kind != "autoencoder" or s.denoising or not s.runs:
        return []
    found = [(label, value(s)) for label, value in REFERENCES]
    return [(label, v) for label, v in found if v is not None and np.isfinite(v)]
