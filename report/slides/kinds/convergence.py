"""How many runs bring every character to at most 1 (and 0) wrong pixels, and how soon."""

from __future__ import annotations

import numpy as np

from report import summary as sm
from report.formatting import one_seed
from report.slides import Setup, SlideKind, counts_font_pixels, figure, runs
from report.slides.runs import nan_list

#: Epochs and seconds until every character is at most 1, or 0, pixels wrong (None: never).
REACHED = ("epochs_to_le1", "epochs_to_zero", "seconds_to_le1", "seconds_to_zero")


def why_not(setup: Setup) -> str | None:
    return counts_font_pixels(setup) or ("is tracked only without noise" if setup.noise else None)


def _reached(run, key: str):
    return getattr(run.metrics.convergence, key) if run.metrics.convergence else None


def build(s: sm.Summary) -> dict:
    series, rows = [], []
    for c in s.configurations:
        values = {k: [_reached(r, k) for r in c.ok] for k in REACHED}
        series.append(
            {"label": c.label, **{k.replace("_to", ""): nan_list(vs) for k, vs in values.items()}}
        )
        rows.append(
            {
                "labels": [c.label],
                "cells": [
                    f"{sum(v is not None for v in values['epochs_to_le1'])} / {len(c.runs)}",
                    _median(values["epochs_to_le1"]),
                    _median(values["seconds_to_le1"]),
                    f"{sum(v is not None for v in values['epochs_to_zero'])} / {len(c.runs)}",
                    _median(values["epochs_to_zero"]),
                ],
            }
        )
    ok = [r for r in s.runs if sm.is_ok(r)]
    per_char = [r.metrics.wrong_pixels.per_char for r in ok]
    failures = (np.asarray(per_char) > 1).mean(axis=0).tolist() if per_char else []
    first_zero = [
        nan_list(epochs) for r in ok if (epochs := _reached(r, "per_char_epochs_to_zero"))
    ]
    median = "" if one_seed(s) else "median "  # over the runs that got there
    table = {
        "caption": "runs that ever reached the bar, at any epoch (a run may leave it "
        "again: the summary counts those that end there)",
        "row_headings": ["configuration"],
        "column_heading": "",
        "rows": rows,
        "columns": [
            "ever reached ≤ 1",
            f"{median}epoch first at ≤ 1",
            f"{median}seconds",
            "ever reached 0",
            f"{median}epoch first at 0",
        ],
    }
    return {
        "lede": "How many runs reach at most 1 (and 0) wrong pixels, how soon, and which "
        "characters hold them back.",
        "figure": figure(
            ".svg",
            "Runs reaching the bar over epochs and time",
            series=series,
            failures=failures,
            first_zero=first_zero,
            classes=runs.classes_of(s.spec),
            epochs=max(r.spec.epochs for r in s.runs),
            seconds=max(r.metrics.timing.seconds for r in s.runs),
        ),
        "tables": [table],
    }


def _median(values: list) -> float | None:
    finite = [v for v in values if v is not None]
    return float(np.median(finite)) if finite else None


def prepare(
    series: list[dict],
    failures: list[float],
    first_zero: list[list],
    classes: list[str],
    epochs: int,
    seconds: float,
):
    from report.figures import curves  # matplotlib only where figures are drawn

    series = [
        {k: (np.array(v, dtype=float) if k != "label" else v) for k, v in s.items()} for s in series
    ]
    first_zero = np.array(first_zero, dtype=float)  # JSON null -> NaN
    return curves.convergence(series, classes, np.array(failures), first_zero, epochs, seconds)


SLIDE = SlideKind(
    name="convergence",
    title="Convergence",
    position=50,
    build=build,
    why_not=why_not,
    prepare=prepare,
)
