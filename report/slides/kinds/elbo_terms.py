"""A VAE's two terms apart: reconstruction and KL, epoch by epoch and at the end, per
configuration (per beta, where beta is swept).

The loss a VAE minimises is recon + beta * KL; a larger beta buys a code closer to the prior
(smaller KL) with a worse reconstruction, and the sum alone hides which term moved. The curves
are those of the training loop (each epoch's mean over its batches); the table holds the final
terms measured on the whole training set (and test set), mean ± 95 % interval over seeds.
"""

from __future__ import annotations

from report import summary as sm
from report.formatting import spread_phrase
from report.metrics import Metric
from report.slides import SlideKind, figure, needs_vae
from report.slides.kinds import learning_curves
from report.stats import describe

TERMS = {
    "train": (
        Metric("recon_train", "reconstruction, training set", ("train", "recon"), "reconstruction"),
        Metric("kl_train", "KL, training set", ("train", "kl"), "KL"),
    ),
    "test": (
        Metric(
            "recon_test", "reconstruction, test set", ("test", "recon"), "reconstruction, test set"
        ),
        Metric("kl_test", "KL, test set", ("test", "kl"), "KL, test set"),
    ),
}


def build(s: sm.Summary) -> dict:
    unit = f"nats per {s.sample}"
    panels = [
        {"title": "reconstruction", "ylabel": f"reconstruction ({unit})", "key": "recon"},
        {"title": "KL to the prior", "ylabel": f"KL ({unit})", "key": "kl"},
    ]
    split = learning_curves.with_series(s, panels)
    return {
        "lede": "The two terms of the loss, recon + β · KL, apart: "
        f"{learning_curves.lines_phrase(s)}{split}; below, their final values.",
        "figure": figure(".svg", "Reconstruction and KL against epoch", panels=panels),
        "tables": [_table(s)],
        "note": "The curves are each epoch's mean over its batches, in training; the table's "
        f"values are measured after training on every {s.sample} with one sample of the "
        "code each. −ELBO = reconstruction + KL whatever β is.",
    }


def _table(s: sm.Summary) -> dict:
    """A row per configuration, a column per term (test-set terms where there is a test set)."""
    metrics = [*TERMS["train"], *(TERMS["test"] if any(r.metrics.test for r in s.runs) else ())]
    return {
        "caption": f"final terms (nats per {s.sample}): {spread_phrase(s)}",
        "row_headings": [a.heading for a in s.varying] or [""],
        "column_heading": "",
        "columns": [m.short for m in metrics],
        "rows": [
            {
                "labels": [c.values[a.name] for a in s.varying] or ["all runs"],
                "cells": [describe(c.metric(m)) for m in metrics],
            }
            for c in s.configurations
        ],
    }


SLIDE = SlideKind(
    name="elbo_terms",
    title="Reconstruction and KL",
    position=32,
    build=build,
    why_not=needs_vae,
    prepare=learning_curves.prepare,
    cost=3,
)
