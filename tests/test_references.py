"""The references set beside headlines, checked against what they claim to be."""

from __future__ import annotations

import numpy as np
import pytest

from nets import VAE
from report import references


def _code_free_vae(x_train: np.ndarray) -> VAE:
    """A VAE whose code carries nothing: every weight 0, the heads' biases 0 (posterior = prior,
    KL 0) and the decoder's last bias the logit of each pixel's training mean."""
    D = x_train.shape[1]
    model = VAE([D, 6, 2, 6, D], seeds=[0], dtype=np.float64)
    for p in model.params.values():
        p[...] = 0
    mean = x_train.mean(axis=0)
    model.params["decoder.1.b"][...] = np.log(mean) - np.log1p(-mean)
    return model


def test_a_vae_whose_code_carries_nothing_scores_the_code_free_reference():
    rng = np.random.default_rng(0)
    x = (rng.random((40, 12)) < rng.random(12)).astype(float)  # binary, pixels lit at random
    x[:, 0] = np.where(np.arange(40) < 10, 0.3, 0.8)  # and a grey pixel, as MNIST's
    evaluated = _code_free_vae(x).evaluate(x)
    assert evaluated["kl"][0] == pytest.approx(0, abs=1e-12)
    assert evaluated["neg_elbo"][0] == pytest.approx(references.code_free(x), rel=1e-12)


def test_the_code_free_reference_is_the_best_constant_decoder_and_finite_off_its_data():
    rng = np.random.default_rng(1)
    x = (rng.random((30, 8)) < 0.4).astype(float)
    x[:, 3] = 0  # a pixel never lit in training
    best = references.code_free(x)
    for shift in (-0.05, 0.05):  # any other constant decoder does worse on the training set
        other = np.clip(x.mean(axis=0) + shift, 1e-3, 1 - 1e-3)
        bce = -(x * np.log(other) + (1 - x) * np.log(1 - other)).sum(axis=1).mean()
        assert bce > best
    lit = x.copy()
    lit[:, 3] = 1
    assert np.isfinite(references.code_free(x, lit)) and references.code_free(x, lit) > best
