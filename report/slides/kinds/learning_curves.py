"""Loss against epoch, one line per configuration, with the spread over seeds."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from runner import store
from report import figures
from report import summary as sm
from report.slides import SlideKind, figure


def build(s: sm.Summary) -> dict:
    panels = [{"title": "training loss", "ylabel": _loss_label(s), "key": "loss"}]
    if s.kind == "vae" and any(r.metrics.test for r in s.runs):
        panels.append({"title": "test set", "ylabel": "negative ELBO (nats)",
                       "key": "test_neg_elbo"})
    elif s.kind == "autoencoder" and not s.denoising:
        panels.append({"title": "worst character", "ylabel": "wrong pixels",
                       "key": "wrong_max"})
    for panel in panels:
        panel["series"] = [{"label": c.label, "paths": [str(r.path) for r in c.runs]}
                           for c in s.configurations]
    lede = ("Mean over seeds (line) and the band between the 25th and 75th percentile, one "
            "line per configuration.")
    return {"lede": lede, "figure": figure(".svg", "Loss against epoch", panels=panels)}


def _loss_label(s: sm.Summary) -> str:
    if s.kind == "vae":
        return "negative ELBO (nats)"
    return {"mse": "mean squared error", "bce": "cross-entropy"}.get(s.spec.loss, "loss")


def prepare(panels: list[dict]):
    drawn = []
    for panel in panels:
        series = [{"label": s["label"], "values": _stack([_history(p, panel["key"])
                                                          for p in s["paths"]])}
                  for s in panel["series"]]
        series = [x for x in series if x["values"].size]
        if series:
            drawn.append({"title": panel["title"], "ylabel": panel["ylabel"], "series": series})
    return figures.learning_curves(drawn)


def _history(path: str, key: str) -> np.ndarray:
    """One history array, without reading the run's JSON files (400 runs per curve)."""
    return store.StoredRun(Path(path), {}, {}).history.get(key, np.array([], dtype=float))


def _stack(rows: list[np.ndarray]) -> np.ndarray:
    """Ragged histories (a run with fewer epochs) padded with NaN: (R, E)."""
    width = max((len(r) for r in rows), default=0)
    out = np.full((len(rows), width), np.nan)
    for i, r in enumerate(rows):
        out[i, : len(r)] = r
    return out


SLIDE = SlideKind(name="learning_curves", title="Learning curves", position=30, build=build,
                  prepare=prepare, card=7, cost=3)
