"""Losses: values against direct formulas, gradients against finite differences, members apart."""

import warnings

import numpy as np
import pytest

import support
from nets.losses import bce_logits, kl_diag, mse, sse

S, B, D = 3, 4, 5


def per_member_grad(f, a):
    """Every loss here is one value per member."""
    return support.numeric_grad(f, a, h=1e-5, of=support.member)


def test_mse():
    rng = np.random.default_rng(0)
    y, target = rng.random((S, B, D)), rng.random((B, D))
    value, grad = mse(y, target)
    np.testing.assert_allclose(value, ((y - target) ** 2).mean(axis=(1, 2)), rtol=1e-14)
    np.testing.assert_allclose(grad, per_member_grad(lambda: mse(y, target)[0], y), rtol=1e-6)


def test_sse_is_half_the_summed_square_per_sample():
    rng = np.random.default_rng(5)
    y, target = rng.random((S, B, D)), rng.random((B, D))
    value, grad = sse(y, target)
    np.testing.assert_allclose(
        value, 0.5 * ((y - target) ** 2).sum(axis=2).mean(axis=1), rtol=1e-14
    )
    np.testing.assert_allclose(grad, per_member_grad(lambda: sse(y, target)[0], y), rtol=1e-6)
    one = sse(y[:, :1], target[:1])[1]
    np.testing.assert_array_equal(one, y[:, :1] - target[:1])  # one sample: the delta rule's y - t


@pytest.mark.parametrize("d", [D, 150], ids=["D=5", "D=150 (several log runs)"])
def test_bce_logits_value_and_grad(d):
    rng = np.random.default_rng(1)
    logits = rng.normal(0, 3, (S, B, d))
    target = rng.random((S, B, d))  # not only 0/1: any target in [0, 1]
    value, grad = bce_logits(logits, target)
    p = 1 / (1 + np.exp(-logits))
    naive = -(target * np.log(p) + (1 - target) * np.log(1 - p)).sum(axis=2).mean(axis=1)
    np.testing.assert_allclose(value, naive, rtol=1e-12)
    np.testing.assert_allclose(grad, (p - target) / B, rtol=1e-12, atol=1e-17)
    # the differences' own round-off is a few ulp(value) / h: ~1e-9 when the value is ~200
    noise = 4 * np.spacing(value.max()) / 1e-5
    np.testing.assert_allclose(
        grad, per_member_grad(lambda: bce_logits(logits, target)[0], logits), rtol=1e-6, atol=noise
    )


def test_bce_logits_is_stable_for_huge_logits():
    logits = np.array([[[-1000.0, 1000.0, -800.0, 800.0, 0.0]]])
    target = np.array([[0.0, 1.0, 1.0, 0.0, 1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value, grad = bce_logits(logits, target)
    np.testing.assert_allclose(value, [800 + 800 + np.log(2)], rtol=1e-15)
    np.testing.assert_allclose(grad, [[[0, 0, -1, 1, -0.5]]], atol=1e-15)


def test_bce_logits_shared_target_and_float32():
    rng = np.random.default_rng(2)
    logits, target = rng.normal(size=(S, B, D)), (rng.random((B, D)) < 0.5).astype(float)
    shared = bce_logits(logits, target)
    per_member = bce_logits(logits, np.broadcast_to(target, (S, B, D)))
    np.testing.assert_allclose(shared[0], per_member[0], rtol=1e-15)
    value, grad = bce_logits(logits.astype(np.float32), target.astype(np.float32))
    assert value.dtype == np.float32 and grad.dtype == np.float32
    np.testing.assert_allclose(value, shared[0], rtol=1e-5)


def test_kl_diag():
    rng = np.random.default_rng(3)
    mu, logvar = rng.normal(size=(S, B, 2)), rng.normal(size=(S, B, 2))
    value, d_mu, d_logvar = kl_diag(mu, logvar)
    # KL of N(mu, s^2) to N(0, 1) per dimension: log(1/s) + (s^2 + mu^2) / 2 - 1/2
    s2 = np.exp(logvar)
    expected = (-0.5 * logvar + (s2 + mu**2) / 2 - 0.5).sum(axis=2).mean(axis=1)
    np.testing.assert_allclose(value, expected, rtol=1e-14)
    np.testing.assert_allclose(d_mu, per_member_grad(lambda: kl_diag(mu, logvar)[0], mu), rtol=1e-6)
    np.testing.assert_allclose(
        d_logvar, per_member_grad(lambda: kl_diag(mu, logvar)[0], logvar), rtol=1e-6
    )
    assert np.all(kl_diag(np.zeros((1, 3, 2)), np.zeros((1, 3, 2)))[0] == 0)


@pytest.mark.parametrize("loss", [mse, sse, bce_logits])
def test_a_diverged_member_leaves_the_others_alone(loss):
    rng = np.random.default_rng(4)
    y, target = rng.random((S, B, D)), rng.random((B, D))
    clean = loss(y, target)
    y[0, 1, 2] = np.nan
    with np.errstate(all="ignore"):
        value, grad = loss(y, target)
    assert np.isnan(value[0])
    np.testing.assert_array_equal(value[1:], clean[0][1:])
    np.testing.assert_array_equal(grad[1:], clean[1][1:])
