"""Each configuration beside the best linear code of its width: the exact rank-k PCA
reconstruction of the same characters (runner.pca), computed here in closed form, no training.

PCA is the least squared error any linear map through a k-number code reaches, so an autoencoder
with identity activations can at best come down to it; how far a nonlinear one goes below it is
what the nonlinearity buys. It minimises squared error, not wrong pixels: a linear autoencoder
can count a few fewer wrong pixels than PCA at a larger squared error.
"""

from __future__ import annotations

from report import stats
from report import summary as sm
from report.formatting import spread_phrase
from report.metrics import MSE, WRONG_MAX, WRONG_MEAN
from report.slides import Setup, SlideKind, counts_font_pixels, figure
from report.slides.kinds import overview
from runner import pca
from runner.training.data import load_data


def why_not(setup: Setup) -> str | None:
    if setup.noise:
        return "compares reconstructions of clean characters, not denoising"
    return counts_font_pixels(setup)


def _width(c: sm.Configuration) -> int:
    return min(c.runs[0].spec.architecture)


def _is_linear(spec) -> bool:
    """Every layer the identity: the code is the only hidden layer, or all hidden layers are."""
    hidden = spec.activation == "identity" or len(spec.architecture) == 3
    return hidden and spec.latent_activation == spec.output_activation == "identity"


def _label(c: sm.Configuration) -> str:
    return f"{c.label} (linear)" if _is_linear(c.runs[0].spec) else c.label


def build(s: sm.Summary) -> dict:
    x = load_data(s.spec).x_train  # (N, D) as the runs read it
    widths = sorted({_width(c) for c in s.configurations})
    found = {k: pca.measures(x, k) for k in widths}
    best = overview.clear_best(s)  # marked as the overview marks it: only where told apart
    rows = [
        {**overview.row(c, WRONG_MEAN, c in best), "label": _label(c)} for c in s.configurations
    ]
    rows += [
        {
            "label": _pca_label(k),
            "mean": found[k]["errors"].wrong_pixels,
            "best": False,
            "low": None,
            "high": None,
        }
        for k in widths
    ]
    measures = (WRONG_MEAN, WRONG_MAX, MSE)
    table = {
        "caption": f"ours: {spread_phrase(s)}; PCA: exact, one number (no seeds)",
        "row_headings": ["configuration"],
        "column_heading": "",
        "columns": [m.short for m in measures],
        "rows": [
            {"labels": [_label(c)], "cells": [stats.describe(c.metric(m)) for m in measures]}
            for c in s.configurations
        ]
        + [{"labels": [_pca_label(k)], "cells": _pca_cells(found[k])} for k in widths],
    }
    return {
        "lede": "Each configuration beside the exact rank-k PCA reconstruction of the same "
        "characters (k = its code's width; closed form, no training): the least "
        "squared error of any linear code that wide. Below it is what the "
        "nonlinearity buys.",
        "figure": figure(
            ".svg",
            "Wrong pixels per character of each configuration and of PCA at its code width",
            rows=rows,
            xlabel=WRONG_MEAN.label,
        ),
        "tables": [table],
        "note": "PCA minimises squared error, not wrong pixels (outputs on the wrong side of "
        "0.5): a trained linear autoencoder can count a few fewer wrong pixels at a "
        "larger squared error, never a smaller squared error.",
    }


def _pca_label(k: int) -> str:
    return f"PCA, rank {k} (linear optimum)"


def _pca_cells(found: dict) -> list[str]:
    errors = found["errors"]
    return [
        f"{errors.wrong_pixels:.3g}",
        f"{errors.worst_character:g}",
        f"{errors.mse:.8g}",
    ]  # all the digits a trained linear autoencoder comes to


SLIDE = SlideKind(
    name="linear_baseline",
    title="Against the best linear code",
    position=23,
    build=build,
    why_not=why_not,
    prepare=overview.prepare,
)
