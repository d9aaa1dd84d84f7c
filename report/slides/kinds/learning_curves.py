"""Loss against epoch, one line per configuration, with the spread over seeds."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np

from report import summary as sm
from report.axes import Axis
from report.formatting import one_seed
from report.slides import SlideKind, figure
from runner import store

MAX_LINES = 6  # lines one axes can hold and still be told apart; beyond, small multiples


def build(s: sm.Summary) -> dict:
    panels = [{"title": "training loss", "ylabel": _loss_label(s), "key": "loss"}]
    if s.kind == "vae" and any(r.metrics.test for r in s.runs):
        panels.append(
            {"title": "test set", "ylabel": "test-set −ELBO (nats)", "key": "test_neg_elbo"}
        )
    elif s.kind == "autoencoder" and not s.denoising:
        panels.append(
            {
                "title": f"worst {s.sample}",
                "ylabel": f"wrong pixels, worst {s.sample}",
                "key": "wrong_max",
            }
        )
    return {
        "lede": f"{lines_phrase(s).capitalize()}{with_series(s, panels)}.",
        "figure": figure(".svg", "Loss against epoch", panels=panels),
    }


def lines_phrase(s: sm.Summary) -> str:
    """What a curve of the seeds is: their mean and interquartile band, or the one seed's."""
    if one_seed(s):
        return "one line per configuration, from its one seed"
    return (
        "mean over seeds (line) and the band between the 25th and 75th percentile, one line "
        "per configuration"
    )


def with_series(s: sm.Summary, panels: list[dict]) -> str:
    """Give each panel (a history key) a series per configuration, split into small multiples
    where one axes would hold too many lines; returns how they are split, for a lede's end."""
    split = _panel_axes(s.configurations, s.varying)
    names = facets(s.configurations, s.varying, split)
    for panel in panels:
        panel["series"] = [
            {"label": label, "group": group, "paths": [str(r.path) for r in c.runs]}
            for c, (group, label) in zip(s.configurations, names)
        ]
    return f"; a panel per {' and '.join(a.heading for a in split)}" if split else ""


def _panel_axes(configs: list[sm.Configuration], varying: list[Axis]) -> tuple[Axis, ...]:
    """The fewest axes whose values split the configurations into panels of at most MAX_LINES
    lines (none when they fit in one), the fewest panels first, then the axes' order."""
    subsets = (
        subset for k in range(len(varying) + 1) for subset in itertools.combinations(varying, k)
    )
    fitting = (subset for subset in subsets if max(_counts(configs, subset).values()) <= MAX_LINES)
    return min(fitting, key=lambda subset: len(_counts(configs, subset)))


def _counts(configs: list[sm.Configuration], axes) -> dict[tuple, int]:
    counts: dict[tuple, int] = {}
    for c in configs:
        key = tuple(c.values[a.name] for a in axes)
        counts[key] = counts.get(key, 0) + 1
    return counts


def facets(
    configs: list[sm.Configuration], varying: list[Axis], split: tuple[Axis, ...]
) -> list[tuple[str, str]]:
    """(panel, line label) of each configuration, the panels split by the axes ``split``: a
    panel is named by the values its lines share ("SGD · 64"), a line by the values that tell
    it apart within its panel."""
    groups: dict[tuple, list] = {}
    for c in configs:
        groups.setdefault(tuple(c.values[a.name] for a in split), []).append(c)
    names = {}
    for members in groups.values():
        shared = [
            a for a in varying if len({c.values[a.name] for c in members}) == 1 and len(groups) > 1
        ]
        for c in members:
            names[id(c)] = (
                " · ".join(c.values[a.name] for a in shared),
                " · ".join(c.values[a.name] for a in varying if a not in shared) or c.label,
            )
    return [names[id(c)] for c in configs]


def _loss_label(s: sm.Summary) -> str:
    if s.kind == "vae":  # the loss trained on is the ELBO only at full weight 1 on the KL
        plain = all(r.spec.beta == 1 and not r.spec.kl_warmup for r in s.runs)
        return "negative ELBO (nats)" if plain else "recon + β · KL (nats)"
    return {
        "mse": "mean squared error",
        "bce": "cross-entropy",
        "sse": f"half the squared error summed over a{'n' * (s.sample == 'image')} {s.sample}'s pixels",
    }[s.spec.loss]


def prepare(panels: list[dict]):
    from report.figures import curves  # matplotlib only where figures are drawn

    drawn = []
    for panel in panels:
        series = [
            {
                "label": s["label"],
                "group": s["group"],
                "values": _stack([_history(p, panel["key"]) for p in s["paths"]]),
            }
            for s in panel["series"]
        ]
        series = [x for x in series if x["values"].size]
        if series:
            drawn.append({"title": panel["title"], "ylabel": panel["ylabel"], "series": series})
    return curves.learning_curves(drawn)


def _history(path: str, key: str) -> np.ndarray:
    """One history array, without reading the run's JSON files (400 runs per curve)."""
    return store.StoredRun(Path(path), {}, {}).history.get(key, np.array([], dtype=float))


def _stack(rows: list[np.ndarray]) -> np.ndarray:
    """Ragged histories (a run with fewer epochs) padded with NaN: (R, T)."""
    width = max((len(r) for r in rows), default=0)
    out = np.full((len(rows), width), np.nan)
    for i, r in enumerate(rows):
        out[i, : len(r)] = r
    return out


SLIDE = SlideKind(
    name="learning_curves",
    title="Learning curves",
    position=30,
    build=build,
    prepare=prepare,
    card=7,
    cost=3,
)
