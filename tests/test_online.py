"""Training one sample at a time, as course implementations do: a pack trains each member as it
would alone, step for step; the update that forms the gradient itself gives NumPy's numbers, bit
for bit; the order of the samples; pixels in {-1, 1}."""

import numpy as np
import pytest

from nets import Autoencoder, optimizers
from nets.batches import Batches
from nets.seeds import generators
from support import load_font

ARCH = [35, 6, 2, 6, 35]


class Tracking(optimizers.SGD):
    """SGD that keeps a copy of every parameter after every step."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.steps = []

    def step(self, params, grads):
        super().step(params, grads)
        self.steps.append(params["params"].copy())  # (S, P): the model's flat buffer


def train(seeds, lrs, shuffle, **kwargs):
    model = Autoencoder(ARCH, seeds, loss="sse", **kwargs)
    opt = Tracking(np.asarray(lrs), momentum=0.9)
    history = model.fit(load_font(), epochs=3, optimizer=opt, batch_size=1, shuffle=shuffle)
    return np.stack(opt.steps), history["loss"]  # (steps, S, P), (S, epochs)


@pytest.mark.parametrize("shuffle", [True, False], ids=["shuffled", "data order"])
@pytest.mark.parametrize(
    "kwargs",
    [{}, {"activation": "tanh", "output_activation": "tanh", "pixels": (-1, 1)}],
    ids=["sigmoid", "tanh on -1, 1"],
)
def test_batch_one_in_a_pack_is_each_member_alone_step_for_step(shuffle, kwargs):
    seeds, lrs = [2, 5, 9], [0.05, 0.01, 0.2]
    steps, loss = train(seeds, lrs, shuffle, **kwargs)
    assert steps.shape[0] == 3 * 32  # one step per character and epoch
    for k, (seed, lr) in enumerate(zip(seeds, lrs)):
        alone, alone_loss = train([seed], [lr], shuffle, **kwargs)
        np.testing.assert_allclose(steps[:, k], alone[:, 0], rtol=0, atol=1e-12)
        np.testing.assert_allclose(loss[k], alone_loss[0], rtol=1e-12)


def fit_bits(seeds, lrs, compiled, momentum, shuffle, dtype, epochs=3):
    """Every number a batch-1 fit leaves (parameters, loss history, velocity) as bytes, and the
    model's gradient buffer."""
    model = Autoencoder(
        ARCH,
        seeds,
        activation="tanh",
        output_activation="tanh",
        pixels=(-1, 1),
        loss="sse",
        dtype=dtype,
    )
    opt = optimizers.SGD(np.asarray(lrs), momentum=momentum, compiled=compiled)
    history = model.fit(load_font(), epochs=epochs, optimizer=opt, batch_size=1, shuffle=shuffle)
    kept = [model._flat, history["loss"]] + [a for k, a in opt.saved().items() if "tmp" not in k]
    return [a.tobytes() for a in kept], model._flat_grads


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shuffle", [True, False], ids=["shuffled", "data order"])
@pytest.mark.parametrize("momentum", [0.0, 0.9], ids=["plain", "momentum"])
def test_update_from_factors_is_numpys_step_bit_for_bit_in_a_pack_and_alone(
    momentum, shuffle, dtype
):
    pytest.importorskip("numba")
    seeds, lrs = [2, 5, 9], [0.05, 0.01, 0.2]
    numpy, _ = fit_bits(seeds, lrs, False, momentum, shuffle, dtype)
    factored, grads = fit_bits(seeds, lrs, True, momentum, shuffle, dtype)
    assert factored == numpy
    assert not grads.any()  # the gradient was never written: the factored step ran
    pack = np.frombuffer(factored[0], dtype).reshape(len(seeds), -1)
    for k, (seed, lr) in enumerate(zip(seeds, lrs)):
        alone, _ = fit_bits([seed], [lr], True, momentum, shuffle, dtype)
        assert pack[k].tobytes() == alone[0]


def test_update_from_factors_is_numpys_step_bit_for_bit_past_saturation():
    """At a large rate the units saturate, their weights' gradients are exactly 0 and the
    velocity decays into float32's subnormals, where the compiled update takes its products
    in float64 (nets.fused.sgd): still NumPy's numbers."""
    pytest.importorskip("numba")
    seeds, lrs = [2, 5, 9], [0.5, 0.5, 0.2]
    numpy, _ = fit_bits(seeds, lrs, False, 0.9, True, "float32", epochs=30)
    factored, _ = fit_bits(seeds, lrs, True, 0.9, True, "float32", epochs=30)
    assert factored == numpy
    v = np.abs(np.frombuffer(factored[2], np.float32))
    assert np.count_nonzero((v > 0) & (v < np.finfo(np.float32).tiny)) > v.size // 4


def orders(shuffle, seeds=(0, 1), epochs=2):
    """The sample each member sees at each step: (epochs, S, N)."""
    n = 6
    batches = Batches(n, 1, generators(seeds, "shuffle"), shuffle)
    index = np.arange(n, dtype=float)[:, None]  # (N, 1): sample i holds i
    seen = []
    for _ in range(epochs):  # a batch is a reused buffer: copy each step's samples
        steps = [
            np.broadcast_to(b[0], (len(seeds), 1, 1)).reshape(-1).copy() for b in batches(index)
        ]
        seen.append(np.stack(steps, axis=1))  # (S, N)
    return np.array(seen)


def test_shuffled_order_is_each_members_own_and_fresh_every_epoch():
    seen = orders(True)
    assert all(sorted(member) == list(range(6)) for epoch in seen for member in epoch)
    assert not np.array_equal(seen[0], seen[1])  # a new order each epoch
    assert not np.array_equal(seen[:, 0], seen[:, 1])  # each member its own
    np.testing.assert_array_equal(orders(True, seeds=(1,))[:, 0], seen[:, 1])  # from its seed


def test_unshuffled_order_is_the_datas_and_shares_the_array():
    np.testing.assert_array_equal(orders(False), np.broadcast_to(np.arange(6), (2, 2, 6)))
    x = np.zeros((6, 3))
    batches = Batches(6, 4, generators([0, 1], "shuffle"), shuffle=False)
    first, last = (b[0] for b in batches(x))
    assert first.shape == (4, 3) and last.shape == (2, 3)  # views of x, not one copy per member
    assert np.shares_memory(first, x)


def test_pixels_minus_one_one_train_on_mapped_targets_and_report_in_zero_one():
    x = load_font()
    signed = 2 * x - 1
    model = Autoencoder(
        ARCH, [0], activation="tanh", output_activation="tanh", pixels=(-1, 1), loss="sse"
    )
    start = model._step(signed, signed)[0]  # the loss on {-1, 1} data, fed by hand
    history = model.fit(x, epochs=1, optimizer=optimizers.SGD(0.0), batch_size=None)
    np.testing.assert_allclose(history["loss"][:, 0], start, rtol=1e-14)
    out = model.reconstruct(x)  # back in [0, 1]; mapped to {-1, 1}, the loss trained on
    assert 0 <= out.min() and out.max() <= 1
    np.testing.assert_allclose(
        0.5 * ((2 * out - 1 - signed) ** 2).sum(axis=-1).mean(axis=-1), start, rtol=1e-12
    )


def test_a_sigmoid_output_cannot_train_on_minus_one():
    with pytest.raises(ValueError, match="tanh"):
        Autoencoder(ARCH, [0], pixels=(-1, 1))
