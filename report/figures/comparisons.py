"""Configurations side by side by their final numbers: every seed per learning rate, each
configuration's mean with its confidence interval, and the means against the code's width."""

from __future__ import annotations

import matplotlib
import numpy as np
from matplotlib.colors import to_rgb, to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import blended_transform_factory

from report.figures.style import (
    ACCENT,
    MIN_TEXT_PT,
    TEXT,
    colour,
    dash,
    figure,
    frame,
    legend_below,
    legend_room,
    styled,
    wants_log,
)
from report.figures.text import lines, text_width, wrap


@styled
def lr_boxes(rates: list[str], series: list[dict], ylabel: str) -> Figure:
    """Box plots of the final error of every seed, per learning rate and configuration.

    series: [{"label", "values": [(R,) per rate]}]; every seed is also drawn as a dot.
    """
    columns, legend = legend_room([s["label"] for s in series], 10)
    fig = figure(10, 4.2 + legend)
    ax = fig.subplots()
    frame(fig, left=0.9, bottom=0.6 + legend)
    width = 0.8 / len(series)
    rng = np.random.default_rng(0)  # jitter only, fixed so the file is reproducible
    for i, s in enumerate(series):
        positions = np.arange(len(rates)) + (i - (len(series) - 1) / 2) * width
        data = [np.asarray(v, dtype=float)[np.isfinite(v)] for v in s["values"]]
        ax.boxplot(
            data,
            positions=positions,
            widths=width * 0.75,
            showfliers=False,
            patch_artist=True,
            medianprops={"color": colour(i), "linewidth": 2.2},
            boxprops={
                "facecolor": to_rgb(colour(i)) + (0.22,),
                "edgecolor": colour(i),
                "linestyle": dash(i),
            },
            whiskerprops={"color": colour(i)},
            capprops={"color": colour(i)},
        )
        for x, values in zip(positions, data):
            jitter = rng.uniform(-width * 0.25, width * 0.25, size=values.size)
            ax.scatter(x + jitter, values, s=7, color=colour(i), alpha=0.55, linewidths=0)
    ax.set_xticks(np.arange(len(rates)), rates)
    ax.set_xlabel("learning rate")
    ax.set_ylabel(ylabel)
    ax.grid(axis="x", visible=False)
    if legend:
        handles = [
            Patch(
                facecolor=to_rgba(colour(i), 0.22),
                edgecolor=colour(i),
                linestyle=dash(i),
                label=s["label"],
            )
            for i, s in enumerate(series)
        ]
        legend_below(fig, handles, columns)
    return fig


@styled
def overview(rows: list[dict], xlabel: str) -> Figure:
    """Each configuration's mean with its 95 % confidence interval, one row each, top to bottom
    in the order given; the best one's dot, whisker and label in the accent colour.

    rows: [{"label", "mean", "low", "high", "best": bool}]; mean None where every run diverged,
    low and high None where one seed gives no interval.
    """
    size = matplotlib.rcParams["ytick.labelsize"]
    size = matplotlib.rcParams["font.size"] if isinstance(size, str) else size
    labels = [wrap(r["label"], 4.5 * 72, size, "normal") for r in rows]
    left = 0.3 + max(text_width(line, size) for label in labels for line in label.split("\n")) / 72
    height = 0.2 * sum(map(lines, labels)) + 0.14 * len(rows)
    fig = figure(10, height + 0.35 + 0.65)
    ax = fig.subplots()
    frame(fig, left=left, right=0.6, top=0.35, bottom=0.65)
    y = -np.arange(len(rows))  # the first configuration on top
    for k, row in zip(y, rows):
        c = ACCENT if row["best"] else TEXT
        if row["low"] is not None:
            ax.plot(
                [row["low"], row["high"]],
                [k, k],
                color=c,
                linewidth=2.2 if row["best"] else 1.6,
                solid_capstyle="butt",
            )
        if row["best"]:
            ax.annotate(
                "best",
                (row["high"] if row["low"] is not None else row["mean"], k),
                xytext=(8, 0),
                textcoords="offset points",
                va="center",
                color=ACCENT,
                fontweight="bold",
                fontsize=9.5,
            )
        if row["mean"] is None:
            ax.text(
                0.01,
                k,
                "every run diverged",
                va="center",
                fontsize=MIN_TEXT_PT,
                transform=blended_transform_factory(ax.transAxes, ax.transData),
            )
        else:
            ax.plot(
                row["mean"],
                k,
                marker="D" if row["best"] else "o",
                color=c,
                markersize=8 if row["best"] else 6,
                linestyle="",
            )
    ax.set_yticks(y, labels)
    for tick, row in zip(ax.get_yticklabels(), rows):
        if row["best"]:
            tick.set(color=ACCENT, fontweight="bold")
    values = [
        np.array([r[k] for r in rows if r[k] is not None], dtype=float)
        for k in ("mean", "low", "high")
    ]
    if wants_log(values):
        ax.set_xscale("log")
    ax.set_ylim(y[-1] - 0.6, 0.6)
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="y", length=0)
    ax.set_xlabel(xlabel)
    return fig


@styled
def by_code_width(widths: list[int], panels: list[dict]) -> Figure:
    """Each series' mean with its 95 % interval against the width of the code, every seed a
    dot beside it; a panel per metric, side by side, one legend below. Series are offset a
    little along x so that their intervals do not hide each other.

    panels: [{"ylabel", "series": [{"label", "seeds": [[float] per width], "mean": [float |
    None per width], "ci": [float | None per width]}]}]; None where a width has no value or
    one seed gives no interval.
    """
    labels = [s["label"] for s in panels[0]["series"]]
    columns, legend = legend_room(labels, 10)
    fig = figure(10, 3.8 + legend)
    axes = fig.subplots(1, len(panels), squeeze=False).ravel()
    frame(fig, 1, len(panels), left=0.85, bottom=0.6 + legend, wgap=1.0)
    x = np.arange(len(widths), dtype=float)
    step = 0.5 / len(labels)
    axis_h = 3.8 - 0.4 - 0.6
    rng = np.random.default_rng(0)  # jitter only, fixed so the file is reproducible
    for ax, panel in zip(axes, panels):
        for i, s in enumerate(panel["series"]):
            at = x + (i - (len(labels) - 1) / 2) * step
            for xi, seeds in zip(at, s["seeds"]):
                ax.scatter(
                    xi + rng.uniform(-step / 4, step / 4, len(seeds)),
                    seeds,
                    s=9,
                    color=colour(i),
                    alpha=0.45,
                    linewidths=0,
                    zorder=2,
                )
            mean = np.array([np.nan if m is None else m for m in s["mean"]])
            ci = np.array([0.0 if c is None else c for c in s["ci"]])
            ax.errorbar(
                at,
                mean,
                yerr=ci,
                color=colour(i),
                linestyle=dash(i),
                marker="o",
                markersize=5,
                capsize=4,
                linewidth=1.8,
                zorder=3,
            )
        ax.set_xticks(x, [str(w) for w in widths])
        ax.set_xlabel("width of the code (units)")
        ax.set_ylabel(
            wrap(panel["ylabel"], axis_h * 72, matplotlib.rcParams["axes.labelsize"], "normal")
        )
        ax.grid(axis="x", visible=False)
        ax.set_ylim(bottom=min(0.0, ax.get_ylim()[0]))  # errors and epochs count from 0
    if legend:
        legend_below(
            fig,
            [
                Line2D([], [], color=colour(i), linestyle=dash(i), marker="o", label=label)
                for i, label in enumerate(labels)
            ],
            columns,
        )
    return fig
