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


def test_compiled_sgd_rounds_every_subnormal_product_as_float32_does():
    """The compiled update takes its products in float64 and rounds them once (nets.fused.sgd):
    float32's own product for every positive subnormal, from 0 (p - g lr = -(g lr) exactly)."""
    pytest.importorskip("numba")
    f = np.float32
    g = np.arange(1, 2**23, dtype=np.uint32).view(f).reshape(1, -1)  # their bit patterns
    p = np.zeros_like(g)
    nets.SGD(0.9, compiled=True).step({"p": p}, {"p": g})
    assert (-p).tobytes() == (g * f(0.9)).tobytes()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("rate", [0.05, 1.5])
def test_compiled_sgd_gives_numpys_numbers_on_subnormal_velocities(dtype, rate):
    """A saturated unit's velocity decays into the subnormals and stays there (nets.fused.sgd):
    from such a velocity, with zero gradients and small ones, beside parameters as small, 0 and
    -0, where every product's rounding shows, the compiled update gives NumPy's numbers."""
    pytest.importorskip("numba")
    rng = np.random.default_rng(2)
    tiny = np.finfo(dtype).smallest_subnormal
    v = rng.integers(-(2**22), 2**22, (2, 2**15)).astype(dtype) * tiny
    p = rng.permutation(v, axis=1) * 2.0 ** rng.integers(0, 30, v.shape).astype(dtype)
    p[:, ::11], p[:, 1::11] = 0.0, -0.0
    params = {"numpy": p.copy(), "compiled": p.copy()}
    optimizers = {
        "numpy": nets.SGD(rate, momentum=0.9),
        "compiled": nets.SGD(rate, momentum=0.9, compiled=True),
    }
    for optimizer in optimizers.values():
        optimizer.state_of("p", p)["v"][...] = v
    for _ in range(3):
        g = np.where(rng.random(p.shape) < 0.9, 0, v * rng.integers(-3, 4, p.shape)).astype(dtype)
        for name, optimizer in optimizers.items():
            optimizer.step({"p": params[name]}, {"p": g})
    assert params["numpy"].tobytes() == params["compiled"].tobytes()
    velocities = [o.state["p"]["v"].tobytes() for o in optimizers.values()]
    assert velocities[0] == velocities[1]
    assert not np.array_equal(params["numpy"], p)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_both_loops_of_the_batch_one_update_give_the_same_numbers(dtype):
    """update_outer's loop (float64 products where the velocity was tiny at the last step, else
    the dtype's) is a matter of speed: either gives the same numbers, tiny velocities or not."""
    pytest.importorskip("numba")
    from nets.fused import sgd

    rng = np.random.default_rng(3)
    S, n, m = 4, 6, 5
    tiny = np.finfo(dtype).smallest_subnormal
    v = rng.standard_normal((S, n * m)).astype(dtype)
    v[:2] = rng.integers(-(2**20), 2**20, (2, n * m)) * tiny  # two members' velocity subnormal
    p = (rng.standard_normal(v.shape) * 2.0 ** rng.integers(-140, 0, v.shape)).astype(dtype)
    x1 = rng.standard_normal((S, n)).astype(dtype)
    dz = np.where(rng.random((S, m)) < 0.5, 0, rng.standard_normal((S, m))).astype(dtype)
    rates = np.array([0.05, 1.5, 0.05, 1.5], dtype).astype(np.float64)
    done = []
    for wide in (False, True):
        pw, vw, flags = p.copy(), v.copy(), np.full(S, wide)
        sgd.update_outer(pw, vw, x1, dz, 0, float(dtype(0.9)), rates, flags)
        done.append((pw.tobytes(), vw.tobytes(), flags.tolist()))
    assert done[0] == done[1]
    assert done[0][2] == [True, True, False, False]  # what the next step will take


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


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("rate", [0.01, [0.1, 0.01, 0.001]], ids=["one rate", "a rate each"])
@pytest.mark.parametrize(
    "options",
    [{}, {"momentum": 0.9}, {"momentum": 0.5, "weight_decay": [0.0, 0.1, 0.03]}],
    ids=["plain", "momentum", "momentum and decay"],
)
def test_compiled_sgd_gives_numpys_numbers_bit_for_bit(dtype, rate, options):
    pytest.importorskip("numba")
    rng = np.random.default_rng(5)
    p = rng.standard_normal((3, 1000)).astype(dtype)
    params = {"numpy": p.copy(), "compiled": p.copy()}
    optimizers = {
        "numpy": nets.SGD(rate, schedule=nets.optimizers.Step(2, 0.5), **options),
        "compiled": nets.SGD(rate, schedule=nets.optimizers.Step(2, 0.5), compiled=True, **options),
    }
    for epoch in range(5):
        g = rng.standard_normal(p.shape).astype(dtype)
        g[:, ::7] = 0  # zeros and negative zeros among the gradients
        g[:, 1::7] = -0.0
        for name, optimizer in optimizers.items():
            optimizer.begin_epoch(epoch, 5)
            optimizer.step({"p": params[name]}, {"p": g})
    assert params["numpy"].tobytes() == params["compiled"].tobytes()
    assert not np.array_equal(params["numpy"], p)


# ------------------------------------------------------------------ weight decay and schedules

DECAY = np.array([0.0, 0.1, 0.03])


@pytest.mark.parametrize("name", ["sgd", "adam"])
def test_weight_decay_is_the_gradient_plus_lambda_p(name):
    """Coupled decay: the optimiser with decay on g gives the numbers of the optimiser without it
    on g + lambda * p, worked by hand each step."""
    params, grads = problem()
    decayed = optimizers.named(name, learning_rate=LR, weight_decay=DECAY)
    plain = optimizers.named(name, learning_rate=LR)
    expected = {k: v.copy() for k, v in params.items()}
    lam = DECAY.reshape(S, 1, 1)
    for g in grads:
        plain.step(expected, {k: g[k] + lam * expected[k] for k in g})
        decayed.step(params, g)
    for k in params:
        np.testing.assert_allclose(params[k], expected[k], rtol=1e-14)


def test_weight_decay_steps_down_the_penalised_loss():
    """One SGD step with decay lambda moves the parameters by -lr times the finite-difference
    gradient of each member's loss + lambda / 2 * sum(p^2)."""
    from nets import Autoencoder
    from tests.support import member, numeric_grad

    model = Autoencoder([6, 4, 2, 4, 6], seeds=[1, 2], activation="tanh")
    x = (np.random.default_rng(0).random((5, 6)) < 0.5).astype(float)
    lam, lr = np.array([0.2, 0.05]), 0.1

    def penalised():
        return model._step(x, x)[0] + lam / 2 * (model._flat**2).sum(axis=1)

    numeric = numeric_grad(penalised, model._flat, of=member)
    before = model._flat.copy()
    model._step(x, x)
    optimizers.SGD(lr, weight_decay=lam).step({"p": model._flat}, {"p": model._flat_grads})
    np.testing.assert_allclose(model._flat, before - lr * numeric, rtol=1e-6, atol=1e-10)


def test_a_per_member_weight_decay_needs_one_value_per_member():
    params, grads = problem()
    with pytest.raises(ValueError, match="weight_decay"):
        optimizers.SGD(0.1, weight_decay=np.ones(S + 1)).step(params, grads[0])


@pytest.mark.parametrize(
    "schedule, epochs, expected",
    [
        (optimizers.Step(every=2, factor=0.5), 6, [1, 1, 0.5, 0.5, 0.25, 0.25]),
        (optimizers.Cosine(final=0.1), 3, [1, 0.55, 0.1]),
        (
            optimizers.Cosine(final=0.0),
            5,
            [1, (1 + np.cos(np.pi / 4)) / 2, 0.5, (1 + np.cos(3 * np.pi / 4)) / 2, 0],
        ),
        (optimizers.Cosine(final=0.3), 1, [1]),
    ],
    ids=["step", "cosine 3", "cosine 5", "cosine 1"],
)
def test_schedule_curve(schedule, epochs, expected):
    np.testing.assert_allclose([schedule(e, epochs) for e in range(epochs)], expected, atol=1e-15)


def test_schedule_scales_each_epochs_steps():
    """SGD steps within epoch e move by lr * factor(e) * g."""
    params, grads = problem()
    opt = optimizers.SGD(LR, schedule=optimizers.Step(every=1, factor=0.5))
    expected = {k: v.copy() for k, v in params.items()}
    for epoch, g in enumerate(grads):
        opt.begin_epoch(epoch, len(grads))
        opt.step(params, g)
        for k in expected:
            expected[k] = expected[k] - RATE * 0.5**epoch * g[k]
    for k in params:
        np.testing.assert_allclose(params[k], expected[k], rtol=1e-14)


def test_a_fit_follows_the_schedule_epoch_by_epoch():
    """The epoch loop tells the optimiser each epoch: a cosine to 0 over 2 epochs trains the
    second epoch at rate 0, so the weights after 2 epochs are those after 1."""
    from nets import Autoencoder

    x = (np.random.default_rng(0).random((5, 6)) < 0.5).astype(float)
    scheduled = Autoencoder([6, 2, 6], seeds=[3])
    scheduled.fit(x, epochs=2, optimizer=optimizers.Adam(0.01, schedule=optimizers.Cosine(0.0)))
    one = Autoencoder([6, 2, 6], seeds=[3])
    one.fit(x, epochs=1, optimizer=optimizers.Adam(0.01))
    np.testing.assert_array_equal(scheduled._flat, one._flat)
