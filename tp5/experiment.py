"""An experiment of a result store as pandas DataFrames, and its runs' models.

    exp = load("results/denoising")
    exp.runs                                    # a row per run: id, configuration, metrics
    exp.history()                               # a row per run and epoch
    exp.history(learning_rate=0.01)             # the rows of the runs that match
    exp.model(architecture="35-20-2-20-35", noise_level=0.2, seed=0)

The tables are those of the store's runs.csv and history.csv.gz (runner.tables), built from the
run folders themselves, so they hold the stored numbers exactly, for any store, whatever wrote
it last. pandas is an optional dependency: only this module needs it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import yaml

from runner import store, tables
from tp5.model import Model

INSTALL = "pip install 'tp5[pandas]'"


def _pandas():
    try:
        import pandas
    except ImportError:
        raise ImportError(
            f"tp5.load returns pandas DataFrames; install pandas with: {INSTALL}"
        ) from None
    return pandas


def load(folder: str | Path) -> Experiment:
    """The experiment stored in ``folder`` (results/<experiment>, as tp5-run wrote it)."""
    folder = Path(folder)
    if not (folder / "experiment.yaml").is_file():
        inside = store.experiments(folder)
        raise FileNotFoundError(
            f"{folder} holds the experiments {', '.join(inside)}: load one of them, e.g. "
            f"tp5.load('{folder / inside[0]}')"
            if inside
            else f"{folder} holds no experiment (tp5-run stores one as <results>/<name>/, with an "
            "experiment.yaml)"
        )
    return Experiment(folder)


class Experiment:
    """The runs of plan.json that are stored, in its order (those the site shows)."""

    def __init__(self, folder: Path):
        self._pd = _pandas()
        self.path, self.name = folder, folder.name
        self.config: dict = yaml.safe_load((folder / "experiment.yaml").read_text()) or {}
        self._runs = {r.id: r for r in tables.planned(folder.parent, folder.name)}
        self.runs = self._pd.DataFrame(
            tables.rows(list(self._runs.values())), columns=None if self._runs else ["id"]
        )
        self._varying = tables.varying(list(self._runs.values()))

    def __repr__(self) -> str:
        return f"Experiment({self.name}: {len(self.runs)} runs, {self.path})"

    def history(self, run_id: str | None = None, **configuration):
        """A row per epoch of each run chosen (all by default; see ``select``): its id, the
        configuration columns that vary across the experiment, the epoch (from 1), and each
        series it recorded (loss; wrong_max, the worst character's wrong pixels; a VAE's
        recon, kl and test_neg_elbo)."""
        frames = [self._history(self._runs[i]) for i in self.select(run_id, **configuration).id]
        if not frames:
            return self._pd.DataFrame(columns=["id", *self._varying, "epoch"])
        return self._pd.concat(frames, ignore_index=True)

    def _history(self, run: store.StoredRun):
        traces = tables.series(run)
        epochs = len(next(iter(traces.values()), ()))
        config = tables.configuration(run.spec)
        return self._pd.DataFrame(
            {
                "id": run.id,
                **{c: config[c] for c in self._varying},
                "epoch": np.arange(1, epochs + 1),
                **traces,
            },
            index=range(epochs),
        )

    def model(self, run_id: str | None = None, **configuration) -> Model:
        """The trained network of one run, named by its id or by configuration columns
        (``select``) that leave exactly one run."""
        chosen = self.select(run_id, **configuration)
        if len(chosen) != 1:
            raise ValueError(self._not_one(chosen))
        return Model(self._runs[chosen.id.iloc[0]])

    def select(self, run_id: str | None = None, **configuration):
        """The rows of ``runs`` with id ``run_id`` (if given) and each column equal to its
        value, e.g. ``select(architecture="35-20-2-20-35", seed=0)``."""
        chosen = self.runs
        for column, value in {**({"id": run_id} if run_id else {}), **configuration}.items():
            if column not in chosen:
                raise KeyError(
                    f"{self.name}'s runs have no column {column!r}; they have: "
                    f"{', '.join(self.runs.columns)}"
                )
            matching = chosen[chosen[column] == value]
            if matching.empty:
                left = "those left have" if len(chosen) < len(self.runs) else "its runs have"
                raise ValueError(
                    f"no run of {self.name} has {column}={value!r}; {left} "
                    f"{_values(chosen[column])}"
                )
            chosen = matching
        return chosen

    def _not_one(self, chosen) -> str:
        """Why ``chosen`` does not name one run: which columns still tell its runs apart."""
        if chosen.empty:
            return f"{self.name} has no stored runs"
        apart = [c for c in self._varying if chosen[c].nunique(dropna=False) > 1]
        return f"{len(chosen)} runs of {self.name} match; name one by id or by " + "; ".join(
            f"{c} ({_values(chosen[c])})" for c in apart
        )


def _values(column) -> str:
    return ", ".join(map(repr, dict.fromkeys(column.tolist())))
