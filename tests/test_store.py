"""The result store: whole runs or nothing, readable back, failures kept apart."""

import json

import numpy as np

from runner import store
from runner.metrics import Elbo, Timing, VAEMetrics
from support import VAE, vae


def _spec(run_id="abc123def456"):
    return vae(id=run_id)


def _metrics(loss):
    return VAEMetrics(
        status="ok",
        final_loss=loss,
        train=Elbo(recon=loss, kl=0.0, neg_elbo=loss),
        test=None,
        timing=Timing(seconds=1.0, pack_seconds=1.0, pack_size=1),
    )


def _write(root, run_id="abc123def456", loss=0.5):
    arrays = {"history": {"loss": np.array([1.0, loss])}, "model": {"0.W": np.ones((2, 3))}}
    return store.write_run(root, "demo", _spec(run_id), _metrics(loss), arrays)


def test_a_written_run_reads_back(tmp_path):
    _write(tmp_path)
    [run] = store.load_runs(tmp_path, "demo")
    assert run.id == "abc123def456"
    assert run.spec == VAE
    assert run.metrics == _metrics(0.5)
    np.testing.assert_array_equal(run.history["loss"], [1.0, 0.5])
    np.testing.assert_array_equal(run.params["0.W"], np.ones((2, 3)))
    assert run.latent == {}  # a file the run did not write reads as empty


def test_stored_ids_sees_only_complete_runs(tmp_path):
    _write(tmp_path, "aaaaaaaaaaaa")
    (tmp_path / "demo" / f"{store.TEMP_PREFIX}half-written").mkdir()
    store.write_failure(tmp_path, "demo", _spec("bbbbbbbbbbbb"), "Traceback ...\nValueError: x")
    assert store.stored_ids(tmp_path, "demo") == {"aaaaaaaaaaaa"}


def test_leftovers_of_a_killed_sweep_are_removed(tmp_path):
    _write(tmp_path)
    (tmp_path / "demo" / f"{store.TEMP_PREFIX}1234").mkdir()
    (tmp_path / "demo" / f"{store.TEMP_PREFIX}5678-plan.json").write_text("{")
    assert store.remove_temporaries(tmp_path, "demo") == 2
    assert [p.name for p in (tmp_path / "demo").iterdir()] == ["abc123def456"]


def test_force_replaces_a_run_and_a_success_clears_its_failure(tmp_path):
    store.write_failure(tmp_path, "demo", _spec(), "boom")
    assert len(store.failures(tmp_path, "demo")) == 1
    _write(tmp_path, loss=0.5)
    _write(tmp_path, loss=0.25)
    [run] = store.load_runs(tmp_path, "demo")
    assert run.metrics.final_loss == 0.25
    assert store.failures(tmp_path, "demo") == []
    assert sorted(p.name for p in (tmp_path / "demo").iterdir()) == ["abc123def456", "failed"]


def test_experiments_are_the_folders_with_a_config(tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "one" / "experiment.yaml").write_text("name: one\n")
    (tmp_path / "stray").mkdir()
    assert store.experiments(tmp_path) == ["one"]


def test_a_diverged_loss_is_stored_as_null_and_reads_back_as_none(tmp_path):
    diverged = _metrics(float("nan")).model_copy(update={"status": "diverged"})
    assert diverged.final_loss is None and diverged.train.neg_elbo is None
    folder = store.write_run(tmp_path, "demo", _spec(), diverged, {})
    stored = json.loads((folder / "metrics.json").read_text())
    assert stored["final_loss"] is None and stored["train"]["neg_elbo"] is None
    [run] = store.load_runs(tmp_path, "demo")
    assert run.metrics == diverged


def test_the_plan_reads_back_in_order(tmp_path):
    specs = [_spec("bbbbbbbbbbbb"), _spec("aaaaaaaaaaaa")]
    (tmp_path / "demo").mkdir()
    store.write_plan(tmp_path, "demo", specs)
    assert store.read_plan(tmp_path, "demo") == specs
    assert store.read_plan(tmp_path, "other") == []
