"""The denoiser beside three decoders that need no training, against the noise level.

Runs trained at level 0 (the plain autoencoder, on clean inputs) are left out: there every
reference decoder is exact, and a line from 0 to the first noisy level would join a
reconstruction to a denoising. The slide noise_matrix tests them at the noisy levels.
"""

from __future__ import annotations

import numpy as np

from report import stats
from report import summary as sm
from report.axes import Axis
from report.formatting import format_number, plain, spread_phrase
from report.metrics import Metric
from report.slides import SlideKind, figure, needs_noise
from report.slides.runs import info, nan_list
from runner import floors as floor_rule


def decoders(s: sm.Summary) -> tuple[tuple[str, str], ...]:
    """The decoders of a run's metrics.denoise, and their names on the slide: the nearest
    training sample is the font's nearest glyph, a picture set's nearest training image."""
    nearest = "nearest glyph" if s.glyphs else f"nearest training {s.sample}"
    return (
        ("model", "model"),
        ("noisy", "noisy input"),
        ("nearest", nearest),
        ("bayes", "Bayes-optimal"),
    )


def noisy(s: sm.Summary) -> list[sm.Configuration]:
    """The configurations trained on noisy inputs, or all of them if none is."""
    return [c for c in s.configurations if c.runs[0].spec.noise.level > 0] or s.configurations


def build(s: sm.Summary) -> dict:
    configurations, named = noisy(s), decoders(s)
    levels = list(dict.fromkeys(c.runs[0].spec.noise.level for c in configurations))
    others = [a for a in s.varying if a.name != "noise"]
    series = [
        _level_series(configs, levels, "model", f"model: {label}" if others else "model", "model")
        for label, configs in _group_by(configurations, others).items()
    ]
    kind = s.spec.noise.kind
    floors = [s.floors.get((kind, level)) for level in levels]
    if all(floors):
        series += [_floor_series(floors, name, label) for name, label in named[1:]]
    else:
        series += [
            _level_series(configurations, levels, name, label, "baseline")
            for name, label in named[1:]
        ]
    spread = spread_phrase(s)
    tables = [
        _decoder_table(
            s,
            configurations,
            "mean",
            f"{s.headline.short} against the clean {s.sample}, on the runs' own "
            f"evaluation draws: {spread}",
        ),
        _decoder_table(
            s,
            configurations,
            "draws_le1",
            f"share of noisy draws denoised to at most 1 wrong pixel: {spread}",
        ),
    ]
    if all(floors):
        tables.insert(0, floor_table(s, levels, floors))
    return {
        "lede": "The model beside three decoders that need no training: the noisy input "
        f"itself, the {named[2][1]}, and the Bayes-optimal pixel decoder (the floor).",
        "figure": figure(
            ".svg",
            "Wrong pixels against noise level",
            levels=levels,
            series=series,
            xlabel=LEVEL_NAMES[kind],
            ylabel=s.headline.short,
        ),
        "tables": tables,
        "note": " ".join(filter(None, [_clean_left_out(s, configurations), _no_floors(s)])) or None,
    }


def _clean_left_out(s: sm.Summary, shown: list[sm.Configuration]) -> str | None:
    """Which runs the slide leaves out, and why: those trained on clean inputs."""
    if len(shown) == len(s.configurations):
        return None
    return (
        "Not shown: the runs trained at level 0, the plain autoencoder on clean inputs, "
        "against which every reference decoder is exact."
    )


def _no_floors(s: sm.Summary) -> str | None:
    """Why the references have no floors of their own, where runner.floors does not apply."""
    why = floor_rule.why_not(info(s.spec))
    return (
        None
        if why is None
        else "The reference decoders are measured on the runs' own "
        f"draws only, without floors from a large draw of their own: {why}."
    )


#: What a level of each noise kind is, as an axis says it.
LEVEL_NAMES = {
    "bitflip": "bit-flip probability p",
    "salt_and_pepper": "salt-and-pepper p",
    "masking": "masking probability p",
    "gaussian": "noise σ",
}


def _floor_series(floors: list[dict], decoder: str, label: str) -> dict:
    """A reference decoder's expected wrong pixels at each level, from its own large draw."""
    return {
        "label": label,
        "mean": [f[decoder]["mean"] for f in floors],
        "std": [f[decoder]["se"] for f in floors],
        "style": "baseline",
    }


def floor_table(s: sm.Summary, levels: list[float], floors: list[dict]) -> dict:
    """The reference decoders' expected wrong pixels per level, ± their standard error."""
    draws, named = floors[0]["bayes"]["draws"], decoders(s)
    rows = [
        {
            "labels": [plain(level)],
            "cells": [
                {
                    "mean": f[name]["mean"],
                    "se": f[name]["se"],
                    "spread": "se",
                    "n": draws,
                    "unit": "draw",
                    "dropped": 0,
                }
                for name, _ in named[1:]
            ],
        }
        for level, f in zip(levels, floors)
    ]
    return {
        "caption": f"expected {s.headline.short} of the reference decoders ± "
        f"standard error, each from its own {format_number(draws)} noisy {s.sample}s",
        "row_headings": ["noise level"],
        "column_heading": "",
        "columns": [label for _, label in named[1:]],
        "rows": rows,
    }


def _statistic(run, decoder: str, statistic: str) -> float:
    """One number of a decoder's summary (NaN where missing, which the statistics skip)."""
    return Metric(decoder, "", ("denoise", decoder, statistic)).of(run.metrics)


def _decoder_table(
    s: sm.Summary, configurations: list[sm.Configuration], statistic: str, caption: str
) -> dict:
    """One row per configuration, one column per decoder, mean ± 95 % CI over seeds."""
    named = decoders(s)
    rows = [
        {
            "labels": [c.values.get(a.name, "") for a in s.varying] or ["all runs"],
            "cells": [
                stats.describe([_statistic(r, name, statistic) for r in c.ok]) for name, _ in named
            ],
        }
        for c in configurations
    ]
    return {
        "caption": caption,
        "row_headings": [a.heading for a in s.varying] or [""],
        "column_heading": "",
        "columns": [label for _, label in named],
        "rows": rows,
    }


def _group_by(configs: list[sm.Configuration], axes: list[Axis]) -> dict[str, list]:
    groups: dict[str, list] = {}
    for c in configs:
        groups.setdefault(" · ".join(c.values[a.name] for a in axes), []).append(c)
    return groups


def _level_series(configs, levels, decoder, label, style) -> dict:
    """One decoder's mean ± std over the runs of ``configs`` at each noise level."""
    means, stds = [], []
    for level in levels:
        st = stats.describe(
            [
                _statistic(r, decoder, "mean")
                for c in configs
                for r in c.ok
                if r.spec.noise.level == level
            ]
        )
        means.append(st["mean"])
        stds.append(st["std"])
    return {"label": label, "mean": nan_list(means), "std": nan_list(stds), "style": style}


def prepare(levels: list[float], series: list[dict], xlabel: str, ylabel: str):
    from report.figures import curves  # matplotlib only where figures are drawn

    series = [
        {**s, "mean": np.array(s["mean"], dtype=float), "std": np.array(s["std"], dtype=float)}
        for s in series
    ]
    return curves.denoising_baselines(levels, series, xlabel, ylabel)


SLIDE = SlideKind(
    name="denoising_baselines",
    title="Denoising against reference decoders",
    position=140,
    build=build,
    why_not=needs_noise,
    prepare=prepare,
    card=2,
)
