"""A stored run is what the current code computes: a change under nets/ makes it stale."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from runner import fingerprint

REPO = Path(__file__).resolve().parent.parent
SWEEP = """\
name: tiny
dataset: {name: font}
model: {kind: autoencoder, architectures: [[35, 10, 2, 10, 35], [35, 2, 35]]}
training: {epochs: 5}
seeds: 2
"""


@pytest.fixture
def checkout(tmp_path):
    """A copy of tp5's source that the test may edit, with an experiment file beside it."""
    root = tmp_path / "tp5"
    for package in ("nets", "runner", "report"):
        shutil.copytree(
            REPO / package, root / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    (root / "tiny.yaml").write_text(SWEEP)
    return root


def tp5(root: Path, *args: str) -> str:
    """tp5-run from the copy (``python -m`` puts the working folder first on the path)."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "runner.cli",
            "tiny.yaml",
            "--results",
            "r",
            "--no-site",
            "-q",
            *args,
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def counts(dry_run: str) -> dict[str, int]:
    """The numbers of the experiment's row of the --dry-run table, by column."""
    header, row = dry_run.splitlines()[:2]
    names = header.replace("to train", "to_train").split()[1:]
    return dict(zip(names, map(int, row.split()[1:])))


@pytest.mark.slow
def test_a_change_under_nets_makes_stored_runs_stale_and_they_train_again(checkout):
    tp5(checkout)
    assert counts(tp5(checkout, "--dry-run")) == {
        "runs": 4,
        "stored": 4,
        "stale": 0,
        "to_train": 0,
        "packs": 0,
    }
    with open(checkout / "nets" / "layers.py", "a") as f:
        f.write("# any change at all\n")
    assert counts(tp5(checkout, "--dry-run"))["stale"] == 4
    assert counts(tp5(checkout, "--dry-run", "--keep-stale"))["to_train"] == 0
    tp5(checkout)
    assert counts(tp5(checkout, "--dry-run")) == {
        "runs": 4,
        "stored": 4,
        "stale": 0,
        "to_train": 0,
        "packs": 0,
    }


@pytest.mark.slow
def test_kept_stale_runs_are_the_ones_shown(checkout):
    tp5(checkout)
    before = sorted(p.name for p in (checkout / "r" / "tiny").iterdir() if p.is_dir())
    trainer = checkout / "runner" / "training" / "pack.py"
    trainer.write_text(trainer.read_text() + "\n# a comment\n")
    tp5(checkout, "--keep-stale")
    plan = (checkout / "r" / "tiny" / "plan.json").read_text()
    assert all(run_id in plan for run_id in before if run_id != "failed")


def test_report_code_is_not_part_of_the_fingerprint():
    """Drawing code never changes a stored number, so changing it retrains nothing."""
    sources = {p.relative_to(fingerprint.ROOT).parts[0] for p in fingerprint._sources()}
    assert sources == {"nets", "runner"}
    assert not any("report" in p.parts for p in fingerprint._sources())


def test_every_module_of_the_training_stage_is_part_of_the_fingerprint():
    """What runs in a worker computes the numbers: a new module there is hashed too."""
    stage = fingerprint.ROOT / "runner" / "training"
    assert set(stage.glob("*.py")) <= set(fingerprint._sources())


def test_keep_stale_keeps_stored_runs_and_still_plans_new_ones(tmp_path):
    """--keep-stale keeps what is stored in place of what the code would compute now; a run
    the store has never held, stale or not, is still left to train."""
    from runner import cli, sweep

    path = tmp_path / "x.yaml"
    path.write_text(TINY_FILE)
    assert cli.main([str(path), "--results", str(tmp_path / "r"), "--no-site", "-q"]) == 0
    path.write_text(TINY_FILE.replace("seeds: 1", "seeds: 2"))
    experiments, _ = cli.load_all([path], [])
    (planned,) = sweep.plan(experiments, tmp_path / "r", keep_stale=True)
    assert len(planned.runs) == 2 and [r.seed for r in planned.todo] == [1]


TINY_FILE = """\
name: x
dataset: {name: font}
model: {kind: autoencoder, architectures: [[35, 2, 35]]}
training: {epochs: 3}
seeds: 1
"""
