"""Training a pack: what is stored is enough to rebuild each run, and packing changes nothing."""

import numpy as np
import pytest

import support
from runner import models, plan
from runner.config import Experiment, load_experiment
from runner.plan import Pack
from runner.training import measures
from runner.training.data import load_data
from runner.training.pack import run_pack

YAML = """\
name: t
dataset: {name: font}
model: {kind: autoencoder, architectures: [[35, 12, 2, 12, 35]], activation: tanh,
        latent_activation: identity, loss: bce}
training:
  epochs: 40
  normalize: [false, true]
  optimizers: [{name: adam, learning_rate: 0.01}]
seeds: 2
snapshots: [5, 40]
"""


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    path = tmp_path_factory.mktemp("t") / "t.yaml"
    path.write_text(YAML)
    return plan.expand(load_experiment(path))


def _results(runs, workers=1):
    return {r.id: r for p in plan.pack("t", runs, workers) for r in run_pack(p)}


def test_stored_weights_rebuild_each_run_and_its_snapshots(runs):
    x = load_data(runs[0]).x_train
    for result in _results(runs).values():
        if result.metrics.status != "ok":
            continue
        params = result.arrays["model"]
        model = models.build(result.spec, params=params)
        wrong = measures.wrong_pixels(model.reconstruct(x)[0], x)
        assert tuple(wrong.tolist()) == result.metrics.wrong_pixels.per_char
        assert ("input.mean" in params) == result.spec.normalize
        snapshot = {k.split(".", 1)[1]: v for k, v in params.items() if k.startswith("epoch_5.")}
        scaling = {k: v for k, v in params.items() if k.startswith("input.")}
        early = models.build(result.spec, params={**snapshot, **scaling})
        np.testing.assert_allclose(
            early.encode(x)[0], result.arrays["latent"]["epoch_5"], rtol=1e-12, atol=1e-12
        )


def test_a_diverging_run_is_stored_as_diverged_beside_healthy_ones(tmp_path):
    path = tmp_path / "linear.yaml"
    path.write_text("""\
name: linear
dataset: {name: font}
model: {kind: autoencoder, architectures: [[35, 2, 35]], activation: identity,
        output_activation: identity}
training: {epochs: 40, optimizers: [{name: sgd, learning_rate: [0.1, 1000.0]}]}
""")
    [pack] = plan.pack("linear", plan.expand(load_experiment(path)))
    statuses = {r.spec.optimizer.learning_rate: r.metrics.status for r in run_pack(pack)}
    assert statuses == {0.1: "ok", 1000.0: "diverged"}


def test_packing_does_not_change_any_number(runs):
    together, alone = _results(runs, 1), _results(runs, len(runs))
    for run_id, result in together.items():
        other = alone[run_id]
        assert result.metrics.model_copy(update={"timing": None}) == other.metrics.model_copy(
            update={"timing": None}
        )
        for name, value in result.arrays["model"].items():
            np.testing.assert_array_equal(value, other.arrays["model"][name])


def test_a_pack_of_betas_gives_each_member_the_numbers_of_a_pack_of_one(tmp_path):
    path = tmp_path / "betas.yaml"
    path.write_text("""\
name: betas
dataset: {name: font}
model: {kind: vae, architectures: [[35, 8, 2, 8, 35]], beta: [0.5, 1, 4]}
training: {epochs: 12, batch_size: 8, kl_warmup: [0, 5]}
snapshots: [6]
""")
    runs = plan.expand(load_experiment(path))
    [pack] = plan.pack("betas", runs)
    assert len(pack.runs) == 6 and sorted(set(pack.betas)) == [0.5, 1, 4]
    together = {r.id: r for r in run_pack(pack)}
    for run in runs:
        [alone] = run_pack(Pack("betas", (run,)))
        assert alone.metrics.model_copy(update={"timing": None}) == together[
            run.id
        ].metrics.model_copy(update={"timing": None})
        for name, arrays in alone.arrays.items():
            for key, value in arrays.items():
                assert np.array_equal(value, together[run.id].arrays[name][key]), (name, key)


def test_error_measures_on_a_known_output():
    target = np.array([[0.0, 1, 1, 0], [1, 1, 0, 0]])
    output = np.array([[0.25, 0.75, 0.25, 0.0], [1.0, 0.5, 0.0, 1.0]])  # 1 and 2 pixels wrong
    m = measures.error_measures(output, target, n_chars=2)
    assert (m.wrong_pixels, m.worst_character) == (1.5, 2.0)
    assert (m.mse, m.mae, m.sse) == (1.9375 / 8, 2.75 / 8, (0.6875 + 1.25) / 2)
    signed = measures.error_measures(output, target, n_chars=2, span=2.0)  # the same in {-1, 1}
    assert (signed.wrong_pixels, signed.worst_character) == (1.5, 2.0)
    assert (signed.mse, signed.mae, signed.sse) == (4 * m.mse, 2 * m.mae, 4 * m.sse)
    draws = measures.error_measures(output, target, n_chars=1)  # two draws of one character
    assert draws.worst_character == 1.5


@pytest.mark.parametrize("pixels, activation", [([0, 1], "sigmoid"), ([-1, 1], "tanh")])
def test_a_run_stores_its_measures_in_the_pixels_it_trained_on(tmp_path, pixels, activation):
    path = tmp_path / "online.yaml"
    path.write_text(f"""\
name: online
dataset: {{name: font}}
model: {{kind: autoencoder, architectures: [[35, 8, 2, 8, 35]], activation: {activation},
        output_activation: {activation}, pixels: {pixels}, loss: sse}}
training: {{epochs: 2, batch_size: 1, optimizers: [{{name: sgd, learning_rate: 0.01}}]}}
""")
    [pack] = plan.pack("online", plan.expand(load_experiment(path)))
    [result] = run_pack(pack)
    errors = result.metrics.errors
    assert errors.zero_one.mse == pytest.approx(result.metrics.mse, rel=1e-12)
    assert errors.zero_one.wrong_pixels == result.metrics.wrong_pixels.mean
    if pixels[0] < 0:
        assert errors.plus_minus_one.mse == pytest.approx(4 * errors.zero_one.mse, rel=1e-12)
    else:
        assert errors.plus_minus_one is None


def test_a_split_pack_follows_its_thread_share_without_a_number_changing():
    """The sweep's share is read after every epoch; a share that changes as packs finish gives
    the numbers of a steady one, bit for bit."""
    spec = support.vae(
        architecture=[35, 12, 2, 12, 35],
        epochs=5,
        batch_size=16,
        parts=2,
        blas_threads=1,
        snapshots=[2, 5],
    )
    pack = Pack("t", (spec, spec.model_copy(update={"seed": 1, "id": "b"})))
    asked = []

    def changing():
        asked.append(1)
        return [1, 2, 3][len(asked) % 3]

    [steady, *_] = run_pack(pack, threads=lambda: 1)
    [moving, *_] = run_pack(pack, threads=changing)
    assert len(asked) == 1 + spec.epochs  # at the start, then after every epoch
    assert steady.metrics.model_dump(exclude={"timing"}) == moving.metrics.model_dump(
        exclude={"timing"}
    )
    for name, arrays in steady.arrays.items():
        for key, value in arrays.items():
            assert np.array_equal(value, moving.arrays[name][key]), (name, key)


def test_numba_changes_no_number_and_no_run_id(monkeypatch):
    """A VAE's Adam update is compiled where numba is installed: the numbers are NumPy's, bit for
    bit, and the run id is the same with numba and without."""
    pytest.importorskip("numba")
    from nets import fused

    exp = Experiment.model_validate(
        {
            "name": "t",
            "dataset": {"name": "font"},
            "seeds": 1,
            "model": {"kind": "vae", "architectures": [[35, 8, 2, 8, 35]]},
            "training": {"epochs": 3, "batch_size": 16},
        }
    )
    results = {}
    for installed in (True, False):
        monkeypatch.setattr(fused, "available", lambda installed=installed: installed)
        [spec] = plan.expand(exp)
        [results[installed]] = run_pack(Pack("t", (spec,)))
    assert results[True].id == results[False].id
    assert results[True].error is None
    assert results[True].metrics.model_dump(exclude={"timing"}) == results[
        False
    ].metrics.model_dump(exclude={"timing"})
    for key, value in results[False].arrays["model"].items():
        assert np.array_equal(value, results[True].arrays["model"][key])
