"""Denoisers measured at other noise levels than they trained at: a train-level x test-level
matrix of wrong pixels, with the rows of the decoders that need no training beside it.

Each run stores its denoising at every level of ``noise.test_levels`` (runner.training.denoising),
on the draws that a run trained at that level is measured on; so a cell whose test level is the
run's own level holds the number of the slide 'denoising_baselines', and every row of a seed sees
the same noisy samples at a level. A run trained at level 0 is the plain autoencoder.
"""

from __future__ import annotations

import numpy as np

from report import stats
from report import summary as sm
from report.axes import axis, level_symbol
from report.formatting import plain, seeds_phrase, spread_phrase
from report.slides import Setup, SlideKind, figure
from report.slides.kinds.denoising_baselines import decoders, floor_table


def why_not(setup: Setup) -> str | None:
    if not setup.noise:
        return "needs noise (add a noise: section)"
    return None if setup.test_levels else "needs noise.test_levels"


def _at(run, level: float, decoder: str) -> float:
    """A run's mean wrong pixels per sample at a test level (NaN: not measured there)."""
    found = [t for t in run.metrics.test_levels or () if t.level == level]
    return getattr(found[0], decoder).mean if found else float("nan")


def _label(c: sm.Configuration) -> str:
    """The configuration by the level it trained at, and its other axes if any vary."""
    spec = c.runs[0].spec
    trained = f"trained at {axis('noise').value(spec)}"
    if spec.noise.level == 0:
        trained += " (plain)"
    return " · ".join([v for k, v in c.values.items() if k != "noise"] + [trained])


def build(s: sm.Summary) -> dict:
    noise = s.spec.noise
    levels = list(noise.test_levels)
    rows = [
        {
            "label": _label(c),
            "own": c.runs[0].spec.noise.level,
            "cells": [stats.describe([_at(r, t, "model") for r in c.ok]) for t in levels],
        }
        for c in s.configurations
    ]
    floors = [s.floors.get((noise.kind, t)) for t in levels]
    references = [
        {
            "label": label,
            "means": [f[name]["mean"] for f in floors]
            if all(floors)
            else [_mean_over(s, t, name) for t in levels],
        }
        for name, label in decoders(s)[1:]
    ]
    symbol = level_symbol(noise.kind)
    table = {
        "caption": f"{s.headline.short} by test level: {spread_phrase(s)}",
        "row_headings": ["configuration"],
        "column_heading": f"tested at {symbol} =",
        "columns": [plain(t) for t in levels],
        "rows": [{"labels": [r["label"]], "cells": r["cells"]} for r in rows],
    }
    tables = [table]
    if all(floors):
        tables.append(floor_table(s, levels, floors))
    cells = [[c["mean"] for c in r["cells"]] for r in rows]
    return {
        "lede": "Each denoiser tested at every noise level, whatever level it trained at, "
        "beside the noisy input and the floors at that level; outlined: the level "
        "it trained at (the number of the other slides).",
        "figure": figure(
            ".svg",
            "Wrong pixels by training and test noise level",
            levels=levels,
            labels=[r["label"] for r in rows],
            own=[r["own"] for r in rows],
            means=cells,
            references=references,
            xlabel=f"tested at {symbol}",
            scale=s.headline.short,
        ),
        "tables": tables,
        "note": _note(s, all(floors)),
    }


def _mean_over(s: sm.Summary, level: float, decoder: str) -> float:
    """A reference decoder's mean over every run's draws at a level (no floors stored)."""
    return float(np.nanmean([_at(r, level, decoder) for r in s.runs if sm.is_ok(r)]))


def _note(s: sm.Summary, floors: bool) -> str:
    where = (
        "each reference row is its expected wrong pixels from its own large draw (runner.floors)"
        if floors
        else "each reference row is its mean over the runs' evaluation draws"
    )
    return (
        f"One row per configuration ({seeds_phrase(s)} each: the mean is shown); {where}. "
        "The Bayes-optimal decoder knows the noise kind and level it is tested at, which "
        "the denoisers do not."
    )


def prepare(
    levels: list[float],
    labels: list[str],
    own: list[float],
    means: list[list],
    references: list[dict],
    xlabel: str,
    scale: str,
):
    from report.figures import noise_matrix  # matplotlib only where figures are drawn

    return noise_matrix.noise_matrix(
        levels,
        labels,
        own,
        np.array(means, dtype=float),
        [{**r, "means": np.array(r["means"], dtype=float)} for r in references],
        xlabel,
        scale,
    )


SLIDE = SlideKind(
    name="noise_matrix",
    title="Trained at one noise level, tested at others",
    position=141,
    build=build,
    why_not=why_not,
    prepare=prepare,
    card=1,
)
