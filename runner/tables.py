"""An experiment's runs as two tables, for pandas, R or a spreadsheet:

    results/<experiment>/runs.csv          a row per run: its id, its configuration, every metric
    results/<experiment>/history.csv.gz    a row per run and epoch: its id, the configuration
                                           columns that vary, the epoch, each per-epoch series

The rows are the runs of plan.json that are stored, in its order (the runs the site shows).
Every sweep writes the tables when it has stored its runs, with a site or without; the site's
downloads copy them, and ``tp5.load`` builds its DataFrames from the same rows. They are
written again only when a run or this module changes: the learning-rate sweep's history holds
4 million rows.

Columns are data, not labels: the architecture as "35-20-2-20-35", the optimiser's name and
each of its settings in a column of its own, numbers as Python prints them (the shortest text
that reads back to the same float), true and false, and nothing where a run has no such value
(a VAE has no wrong pixels, a diverged run no loss). A metric's column is its path in
metrics.json ("wrong_pixels.mean", "errors.zero_one.mse", "test.neg_elbo"); per-character
lists stay in metrics.json.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import math
from pathlib import Path

import numpy as np

from runner import store
from runner.files import atomic_write
from runner.spec import RunSpec

RUNS, HISTORY = "runs.csv", "history.csv.gz"
KEY = ".tables-key"  # what the tables were written from

#: Fields of run.json that say how a run was computed or filed, not what was asked of it.
BOOKKEEPING = frozenset(
    {
        "tp5_version",
        "experiment",
        "id",
        "snapshots",
        "blas_threads",
        "parts",
        "engine",
        "fingerprint",
    }
)
#: The configuration columns that come first; the others follow in run.json's order.
FIRST = (
    "architecture",
    "optimizer",
    "learning_rate",
    "init",
    "normalize",
    "noise",
    "noise_level",
    "seed",
)


def planned(root: Path, experiment: str) -> list[store.StoredRun]:
    """The stored runs of plan.json in its order (every stored run where there is no plan)."""
    folder = store.experiment_dir(root, experiment)
    return [store.load_run(folder / run_id) for run_id in _planned_ids(root, experiment)]


def _planned_ids(root: Path, experiment: str) -> list[str]:
    """The ids of ``planned``, read without parsing a spec (the check for changes is fast)."""
    stored = store.stored_ids(root, experiment)
    plan = store.experiment_dir(root, experiment) / store.PLAN
    order = [entry["id"] for entry in json.loads(plan.read_text())] if plan.exists() else []
    return [i for i in order if i in stored] if order else sorted(stored)


def configuration(spec: RunSpec) -> dict:
    """The run's id and every field of its run.json but ``BOOKKEEPING``, as column -> value."""
    fields = spec.model_dump(mode="json", exclude=BOOKKEEPING)
    optimizer, noise = fields.pop("optimizer"), fields.pop("noise") or {}
    columns = {
        "architecture": "-".join(map(str, fields.pop("architecture"))),
        "optimizer": optimizer.pop("name"),
        **optimizer,
        "noise": noise.get("kind"),
        "noise_level": noise.get("level"),
        "noise_eval_draws": noise.get("eval_draws"),
        **{name: json.dumps(v) if isinstance(v, list | dict) else v for name, v in fields.items()},
    }
    return {"id": spec.id, **{name: columns.pop(name) for name in FIRST}, **columns}


def measures(metrics) -> dict:
    """Every number of metrics.json (and the status) by its dotted path, lists left out."""
    found = {}

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            for name, inner in value.items():
                walk(f"{prefix}{name}.", inner)
        elif not isinstance(value, list):
            found[prefix[:-1]] = value

    walk("", metrics.model_dump(mode="json"))
    return found


def rows(runs: list[store.StoredRun]) -> list[dict]:
    """runs.csv as dicts: configuration, then metrics; each has every column (None if absent)."""
    found = [{**configuration(r.spec), **measures(r.metrics)} for r in runs]
    columns = list(dict.fromkeys(name for row in found for name in row))
    return [{name: row.get(name) for name in columns} for row in found]


def varying(runs: list[store.StoredRun]) -> list[str]:
    """The configuration columns whose value differs between runs: those the history repeats
    on every row (the others are the same on every row; runs.csv has them)."""
    configs = [configuration(r.spec) for r in runs]
    names = list(dict.fromkeys(name for c in configs for name in c if name != "id"))
    return [n for n in names if len({json.dumps(c.get(n)) for c in configs}) > 1]


def series(run: store.StoredRun) -> dict[str, np.ndarray]:
    """The run's per-epoch series, each (epochs,) float, NaN where one stopped early."""
    history = {name: np.asarray(v, float) for name, v in run.history.items()}
    epochs = max(map(len, history.values()), default=0)
    return {
        name: np.pad(v, (0, epochs - len(v)), constant_values=np.nan) for name, v in history.items()
    }


def text(value) -> str:
    """A value as a CSV field: floats that read back the same, true/false, empty for none."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return repr(value) if isinstance(value, float) else str(value)


def _line(values) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(text(v) for v in values)
    return out.getvalue()


def runs_csv(runs: list[store.StoredRun]) -> str:
    table = rows(runs)
    header = list(table[0]) if table else ["id"]
    return "".join([_line(header), *(_line(row.values()) for row in table)])


def write_history(runs: list[store.StoredRun], out) -> None:
    """The history's CSV text into ``out``, one run at a time: a big sweep's histories need
    not all be in memory."""
    columns = varying(runs)
    names = list(dict.fromkeys(name for r in runs for name in r.history))
    out.write(_line(["id", *columns, "epoch", *names]))
    for run in runs:
        config = configuration(run.spec)
        prefix = _line([run.id, *(config.get(c) for c in columns)])[:-1]
        traces = series(run)
        texts = [[text(v) for v in traces[n].tolist()] if n in traces else [] for n in names]
        for epoch in range(max(map(len, texts), default=0)):
            out.write(
                f"{prefix},{epoch + 1}," + ",".join(t[epoch] if t else "" for t in texts) + "\n"
            )
        run.__dict__.pop("history", None)  # loaded again only if asked for


def write(root: Path, experiment: str) -> tuple[Path, Path]:
    """Write the experiment's runs.csv and history.csv.gz unless they are up to date; returns
    their paths."""
    folder = store.experiment_dir(root, experiment)
    paths = folder / RUNS, folder / HISTORY
    key, key_path = _key(root, experiment), folder / KEY
    if all(p.exists() for p in paths) and key_path.exists() and key_path.read_text() == key:
        return paths
    runs = planned(root, experiment)
    atomic_write(paths[0], runs_csv(runs))
    packed = io.BytesIO()
    with (
        gzip.GzipFile(fileobj=packed, mode="wb", compresslevel=4, mtime=0) as raw,
        io.TextIOWrapper(raw, encoding="utf-8", newline="") as out,
    ):
        write_history(runs, out)
    atomic_write(paths[1], packed.getvalue())
    atomic_write(key_path, key)
    return paths


def _key(root: Path, experiment: str) -> str:
    """Changes when a run is added, removed or rewritten (--force), or this module changes;
    a file's date per run, so an unchanged store is checked without reading a run."""
    folder = store.experiment_dir(root, experiment)
    stamps = [
        (i, (folder / i / "metrics.json").stat().st_mtime_ns)
        for i in _planned_ids(root, experiment)
    ]
    return hashlib.sha256((json.dumps(stamps) + Path(__file__).read_text()).encode()).hexdigest()
