"""The result store: one folder per run, written whole or not at all.

Layout::

    results/<experiment>/experiment.yaml   the resolved configuration
    results/<experiment>/plan.json         every run spec of the experiment
    results/<experiment>/provenance.json   versions and machine of the last sweep
    results/<experiment>/<run-id>/         run.json metrics.json history.npz model.npz latent.npz
    results/<experiment>/failed/<run-id>.json   the error of a run that raised

A run folder is assembled under a hidden temporary name and renamed into place, so a sweep killed
at any moment leaves only complete runs; "is this run done?" is "does its folder exist?".
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from runner import metrics as run_metrics
from runner import spec as run_spec
from runner.files import TEMP_PREFIX, atomic_folder, atomic_write
from runner.metrics import Metrics
from runner.spec import RunSpec

FAILED = "failed"
PLAN = "plan.json"


def experiment_dir(root: Path, experiment: str) -> Path:
    return Path(root) / experiment


def stored_ids(root: Path, experiment: str) -> set[str]:
    """Ids of the complete runs of an experiment (one directory listing, fast for big sweeps)."""
    folder = experiment_dir(root, experiment)
    if not folder.is_dir():
        return set()
    return {
        entry.name
        for entry in os.scandir(folder)
        if entry.is_dir() and not entry.name.startswith(".") and entry.name != FAILED
    }


def remove_temporaries(root: Path, experiment: str) -> int:
    """Delete what a killed sweep left half-written; returns how many were removed."""
    folder = experiment_dir(root, experiment)
    if not folder.is_dir():
        return 0
    leftovers = [p for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX)]
    for path in leftovers:
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    return len(leftovers)


def write_json(path: Path, data) -> None:
    """Write JSON whole or not at all, so readers never see half a file."""
    atomic_write(path, json.dumps(data, indent=1, sort_keys=True, allow_nan=True) + "\n")


def write_plan(root: Path, experiment: str, specs: list[RunSpec]) -> None:
    """plan.json: every run of the experiment, in the order of the YAML's lists."""
    write_json(
        experiment_dir(root, experiment) / PLAN, [spec.model_dump(mode="json") for spec in specs]
    )


def read_plan(root: Path, experiment: str) -> list[RunSpec]:
    """The runs of plan.json (none where the experiment was never planned)."""
    path = experiment_dir(root, experiment) / PLAN
    if not path.exists():
        return []
    return [run_spec.parse(entry) for entry in json.loads(path.read_text())]


def _json_text(model) -> str:
    """run.json and metrics.json: a model's fields as sorted, indented JSON."""
    return json.dumps(model.model_dump(mode="json"), indent=1, sort_keys=True) + "\n"


def write_run(
    root: Path,
    experiment: str,
    spec: RunSpec,
    metrics: Metrics,
    arrays: dict[str, dict[str, np.ndarray]],
) -> Path:
    """Store one finished run atomically; replaces an older copy of the same run (``--force``).

    ``arrays`` maps a file stem ("history", "model", "latent") to the arrays saved in it.
    """
    folder = experiment_dir(root, experiment)
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / spec.id
    with atomic_folder(final) as tmp:  # replaces an older copy (--force) in one rename
        (tmp / "run.json").write_text(_json_text(spec))
        (tmp / "metrics.json").write_text(_json_text(metrics))
        for stem, content in arrays.items():
            np.savez(tmp / f"{stem}.npz", **content)
    (folder / FAILED / f"{spec.id}.json").unlink(missing_ok=True)
    return final


def write_failure(root: Path, experiment: str, spec: RunSpec, error: str) -> Path:
    """Record why a run raised; the run stays not-done, so the next sweep tries it again."""
    folder = experiment_dir(root, experiment) / FAILED
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{spec.id}.json"
    write_json(path, {"spec": spec.model_dump(mode="json"), "error": error})
    return path


def failures(root: Path, experiment: str) -> list[dict]:
    folder = experiment_dir(root, experiment) / FAILED
    if not folder.is_dir():
        return []
    return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]


def _load_npz(path: Path) -> dict[str, np.ndarray]:
    if not path.exists():
        return {}
    with np.load(path) as data:
        return {key: data[key] for key in data.files}


@dataclass
class StoredRun:
    """A run read back from the store; the arrays load on first use."""

    path: Path
    spec: RunSpec = field(repr=False)
    metrics: Metrics = field(repr=False)

    @property
    def id(self) -> str:
        return self.spec.id

    @cached_property
    def history(self) -> dict[str, np.ndarray]:
        return _load_npz(self.path / "history.npz")

    @cached_property
    def latent(self) -> dict[str, np.ndarray]:
        return _load_npz(self.path / "latent.npz")

    @cached_property
    def params(self) -> dict[str, np.ndarray]:
        return _load_npz(self.path / "model.npz")


def load_run(path: Path) -> StoredRun:
    path = Path(path)
    spec = run_spec.parse_json((path / "run.json").read_text())
    metrics = run_metrics.parse_json(spec.kind, (path / "metrics.json").read_text())
    return StoredRun(path, spec, metrics)


def load_runs(root: Path, experiment: str, ids: Iterable[str] | None = None) -> list[StoredRun]:
    """The complete runs of an experiment (those among ``ids`` if given), in order of id.

    Runs outside ``ids`` are never parsed, so a store that also holds runs written by another
    version of tp5 (stale ones, or those of an earlier YAML) still loads.
    """
    folder = experiment_dir(root, experiment)
    found = stored_ids(root, experiment)
    wanted = found if ids is None else found & set(ids)
    return [load_run(folder / run_id) for run_id in sorted(wanted)]


def raw_specs(root: Path, experiment: str, ids: Iterable[str]) -> dict[str, dict]:
    """run.json of stored runs as plain data, readable whatever version of tp5 wrote them."""
    folder = experiment_dir(root, experiment)
    return {run_id: json.loads((folder / run_id / "run.json").read_text()) for run_id in ids}


def experiments(root: Path) -> list[str]:
    """Names of the experiments in a store: folders that hold an experiment.yaml."""
    root = Path(root)
    if not root.is_dir():
        return []
    return sorted(p.parent.name for p in root.glob("*/experiment.yaml"))
