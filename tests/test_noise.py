"""Noise models: rates and ranges, one level and one generator per member."""

import numpy as np
import pytest

from nets import noise


def rngs(*seeds):
    return [np.random.default_rng(s) for s in seeds]


def test_bitflip_rate_per_member():
    x = (np.random.default_rng(0).random((200, 500)) < 0.3).astype(float)  # 100,000 pixels
    levels = np.array([0.0, 0.05, 0.2, 0.5])
    noisy = noise.BitFlip(levels).apply(x, rngs(1, 2, 3, 4))
    assert noisy.shape == (4,) + x.shape
    flipped = noisy != x
    np.testing.assert_array_equal(noisy[flipped], 1 - np.broadcast_to(x, noisy.shape)[flipped])
    rate = flipped.mean(axis=(1, 2))
    sigma = np.sqrt(levels * (1 - levels) / x.size)
    assert np.all(np.abs(rate - levels) <= 5 * sigma + 1e-12), (rate, levels)


def _binary(seed=0, shape=(200, 500)):
    """A binary image set of 100,000 pixels, about 30 % on."""
    return (np.random.default_rng(seed).random(shape) < 0.3).astype(float)


def _within(rate, expected, n):
    """Whether an observed share of n Bernoulli trials is within 5 standard errors."""
    sigma = np.sqrt(expected * (1 - expected) / n)
    return np.all(np.abs(rate - expected) <= 5 * sigma + 1e-12)


def test_salt_and_pepper_forces_half_of_p_the_other_way():
    x = _binary()
    levels = np.array([0.0, 0.1, 0.4, 1.0])
    noisy = noise.make("salt_and_pepper", levels).apply(x, rngs(1, 2, 3, 4))
    assert set(np.unique(noisy)) <= {0.0, 1.0}
    on, off = x == 1, x == 0
    # a hit pixel becomes 0 or 1 with equal chance: P(0 | on) = P(1 | off) = p/2
    assert _within((noisy[:, on] == 0).mean(axis=1), levels / 2, on.sum())
    assert _within((noisy[:, off] == 1).mean(axis=1), levels / 2, off.sum())
    assert _within((noisy != x).mean(axis=(1, 2)), levels / 2, x.size)
    # at p = 1 every pixel is a fair coin whatever it was
    assert _within(noisy[3].mean(), 0.5, x.size)


def test_salt_and_pepper_hits_the_pixels_bitflip_flips():
    x = _binary(shape=(50, 40))
    flipped = noise.make("bitflip", 0.3).apply(x, rngs(5))[0] != x
    forced = noise.make("salt_and_pepper", 0.3).apply(x, rngs(5))[0] != x
    assert not np.any(forced & ~flipped)  # a forced pixel was hit, and hits are u < p in both


def test_masking_turns_a_share_p_of_the_pixels_off_and_none_on():
    x = _binary()
    levels = np.array([0.0, 0.05, 0.3, 1.0])
    noisy = noise.make("masking", levels).apply(x, rngs(6, 7, 8, 9))
    on = x == 1
    assert np.all(noisy[:, ~on] == 0)  # P(1 | off) = 0
    assert _within((noisy[:, on] == 0).mean(axis=1), levels, on.sum())  # P(0 | on) = p
    # an input that is not binary is masked the same way: kept or 0
    grey = np.random.default_rng(10).random((100, 100))
    masked = noise.make("masking", 0.25).apply(grey, rngs(11))[0]
    assert np.all((masked == grey) | (masked == 0))
    assert _within((masked == 0).mean(), 0.25, grey.size)


def test_gaussian_clipped_per_member():
    x = np.full((100, 100), 0.5)
    sigmas = np.array([0.01, 0.05, 1.0])
    noisy = noise.make("gaussian", sigmas).apply(x, rngs(5, 6, 7))
    assert noisy.min() >= 0 and noisy.max() <= 1
    assert np.any(noisy[2] == 0) and np.any(noisy[2] == 1)  # sigma 1 reaches the clip
    # far from the clip the noise is plain N(0, sigma^2)
    np.testing.assert_allclose((noisy[:2] - x).std(axis=(1, 2)), sigmas[:2], rtol=0.05)


@pytest.mark.parametrize("kind", noise.KINDS)
def test_member_draws_do_not_depend_on_the_ensemble(kind):
    x = np.random.default_rng(8).random((2, 32, 35))  # per-member inputs
    model = noise.make(kind, [0.1, 0.3])
    together = model.apply(x, rngs(9, 10))
    alone = noise.make(kind, 0.3).apply(x[1], rngs(10))
    np.testing.assert_array_equal(together[1], alone[0])
    again = model.apply(x, rngs(9, 10), out=np.empty_like(x))
    np.testing.assert_array_equal(again, together)


def test_float32_kept_and_unknown_kind():
    x = np.zeros((4, 5), np.float32)
    for kind in noise.KINDS:
        assert noise.make(kind, 0.5).apply(x, rngs(0)).dtype == np.float32
    with pytest.raises(ValueError, match="allowed"):
        noise.make("dropout", 0.1)
