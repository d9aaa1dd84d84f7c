"""Worker processes end with tp5-run, even when it is killed outright (SIGKILL) mid-sweep; stopped
by SIGTERM, it ends as Ctrl-C ends it: its workers, no warnings, exit code 143, whole runs."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from runner import store
from runner.files import TEMP_PREFIX
from support import wait_for

LONG = """\
name: long
dataset: {name: font}
model: {kind: autoencoder, architectures: [[35, 10, 2, 10, 35], [35, 2, 35]]}
training: {epochs: 1000000}
"""

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")


def parents() -> dict[int, int]:
    """pid -> parent pid of every live (not zombie) process, from /proc/<pid>/stat."""
    out = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except (OSError, ValueError):  # not a process, or gone meanwhile
            continue
        fields = stat.rpartition(")")[2].split()  # after the name, which may hold spaces
        if len(fields) > 1 and fields[0] != "Z":
            out[int(entry.name)] = int(fields[1])
    return out


def descendants(pid: int) -> set[int]:
    tree, found, todo = parents(), set(), [pid]
    while todo:
        pid = todo.pop()
        children = [child for child, parent in tree.items() if parent == pid]
        found.update(children)
        todo += children
    return found


ONE_LONG = LONG.replace("[[35, 10, 2, 10, 35], [35, 2, 35]]", "[[35, 2, 35]]") + "seeds: 1\n"
SHORT = """\
name: short
dataset: {name: font}
model: {kind: autoencoder, architectures: [[35, 2, 35]]}
training: {epochs: 20}
seeds: 3
"""


def progress_reported(results: Path) -> bool:
    """Whether a pack has written an epoch count to its progress file: training is under way."""
    return any(
        f.is_file() and f.read_text().strip() not in ("", "0")
        for f in (results / "long").glob(f"{store.TEMP_PREFIX}progress-*/*")
    )


@pytest.mark.slow
def test_workers_end_when_tp5_run_is_killed(tmp_path):
    (tmp_path / "long.yaml").write_text(LONG)
    results = tmp_path / "results"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "runner.cli",
            "long.yaml",
            "--results",
            str(results),
            "--no-site",
            "-j",
            "2",
        ],
        cwd=tmp_path,
        stderr=subprocess.DEVNULL,
    )
    workers: set[int] = set()
    try:
        assert wait_for(lambda: progress_reported(results), 120), "training never started"
        workers = descendants(process.pid)
        assert len(workers) >= 2  # two loky workers (and loky's resource tracker)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert wait_for(lambda: not workers & set(parents()), 10), (
            f"still running 10 s after tp5-run was killed: {sorted(workers & set(parents()))}"
        )
    finally:
        process.kill()
        process.wait()
        for pid in workers & set(parents()):  # never leave a spinning orphan behind
            os.kill(pid, signal.SIGKILL)


@pytest.mark.slow  # trains through tp5-run
def test_sigterm_stops_the_sweep_as_ctrl_c_does(tmp_path):
    """A time limit's SIGTERM, with one experiment stored and one training."""
    (tmp_path / "long.yaml").write_text(ONE_LONG)  # one pack: the other worker trains short
    (tmp_path / "short.yaml").write_text(SHORT)
    results = tmp_path / "results"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "runner.cli",
            "long.yaml",
            "short.yaml",
            "--results",
            str(results),
            "--no-site",
            "-j",
            "2",
        ],
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        text=True,
    )
    workers: set[int] = set()
    try:
        assert wait_for(
            lambda: progress_reported(results) and len(store.stored_ids(results, "short")) == 3, 120
        ), "never trained"
        workers = descendants(process.pid)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
        assert process.returncode == 143
        assert stderr.splitlines()[-1].startswith("stopped: finished runs are stored")
        assert "Traceback" not in stderr and "Warning" not in stderr, stderr
        assert wait_for(lambda: not workers & set(parents()), 10), "workers outlived tp5-run"
        # the store holds whole runs only: no temporaries, every run with its spec and metrics
        assert not list(results.rglob(f"{TEMP_PREFIX}*"))
        assert store.stored_ids(results, "long") == set()
        for run in (results / "short").iterdir():
            if run.is_dir():
                assert {"run.json", "metrics.json"} <= {f.name for f in run.iterdir()}
    finally:
        process.kill()
        process.wait()
        for pid in workers & set(parents()):
            os.kill(pid, signal.SIGKILL)
