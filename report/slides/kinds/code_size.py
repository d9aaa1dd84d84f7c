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
from report.slides import Setup, SlideKind, figure
from report.slides.runs import nan_list


def _without_code(architecture: tuple[int, ...]) -> tuple:
    """The architecture with its code's width blanked out (its place kept)."""
    z = architecture.index(min(architecture))
    return (*architecture[:z], None, *architecture[z + 1:])


def why_not(setup: Setup) -> str | None:
    architectures = setup.architectures
    if len(architectures) < 2:
        return ("needs at least 2 architectures that differ only in the width of the code, "
                f"got {len(architectures)}")
    if len({_without_code(a) for a in architectures}) > 1:
        return ("needs architectures that differ only in the width of the code (the narrowest "
                "layer)")
    return None


#: How soon a clean autoencoder's every character is right: where a narrow code reaches 0 wrong
#: pixels too, a wider one may still reach it sooner.
EPOCHS_TO_ZERO = sm.Metric("epochs_to_zero", "epochs until every character has 0 wrong pixels",
                           ("convergence", "epochs_to_zero"), "epochs to 0 wrong pixels")


def _metrics(s: sm.Summary) -> list[sm.Metric]:
    """The experiment's first two metrics, and how soon the runs reach 0 wrong pixels where
    some do."""
    reached = any(np.isfinite(EPOCHS_TO_ZERO.of(r.metrics)) for r in s.runs)
    return s.metrics[:2] + ([EPOCHS_TO_ZERO] if reached else [])


def build(s: sm.Summary) -> dict:
    others = [a for a in s.varying if a.name != "architecture"]
    widths = sorted({min(r.spec.architecture) for r in s.runs})
    metrics = _metrics(s)
    lines: dict[str, dict[int, sm.Configuration]] = {}  # other axes' label -> width -> config
    for c in s.configurations:
        label = " · ".join(c.values[a.name] for a in others)
        lines.setdefault(label, {})[min(c.runs[0].spec.architecture)] = c
    panels = [{"ylabel": m.label,
               "series": [{"label": label, "values": [nan_list(configs[w].metric(m))
                                                      if w in configs else [] for w in widths]}
                          for label, configs in lines.items()]}
              for m in metrics]
    rows = [{"labels": [str(w), *([label] if others else [])],
             "cells": [sm.stats(configs[w].metric(m)) for m in metrics]}
            for label, configs in lines.items() for w in widths if w in configs]
    table = {"caption": sm.spread_phrase(s), "row_headings": ["code width"]
             + ([" · ".join(a.heading for a in others)] if others else []),
             "column_heading": "", "columns": [m.short or m.label for m in metrics], "rows": rows}
    note = (f"{EPOCHS_TO_ZERO.label.capitalize()}: over the seeds that get there; the number "
            "after ✕ counts those that never do." if EPOCHS_TO_ZERO in metrics else None)
    return {"lede": "The final error against the width of the code (the narrowest layer): mean "
                    f"over seeds with its 95 % interval, every seed a dot; {sm.seeds_phrase(s)}.",
            "figure": figure(".svg", "Final error against the width of the code",
                             widths=widths, panels=panels),
            "tables": [table], "note": note}


def prepare(widths: list[int], panels: list[dict]):
    import matplotlib  # only where figures are drawn

    from report import figures

    with matplotlib.rc_context(figures.STYLE):
        return _draw(widths, panels)


def _draw(widths: list[int], panels: list[dict]):
    """Panels side by side, one per metric; series offset a little along x so that their
    intervals do not hide each other; one legend below, outside the data."""
    import matplotlib
    from matplotlib.lines import Line2D

    from report import figures
    from report.figure_text import legend_rows, wrap

    size = matplotlib.rcParams["legend.fontsize"]
    labels = [s["label"] for s in panels[0]["series"]]
    columns, legend = legend_rows(labels, 9.7, size) if len(labels) > 1 else (1, 0.0)
    fig = figures.figure(10, 3.8 + legend)
    axes = fig.subplots(1, len(panels), squeeze=False).ravel()
    figures.frame(fig, 1, len(panels), left=0.85, bottom=0.6 + legend, wgap=1.0)
    x = np.arange(len(widths), dtype=float)
    step = 0.5 / max(len(labels), 1)
    rng = np.random.default_rng(0)  # jitter only, fixed so the file is reproducible
    for ax, panel in zip(axes, panels):
        for i, series in enumerate(panel["series"]):
            at = x + (i - (len(labels) - 1) / 2) * step
            values = [np.array([v for v in seeds if v is not None], dtype=float)
                      for seeds in series["values"]]
            stats = [sm.stats(v) if v.size else None for v in values]
            mean = np.array([st["mean"] if st else np.nan for st in stats])
            ci = np.array([st["ci"] if st and st["ci"] is not None else 0.0 for st in stats])
            for xi, v in zip(at, values):
                ax.scatter(xi + rng.uniform(-step / 4, step / 4, v.size), v, s=9,
                           color=figures.colour(i), alpha=0.45, linewidths=0, zorder=2)
            ax.errorbar(at, mean, yerr=ci, color=figures.colour(i),
                        linestyle=figures.dash(i), marker="o", markersize=5, capsize=4,
                        linewidth=1.8, zorder=3)
        ax.set_xticks(x, [str(w) for w in widths])
        ax.set_xlabel("width of the code (units)")
        ax.set_ylabel(wrap(panel["ylabel"], 3.2 * 72, matplotlib.rcParams["axes.labelsize"],
                           "normal"))
        ax.grid(axis="x", visible=False)
        ax.set_ylim(bottom=min(0.0, ax.get_ylim()[0]))
    if legend:
        handles = [Line2D([], [], color=figures.colour(i), linestyle=figures.dash(i),
                          marker="o", label=label) for i, label in enumerate(labels)]
        fig.legend(handles=handles, loc="lower center", ncol=columns,
                   bbox_to_anchor=(0.5, 0.04 / fig.get_figheight()))
    return fig


SLIDE = SlideKind(name="code_size", title="Error against code size", position=42, build=build,
                  why_not=why_not, prepare=prepare, card=2)
