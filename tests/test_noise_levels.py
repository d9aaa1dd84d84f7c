"""Denoisers measured at other noise levels than they trained at (noise.test_levels)."""

import numpy as np
import pytest

from runner import plan
from runner.config import load_experiment
from runner.training.pack import run_pack

YAML = """\
name: m
dataset: {name: font}
model: {kind: autoencoder, architectures: [[35, 16, 35]], activation: sigmoid, loss: bce}
training:
  epochs: 30
  optimizers: [{name: adam, learning_rate: 0.01}]
noise: {kind: KIND, levels: [0, 0.1], test_levels: [0.05, 0.1, 0.3], eval_draws: 4,
        floor_draws: 1024}
seeds: 2
"""


def _experiment(tmp_path, text):
    path = tmp_path / "m.yaml"
    path.write_text(text)
    return load_experiment(path)


def _trained(tmp_path, text):
    runs = plan.expand(_experiment(tmp_path, text))
    return [r for p in plan.pack("m", runs) for r in run_pack(p)]


@pytest.fixture(scope="module", params=["bitflip", "masking"])
def results(request, tmp_path_factory):
    return _trained(tmp_path_factory.mktemp("m"), YAML.replace("KIND", request.param))


def test_every_run_is_measured_at_every_test_level_in_order(results):
    assert len(results) == 4  # 2 levels x 2 seeds, one pack
    for r in results:
        assert [t.level for t in r.metrics.test_levels] == [0.05, 0.1, 0.3]


def test_the_diagonal_is_the_measure_at_the_training_level(results):
    trained_at_0_1 = [r for r in results if r.spec.noise.level == 0.1]
    for r in trained_at_0_1:
        at = {t.level: t for t in r.metrics.test_levels}[0.1]
        assert at.model_dump(exclude={"level"}) == r.metrics.denoise.model_dump()


def test_every_run_of_a_seed_sees_the_same_draws_at_a_level(results):
    """The decoders that need no training see only the draws: equal at a seed and level
    whatever level the run trained at, so the plain autoencoder (level 0) and the denoiser are
    measured on the same noisy characters."""
    by_seed = {}
    for r in results:
        by_seed.setdefault(r.spec.seed, []).append(r)
    for plain, denoiser in by_seed.values():
        for a, b in zip(plain.metrics.test_levels, denoiser.metrics.test_levels):
            assert a.model_dump(exclude={"model"}) == b.model_dump(exclude={"model"})


def test_level_zero_trains_the_plain_autoencoder(tmp_path):
    """At level 0 every kind leaves the inputs as they are: the run is the noise-free one,
    bit for bit."""
    clean = _trained(tmp_path, YAML.split("noise:")[0] + "seeds: 1\n")[0]
    plain = _trained(
        tmp_path,
        YAML.replace("KIND", "salt_and_pepper")
        .replace("levels: [0, 0.1]", "levels: [0]")
        .replace("seeds: 2", "seeds: 1"),
    )[0]
    np.testing.assert_array_equal(plain.arrays["history"]["loss"], clean.arrays["history"]["loss"])
    assert plain.arrays["model"].keys() == clean.arrays["model"].keys()
    for name, weights in clean.arrays["model"].items():
        np.testing.assert_array_equal(plain.arrays["model"][name], weights)


def test_a_run_without_test_levels_keeps_its_id(tmp_path):
    without = plan.expand(
        _experiment(
            tmp_path, YAML.replace("KIND", "bitflip").replace(", test_levels: [0.05, 0.1, 0.3]", "")
        )
    )
    assert "test_levels" not in without[0].model_dump(mode="json")["noise"]
    with_levels = plan.expand(_experiment(tmp_path, YAML.replace("KIND", "bitflip")))
    assert with_levels[0].noise.test_levels == (0.05, 0.1, 0.3)
    assert with_levels[0].id != without[0].id


def test_the_floors_are_stored_at_every_level_a_run_is_measured_at(tmp_path):
    from runner import floors
    from support import train

    path = tmp_path / "m.yaml"
    path.write_text(
        YAML.replace("KIND", "masking")
        .replace("seeds: 2", "seeds: 1")
        .replace("epochs: 30", "epochs: 2")
    )
    train([path], tmp_path / "results")
    stored = floors.read(tmp_path / "results" / "m")
    assert sorted(level for _, level in stored) == [0, 0.05, 0.1, 0.3]
    assert {kind for kind, _ in stored} == {"masking"}
