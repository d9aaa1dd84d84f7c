"""The dense layer: forward against a per-member loop, backward against finite differences."""

import numpy as np
import pytest

from nets import activations, init
from nets.layers import Dense, apply_stack
from support import numeric_grad

S, B, N_IN, N_OUT = 3, 5, 4, 6


def make_layer(activation, seed=0):
    rng = np.random.default_rng(seed)
    W = rng.normal(0, 0.7, (S, N_IN, N_OUT))
    b = rng.normal(0, 0.3, (S, 1, N_OUT))
    return Dense(W, b, activation)


@pytest.mark.parametrize("shared", [True, False], ids=["x shared", "x per member"])
@pytest.mark.parametrize("activation", activations.NAMES)
def test_backward_matches_finite_differences(activation, shared):
    layer = make_layer(activation)
    rng = np.random.default_rng(1)
    x = rng.normal(size=(B, N_IN) if shared else (S, B, N_IN))
    weights = rng.normal(size=(S, B, N_OUT))  # L = sum(weights * a), so dL/da = weights

    def loss():
        return np.sum(weights * layer.apply(x))

    layer.forward(x)
    grad_x = layer.backward(weights)
    # backward pass went well: every parameter and the input
    for name, p in layer.params.items():
        np.testing.assert_allclose(layer.grads[name], numeric_grad(loss, p), rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(
        grad_x.sum(axis=0) if shared else grad_x, numeric_grad(loss, x), rtol=1e-6, atol=1e-9
    )


def test_forward_is_each_member_alone():
    layer = make_layer("tanh")
    x = np.random.default_rng(2).normal(size=(S, B, N_IN))
    a = layer.forward(x)
    for k in range(S):
        expected = np.tanh(x[k] @ layer.params["W"][k] + layer.params["b"][k])
        np.testing.assert_allclose(a[k], expected, rtol=0, atol=1e-15)
    np.testing.assert_array_equal(layer.apply(x), a)


def test_buffers_are_reused_and_grads_written_in_place():
    layer = make_layer("sigmoid")
    gW = layer.grads["W"]
    x = np.ones((B, N_IN))
    first = layer.forward(x)
    assert layer.forward(x) is first  # same shape: same buffer
    assert layer.forward(np.ones((B + 1, N_IN))).shape == (S, B + 1, N_OUT)
    layer.backward(np.ones((S, B + 1, N_OUT)), need_grad_in=False)
    assert layer.grads["W"] is gW


def test_apply_stack_chunks_like_one_pass():
    layers = [make_layer("relu", 0), Dense(np.ones((S, N_OUT, 2)), np.zeros((S, 1, 2)))]
    x = np.random.default_rng(3).normal(size=(11, N_IN))
    np.testing.assert_allclose(apply_stack(layers, x, rows=4), apply_stack(layers, x), rtol=1e-15)


@pytest.mark.parametrize("name", init.NAMES)
def test_init_draws_each_member_from_its_own_generator(name):
    rngs = [np.random.default_rng(s) for s in (5, 6, 7)]
    W = init.weights(name, rngs, 30, 20, np.float32)
    assert W.shape == (3, 30, 20) and W.dtype == np.float32
    alone = init.weights(name, [np.random.default_rng(6)], 30, 20, np.float32)
    np.testing.assert_array_equal(W[1], alone[0])
    assert np.std(W) > 0


@pytest.mark.parametrize("shared", [True, False], ids=["x shared", "x per member"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_outer_product_of_one_sample_is_einsums_bit_for_bit(shared, dtype):
    pytest.importorskip("numba")
    from nets.fused.outer import outer_columns

    rng = np.random.default_rng(4)
    x1 = rng.normal(size=(1 if shared else S, N_IN + 1)).astype(dtype)
    dz = rng.normal(size=(S, N_OUT)).astype(dtype)
    x1[:, ::3], dz[:, ::4] = -1.0, -0.0  # products of -0: einsum's sum makes them +0
    expected = np.einsum("...bi,...bj->...ij", x1[:, None], dz[:, None])  # (S, N_IN + 1, N_OUT)
    grads = np.full((S, 7 + expected[0].size + 5), 9, dtype)  # the block in columns 7 ..
    outer_columns(x1, dz, grads, 7)
    block = grads[:, 7:-5].reshape(expected.shape)
    assert block.tobytes() == expected.tobytes()  # +0 and -0 included
    assert (grads[:, :7] == 9).all() and (grads[:, -5:] == 9).all()  # nothing else written
