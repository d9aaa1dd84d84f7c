"""The reference denoisers: the Bayes decoder is the floor, and it lands where theory puts it."""

import numpy as np
import pytest

from runner import baselines, datasets

GLYPHS = datasets.load("font").x_train  # (32, 35)


def _bitflip(p, draws, seed=0):
    clean = np.repeat(GLYPHS, draws, axis=0)
    flips = np.random.default_rng(seed).random(clean.shape) < p
    return clean, np.where(flips, 1 - clean, clean)


def _mean_wrong(decoded, clean):
    return ((decoded > 0.5) != (clean > 0.5)).sum(axis=1).mean()


def test_noise_free_inputs_are_decoded_exactly():
    for decoded in baselines.decode_all(GLYPHS, GLYPHS, "bitflip", 0.0).values():
        np.testing.assert_array_equal(decoded, GLYPHS)


# Expected wrong pixels per character of the Bayes-optimal pixel decoder on this font.
@pytest.mark.parametrize("p, floor", [(0.1, 0.095), (0.2, 1.28), (0.3, 5.17)])
def test_bayes_decoder_reaches_the_known_floor_and_beats_the_others(p, floor):
    clean, noisy = _bitflip(p, draws=400)
    errors = {name: _mean_wrong(out, clean)
              for name, out in baselines.decode_all(GLYPHS, noisy, "bitflip", p).items()}
    assert errors["bayes"] == pytest.approx(floor, rel=0.1, abs=0.02)
    assert errors["nearest"] < errors["noisy"]
    if p >= 0.2:  # below that the two differ by rare events, less than sampling noise here
        assert errors["bayes"] < errors["nearest"]


def test_nearest_glyph_is_the_closest_in_hamming_distance():
    _, noisy = _bitflip(0.2, draws=5)
    chosen = baselines.nearest(GLYPHS, noisy)
    def distance(a, b):
        return ((a > 0.5) != (b > 0.5)).sum(-1)

    best = distance(noisy[:, None, :], GLYPHS[None]).min(axis=1)
    np.testing.assert_array_equal(distance(noisy, chosen), best)


def test_gaussian_bayes_decoder_is_no_worse_than_nearest_glyph():
    clean = np.repeat(GLYPHS, 100, axis=0)
    rng = np.random.default_rng(1)
    noisy = np.clip(clean + 0.5 * rng.standard_normal(clean.shape), 0, 1)
    decoded = baselines.decode_all(GLYPHS, noisy, "gaussian", 0.5)
    assert _mean_wrong(decoded["bayes"], clean) < _mean_wrong(decoded["nearest"], clean)
