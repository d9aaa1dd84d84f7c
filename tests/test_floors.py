"""The reference decoders' expected errors: unbiased, tight, and ordered as theory says."""

import numpy as np
import pytest

from nets import noise as noise_models
from runner import baselines, datasets, floors

GLYPHS = datasets.load("font").x_train  # (32, 35)
DRAWS = 2**16


def _plain_count(kind: str, level: float, draws: int, seed: int) -> dict:
    """Wrong pixels counted against the glyph that made each input: the direct estimate."""
    clean = np.repeat(GLYPHS, draws // len(GLYPHS), axis=0)
    noisy = noise_models.make(kind, level).apply(clean, [np.random.default_rng(seed)])[0]
    decoded = baselines.decode_all(GLYPHS, noisy, kind, level)
    return {name: ((out > 0.5) != (clean > 0.5)).sum(axis=1) for name, out in decoded.items()}


@pytest.mark.parametrize(
    "kind, level",
    [
        ("bitflip", 0.2),
        ("bitflip", 0.3),
        pytest.param("gaussian", 0.5, marks=pytest.mark.slow),
        ("salt_and_pepper", 0.4),
        ("masking", 0.3),
    ],
)
def test_expected_errors_agree_with_counting_on_another_draw(kind, level):
    expected = floors.expected_errors(GLYPHS, kind, level, draws=DRAWS)
    counted = _plain_count(kind, level, DRAWS, seed=7)
    for name, wrong in counted.items():
        se = np.hypot(expected[name]["se"], wrong.std(ddof=1) / np.sqrt(wrong.size))
        assert abs(expected[name]["mean"] - wrong.mean()) < 4 * se, name


def test_rao_blackwellised_estimate_is_tighter_than_counting():
    expected = floors.expected_errors(GLYPHS, "bitflip", 0.1, draws=DRAWS)
    counted = _plain_count("bitflip", 0.1, DRAWS, seed=7)["bayes"]
    assert expected["bayes"]["se"] < 0.7 * counted.std(ddof=1) / np.sqrt(counted.size)


def test_noisy_input_costs_p_times_the_pixels():
    expected = floors.expected_errors(GLYPHS, "bitflip", 0.2, draws=DRAWS)["noisy"]
    assert abs(expected["mean"] - 0.2 * GLYPHS.shape[1]) < 4 * expected["se"]


def test_bayes_is_the_floor_and_noise_free_inputs_cost_nothing():
    expected = floors.expected_errors(GLYPHS, "bitflip", 0.3, draws=DRAWS)
    assert expected["bayes"]["mean"] < expected["nearest"]["mean"] < expected["noisy"]["mean"]
    clean = floors.expected_errors(GLYPHS, "bitflip", 0.0, draws=1024)
    assert all(v["mean"] < 1e-9 and v["draws"] == 1024 for v in clean.values())


def test_the_same_level_draws_the_same_numbers():
    first = floors.expected_errors(GLYPHS, "bitflip", 0.05, draws=4096)
    assert first == floors.expected_errors(GLYPHS, "bitflip", 0.05, draws=4096)


@pytest.mark.parametrize("kind", ["salt_and_pepper", "masking"])
def test_each_kind_has_its_floor_below_the_others(kind):
    expected = floors.expected_errors(GLYPHS, kind, 0.5, draws=DRAWS)
    assert expected["bayes"]["mean"] < expected["nearest"]["mean"] < expected["noisy"]["mean"]


def test_salt_and_pepper_at_p_costs_what_bit_flips_at_half_p_cost():
    both = [
        floors.expected_errors(GLYPHS, kind, level, draws=DRAWS)["bayes"]
        for kind, level in (("salt_and_pepper", 0.4), ("bitflip", 0.2))
    ]
    assert abs(both[0]["mean"] - both[1]["mean"]) < 4 * np.hypot(both[0]["se"], both[1]["se"])
