"""What an experiment's stored runs say, as plain numbers: its runs grouped into configurations.

Runs that differ only in their seed form one *configuration*; the axes that take more than one
value across the experiment (report.axes) name the configurations. Everything here reads only
run.json and metrics.json, so it stays fast for sweeps of thousands of runs; the arrays
(histories, codes, weights) are read later, by the figure jobs that need them.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from report import stats
from report.axes import AXES, Axis
from report.metrics import (
    DENOISED_MAX,
    DENOISED_MEAN,
    ELBO_TEST,
    ELBO_TRAIN,
    MAE,
    MAE_PM1,
    MSE,
    MSE_PM1,
    SSE,
    SSE_PM1,
    WORDS,
    WRONG_MAX,
    WRONG_MEAN,
    Metric,
)
from runner import datasets, floors, store
from runner.spec import RunSpec


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
    def glyphs(self) -> bool:
        """The font (characters, the course's bar of 1 wrong pixel) rather than pictures."""
        return self._data_kind == "glyphs"

    @property
    def sample(self) -> str:
        """What the pages call one of the data's samples: character, digit or image; every
        metric and reference on the page is named with it."""
        return WORDS[self._data_kind]

    @functools.cached_property
    def _channels(self) -> int:
        """Values per pixel: 3 for colour pictures, whose wrong "pixels" are channel values
        (read once: every slide asks for the metrics, and a folder's headers are files)."""
        if not self.runs:
            return 1
        try:
            return datasets.info(self.runs[0].spec.source).shape[-1]
        except datasets.DatasetError:  # the files are gone: name it as grey
            return 1

    @property
    def _data_kind(self) -> str:
        """runner.datasets.kind of the data, read from the YAML before any run is stored."""
        name = self.spec.dataset if self.runs else self.config.get("dataset", {}).get("name")
        return datasets.kind(name or "font")

    @property
    def metrics(self) -> list[Metric]:
        """The metrics of this kind of experiment, headline first, named for its data."""
        if self.kind == "vae":
            has_test = any(r.metrics.test for r in self.runs)
            found = [ELBO_TRAIN, ELBO_TEST] if has_test else [ELBO_TRAIN]
        elif self.denoising:
            found = [DENOISED_MEAN, DENOISED_MAX]
        else:
            found = [WRONG_MEAN, WRONG_MAX, MSE]
        return [m.per(self.sample, self._channels) for m in found]

    @property
    def measures(self) -> list[Metric]:
        """Every error measure the runs store: the experiment's metrics, then the other ways
        an error is reported (absolute, summed, and all three in {-1, 1}) where the runs hold
        them."""
        shown = {m.key for m in self.metrics}
        others = [
            m.per(self.sample, self._channels)
            for m in (MAE, SSE, MSE_PM1, MAE_PM1, SSE_PM1)
            if m.key not in shown and any(np.isfinite(m.of(r.metrics)) for r in self.runs)
        ]
        return self.metrics + others

    @property
    def headline(self) -> Metric:
        return next((m for m in self.metrics if m.key == ELBO_TEST.key), self.metrics[0])

    @property
    def report(self) -> list[str]:
        return list(self.config.get("report") or ["summary", "error_table", "learning_curves"])

    def levels(self) -> dict[str, list[Configuration]]:
        """The configurations to rank together: noise levels are conditions rather than
        design choices, so a sweep over them ranks within each level (keyed by it), never
        across; otherwise all of them, keyed ""."""
        if not any(a.name == "noise" for a in self.varying):
            return {"": self.configurations}
        groups: dict[str, list[Configuration]] = {}
        for c in self.configurations:
            groups.setdefault(c.values["noise"], []).append(c)
        return groups

    def headline_levels(self) -> dict[str, list[Configuration]]:
        """``levels`` that a headline may come from: a run trained at noise level 0 is the
        plain autoencoder on clean inputs, whose noisy input and floors are 0, so it heads
        nothing beside denoisers. The first is the level a view of one configuration opens
        on."""
        levels = self.levels()
        noisy = {
            level: configs
            for level, configs in levels.items()
            if any(c.runs[0].spec.noise and c.runs[0].spec.noise.level > 0 for c in configs)
        }
        return noisy or levels

    def leaders(self, configurations: list[Configuration] | None = None) -> list[Configuration]:
        """The configurations that share the lowest mean headline metric (report.stats.leaders:
        equal as the site writes them), of those given, by default of the first headline
        level: design choices are ranked within a noise level, never across. Several when
        they tie, and then none of them is the best; empty when every run diverged."""
        if configurations is None:
            configurations = next(iter(self.headline_levels().values()), [])
        return [entry["item"] for entry in stats.leaders(self.ranked(configurations))]

    def ranked(self, configurations: list[Configuration]) -> list[dict]:
        """``configurations`` by their mean headline metric, lowest first (report.stats)."""
        return stats.ranking([(c, c.metric(self.headline)) for c in configurations])


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
    return Summary(
        name,
        folder,
        yaml.safe_load(text) or {},
        text,
        provenance,
        runs,
        varying,
        configurations,
        floors.read(folder),
    )
