"""tp5-run end to end: plans, stores, resumes, recovers from failures, and explains bad input."""

import json
import os
import signal
import subprocess
import sys

import numpy as np
import pytest

from runner import cli, datasets, store, sweep
from runner.training import autoencoder
from support import wait_for

SWEEP = """\
name: tiny
dataset: {name: font}
model:
  kind: autoencoder
  architectures: [[35, 10, 2, 10, 35], [35, 2, 35]]
training:
  epochs: 30
  optimizers:
    - {name: adam, learning_rate: [0.01, 0.001]}
noise: {kind: bitflip, levels: [0.1], floor_draws: 4096}
seeds: 3
"""


def write(tmp_path, text=SWEEP, name="tiny.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def tp5(*args, cwd=None, timeout=300):
    """tp5-run in a fresh process, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "runner.cli", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def stored(results, name="tiny"):
    """Every stored run's metrics (timings aside) and weights, by run id."""
    out = {}
    for run in store.load_runs(results, name):
        out[run.id] = (run.metrics.model_copy(update={"timing": None}), run.params)
    return out


def assert_same_runs(a, b):
    assert a.keys() == b.keys()
    for run_id in a:
        assert a[run_id][0] == b[run_id][0], run_id
        for key in a[run_id][1]:
            np.testing.assert_array_equal(a[run_id][1][key], b[run_id][1][key], strict=True)


@pytest.mark.slow
def test_a_sweep_stores_every_run_and_a_rerun_trains_nothing(tmp_path, capsys):
    path = write(tmp_path)
    results = tmp_path / "results"
    assert cli.main([str(path), "--results", str(results), "--no-site", "-j", "1", "-q"]) == 0
    runs = store.load_runs(results, "tiny")
    assert len(runs) == 2 * 2 * 3
    assert all(run.metrics.status == "ok" for run in runs)
    assert (results / "tiny" / "experiment.yaml").exists()
    assert len(json.loads((results / "tiny" / "plan.json").read_text())) == 12
    capsys.readouterr()
    assert cli.main([str(path), "--results", str(results), "--no-site", "-j", "1"]) == 0
    assert "trained 0 run(s)" in capsys.readouterr().out


#: A VAE of large layers: its steps are cut into two parts, trained on as many threads as are idle
#: (two with -j 1, one then two as the other pack finishes with -j 2, the worker's on dask).
VAE_SWEEP = """\
name: tiny
dataset: {name: mnist-5k, limit: 256}
model:
  kind: vae
  architectures: [[784, 128, 2, 128, 784]]
training:
  epochs: 2
  batch_size: 128
seeds: 2
"""


@pytest.fixture
def busy_machine():
    """Two busy loops beside the test: the load that once changed a VAE's thread count."""
    loops = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    yield
    for loop in loops:
        loop.kill()
        loop.wait()


@pytest.mark.parametrize("text", [SWEEP, VAE_SWEEP], ids=["font", "vae"])
@pytest.mark.slow
@pytest.mark.cluster
def test_results_do_not_depend_on_workers_backend_or_load(tmp_path, text, busy_machine):
    from distributed import Client, LocalCluster

    path = write(tmp_path, text)
    by_workers = {}
    for jobs in (1, 2):
        results = tmp_path / f"j{jobs}"
        assert (
            cli.main([str(path), "--results", str(results), "--no-site", "-q", "-j", str(jobs)])
            == 0
        )
        by_workers[jobs] = stored(results)
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address=None,
            processes=True,
        ) as cluster,
        Client(cluster),
    ):
        results = tmp_path / "dask"
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
    assert_same_runs(by_workers[1], by_workers[2])
    assert_same_runs(by_workers[1], stored(results))


@pytest.mark.slow
def test_a_killed_sweep_finishes_when_run_again(tmp_path):
    # four packs trained one after another: the kill lands after the first is stored
    path = write(
        tmp_path,
        SWEEP.replace("epochs: 30", "epochs: 1500").replace(
            "[[35, 10, 2, 10, 35], [35, 2, 35]]",
            "[[35, 10, 2, 10, 35], [35, 2, 35], [35, 12, 2, 12, 35], [35, 8, 2, 8, 35]]",
        ),
    )
    results = tmp_path / "results"
    args = [
        sys.executable,
        "-m",
        "runner.cli",
        str(path),
        "--results",
        str(results),
        "--no-site",
        "-q",
        "-j",
        "1",
    ]
    process = subprocess.Popen(args, start_new_session=True)
    wait_for(lambda: store.stored_ids(results, "tiny"), 120)
    os.killpg(process.pid, signal.SIGKILL)  # the CLI and its workers, mid-sweep
    process.wait()
    before = store.stored_ids(results, "tiny")
    assert 0 < len(before) < 24, "the kill should land between the first and the last pack"

    done = tp5(path, "--results", results, "--no-site", "-j", "2")
    assert done.returncode == 0, done.stderr
    trained_again = int(done.stdout.split("trained ")[1].split()[0])
    assert trained_again == 24 - len(before)  # nothing stored is trained twice
    runs = store.load_runs(results, "tiny")
    assert len(runs) == 24
    for run in runs:  # every stored run loads
        assert run.params and run.history["loss"].shape == (1500,)
    assert not [p for p in (results / "tiny").iterdir() if p.name.startswith(store.TEMP_PREFIX)]


@pytest.mark.slow
def test_a_pack_that_raises_does_not_stop_the_others(tmp_path, monkeypatch, capsys):
    real = autoencoder.train

    def flaky(pack, data, *rest):
        if pack.spec.architecture == (35, 2, 35):
            raise FloatingPointError("simulated failure in this pack")
        return real(pack, data, *rest)

    monkeypatch.setattr(autoencoder, "train", flaky)
    results = tmp_path / "results"
    code = cli.main([str(write(tmp_path)), "--results", str(results), "--no-site", "-j", "1"])
    assert code == 1
    assert len(store.load_runs(results, "tiny")) == 6  # the other architecture's runs
    failed = store.failures(results, "tiny")
    assert len(failed) == 6
    assert all("simulated failure" in f["error"] for f in failed)
    assert "6 run(s) failed" in capsys.readouterr().err


def spy_on_training(monkeypatch) -> tuple[list, list]:
    """The packs handed to the workers and the datasets loaded from now on, recorded."""
    packs, loads = [], []
    execute, load = sweep.execute, datasets.load

    def recorded_execute(to_train, *args, **kwargs):
        packs.extend(to_train)
        return execute(to_train, *args, **kwargs)

    def recorded_load(*args, **kwargs):
        loads.append(args)
        return load(*args, **kwargs)

    monkeypatch.setattr(sweep, "execute", recorded_execute)
    monkeypatch.setattr(datasets, "load", recorded_load)
    return packs, loads


@pytest.mark.slow
def test_rerunning_100_stored_runs_trains_nothing(tmp_path, monkeypatch, capsys):
    path = write(tmp_path, SWEEP.replace("seeds: 3", "seeds: 25"))  # 2 x 2 x 25 = 100 runs
    results = tmp_path / "results"
    assert cli.main([str(path), "--results", str(results), "--no-site", "-q", "-j", "1"]) == 0
    packs, loads = spy_on_training(monkeypatch)
    assert cli.main([str(path), "--results", str(results), "--no-site", "-j", "1"]) == 0
    assert packs == [] and loads == []  # no pack trained, no dataset even loaded
    assert "trained 0 run(s)" in capsys.readouterr().out


def test_dry_run_of_a_400_run_sweep_trains_nothing(tmp_path, monkeypatch, capsys):
    path = write(
        tmp_path,
        """\
name: lr
dataset: {name: font}
model: {kind: autoencoder, architectures: [[35, 20, 2, 20, 35]]}
training:
  epochs: 10000
  optimizers: [{name: sgd, learning_rate: [0.05, 0.005, 0.0005, 0.00005], momentum: 0.9}]
seeds: 100
""",
    )
    packs, loads = spy_on_training(monkeypatch)
    assert cli.main([str(path), "--results", str(tmp_path / "r"), "--dry-run", "-j", "2"]) == 0
    out = capsys.readouterr().out
    assert "400" in out and not (tmp_path / "r").exists()
    assert packs == [] and loads == []


GOOD = """\
name: x
dataset: {name: font}
model: {kind: autoencoder, architectures: [[35, 2, 35]]}
training: {epochs: 5}
"""


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            GOOD.replace("name: x", "name: Bad Name"),
            "bad.yaml:1:7: name: expected a short name of lowercase letters, digits and '-' "
            "(e.g. 'vae-mnist'), got 'Bad Name'",
        ),
        (
            GOOD.replace("[[35, 2, 35]]", "[[36, 2, 35]]"),
            "bad.yaml:3:45: model.architectures[0][0]: the font is 7x5 binary: 35 inputs, got 36",
        ),
        (GOOD + "name: y\n", "bad.yaml:5:1: the key 'name' is written twice (first on line 1)"),
    ],
)
def test_bad_input_is_one_line_per_problem_and_exit_2(tmp_path, text, expected):
    write(tmp_path, text, "bad.yaml")
    result = tp5("bad.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == expected + "\n"
    assert result.stdout == ""


@pytest.mark.slow
def test_files_and_overrides_go_anywhere_among_the_options(tmp_path):
    results = tmp_path / "r"
    args = [
        "-j",
        "1",
        write(tmp_path, GOOD),
        "--results",
        results,
        "training.epochs=2",
        "--no-site",
        "seeds=2",
        "-q",
    ]
    assert cli.main(list(map(str, args))) == 0
    runs = store.load_runs(results, "x")
    assert len(runs) == 2 and all(run.history["loss"].shape == (2,) for run in runs)
    assert "in any order and anywhere among the options" in " ".join(tp5("--help").stdout.split())


def test_site_only_shows_a_files_new_notes_when_its_runs_are_stored(tmp_path, capsys):
    """Editing an experiment's notes and rendering with --site-only shows the new notes; a file
    that now plans runs the store lacks keeps the page as trained, and says why."""
    results, site = tmp_path / "r", tmp_path / "site"
    path = write(tmp_path, GOOD + "conclusions: [first note]\n")
    assert cli.main([str(path), "--results", str(results), "--no-site", "-q", "-j", "1"]) == 0
    render = [str(path), "--results", str(results), "--site", str(site), "--site-only", "-q"]

    path.write_text(GOOD + "conclusions: [second note]\n")
    assert cli.main(render) == 0
    assert "second note" in (site / "x" / "index.html").read_text()
    assert capsys.readouterr().err == ""

    path.write_text(GOOD.replace("epochs: 5", "epochs: 6") + "conclusions: [third note]\n")
    assert cli.main(render) == 0
    page = (site / "x" / "index.html").read_text()
    assert "second note" in page and "third note" not in page
    assert "x: 1 of 1 runs the file plans are not stored" in capsys.readouterr().err


def test_a_missing_file_and_a_bad_override_are_plain_errors(tmp_path):
    result = tp5("nowhere.yaml", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "nowhere.yaml" in result.stderr
    result = tp5(write(tmp_path), "training.epochs=many", cwd=tmp_path)
    assert result.returncode == 2 and "training.epochs" in result.stderr


@pytest.mark.slow
def test_an_experiment_without_its_dataset_is_skipped_and_the_others_train(tmp_path):
    empty = tmp_path / "no-mnist"
    empty.mkdir()
    mnist = write(
        tmp_path,
        f"""\
name: digits
dataset: {{name: mnist, path: {empty}}}
model: {{kind: vae, architectures: [[784, 8, 2, 8, 784]]}}
training: {{epochs: 1}}
""",
        "digits.yaml",
    )
    font = write(tmp_path, GOOD)
    result = tp5(mnist, font, "--results", "r", "--no-site", "-q", "-j", "1", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    reason = f"digits: dataset mnist: {empty} has no train-images-idx3-ubyte"
    assert result.stderr.startswith(f"skipped {reason}")
    assert result.stderr.endswith("not trained (dataset unavailable): digits\n")
    assert len(store.load_runs(tmp_path / "r", "x")) == 1
    assert not store.load_runs(tmp_path / "r", "digits")

    alone = tp5(mnist, "--results", "r", "--no-site", "-q", cwd=tmp_path)
    assert alone.returncode == 2 and alone.stderr.startswith(reason)


def test_schema_is_json_schema():
    result = tp5("--schema")
    schema = json.loads(result.stdout)
    assert {"name", "dataset", "model", "training"} <= set(schema["properties"])


def test_the_run_schema_is_that_of_run_json():
    schema = json.loads(tp5("--schema", "run").stdout)
    assert set(schema["$defs"]) >= {"AutoencoderRun", "VAERun"}


@pytest.mark.parametrize(
    "args", [["--schema"], ["tiny.yaml", "--results", "r", "--dry-run"]], ids=["schema", "dry-run"]
)
def test_a_closed_pipe_ends_tp5_run_quietly(tmp_path, args):
    """tp5-run ... | head -1: the reader is gone before tp5-run writes (its end of the pipe is
    closed first, so every write finds it closed): no traceback, the shell's SIGPIPE code."""
    write(tmp_path)
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "runner.cli", *args],
            cwd=tmp_path,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert done.stderr == ""
    assert done.returncode == 141
