"""Checkpoints: a pack stopped after any epoch and started again ends with the numbers of an
unbroken pack, bit for bit; a checkpoint resumes only its own runs, and goes once they are
stored."""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from runner import checkpoints, plan, store, sweep
from runner.config import load_experiment
from runner.training.pack import run_pack
from support import wait_for

ROOT = Path(__file__).resolve().parents[1]

DENOISING = """\
name: d
dataset: {name: font}
model: {kind: autoencoder, architectures: [[35, 8, 2, 8, 35]]}
training: {epochs: 12, batch_size: 5, optimizers: [{name: adam, learning_rate: 0.01}]}
noise: {kind: bitflip, levels: [0.1], eval_draws: 2, floor_draws: 16}
snapshots: [3, 7]
seeds: 2
"""
# a split pack (parts) on batches of 128 in shuffled order, from the embedded digits, with two
# betas and a KL warm-up that a resumed fit takes up at its epoch
VAE = """\
name: v
dataset: {name: mnist-5k, limit: 300}
model: {kind: vae, architectures: [[784, 300, 2, 300, 784]], beta: [1, 4]}
training: {epochs: 5, batch_size: 128, kl_warmup: 3}
snapshots: [2]
seeds: 2
"""
# one character a step, SGD with momentum, the wrong-pixel trace read from the training
BATCH1 = """\
name: b
dataset: {name: font}
model: {kind: autoencoder, architectures: [[35, 8, 2, 8, 35]], loss: sse}
training: {epochs: 9, batch_size: 1,
           optimizers: [{name: sgd, learning_rate: 0.05, momentum: 0.9}]}
snapshots: [4]
seeds: 3
"""
# the training controls: decay per member, a schedule, early stopping with its state to resume
CONTROLS = """\
name: c
dataset: {name: font}
model: {kind: autoencoder, architectures: [[35, 8, 2, 8, 35]]}
training: {epochs: 12, batch_size: 8, weight_decay: [0.0, 0.01], validation: 0.25,
           schedule: {kind: step, every: 4, factor: 0.5}, early_stop: {patience: 2},
           optimizers: [{name: adam, learning_rate: 0.05}]}
snapshots: [3]
seeds: 2
"""
VAE_EARLY_STOP = VAE.replace(
    "batch_size: 128}",
    "batch_size: 128, validation: 50, "
    "early_stop: {patience: 1}, schedule: {kind: cosine, final: 0.1}}",
)


class Stop(BaseException):
    """The test's stand-in for an interruption after an epoch (not an Exception, which a pack
    turns into an error result)."""


def pack_of(tmp_path, text):
    path = tmp_path / "x.yaml"
    path.write_text(text)
    [pack] = plan.pack("x", plan.expand(load_experiment(path)))
    return pack


def numbers(results):
    """Every run's metrics (timing aside) and arrays, by run id."""
    out = {}
    for r in results:
        assert r.error is None, r.error
        metrics = r.metrics.model_dump(mode="json", exclude={"timing"})
        if "convergence" in metrics and metrics["convergence"]:
            metrics["convergence"] = {
                k: v for k, v in metrics["convergence"].items() if not k.startswith("seconds")
            }
        out[r.id] = metrics, r.arrays
    return out


def assert_same(a, b):
    assert a.keys() == b.keys()
    for run_id in a:
        (ma, xa), (mb, xb) = a[run_id], b[run_id]
        assert ma == mb
        for group in xa:
            assert xa[group].keys() == xb[group].keys()
            for name in xa[group]:
                assert np.array_equal(xa[group][name], xb[group][name], equal_nan=True), name


def stop_after(k):
    def progress(epoch):
        if epoch == k:
            raise Stop

    return progress


@pytest.mark.parametrize(
    "text",
    [
        DENOISING,
        pytest.param(VAE, marks=pytest.mark.slow),  # a split pack on MNIST digits
        BATCH1,
        CONTROLS,
        pytest.param(VAE_EARLY_STOP, marks=pytest.mark.slow),
    ],
    ids=["denoising", "vae", "batch1", "controls", "vae early stop"],
)
def test_a_pack_stopped_and_resumed_ends_as_an_unbroken_one(tmp_path, text, monkeypatch):
    monkeypatch.setenv("TP5_CHECKPOINT_EVERY", "0")  # a checkpoint after every epoch
    pack = pack_of(tmp_path, text)
    assert pack.spec.parts or pack.spec.kind == "autoencoder"  # the VAE's steps are split
    whole = numbers(run_pack(pack))
    epochs = pack.spec.epochs
    file = tmp_path / "pack.npz"
    for k in (1, 2, epochs // 2, epochs - 1, epochs):
        # stopped in the progress report of epoch k: the checkpoint of epoch k - 1 stands
        with pytest.raises(Stop):
            run_pack(pack, stop_after(k), checkpoint=str(file))
        seen = []
        assert_same(numbers(run_pack(pack, seen.append, checkpoint=str(file))), whole)
        assert seen == list(range(k, epochs + 1))  # it went on from there
        file.unlink(missing_ok=True)


def test_interrupted_twice_it_still_ends_as_an_unbroken_pack(tmp_path, monkeypatch):
    monkeypatch.setenv("TP5_CHECKPOINT_EVERY", "0")
    pack = pack_of(tmp_path, BATCH1)
    whole = numbers(run_pack(pack))
    file = str(tmp_path / "pack.npz")
    for k in (3, 6):
        with pytest.raises(Stop):
            run_pack(pack, stop_after(k), checkpoint=file)
    seen = []
    assert_same(numbers(run_pack(pack, seen.append, checkpoint=file)), whole)
    assert seen[0] == 6


def test_no_checkpoint_before_its_time(tmp_path, monkeypatch):
    monkeypatch.setenv("TP5_CHECKPOINT_EVERY", "3600")
    pack = pack_of(tmp_path, BATCH1)
    file = tmp_path / "pack.npz"
    with pytest.raises(Stop):
        run_pack(pack, stop_after(5), checkpoint=str(file))
    assert not file.exists()


def test_a_checkpoint_resumes_only_its_own_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("TP5_CHECKPOINT_EVERY", "0")
    pack = pack_of(tmp_path, BATCH1)
    other = pack_of(tmp_path, BATCH1.replace("learning_rate: 0.05", "learning_rate: 0.04"))
    file = tmp_path / "pack.npz"
    with pytest.raises(Stop):
        run_pack(pack, stop_after(5), checkpoint=str(file))
    assert checkpoints.load(file, [r.id for r in other.runs]) is None
    seen = []
    assert_same(
        numbers(run_pack(other, seen.append, checkpoint=str(file))), numbers(run_pack(other))
    )
    assert seen[0] == 1


def test_the_sweep_packs_checkpointed_runs_as_they_were(tmp_path):
    runs = plan.expand(load_experiment(_written(tmp_path, BATCH1.replace("seeds: 3", "seeds: 8"))))
    kept = runs[2:6]
    checkpoints.save(
        checkpoints.path(tmp_path, "x", [r.id for r in kept]), [r.id for r in kept], {}
    )
    packs = checkpoints.packs(tmp_path, "x", runs, n_workers=2)
    assert packs[0].runs == tuple(kept)
    assert sorted(r.id for p in packs for r in p.runs) == sorted(r.id for r in runs)


def test_only_checkpoints_that_can_never_resume_are_removed(tmp_path):
    """Another configuration's checkpoint (the same experiment run with other overrides) stays
    for when it is asked for again; one written by other code, one whose runs are stored since,
    and an unreadable one go. A dry run removes none and counts the packs it would resume."""
    experiment = load_experiment(_written(tmp_path, BATCH1.replace("seeds: 3", "seeds: 8")))
    runs, name = plan.expand(experiment), experiment.name
    ids = [r.id for r in runs]

    def written(run_ids, code=None):
        file = checkpoints.path(tmp_path, name, run_ids)
        checkpoints.save(file, run_ids, {})
        if code:  # as other code would have written it
            np.savez(file, **{checkpoints.RUNS: np.array(run_ids), checkpoints.CODE: code})
        return file

    other_configuration = written(["elsewhere1", "elsewhere2"])
    other_code = written(["old1"], code="0123456789abcdef")
    stored = written(["done1", ids[0]])
    unreadable = checkpoints.path(tmp_path, name, ["junk"])
    unreadable.write_bytes(b"not a zip")
    mine = written(ids[:4])
    everything = [other_configuration, other_code, stored, unreadable, mine]

    assert checkpoints.packs(tmp_path, name, runs, 2, tidy=False)[0].runs == tuple(runs[:4])
    dry_run = sweep.describe(sweep.plan([experiment], tmp_path), 2, tmp_path)
    assert f"{name}: 1 pack goes on from a checkpoint" in dry_run
    assert all(f.exists() for f in everything)
    (tmp_path / name / "done1").mkdir()  # as if stored since
    assert len(checkpoints.resumed(tmp_path, name, runs)) == 1
    assert [f.exists() for f in everything] == [True, False, False, False, True]


def _written(tmp_path, text):
    path = tmp_path / "x.yaml"
    path.write_text(text)
    return path


# the whole command, stopped by a signal while a pack trains, then run again
SLOW = BATCH1.replace("epochs: 9", "epochs: 400").replace("name: b", "name: slow")


def _tp5(args, env):
    return subprocess.Popen(
        [sys.executable, "-m", "runner.cli", *map(str, args)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _stored_numbers(results, name):
    out = {}
    for run_id in sorted(store.stored_ids(results, name)):
        folder = store.experiment_dir(results, name) / run_id
        metrics = json.loads((folder / "metrics.json").read_text())
        metrics.pop("timing")
        metrics["convergence"] = {
            k: v for k, v in metrics["convergence"].items() if not k.startswith("seconds")
        }
        arrays = {}
        for npz in sorted(folder.glob("*.npz")):
            with np.load(npz) as data:
                arrays[npz.name] = {n: data[n] for n in data.files}
        out[run_id] = metrics, arrays
    return out


@pytest.mark.slow
@pytest.mark.parametrize(
    ("signum", "jobs"),
    [(signal.SIGINT, 1), (signal.SIGTERM, 1), (signal.SIGTERM, 2)],
    ids=["SIGINT-j1", "SIGTERM-j1", "SIGTERM-j2"],
)
def test_a_sweep_stopped_by_a_signal_resumes_to_the_same_numbers(tmp_path, signum, jobs):
    yaml = _written(tmp_path, SLOW)
    env = {**os.environ, "TP5_CHECKPOINT_EVERY": "0.2", "PYTHONPATH": str(ROOT)}
    common = [yaml, "--no-site", "-q", "-j", jobs, "seeds=4"]
    whole = tmp_path / "whole"
    assert _tp5([*common, "--results", whole], env).wait(timeout=600) == 0

    broken = tmp_path / "broken"
    process = _tp5([*common, "--results", broken], env)
    folder = checkpoints.folder(broken, "slow")
    assert wait_for(lambda: list(folder.glob("*.npz")), 300), "no checkpoint was written"
    process.send_signal(signum)
    assert process.wait(timeout=120) != 0
    assert store.stored_ids(broken, "slow") == set()  # nothing half stored

    assert _tp5([*common, "--results", broken], env).wait(timeout=600) == 0
    assert not list(folder.glob("*.npz"))  # gone with the runs stored
    a, b = _stored_numbers(whole, "slow"), _stored_numbers(broken, "slow")
    assert a.keys() == b.keys() and len(a) == 4
    for run_id in a:
        assert a[run_id][0] == b[run_id][0]
        for npz in a[run_id][1]:
            for name, value in a[run_id][1][npz].items():
                assert np.array_equal(value, b[run_id][1][npz][name], equal_nan=True), name


@pytest.mark.cluster
def test_a_dask_sweep_keeps_no_checkpoints(tmp_path, monkeypatch):
    """Its workers may have no disk of the store's: a dask pack writes none, and trains."""
    from distributed import Client, LocalCluster

    from runner import cli

    monkeypatch.setenv("TP5_CHECKPOINT_EVERY", "0")
    path, results = _written(tmp_path, BATCH1), tmp_path / "results"
    with (
        LocalCluster(
            n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        Client(cluster),
    ):
        assert (
            cli.main(
                [
                    str(path),
                    "--results",
                    str(results),
                    "--no-site",
                    "-q",
                    "--backend",
                    "dask",
                    "--scheduler",
                    cluster.scheduler_address,
                ]
            )
            == 0
        )
    assert len(store.stored_ids(results, "b")) == 3
    assert not checkpoints.folder(results, "b").exists()
