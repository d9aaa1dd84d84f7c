"""Activations: derivatives against central finite differences, limits, the out= buffers."""

import warnings

import numpy as np
import pytest

from nets import activations
from support import numeric_grad, own_entry


@pytest.mark.parametrize("name", activations.NAMES)
def test_grad_matches_finite_differences(name):
    act = activations.get(name)
    z = np.random.default_rng(0).normal(0, 2, (3, 4, 5))
    z[np.abs(z) < 1e-3] = 0.5  # keep relu away from its kink
    a = act.fn(z)
    np.testing.assert_allclose(
        act.grad(z, a), numeric_grad(lambda: act.fn(z), z, of=own_entry), rtol=1e-6, atol=1e-12
    )
    g = np.random.default_rng(1).normal(size=z.shape)
    np.testing.assert_allclose(act.chain(g, z, a), g * act.grad(z, a), rtol=1e-15)


@pytest.mark.parametrize("name", activations.NAMES)
def test_out_buffers_give_the_same_values(name):
    act = activations.get(name)
    z = np.random.default_rng(2).normal(0, 3, (2, 6, 7))
    a = act.fn(z.copy())
    out = np.empty_like(z)
    np.testing.assert_array_equal(act.fn(z, out=out), a)
    np.testing.assert_array_equal(act.grad(z, a, out=np.empty_like(z)), act.grad(z, a))


def test_known_values_and_saturation_without_warnings():
    z = np.array([-1000.0, -20.0, 0.0, 0.3, 20.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sig = activations.get("sigmoid").fn(z)
        tanh = activations.get("tanh").fn(z)
    np.testing.assert_allclose(sig, np.exp(-np.logaddexp(0, -z)), rtol=1e-15, atol=0)
    np.testing.assert_allclose(tanh, np.tanh(z), rtol=0, atol=1e-15)
    np.testing.assert_array_equal(activations.get("relu").fn(z), np.maximum(z, 0))
    assert activations.get("identity").fn(z) is z


def test_float32_stays_float32():
    z = np.linspace(-5, 5, 11, dtype=np.float32)
    for name in activations.NAMES:
        act = activations.get(name)
        a = act.fn(z)
        assert a.dtype == np.float32 and act.grad(z, a).dtype == np.float32


def test_unknown_name():
    with pytest.raises(ValueError, match="allowed"):
        activations.get("softmax")
