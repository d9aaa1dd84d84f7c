"""What an experiment's stored runs say, as plain numbers: configurations, swept axes, tables.

Runs that differ only in their seed form one *configuration*; the axes that take more than one
value across the experiment (architecture, optimiser, init, normalisation, learning rate, noise
level) name the configurations and become the rows and columns of its tables. Everything here
reads only run.json and metrics.json, so it stays fast for sweeps of thousands of runs; the
arrays (histories, codes, weights) are read later, by the figure jobs that need them.

A worked example: 3 architectures x 2 noise levels x 10 seeds = 60 runs give 6 configurations;
the table of the headline metric has a row per architecture and a column per noise level, each
cell the mean +- 95 % confidence half-width over the 10 seeds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import scipy.stats
import yaml

from runner import floors, store
from runner.metrics import Metrics
from runner.spec import RunSpec


# ------------------------------------------------------------------------------ axes


def _optimizer_label(spec: RunSpec) -> str:
    """The optimiser without its learning rate (that is an axis of its own)."""
    opt = spec.optimizer
    if opt.name == "sgd":
        return f"SGD, momentum {opt.momentum:g}" if opt.momentum else "SGD"
    extras = [f"{name} {value:g}" for name, value in (("beta1", opt.beta1), ("beta2", opt.beta2))
              if value not in (0.9, 0.999)]
    return ", ".join(["Adam", *extras])


def _noise_label(spec: RunSpec) -> str:
    noise = spec.noise
    if not noise:
        return "no noise"
    symbol = "σ" if noise.kind == "gaussian" else "p"
    return f"{symbol} = {np.format_float_positional(noise.level, trim='-')}"


@dataclass(frozen=True)
class Axis:
    """A way runs can differ: a name, a heading for tables, and the value of a spec on it."""

    name: str
    heading: str

    def value(self, spec: RunSpec) -> str:
        return _AXIS_VALUES[self.name](spec)


_AXIS_VALUES = {
    "architecture": lambda s: "-".join(str(n) for n in s.architecture),
    "optimizer": _optimizer_label,
    "init": lambda s: s.init,
    "normalize": lambda s: "standardised inputs" if s.normalize else "raw inputs",
    "learning_rate": lambda s: np.format_float_positional(s.optimizer.learning_rate,
                                                          trim="-"),  # 0.00005, not 5e-05
    "noise": _noise_label,
}

#: Row axes first, column axis last: the last axis that varies becomes the table's columns.
AXES = (Axis("architecture", "architecture"), Axis("optimizer", "optimiser"),
        Axis("init", "init"), Axis("normalize", "inputs"),
        Axis("learning_rate", "learning rate"), Axis("noise", "noise"))


def axis(name: str) -> Axis:
    return next(a for a in AXES if a.name == name)


# ------------------------------------------------------------------------------ metrics


@dataclass(frozen=True)
class Metric:
    """A number per run, read from its metrics by a path of attributes; lower is better.

    NaN where the run has no such number: a VAE has no wrong pixels, a run on clean inputs no
    denoising, a diverged run no loss.
    """

    key: str
    label: str
    path: tuple[str, ...]
    short: str = ""  # column heading where several metrics share a table

    def of(self, metrics: Metrics) -> float:
        value = metrics
        for part in self.path:
            value = getattr(value, part, None)
            if value is None:
                return float("nan")
        return float(value)


WRONG_MEAN = Metric("wrong_mean", "wrong pixels per character", ("wrong_pixels", "mean"),
                    "wrong pixels per character")
WRONG_MAX = Metric("wrong_max", "wrong pixels of the worst character", ("wrong_pixels", "max"),
                   "worst character")
MSE = Metric("mse", "mean squared error", ("mse",), "MSE")
DENOISED_MEAN = Metric("denoised_mean", "wrong pixels per character, denoised vs clean",
                       ("denoise", "model", "mean"), "wrong pixels per character")
DENOISED_MAX = Metric("denoised_max", "wrong pixels of the worst character, denoised",
                      ("denoise", "model", "max"), "worst character")
ELBO_TRAIN = Metric("neg_elbo_train", "negative ELBO, training set (nats per image)",
                    ("train", "neg_elbo"), "−ELBO, training set")
ELBO_TEST = Metric("neg_elbo_test", "negative ELBO, test set (nats per image)",
                   ("test", "neg_elbo"), "−ELBO, test set")
SECONDS = Metric("seconds", "training seconds", ("timing", "seconds"))
MAE = Metric("mae", "mean absolute error", ("errors", "zero_one", "mae"), "MAE")
SSE = Metric("sse", "squared error summed over a character's pixels",
             ("errors", "zero_one", "sse"), "squared error per character")


def _in_plus_minus_one(metric: Metric) -> Metric:
    """An error measure taken in {-1, 1} pixels, which runs trained on them store beside the
    one in {0, 1} (every difference twice as large): the figures a study of such runs
    reports. NaN for other runs."""
    name = metric.path[-1]
    return Metric(f"{name}_pm1", f"{metric.label} in {{-1, 1}}",
                  ("errors", "plus_minus_one", name), f"{metric.short} in {{-1, 1}}")


MSE_PM1, MAE_PM1, SSE_PM1 = map(_in_plus_minus_one, (MSE, MAE, SSE))


# ------------------------------------------------------------------------------ statistics


def stats(values) -> dict:
    """Mean, sample std and 95 % confidence half-width of the finite values, with ``spread``
    naming the one a table shows after ±; ``n`` counts the values, ``dropped`` the others.

    The half-width is Student's t over the n - 1 degrees of freedom of n seeds: with 10 seeds
    the mean is known to about ±0.7 std, and a single seed gives no interval (None).
    """
    values = np.asarray(values, dtype=float)
    finite = values[np.isfinite(values)]
    n = int(finite.size)
    std = float(finite.std(ddof=1)) if n > 1 else (0.0 if n else None)
    return {
        "mean": float(finite.mean()) if n else None, "std": std,
        "ci": float(t_quantile(n - 1) * std / np.sqrt(n)) if n > 1 else None, "spread": "ci",
        "median": float(np.median(finite)) if n else None,
        "n": n, "dropped": int(values.size - n),
    }


def t_quantile(df: float) -> float:
    """The two-sided 95 % quantile of Student's t (1.96 as df grows; 12.7 at df = 1)."""
    return float(scipy.stats.t.ppf(0.975, df))


def welch(a, b) -> dict | None:
    """Welch's 95 % interval for mean(b) - mean(a) over the finite values of each.

    ``clear`` says whether the interval leaves out 0, the Welch t-test at 5 %. None when a
    side has fewer than 2 values: one seed says nothing of its own spread.
    """
    a, b = (np.asarray(v, dtype=float) for v in (a, b))
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    if a.size < 2 or b.size < 2:
        return None
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    difference = float(b.mean() - a.mean())
    if va + vb == 0:  # every seed alike on both sides: any difference is exact
        return {"difference": difference, "ci": 0.0, "clear": difference != 0}
    df = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
    half = t_quantile(df) * float(np.sqrt(va + vb))
    return {"difference": difference, "ci": half, "clear": abs(difference) > half}


def ranking(items: list[tuple]) -> list[dict]:
    """(item, values over seeds) pairs ranked by their mean, lowest first, those without a
    finite value last: [{"item", "stat", "gap"}], ``gap`` being ``welch`` to the next one."""
    ranked = sorted(((item, stats(values), values) for item, values in items),
                    key=lambda e: (e[1]["mean"] is None, e[1]["mean"] or 0.0))
    return [{"item": item, "stat": st,
             "gap": welch(values, ranked[k + 1][2]) if k + 1 < len(ranked) else None}
            for k, (item, st, values) in enumerate(ranked)]


def order_text(ranked: list[dict], label) -> str:
    """"a < b ≈ c": ``<`` where Welch's interval tells neighbours apart, ``≈`` where not
    (or where one seed cannot say)."""
    text = label(ranked[0]["item"])
    for before, entry in zip(ranked, ranked[1:]):
        apart = before["gap"] and before["gap"]["clear"]
        text += f" {'<' if apart else '≈'} {label(entry['item'])}"
    return text


def seeds_phrase(s: Summary) -> str:
    """"2 seeds", "1 seed", or "9–10 seeds" where some runs are missing."""
    counts = sorted({len(c.runs) for c in s.configurations})
    n = f"{counts[0]}" if len(counts) == 1 else f"{counts[0]}–{counts[-1]}"
    return f"{n} seed{'s' if counts[-1] > 1 else ''}"


def spread_phrase(s: Summary) -> str:
    """What a table's cells are: "mean ± 95 % CI over 10 seeds", or one seed's value."""
    if max((len(c.runs) for c in s.configurations), default=0) < 2:
        return "the value of 1 seed"
    return f"mean ± 95 % CI over {seeds_phrase(s)}"


def plural(n: int, noun: str) -> str:
    """"1 run", "2 runs", "1,000 runs"."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


# ------------------------------------------------------------------------------ configurations


def is_ok(run: store.StoredRun) -> bool:
    """A run counts in statistics unless its loss went NaN or inf."""
    return run.metrics.status == "ok"


@dataclass
class Configuration:
    """Runs that differ only in their seed."""

    values: dict[str, str]  # axis name -> value label
    runs: list[store.StoredRun]
    label: str = ""

    @property
    def ok(self) -> list[store.StoredRun]:
        return [r for r in self.runs if is_ok(r)]

    @property
    def diverged(self) -> int:
        return len(self.runs) - len(self.ok)

    def metric(self, metric: Metric) -> np.ndarray:
        """One value per run (NaN for a diverged run): (R,)."""
        return np.array([metric.of(r.metrics) if is_ok(r) else np.nan for r in self.runs])

    def representative(self, metric: Metric) -> store.StoredRun | None:
        """The run with the median ``metric`` (lower median; ties by seed), for pictures."""
        scored = [(metric.of(r.metrics), r.spec.seed, r) for r in self.ok]
        scored = [s for s in scored if np.isfinite(s[0])] or scored
        if not scored:
            return None
        scored.sort(key=lambda s: (s[0], s[1]))
        return scored[(len(scored) - 1) // 2][2]


@dataclass
class Summary:
    """One experiment read from the store: its config, provenance, runs and configurations."""

    name: str
    folder: Path
    config: dict
    config_text: str
    provenance: dict
    runs: list[store.StoredRun]
    varying: list[Axis] = field(default_factory=list)
    configurations: list[Configuration] = field(default_factory=list)
    floors: dict = field(default_factory=dict)  # (noise kind, level) -> runner.floors entry

    @property
    def title(self) -> str:
        return self.config.get("title") or self.name

    @property
    def spec(self) -> RunSpec:
        """A spec of the experiment (the first run's); shared fields agree across runs."""
        return self.runs[0].spec

    @property
    def kind(self) -> str:
        return self.spec.kind if self.runs else self.config.get("model", {}).get("kind", "")

    @property
    def denoising(self) -> bool:
        return bool(self.runs) and self.spec.noise is not None

    @property
    def metrics(self) -> list[Metric]:
        """The metrics of this kind of experiment, headline first."""
        if self.kind == "vae":
            has_test = any(r.metrics.test for r in self.runs)
            return [ELBO_TRAIN, ELBO_TEST] if has_test else [ELBO_TRAIN]
        if self.denoising:
            return [DENOISED_MEAN, DENOISED_MAX]
        return [WRONG_MEAN, WRONG_MAX, MSE]

    @property
    def measures(self) -> list[Metric]:
        """Every error measure the runs store: the experiment's metrics, then the other ways
        an error is reported (absolute, summed, and all three in {-1, 1}) where the runs hold
        them."""
        others = [m for m in (MAE, SSE, MSE_PM1, MAE_PM1, SSE_PM1) if m not in self.metrics
                  and any(np.isfinite(m.of(r.metrics)) for r in self.runs)]
        return self.metrics + others

    @property
    def headline(self) -> Metric:
        return ELBO_TEST if ELBO_TEST in self.metrics else self.metrics[0]

    @property
    def report(self) -> list[str]:
        return list(self.config.get("report") or ["summary", "error_table", "learning_curves"])

    def best(self) -> Configuration | None:
        """The configuration with the lowest mean headline metric."""
        scored = [(stats(c.metric(self.headline))["mean"], i, c)
                  for i, c in enumerate(self.configurations)]
        scored = [s for s in scored if s[0] is not None]
        return min(scored)[2] if scored else None


def _plan_order(results_dir: Path, name: str) -> dict[str, int]:
    """Position of each run id in plan.json: the order of the YAML's lists."""
    return {spec.id: i for i, spec in enumerate(store.read_plan(results_dir, name))}


def in_plan_order(runs: list[store.StoredRun], order: dict[str, int]) -> list:
    """Runs in the order of the YAML's lists (plan.json), unplanned ones last."""
    return sorted(runs, key=lambda r: (order.get(r.id, len(order)), r.id))


def group(runs: list[store.StoredRun], order: dict[str, int]) -> tuple[list[Axis], list]:
    """Configurations in plan order, named by the axes that vary."""
    runs = in_plan_order(runs, order)
    varying = [a for a in AXES if len({a.value(r.spec) for r in runs}) > 1]
    groups: dict[tuple, Configuration] = {}
    for run in runs:
        key = tuple(a.value(run.spec) for a in AXES)
        if key not in groups:
            values = {a.name: a.value(run.spec) for a in varying}
            groups[key] = Configuration(values, [], label=" · ".join(values.values()) or "all runs")
        groups[key].runs.append(run)
    return varying, list(groups.values())


def load(results_dir: Path, name: str) -> Summary:
    """Read one experiment's folder: YAML, provenance, every run's spec and metrics."""
    folder = store.experiment_dir(results_dir, name)
    text = (folder / "experiment.yaml").read_text(encoding="utf-8")
    provenance_path = folder / "provenance.json"
    provenance = json.loads(provenance_path.read_text()) if provenance_path.exists() else {}
    order = _plan_order(results_dir, name)
    # runs of an earlier YAML or of other code stay stored, but are not this experiment now
    runs = in_plan_order(store.load_runs(results_dir, name, order or None), order)
    varying, configurations = group(runs, order)
    return Summary(name, folder, yaml.safe_load(text) or {}, text, provenance, runs, varying,
                   configurations, floors.read(folder))


# ------------------------------------------------------------------------------ tables


def _split_axes(varying: list[Axis]) -> tuple[list[Axis], Axis | None]:
    """Rows from every varying axis but the last, which becomes the columns (if two or more)."""
    if len(varying) < 2:
        return varying, None
    return varying[:-1], varying[-1]


def pivot(summary: Summary, metric: Metric) -> dict:
    """A table of mean +- CI over seeds, rows and columns from the swept axes.

    Returns {"caption", "row_headings": [str], "columns": [str], "rows": [{"labels": [str],
    "cells": [stats | None]}]}; a cell is None where the combination was not run.
    """
    row_axes, column_axis = _split_axes(summary.varying)
    columns = (list(dict.fromkeys(c.values[column_axis.name] for c in summary.configurations))
               if column_axis else [metric.short or metric.label])
    rows: dict[tuple, dict] = {}
    for config in summary.configurations:
        labels = tuple(config.values[a.name] for a in row_axes) or ("all runs",)
        row = rows.setdefault(labels, {"labels": list(labels), "cells": [None] * len(columns)})
        column = columns.index(config.values[column_axis.name]) if column_axis else 0
        row["cells"][column] = stats(config.metric(metric))
    return {
        "caption": f"{metric.label}: {spread_phrase(summary)}",
        "row_headings": [a.heading for a in row_axes] or [""],
        "column_heading": column_axis.heading if column_axis else "",
        "columns": columns,
        "rows": list(rows.values()),
    }


def by_metric(summary: Summary) -> dict:
    """One table for one swept axis (or none): a row per configuration, a column per metric."""
    row_axes = summary.varying
    return {
        "caption": spread_phrase(summary) + (" (nats per image)" if summary.kind == "vae" else ""),
        "row_headings": [a.heading for a in row_axes] or [""],
        "column_heading": "",
        "columns": [m.short or m.label for m in summary.metrics],
        "rows": [{"labels": [c.values[a.name] for a in row_axes] or ["all runs"],
                  "cells": [stats(c.metric(m)) for m in summary.metrics]}
                 for c in summary.configurations],
    }
