"""The spread of the final error per learning rate: boxes over seeds, and a table."""

from __future__ import annotations

import numpy as np

from report import stats
from report import summary as sm
from report.axes import axis
from report.formatting import one_seed
from report.slides import Setup, SlideKind, figure
from report.slides.runs import nan_list


def why_not(setup: Setup) -> str | None:
    if setup.learning_rates < 2:
        return f"needs at least 2 learning rates to compare, got {setup.learning_rates}"
    return None


def build(s: sm.Summary) -> dict:
    others = [a for a in s.varying if a.name != "learning_rate"]
    rate_of = axis("learning_rate").value
    rates = list(dict.fromkeys(rate_of(r.spec) for r in s.runs))
    groups: dict[str, list] = {}  # other axes' label -> final errors per learning rate
    for c in s.configurations:
        label = " · ".join(c.values[a.name] for a in others) or "all runs"
        groups.setdefault(label, [[] for _ in rates])
        groups[label][rates.index(rate_of(c.runs[0].spec))] += list(c.metric(s.headline))
    series = [
        {"label": label, "values": [nan_list(v) for v in values]}
        for label, values in groups.items()
    ]
    rows = [
        {"labels": [label, rate], "cells": _spread(values[i], one_seed(s))}
        for label, values in groups.items()
        for i, rate in enumerate(rates)
    ]
    table = {
        "caption": f"{s.headline.label}, final",
        "row_headings": ["", "learning rate"],
        "column_heading": "",
        "rows": rows,
        "columns": ["final", "runs", "diverged"]
        if one_seed(s)
        else ["mean ± standard deviation", "median", "min", "max", "runs", "diverged"],
    }
    if not others:
        table["row_headings"] = ["learning rate"]
        for row in rows:
            row["labels"] = row["labels"][1:]
    return {
        "lede": "The final error of every seed, per learning rate: "
        + (
            "a dot each (one seed: no spread to box)."
            if one_seed(s)
            else "the box spans the middle half, the line is the median, dots are single runs."
        ),
        "figure": figure(
            ".svg",
            "Final error per learning rate",
            rates=rates,
            series=series,
            ylabel=s.headline.label,
        ),
        "tables": [table],
    }


def _spread(values: list[float], single: bool) -> list:
    """A row's cells: the seeds' mean ± standard deviation, median and range, or the one seed's
    value."""
    st = {**stats.describe(values), "spread": "std"}  # the seeds' spread is this slide's point
    if single:
        return [st["mean"], st["n"], st["dropped"]]
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    return [
        st,
        st["median"],
        float(finite.min()) if finite.size else None,
        float(finite.max()) if finite.size else None,
        st["n"],
        st["dropped"],
    ]


def prepare(rates: list[str], series: list[dict], ylabel: str):
    from report.figures import comparisons  # matplotlib only where figures are drawn

    series = [
        {"label": s["label"], "values": [np.array(v, dtype=float) for v in s["values"]]}
        for s in series
    ]
    return comparisons.lr_boxes(rates, series, ylabel)


SLIDE = SlideKind(
    name="lr_analysis",
    title="Learning-rate analysis",
    position=40,
    build=build,
    why_not=why_not,
    prepare=prepare,
    card=1,
)
