"""Sweep expansion and packing: every combination once, stable ids, packs of compatible runs."""

import json

import pytest

from runner import __version__, plan, spec
from runner.config import ConfigError, load_experiment

YAML = """\
name: demo
dataset: {name: font}
model:
  kind: autoencoder
  architectures: [[35, 20, 2, 20, 35], [35, 2, 35]]
training:
  epochs: 50
  init: [xavier, he]
  optimizers:
    - {name: sgd, learning_rate: [0.5, 0.05], momentum: 0.9}
    - {name: adam, learning_rate: 0.01}
noise: {kind: bitflip, levels: [0.1, 0.2], floor_draws: 4096}
seeds: 3
"""


@pytest.fixture
def experiment(tmp_path):
    path = tmp_path / "demo.yaml"
    path.write_text(YAML)
    return load_experiment(path)


def test_every_combination_is_planned_once(experiment):
    runs = plan.expand(experiment)
    # 2 architectures x (2 + 1) learning rates x 2 inits x 2 noise levels x 3 seeds
    assert len(runs) == 2 * 3 * 2 * 2 * 3
    assert len({r.id for r in runs}) == len(runs)
    points = {
        (r.architecture, r.optimizer.name, r.optimizer.learning_rate, r.init, r.noise.level, r.seed)
        for r in runs
    }
    assert len(points) == len(runs)


def test_ids_are_stable_and_follow_the_spec(experiment, tmp_path):
    first = [r.id for r in plan.expand(experiment)]
    assert first == [r.id for r in plan.expand(experiment)]
    path = tmp_path / "more.yaml"
    path.write_text(YAML.replace("epochs: 50", "epochs: 51"))
    assert not set(first) & {r.id for r in plan.expand(load_experiment(path))}


def test_the_experiment_name_does_not_change_a_run_id(experiment, tmp_path):
    path = tmp_path / "renamed.yaml"
    path.write_text(YAML.replace("name: demo", "name: other"))
    assert [r.id for r in plan.expand(experiment)] == [
        r.id for r in plan.expand(load_experiment(path))
    ]


@pytest.mark.parametrize("workers", [1, 2, 3, 8, 1000])
def test_packs_hold_every_run_once_and_only_compatible_runs(experiment, workers):
    runs = plan.expand(experiment)
    packs = plan.pack(experiment.name, runs, workers)
    assert sorted(r.id for p in packs for r in p.runs) == sorted(r.id for r in runs)
    for p in packs:
        assert len({plan._pack_key(r) for r in p.runs}) == 1
    assert len(packs) >= min(workers, len(runs))


def test_one_worker_gets_one_pack_per_network_and_optimiser(experiment):
    packs = plan.pack(experiment.name, plan.expand(experiment), 1)
    # 2 architectures x 2 optimisers x 2 inits; seeds, rates and noise levels share a pack
    assert len(packs) == 8
    sgd = [p for p in packs if p.spec.optimizer.name == "sgd"]
    assert all(len(p.runs) == 2 * 2 * 3 for p in sgd)


def test_a_pack_holds_its_members_values_as_arrays(experiment):
    pack = plan.pack(experiment.name, plan.expand(experiment), 1)[0]
    assert pack.seeds.tolist() == [r.seed for r in pack.runs]
    assert pack.noise_levels.tolist() == [r.noise.level for r in pack.runs]
    rates = {r.optimizer.learning_rate for r in pack.runs}
    assert len(rates) == 2 and len(set(pack.noise_levels)) == 2


def test_a_run_id_is_the_question_and_code_wherever_it_is_asked_and_stored(experiment):
    """The rule that keeps the ids of stored results valid: the id follows from run.json as
    stored, is the same in another experiment, and changes with anything that decides a
    number."""
    for run in plan.expand(experiment):
        stored = spec.parse(json.loads(json.dumps(run.model_dump(mode="json"))))
        assert plan.run_id(stored) == run.id
        assert plan.run_id(run.model_copy(update={"experiment": "another", "id": ""})) == run.id
        for change in (
            {"seed": run.seed + 1},
            {"epochs": run.epochs + 1},
            {"fingerprint": "other-code"},
            {"tp5_version": __version__ + ".1"},
        ):
            assert plan.run_id(run.model_copy(update=change)) != run.id, change


def test_betas_and_warmups_are_members_of_one_pack(tmp_path):
    path = tmp_path / "vae.yaml"
    path.write_text(
        "name: vae\ndataset: {name: font}\n"
        "model: {kind: vae, architectures: [[35, 8, 2, 8, 35]], beta: [0.1, 1, 4]}\n"
        "training: {epochs: 5, kl_warmup: [0, 3]}\nseeds: 2\n"
    )
    runs = plan.expand(load_experiment(path))
    assert [(r.beta, r.kl_warmup) for r in runs[::2]] == [
        (0.1, 0),
        (0.1, 3),
        (1, 0),
        (1, 3),
        (4, 0),
        (4, 3),
    ]
    [pack] = plan.pack("vae", runs)
    assert pack.betas.tolist() == [r.beta for r in runs]
    assert pack.kl_warmups.tolist() == [r.kl_warmup for r in runs]
    # no warm-up is left out of run.json: such a run asks what it asked before warm-ups existed
    assert ["kl_warmup" in r.model_dump(mode="json") for r in runs[:4]] == [False] * 2 + [True] * 2


def test_only_a_vae_has_a_warmup(tmp_path):
    path = tmp_path / "ae.yaml"
    path.write_text(
        "name: ae\ndataset: {name: font}\n"
        "model: {kind: autoencoder, architectures: [[35, 2, 35]]}\n"
        "training: {epochs: 5, kl_warmup: 3}\n"
    )
    with pytest.raises(ConfigError) as caught:
        load_experiment(path)
    assert caught.value.problems == [
        f"{path}:4:34: training.kl_warmup: only a VAE has a KL term to warm up, but model.kind "
        "is 'autoencoder' (remove kl_warmup)"
    ]


@pytest.mark.parametrize(
    "workers, sizes", [(1, [100] * 4), (2, [100] * 4), (3, [67] * 4 + [66] * 2), (8, [50] * 8)]
)
def test_a_large_sweep_is_cut_into_equal_packs_for_every_worker(tmp_path, workers, sizes):
    path = tmp_path / "lr.yaml"
    path.write_text("""\
name: lr
dataset: {name: font}
model: {kind: autoencoder, architectures: [[35, 20, 2, 20, 35]]}
training:
  epochs: 10
  optimizers: [{name: sgd, learning_rate: [0.05, 0.005, 0.0005, 0.00005], momentum: 0.9}]
seeds: 100
""")
    packs = plan.pack("lr", plan.expand(load_experiment(path)), workers)
    assert [len(p.runs) for p in packs] == sizes
    for p in packs:  # each pack holds every rate alike, so the packs cost alike
        rates = [r.optimizer.learning_rate for r in p.runs]
        assert max(map(rates.count, rates)) - min(map(rates.count, rates)) <= 1
