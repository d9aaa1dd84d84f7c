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
    assert noise.BitFlip(0.5).apply(x, rngs(0)).dtype == np.float32
    assert noise.Gaussian(0.5).apply(x, rngs(0)).dtype == np.float32
    with pytest.raises(ValueError, match="allowed"):
        noise.make("dropout", 0.1)
