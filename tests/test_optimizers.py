"""Optimisers against their update equations worked by hand, with one learning rate per member."""
import numpy as np
import pytest

import nets
from nets import optimizers

S = 3
LR = np.array([0.1, 0.01, 0.5])
RATE = LR.reshape(S, 1, 1)  # broadcast over each member's parameters


def problem(dtype=np.float64):
    rng = np.random.default_rng(0)
    params = {"W": rng.normal(size=(S, 4, 2)), "b": rng.normal(size=(S, 1, 2))}
    grads = [{k: rng.normal(size=v.shape) for k, v in params.items()} for _ in range(3)]
    params = {k: v.astype(dtype) for k, v in params.items()}
    grads = [{k: v.astype(dtype) for k, v in g.items()} for g in grads]
    return params, grads


def run(optimizer, params, grads):
    for g in grads:
        optimizer.step(params, g)
    return params


def test_sgd():
    params, grads = problem()
    expected = {k: v.copy() for k, v in params.items()}
    for g in grads:
        for k in expected:
            expected[k] = expected[k] - RATE * g[k]
    run(optimizers.SGD(LR), params, grads)
    for k in params:
        np.testing.assert_allclose(params[k], expected[k], rtol=1e-14)


def test_sgd_momentum():
    mu = 0.9
    params, grads = problem()
    expected = {k: v.copy() for k, v in params.items()}
    velocity = {k: np.zeros_like(v) for k, v in params.items()}
    for g in grads:
        for k in expected:
            velocity[k] = mu * velocity[k] + g[k]
            expected[k] = expected[k] - RATE * velocity[k]
    run(optimizers.named("sgd", learning_rate=LR, momentum=mu), params, grads)
    for k in params:
        np.testing.assert_allclose(params[k], expected[k], rtol=1e-14)


def test_adam():
    b1, b2, eps = 0.9, 0.999, 1e-8
    params, grads = problem()
    expected = {k: v.copy() for k, v in params.items()}
    m = {k: np.zeros_like(v) for k, v in params.items()}
    v = {k: np.zeros_like(p) for k, p in params.items()}
    for t, g in enumerate(grads, start=1):
        for k in expected:
            m[k] = b1 * m[k] + (1 - b1) * g[k]
            v[k] = b2 * v[k] + (1 - b2) * g[k] ** 2
            m_hat, v_hat = m[k] / (1 - b1**t), v[k] / (1 - b2**t)
            expected[k] = expected[k] - RATE * m_hat / (np.sqrt(v_hat) + eps)
    run(optimizers.named("adam", learning_rate=LR), params, grads)
    for k in params:
        np.testing.assert_allclose(params[k], expected[k], rtol=1e-12)


def test_adam_eps_matters_for_tiny_gradients():
    # with g ~ eps the folded eps must equal eps on the bias-corrected scale
    p = {"w": np.zeros((1, 1))}
    optimizers.Adam(1.0, eps=1e-8).step(p, {"w": np.full((1, 1), 1e-8)})
    np.testing.assert_allclose(p["w"], [[-0.5]], rtol=1e-12)  # m_hat = g, sqrt(v_hat) = g


@pytest.mark.parametrize("name", optimizers.NAMES)
def test_scalar_rate_and_float32_kept(name):
    params, grads = problem(np.float32)
    opt = optimizers.named(name, learning_rate=0.01)
    run(opt, params, grads)
    assert all(p.dtype == np.float32 for p in params.values())
    assert all(a.dtype == np.float32 for st in opt.state.values() for a in st.values())
    params32, grads32 = problem(np.float32)
    run(optimizers.named(name, learning_rate=np.full(S, 0.01)), params32, grads32)
    for k in params:
        np.testing.assert_array_equal(params[k], params32[k])


@pytest.mark.parametrize("name", optimizers.NAMES)
def test_members_are_independent(name):
    params, grads = problem()
    run(optimizers.named(name, learning_rate=LR), params, grads)
    alone, grads_alone = problem()
    alone = {k: v[1:2].copy() for k, v in alone.items()}
    grads_alone = [{k: v[1:2] for k, v in g.items()} for g in grads_alone]
    run(optimizers.named(name, learning_rate=LR[1:2]), alone, grads_alone)
    for k in params:
        np.testing.assert_array_equal(params[k][1:2], alone[k])


def test_unknown_name():
    with pytest.raises(ValueError, match="allowed"):
        optimizers.named("rmsprop", learning_rate=0.1)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("rate", [0.01, [0.1, 0.01, 0.001]], ids=["one rate", "a rate each"])
def test_compiled_adam_gives_numpys_numbers_bit_for_bit(dtype, rate):
    pytest.importorskip("numba")
    rng = np.random.default_rng(5)
    p = rng.standard_normal((3, 1000)).astype(dtype)
    params = {"numpy": p.copy(), "compiled": p.copy()}
    optimizers = {"numpy": nets.Adam(rate), "compiled": nets.Adam(rate, compiled=True)}
    for _ in range(5):
        g = rng.standard_normal(p.shape).astype(dtype)
        for name, optimizer in optimizers.items():
            optimizer.step({"p": params[name]}, {"p": g})
    assert np.array_equal(params["numpy"], params["compiled"])
    assert not np.array_equal(params["numpy"], p)
