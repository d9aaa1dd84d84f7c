"""The final error against the width of the code, where the architectures differ in nothing
else: how much a wider bottleneck buys.

The architectures [35, 20, 1, 20, 35], [35, 20, 2, 20, 35], ... are one network with a code of
1, 2, ... units; the slide plots each configuration's final error over seeds against that width
(mean and 95 % interval, every seed as a dot), a line per value of the other swept axes, and
tabulates it. Architectures that differ anywhere else (a hidden layer's width, the depth) would
mix two effects in one curve, so the slide does not apply to them.
"""

from __future__ import annotations

import numpy as np

from report import summary as sm
from report.formatting import one_seed, seeds_phrase, spread_phrase
from report.metrics import Metric
from report.slides import Setup, SlideKind, figure
from report.slides.runs import nan_list
from report.stats import describe

#: How soon a clean autoencoder's every character is right: where a narrow code reaches 0 wrong
#: pixels too, a wider one may still reach it sooner.
EPOCHS_TO_ZERO = Metric(
    "epochs_to_zero",
    "epochs until every character has 0 wrong pixels",
    ("convergence", "epochs_to_zero"),
    "epochs to 0 wrong pixels",
)


def _without_code(architecture: tuple[int, ...]) -> tuple:
    """The architecture with its code's width blanked out (its place kept)."""
    z = architecture.index(min(architecture))
    return (*architecture[:z], None, *architecture[z + 1 :])


def why_not(setup: Setup) -> str | None:
    architectures = setup.architectures
    if len(architectures) < 2:
        return (
            "needs at least 2 architectures that differ only in the width of the code, "
            f"got {len(architectures)}"
        )
    if len({_without_code(a) for a in architectures}) > 1:
        return "needs architectures that differ only in the width of the code (the narrowest layer)"
    return None


def _metrics(s: sm.Summary) -> list[Metric]:
    """The experiment's first two metrics, and how soon the runs reach 0 wrong pixels where
    some do."""
    reached = any(np.isfinite(EPOCHS_TO_ZERO.of(r.metrics)) for r in s.runs)
    return s.metrics[:2] + ([EPOCHS_TO_ZERO.per(s.sample)] if reached else [])


def _series(label: str, configs: dict, widths: list[int], metric: Metric) -> dict:
    """One line of a panel: every seed's value, the mean and its interval, per width."""
    values = [configs[w].metric(metric) if w in configs else np.array([]) for w in widths]
    stats = [describe(v) for v in values]
    return {
        "label": label,
        "seeds": [[v for v in nan_list(seeds) if v is not None] for seeds in values],
        "mean": [st["mean"] for st in stats],
        "ci": [st["ci"] for st in stats],
    }


def build(s: sm.Summary) -> dict:
    others = [a for a in s.varying if a.name != "architecture"]
    widths = sorted({min(r.spec.architecture) for r in s.runs})
    metrics = _metrics(s)
    lines: dict[str, dict[int, sm.Configuration]] = {}  # other axes' label -> width -> config
    for c in s.configurations:
        label = " · ".join(c.values[a.name] for a in others)
        lines.setdefault(label, {})[min(c.runs[0].spec.architecture)] = c
    panels = [
        {
            "ylabel": m.label,
            "series": [_series(label, configs, widths, m) for label, configs in lines.items()],
        }
        for m in metrics
    ]
    rows = [
        {
            "labels": [str(w), *([label] if others else [])],
            "cells": [describe(configs[w].metric(m)) for m in metrics],
        }
        for label, configs in lines.items()
        for w in widths
        if w in configs
    ]
    table = {
        "caption": spread_phrase(s),
        "row_headings": ["code width"]
        + ([" · ".join(a.heading for a in others)] if others else []),
        "column_heading": "",
        "columns": [m.short or m.label for m in metrics],
        "rows": rows,
    }
    note = (
        f"{metrics[-1].label.capitalize()}: over the seeds that get there; the number "
        "after ✕ counts those that never do."
        if metrics[-1].key == EPOCHS_TO_ZERO.key
        else None
    )
    return {
        "lede": "The final error against the width of the code (the narrowest layer): "
        + (
            "the one seed's value"
            if one_seed(s)
            else f"mean over seeds with its 95 % interval, every seed a dot; {seeds_phrase(s)}"
        )
        + ".",
        "figure": figure(
            ".svg", "Final error against the width of the code", widths=widths, panels=panels
        ),
        "tables": [table],
        "note": note,
    }


def prepare(widths: list[int], panels: list[dict]):
    from report.figures import comparisons  # matplotlib only where figures are drawn

    return comparisons.by_code_width(widths, panels)


SLIDE = SlideKind(
    name="code_size",
    title="Error against code size",
    position=42,
    build=build,
    why_not=why_not,
    prepare=prepare,
    card=2,
)
