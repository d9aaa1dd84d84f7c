"""The files an experiment's page offers for download, so its numbers can be checked elsewhere.

    site/<experiment>/downloads/runs.csv          one row per run: id, axis values, seed, metrics
    site/<experiment>/downloads/history.csv.gz    every run's per-epoch history, one row per epoch
    site/<experiment>/downloads/experiment.yaml   the configuration as the sweep resolved it
    site/<experiment>/downloads/provenance.json   versions, machine and git commit of the sweep

The history holds every epoch of every run (4 million rows for the learning-rate sweep), so it is
compressed and written again only when a run or this module changes.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import math
from pathlib import Path

import numpy as np

from report import summary as sm
from runner import store
from runner.files import atomic_write

FOLDER = "downloads"
KEY_FILE = ".history-key"  # what history.csv.gz was written from


#: The links an experiment's page shows, relative to the page.
LINKS = [{"href": f"{FOLDER}/runs.csv", "label": "runs × metrics (CSV)"},
         {"href": f"{FOLDER}/history.csv.gz", "label": "per-epoch histories (CSV, gzip)"},
         {"href": f"{FOLDER}/experiment.yaml", "label": "resolved YAML"},
         {"href": f"{FOLDER}/provenance.json", "label": "provenance (JSON)"}]


def write(s: sm.Summary, site_folder: Path, fingerprint: str) -> None:
    """Write the files of ``LINKS`` into the experiment's site folder; ``fingerprint`` changes
    when any run changes (site._fingerprint)."""
    folder = site_folder / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write(folder / "runs.csv", runs_csv(s))
    atomic_write(folder / "experiment.yaml", s.config_text)
    store.write_json(folder / "provenance.json", s.provenance)
    _write_history(s, folder, fingerprint)


def _present(s: sm.Summary) -> list[sm.Metric]:
    """The metrics some run of the experiment has (a VAE has no wrong pixels, and so on)."""
    return [m for m in sm.METRICS
            if any(np.isfinite(m.of(r.metrics)) for r in s.runs)]


def runs_csv(s: sm.Summary) -> str:
    """One row per run: its id, its value on every axis, its seed, its status, every metric
    some run has (empty where this one has none: a diverged loss)."""
    metrics = _present(s)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", *COLUMNS, "seed", "status", *(m.key for m in metrics)])
    for run in s.runs:
        values = [m.of(run.metrics) for m in metrics]
        writer.writerow([run.id, *(column(run.spec) for column in COLUMNS.values()),
                         run.spec.seed, run.metrics.status,
                         *(repr(v) if np.isfinite(v) else "" for v in values)])
    return out.getvalue()


#: The axes of a run as data rather than labels: numbers as numbers, flags as true or false.
COLUMNS = {
    "architecture": sm.axis("architecture").value,
    "optimizer": sm.axis("optimizer").value,
    "learning_rate": lambda spec: repr(spec.optimizer.learning_rate),
    "init": lambda spec: spec.init,
    "normalize": lambda spec: str(spec.normalize).lower(),
    "noise": lambda spec: spec.noise.kind if spec.noise else "",
    "noise_level": lambda spec: repr(spec.noise.level) if spec.noise else "",
}


def _write_history(s: sm.Summary, folder: Path, fingerprint: str) -> None:
    key = hashlib.sha256((fingerprint + Path(__file__).read_text()).encode()).hexdigest()
    path, key_path = folder / "history.csv.gz", folder / KEY_FILE
    if path.exists() and key_path.exists() and key_path.read_text() == key:
        return
    packed = io.BytesIO()
    with gzip.GzipFile(fileobj=packed, mode="wb", compresslevel=4, mtime=0) as raw, \
            io.TextIOWrapper(raw, encoding="utf-8", newline="") as out:
        write_history(s, out)
    atomic_write(path, packed.getvalue())
    key_path.write_text(key)


def write_history(s: sm.Summary, out) -> None:
    """Long format: run id, epoch (from 1), then each series the runs recorded (loss, ...),
    each value as Python prints it (the shortest text that reads back to the same float)."""
    series = list(dict.fromkeys(name for r in s.runs for name in r.history))
    out.write(",".join(["id", "epoch", *series]) + "\n")
    for run in s.runs:
        columns = [_texts(run.history.get(name)) for name in series]
        for epoch in range(max(map(len, columns), default=0)):
            out.write(f"{run.id},{epoch + 1},"
                      + ",".join(c[epoch] if epoch < len(c) else "" for c in columns) + "\n")
        run.__dict__.pop("history", None)  # a big sweep's histories need not stay in memory


def _texts(values) -> list[str]:
    """One history series as CSV fields: empty for a missing or non-finite value."""
    if values is None:
        return []
    return [repr(v) if math.isfinite(v) else "" for v in np.asarray(values, float).tolist()]
