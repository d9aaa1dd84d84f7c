"""An experiment's tables of mean ± CI over seeds, their rows and columns from the swept axes.

A worked example: 3 architectures x 2 noise levels x 10 seeds = 60 runs give 6 configurations;
the table of the headline metric has a row per architecture and a column per noise level, each
cell the mean +- 95 % confidence half-width over the 10 seeds.
"""

from __future__ import annotations

from report.axes import Axis
from report.formatting import spread_phrase
from report.metrics import Metric
from report.stats import describe
from report.summary import Summary


def _split_axes(varying: list[Axis]) -> tuple[list[Axis], Axis | None]:
    """Rows from every varying axis but the last, which becomes the columns (if two or more)."""
    if len(varying) < 2:
        return varying, None
    return varying[:-1], varying[-1]


def pivot(summary: Summary, metric: Metric) -> dict:
    """A table of mean +- CI over seeds, rows and columns from the swept axes.

    Returns {"caption", "row_headings": [str], "columns": [str], "rows": [{"labels": [str],
    "cells": [describe | None]}]}; a cell is None where the combination was not run.
    """
    row_axes, column_axis = _split_axes(summary.varying)
    columns = (
        list(dict.fromkeys(c.values[column_axis.name] for c in summary.configurations))
        if column_axis
        else [metric.short or metric.label]
    )
    rows: dict[tuple, dict] = {}
    for config in summary.configurations:
        labels = tuple(config.values[a.name] for a in row_axes) or ("all runs",)
        row = rows.setdefault(labels, {"labels": list(labels), "cells": [None] * len(columns)})
        column = columns.index(config.values[column_axis.name]) if column_axis else 0
        row["cells"][column] = describe(config.metric(metric))
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
        "caption": spread_phrase(summary)
        + (f" (nats per {summary.sample})" if summary.kind == "vae" else ""),
        "row_headings": [a.heading for a in row_axes] or [""],
        "column_heading": "",
        "columns": [m.short or m.label for m in summary.metrics],
        "rows": [
            {
                "labels": [c.values[a.name] for a in row_axes] or ["all runs"],
                "cells": [describe(c.metric(m)) for m in summary.metrics],
            }
            for c in summary.configurations
        ],
    }
