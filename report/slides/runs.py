"""The runs a slide shows, and how a worker reads them back.

Per-run pictures (scatter, reconstructions, grids) show one representative run per
configuration: the seed with the median headline metric, and slides say so. A figure of several
panels shows the first MAX_PANELS configurations and its note says so; a slide that must reach
every configuration has one figure per option of a chooser (``choices``), which opens on the
configuration of the lowest mean at the summary's headline noise level (``opening``: the first
of those that share it, and the note says so). The main process names those runs in a figure
job by their folder (``ref``: JSON-able); the worker loads each run again and rebuilds from it
the data it trained on and its model.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from report import stats
from report import summary as sm
from report.formatting import format_number, one_seed, seeds_phrase
from report.metrics import WORDS
from report.slides import figure
from runner import datasets, models, store
from runner.training.data import load_data

MAX_MARKS = 100  # codes marked one by one on a plane; beyond, a mark per class (or a sample)
MAX_PANELS = 6  # per-run pictures: beyond this many configurations a slide shows the first ones
SNAPSHOT_KEY = "epoch_{}"  # latent.npz codes (and optional model.npz weights) at a snapshot

# ------------------------------------------------------------------------------ main process


def representatives(
    s: sm.Summary,
    limit: int | None = MAX_PANELS,
) -> list[tuple[sm.Configuration, store.StoredRun]]:
    """The median seed of each configuration shown (the first ``limit``; None: all)."""
    pairs = [(c, c.representative(s.headline)) for c in s.configurations[:limit]]
    return [(c, r) for c, r in pairs if r is not None]


def opening(s: sm.Summary) -> sm.Configuration | None:
    """The configuration a view of one configuration opens on: the one with the lowest mean
    headline metric at the summary's first headline level (report.summary.Summary.leaders),
    or where several share it, the first of them in the experiment file."""
    return next(iter(s.leaders()), None)


def opens_on(s: sm.Summary) -> str:
    """``opening``'s label and why it is the one shown first: "35-2-35, the lowest mean
    wrong pixels per character", or, where several share that mean, which of them it is."""
    lowest = s.leaders()
    where = " at its noise level" if len(s.levels()) > 1 else ""
    mean = f"the lowest{'' if one_seed(s) else ' mean'} {s.headline.label}{where}"
    if len(lowest) == 1:
        return f"{lowest[0].label}, {mean}"
    value = format_number(stats.describe(lowest[0].metric(s.headline))["mean"])
    return (
        f"{lowest[0].label}, the first in the experiment file of the {len(lowest)} "
        f"configurations that share {mean}, {value}"
    )


def best_pair(s: sm.Summary) -> tuple[sm.Configuration, store.StoredRun]:
    """The configuration a view of one configuration opens on (``opening``) and its median
    seed."""
    pairs = representatives(s, None)
    return next((pair for pair in pairs if pair[0] is opening(s)), pairs[0])


def panel_title(config: sm.Configuration, run: store.StoredRun, many: bool) -> str:
    seed = f"seed {run.spec.seed}"
    return f"{config.label} · {seed}" if many else seed


def _which_run(s: sm.Summary) -> str:
    """Which run stands for a configuration: its median seed, or its one seed."""
    if one_seed(s):
        return "One run per configuration, its one seed."
    return (
        f"One run per configuration: the seed with the median {s.headline.label} "
        f"of its {seeds_phrase(s)}."
    )


def representative_note(s: sm.Summary) -> str:
    note = _which_run(s)
    if len(s.configurations) > MAX_PANELS:
        note += (
            f" Shown: the first {MAX_PANELS} of {len(s.configurations)} configurations, in "
            "the order of the YAML file (more panels would be too small to read); the "
            "tables have them all."
        )
    return note


def chooser_note(s: sm.Summary, shown: dict) -> str:
    """The note of a slide that may show a chooser (``shown``: what ``choices`` returned):
    which run stands for a configuration, and which configuration the chooser opens on."""
    note = _which_run(s)
    if shown["chooser"] is not None and opening(s) is not None:
        note += f" Every configuration can be chosen; the slide opens on {opens_on(s)}."
    return note


def choices(s: sm.Summary, alt: str, apart: str | None = None) -> dict:
    """One figure per configuration (or per group of configurations that differ only on the
    axis ``apart``, drawn as rows of one figure, those of the headline levels first), and a
    chooser among them that opens on the group of ``opening``; a single group is a plain
    figure.

    Returns the slide's ``figure`` and ``chooser``: {"label", "selected" (an option's index),
    "options": [{"label", "figure" (a job whose args are ``refs``), "run" (the first run's id)}]}.
    """
    many = len(s.configurations) > 1
    headline = {id(c) for configs in s.headline_levels().values() for c in configs}
    pairs = sorted(representatives(s, None), key=lambda pair: id(pair[0]) not in headline)
    groups: dict[str, list] = {}
    for config, run in pairs:
        label = " · ".join(v for k, v in config.values.items() if k != apart) or "all runs"
        groups.setdefault(label, []).append((config, run))
    options = [
        {
            "label": label,
            "run": pairs[0][1].id,
            "figure": figure(".png", f"{alt}: {label}", refs=[ref(c, r, many) for c, r in pairs]),
        }
        for label, pairs in groups.items()
    ]
    if len(options) == 1:
        return {"figure": options[0]["figure"], "chooser": None}
    first = opening(s)
    selected = next(
        (i for i, (_, pairs) in enumerate(groups.items()) if any(c is first for c, _ in pairs)), 0
    )
    heading = (
        "Configuration"
        if apart is None
        else " · ".join(a.heading for a in s.varying if a.name != apart)
    )
    return {
        "figure": None,
        "chooser": {"label": heading.capitalize(), "selected": selected, "options": options},
    }


def ref(config: sm.Configuration, run: store.StoredRun, many: bool) -> dict:
    """What a worker needs of one run: where it is stored, and its panel title."""
    return {"path": str(run.path), "title": panel_title(config, run, many)}


def refs(s: sm.Summary, limit: int = MAX_PANELS) -> list[dict]:
    """The representative runs of the first ``limit`` configurations, for a figure job."""
    many = len(s.configurations) > 1
    return [ref(c, r, many) for c, r in representatives(s)[:limit]]


def info(spec) -> datasets.DatasetInfo:
    return datasets.info(spec.source)


def glyphs(spec) -> bool:
    """Characters of the font, rather than digit images."""
    return info(spec).kind == "glyphs"


def n_train(spec) -> int:
    """Training samples the run had: the dataset's, cut to its limit."""
    return min(info(spec).n_train, spec.source.limit or info(spec).n_train)


def noun(spec) -> str:
    """What the page calls one sample of the run's data: character, digit or image."""
    return WORDS[datasets.kind(spec.dataset)]


def labelled(s: sm.Summary) -> bool:
    """Whether the training samples are of more than one class, read from the stored labels of
    the first configuration's representative run: the main process words a slide's captions
    without loading the data."""
    return any(len(np.unique(run.latent["labels"])) > 1 for _, run in representatives(s, 1))


def nan_list(values) -> list[float | None]:
    """Numbers for JSON: a missing or non-finite value as null."""
    return [None if v is None or not np.isfinite(v) else float(v) for v in values]


# ------------------------------------------------------------------------------ worker process


def load(ref: dict) -> store.StoredRun:
    return store.load_run(Path(ref["path"]))


_loaded: dict[tuple, datasets.Data] = {}


def data_of(spec) -> datasets.Data:
    """The data (and limit, and dtype) the run trained on, read once per worker."""
    key = (spec.source, spec.dtype)
    if key not in _loaded:
        _loaded[key] = load_data(spec)
    return _loaded[key]


def classes_of(spec) -> list[str]:
    """Label text per class of the data the run trained on (a font's characters, the digits,
    the names of an image folder's subfolders; one class for unlabelled data)."""
    return list(data_of(spec).classes)


def spread(x: np.ndarray, n: int) -> np.ndarray:
    """n samples evenly spaced through x, so that every class shows where x is sorted by label."""
    return x[np.linspace(0, len(x) - 1, n).astype(int)]


def model_of(run: store.StoredRun, params: dict | None = None):
    """The run's model from its final weights, or from ``params`` (a snapshot's).

    A normalised run's input standardisation is stored beside its weights and applies to both.
    """
    if params is not None:
        scaling = {k: v for k, v in run.params.items() if k.startswith("input.")}
        params = {**params, **scaling}
    return models.build(run.spec, params=run.params if params is None else params)


def extent(codes: np.ndarray, spec) -> tuple[float, ...]:
    """The box a latent grid covers: the training codes with a margin (Gaussian for a VAE)."""
    from report.figures import latent  # matplotlib only where figures are drawn

    if spec.kind == "vae":  # the prior's bulk, widened to where most codes are
        low, high = np.quantile(codes, [0.01, 0.99], axis=0)  # (2,) each
        low = np.minimum(low, latent.GAUSSIAN_SPAN[0])
        high = np.maximum(high, latent.GAUSSIAN_SPAN[1])
        return (low[0], high[0], low[1], high[1])
    low, high = codes.min(axis=0), codes.max(axis=0)
    pad = np.where(high - low > 0, (high - low) * 0.08, 0.5)
    return (low[0] - pad[0], high[0] + pad[0], low[1] - pad[1], high[1] + pad[1])


def marks(codes: np.ndarray, labels: np.ndarray, classes) -> tuple[np.ndarray, list[str]]:
    """Training codes to mark on a plane, and their labels: each code with its class when
    there are few, else each class's mean code; unlabelled codes (one class) unnamed, at most
    MAX_MARKS of them spread over the set."""
    present = np.unique(labels)
    if len(present) < 2:
        return spread(codes, min(len(codes), MAX_MARKS)), []
    if len(codes) <= MAX_MARKS:
        return codes, [classes[int(k)] for k in labels]
    means = np.stack([codes[labels == k].mean(axis=0) for k in present])  # (C, 2)
    return means, [classes[int(k)] for k in present]
