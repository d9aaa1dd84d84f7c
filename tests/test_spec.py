"""RunSpec: run.json is its serialisation, and what a sweep stores validates against its schema."""

import json

import pytest
from pydantic import ValidationError

from runner import plan, spec, store
from runner.config import load_experiment
from runner.training.pack import run_pack

#: One experiment per shape of run.json and metrics.json: clean, on noise, a VAE.
YAMLS = {
    "clean": """\
name: clean
dataset: {name: font}
model: {kind: autoencoder, architectures: [[35, 4, 2, 4, 35]]}
training: {epochs: 3, optimizers: [{name: sgd, learning_rate: 0.1, momentum: 0.9}]}
seeds: 2
""",
    "noisy": """\
name: noisy
dataset: {name: font}
model: {kind: autoencoder, architectures: [[35, 2, 35]], loss: bce}
training: {epochs: 3}
noise: {kind: gaussian, levels: [0.1, 0.3], eval_draws: 2}
""",
    "vae": """\
name: vae
dataset: {name: font}
model: {kind: vae, architectures: [[35, 4, 2, 4, 35]]}
training: {epochs: 3, batch_size: 8}
snapshots: [1, 3]
""",
}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """A store holding every run of YAMLS, trained and written as a sweep does."""
    root = tmp_path_factory.mktemp("results")
    for name, text in YAMLS.items():
        path = root / f"{name}.yaml"
        path.write_text(text)
        for pack in plan.pack(name, plan.expand(load_experiment(path))):
            for result in run_pack(pack):
                store.write_run(root, name, result.spec, result.metrics, result.arrays)
    return root


def _stored(results):
    return [run for name in YAMLS for run in store.load_runs(results, name)]


def test_stored_run_json_files_validate_against_the_schema(results):
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(spec.schema())
    for run in _stored(results):
        validator.validate(json.loads((run.path / "run.json").read_text()))


def test_a_spec_reads_back_as_it_was_planned(results):
    planned = {
        run.id: run
        for name in YAMLS
        for run in plan.expand(load_experiment(results / f"{name}.yaml"))
    }
    stored = _stored(results)
    assert len(stored) == len(planned) == 2 + 2 + 1
    for run in stored:
        assert run.spec == planned[run.id]
        assert run.spec.model_dump(mode="json") == json.loads((run.path / "run.json").read_text())


def test_metrics_json_holds_what_the_run_measured(results):
    for run in _stored(results):
        text = json.loads((run.path / "metrics.json").read_text())
        assert text == run.metrics.model_dump(mode="json")
        if run.spec.kind == "vae":
            assert text["test"] is None  # the font has no test set: stored as null
        else:
            measured = "denoise" if run.spec.noise else "convergence"
            assert {"denoise", "convergence"} & set(text) == {measured}


def test_the_schema_names_every_field_of_each_kind():
    schema = spec.schema()
    shared = {
        "tp5_version",
        "experiment",
        "dataset",
        "dataset_path",
        "dataset_options",
        "dataset_limit",
        "epochs",
        "batch_size",
        "shuffle",
        "dtype",
        "snapshots",
        "kind",
        "architecture",
        "activation",
        "optimizer",
        "init",
        "normalize",
        "noise",
        "seed",
        "blas_threads",
        "parts",
        "fingerprint",
        "id",
        "weight_decay",
        "schedule",
        "validation",
        "early_stop",
    }
    kinds = {
        "AutoencoderRun": {"latent_activation", "output_activation", "loss", "pixels"},
        "VAERun": {"beta", "kl_warmup"},
    }
    for name, own in kinds.items():
        assert set(schema["$defs"][name]["properties"]) == shared | own
    assert set(schema["$defs"]["Adam"]["properties"]) == {
        "name",
        "learning_rate",
        "beta1",
        "beta2",
        "eps",
    }
    assert set(schema["$defs"]["Noise"]["properties"]) == {
        "kind",
        "level",
        "eval_draws",
        "test_levels",
    }


def test_a_spec_is_frozen_and_refuses_fields_it_does_not_know(results):
    run = _stored(results)[0]
    with pytest.raises(ValidationError):
        run.spec.seed = 1
    with pytest.raises(ValidationError):
        spec.parse({**run.spec.model_dump(mode="json"), "epoch": 3})


def test_an_older_run_json_with_an_engine_reads_and_asks_the_same_question(results):
    """run.json files written when the engine was recorded still load, as the same run."""
    run = _stored(results)[0]
    older = {**json.loads((run.path / "run.json").read_text()), "engine": "numba"}
    assert spec.parse(older) == run.spec
    assert plan.question(older) == plan.question(run.spec.model_dump(mode="json"))
