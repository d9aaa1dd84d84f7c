"""Training a pack: what is stored is enough to rebuild each run, and packing changes nothing."""

import numpy as np
import pytest

from runner import models, plan, train
from runner.config import load_experiment

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
    return {r.id: r for p in plan.pack("t", runs, workers) for r in train.run_pack(p)}


def test_stored_weights_rebuild_each_run_and_its_snapshots(runs):
    x = train.load_data(runs[0]).x_train
    for result in _results(runs).values():
        if result.metrics.status != "ok":
            continue
        params = result.arrays["model"]
        model = models.build(result.spec, params=params)
        wrong = train.wrong_pixels(model.reconstruct(x)[0], x)
        assert tuple(wrong.tolist()) == result.metrics.wrong_pixels.per_char
        assert ("input.mean" in params) == result.spec.normalize
        snapshot = {k.split(".", 1)[1]: v for k, v in params.items() if k.startswith("epoch_5.")}
        scaling = {k: v for k, v in params.items() if k.startswith("input.")}
        early = models.build(result.spec, params={**snapshot, **scaling})
        np.testing.assert_allclose(early.encode(x)[0], result.arrays["latent"]["epoch_5"],
                                   rtol=1e-12, atol=1e-12)


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
    statuses = {r.spec.optimizer.learning_rate: r.metrics.status for r in train.run_pack(pack)}
    assert statuses == {0.1: "ok", 1000.0: "diverged"}


def test_packing_does_not_change_any_number(runs):
    together, alone = _results(runs, 1), _results(runs, len(runs))
    for run_id, result in together.items():
        other = alone[run_id]
        assert result.metrics.model_copy(update={"timing": None}) == \
            other.metrics.model_copy(update={"timing": None})
        for name, value in result.arrays["model"].items():
            np.testing.assert_array_equal(value, other.arrays["model"][name])
