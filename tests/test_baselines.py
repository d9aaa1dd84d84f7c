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
    errors = {
        name: _mean_wrong(out, clean)
        for name, out in baselines.decode_all(GLYPHS, noisy, "bitflip", p).items()
    }
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


def _pixel_table(kind, p):
    """P(input pixel = 1 | glyph pixel), for glyph pixel 0 and 1: the noise written pixel by
    pixel, straight from its definition."""
    return {"bitflip": (p, 1 - p), "salt_and_pepper": (p / 2, 1 - p / 2), "masking": (0.0, 1 - p)}[
        kind
    ]


@pytest.mark.parametrize(
    "kind, p", [("salt_and_pepper", 0.3), ("masking", 0.2), ("masking", 0.6), ("bitflip", 0.15)]
)
def test_posterior_is_bayes_rule_pixel_by_pixel(kind, p):
    from nets import noise

    clean = np.repeat(GLYPHS, 4, axis=0)
    noisy = noise.make(kind, p).apply(clean, [np.random.default_rng(3)])[0]
    on_if_off, on_if_on = _pixel_table(kind, p)
    on = np.where(GLYPHS[None] > 0.5, on_if_on, on_if_off)  # (1, G, D)
    x = noisy[:, None, :]  # (M, 1, D)
    likelihood = np.where(x > 0.5, on, 1 - on).prod(axis=-1)  # (M, G)
    expected = likelihood / likelihood.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(baselines.posterior(GLYPHS, noisy, kind, p), expected, atol=1e-12)


def test_masking_posterior_excludes_glyphs_off_where_the_input_is_on():
    noisy = GLYPHS[:1]  # nothing masked: only glyphs covering every on pixel remain
    weights = baselines.posterior(GLYPHS, noisy, "masking", 0.1)[0]
    covers = np.all(GLYPHS >= noisy, axis=1)
    assert np.all(weights[~covers] < 1e-200) and weights[covers].sum() == pytest.approx(1)
