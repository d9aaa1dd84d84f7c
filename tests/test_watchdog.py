"""Worker processes end with tp5-run, even when it is killed outright (SIGKILL) mid-sweep."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from runner import store
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


def progress_reported(results: Path) -> bool:
    """Whether a pack has written an epoch count to its progress file: training is under way."""
    return any(f.is_file() and f.read_text().strip() not in ("", "0")
               for f in (results / "long").glob(f"{store.TEMP_PREFIX}progress-*/*"))


@pytest.mark.slow
def test_workers_end_when_tp5_run_is_killed(tmp_path):
    (tmp_path / "long.yaml").write_text(LONG)
    results = tmp_path / "results"
    process = subprocess.Popen(
        [sys.executable, "-m", "runner.cli", "long.yaml", "--results", str(results),
         "--no-site", "-j", "2"], cwd=tmp_path, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    try:
        assert wait_for(lambda: progress_reported(results), 120), "training never started"
        workers = descendants(process.pid)
        assert len(workers) >= 2  # two loky workers (and loky's resource tracker)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert wait_for(lambda: not workers & set(parents()), 10), \
            f"still running 10 s after tp5-run was killed: {sorted(workers & set(parents()))}"
    finally:
        process.kill()
        process.wait()
        for pid in workers & set(parents()):  # never leave a spinning orphan behind
            os.kill(pid, signal.SIGKILL)
