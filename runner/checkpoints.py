"""Checkpoints: a pack's training state kept in the store while it trains, so that an interrupted
sweep goes on from the pack's last checkpoint instead of its first epoch.

    results/<experiment>/.checkpoints/<key>.npz

``key`` is a hash of the pack's run ids in pack order, and the file lists them: a run id hashes
everything that decides the run's numbers (its spec, the code's fingerprint), so a changed YAML
or changed code plans other ids and never resumes a checkpoint that is not its own. The folder is
hidden, so a checkpoint never makes a run look stored ("is this run done?" stays "does its folder
exist?"); a file is written whole or not at all (runner.files), and removed once the pack's runs
are stored. A sweep of the same experiment with other overrides leaves another configuration's
checkpoint alone (it resumes when that configuration is asked for again); one that can never
resume, because other code wrote it or some of its runs are stored since, is removed.

Only local workers write checkpoints (they share the store's disk); a dask worker on another
machine has no such disk and returns nothing before its pack ends, so a dask sweep neither writes
nor reads them, and an interrupted dask pack trains again from its first epoch.

``TP5_CHECKPOINT_EVERY`` sets the seconds of a pack's training between two checkpoints (default
120; 0 writes one after every epoch). What a checkpoint holds, and how a pack resumes from it:
runner.training.resume.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from runner import fingerprint, store
from runner.files import TEMP_PREFIX, atomic_write
from runner.plan import Pack, pack
from runner.spec import RunSpec

FOLDER = ".checkpoints"
RUNS = "runs"  # the entry listing the pack's run ids
CODE = "code"  # the entry naming the code that wrote it (runner.fingerprint.code)
DEFAULT_EVERY = 120.0


def every() -> float:
    """Seconds of training between a pack's checkpoints (TP5_CHECKPOINT_EVERY, default 120)."""
    return float(os.environ.get("TP5_CHECKPOINT_EVERY", DEFAULT_EVERY))


def folder(results: Path, experiment: str) -> Path:
    return store.experiment_dir(results, experiment) / FOLDER


def _key(run_ids: Sequence[str]) -> str:
    return hashlib.sha256(" ".join(run_ids).encode()).hexdigest()[:16]


def path(results: Path, experiment: str, run_ids: Sequence[str]) -> Path:
    """Where the pack of these runs (in this order) keeps its checkpoint."""
    return folder(results, experiment) / f"{_key(run_ids)}.npz"


def path_of(results: Path) -> Callable[[Pack], str]:
    """pack -> its checkpoint's path, as the sweep hands it to a local worker."""
    return lambda p: str(path(results, p.experiment, [run.id for run in p.runs]))


def save(file: str | Path, run_ids: Sequence[str], arrays: dict[str, np.ndarray]) -> None:
    """Write a checkpoint of the runs ``run_ids``: their ids and ``arrays``, atomically."""
    file = Path(file)
    file.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    header = {RUNS: np.array(list(run_ids)), CODE: np.array(fingerprint.code())}
    np.savez(buffer, **header, **arrays)
    atomic_write(file, buffer.getvalue())


def run_ids(file: Path) -> list[str] | None:
    """The run ids a checkpoint file holds, or None if it cannot be read."""
    header = _header(file)
    return header[0] if header else None


def _header(file: Path) -> tuple[list[str], str] | None:
    """The run ids a checkpoint file holds and the code that wrote it; None if unreadable."""
    try:
        with np.load(file) as data:
            return [str(i) for i in data[RUNS]], str(data[CODE])
    except (OSError, ValueError, KeyError):
        return None


def load(file: str | Path, ids: Sequence[str]) -> dict[str, np.ndarray] | None:
    """The arrays of the checkpoint at ``file`` if it holds exactly the runs ``ids``, else None."""
    file = Path(file)
    if not file.exists() or run_ids(file) != list(ids):
        return None
    with np.load(file) as data:
        return {name: data[name] for name in data.files if name not in (RUNS, CODE)}


def remove(results: Path, experiment: str, ids: Sequence[str]) -> None:
    """Drop the checkpoint of the pack of ``ids``: its runs are stored."""
    path(results, experiment, ids).unlink(missing_ok=True)


def packs(
    results: Path, experiment: str, todo: list[RunSpec], n_workers: int, tidy: bool = True
) -> list[Pack]:
    """The packs that train ``todo``: first each pack a checkpoint holds, as it was packed (the
    packing depends on how many runs are left, so a resumed sweep would cut them otherwise), then
    the other runs packed as usual (runner.plan.pack)."""
    held = resumed(results, experiment, todo, tidy)
    taken = {run.id for p in held for run in p.runs}
    rest = [run for run in todo if run.id not in taken]
    return held + (pack(experiment, rest, n_workers) if rest else [])


def resumed(results: Path, experiment: str, todo: list[RunSpec], tidy: bool = True) -> list[Pack]:
    """The packs whose checkpoints hold only runs of ``todo``. With ``tidy``, half-written files
    and checkpoints that can never resume are removed; without it (a dry run) nothing is."""
    left = {run.id: run for run in todo}
    held, dropped = [], []
    stored = store.stored_ids(results, experiment)
    dropped += folder(results, experiment).glob(f"{TEMP_PREFIX}*")
    for file in sorted(folder(results, experiment).glob("*.npz")):
        header = _header(file)
        if header is None or file != path(results, experiment, header[0]):
            dropped.append(file)
        elif all(i in left for i in header[0]):
            held.append(Pack(experiment, tuple(left.pop(i) for i in header[0])))
        elif header[1] != fingerprint.code() or any(i in stored for i in header[0]):
            dropped.append(file)
        # else: another configuration of the experiment, kept until it is asked for again
    for file in dropped if tidy else ():
        file.unlink(missing_ok=True)
    return held
