"""Figures published elsewhere (the YAML's ``reference:``) against ours, configuration by
configuration: one scatter per measure, their figure along x and ours along y.

Where the two orders agree the points rise from left to right; the units may differ, so only
that shape is read, never the slope. The panels are stacked in one column no wider than a
phone's page (5.4 in: at the page's least scale, report.figures.style.MIN_SCALE, 346 CSS px),
so the same file reads at 1280 and at 390 px.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from report.figures.style import (
    MIN_TEXT_PT,
    TEXT,
    colour,
    figure,
    frame,
    legend_below,
    legend_room,
    styled,
    title_room,
    wants_log,
)
from report.figures.text import LINE, lines, wrap

WIDTH = 5.4  # inches: at the page's least scale 346 CSS px, within a phone's 350 px column
AXIS_H = 2.2  # inches of one panel's axes
LEFT, RIGHT = 0.85, 0.3
MARKERS = ["o", "s", "^", "D", "v", "P"]  # one per group (noise level, say)


@styled
def against(
    panels: list[dict], xlabel: str, ylabel: str, configurations: list[str], groups: list[str]
) -> Figure:
    """A panel per measure, stacked, sharing the x axis (the reference's figures): each
    configuration's point in its colour, its group's marker, and ours with its 95 % interval
    as a vertical whisker where there is one.

    panels: [{"title", "points": [{"configuration": index, "group": index, "x", "y", "low",
    "high"}]}]; y None where there is no value (every run diverged), low and high None where
    there is no interval. groups: the groups' names, [] for a single unnamed one.
    """
    width = WIDTH - LEFT - RIGHT
    titles = [wrap(p["title"], width * 72, 11.5) for p in panels]
    top = title_room(titles)
    xlabel = wrap(xlabel, width * 72, 10.5, "normal")
    handles = _handles(configurations, groups)
    columns, legend = legend_room([h.get_label() for h in handles], WIDTH)
    bottom = 0.5 + lines(xlabel) * LINE * 10.5 / 72 + legend
    n = len(panels)
    fig = figure(WIDTH, top + n * AXIS_H + (n - 1) * (top + 0.2) + bottom)
    axes = fig.subplots(n, 1, sharex=True, squeeze=False).ravel()
    frame(fig, n, 1, left=LEFT, right=RIGHT, top=top, bottom=bottom, hgap=top + 0.2)
    for ax, panel, title in zip(axes, panels, titles):
        _panel(ax, panel["points"])
        ax.set_title(title)
        ax.set_ylabel(ylabel)
    xs = [np.array([p["x"] for p in panels[0]["points"]], dtype=float)]
    if wants_log(xs):
        axes[-1].set_xscale("log")
    axes[-1].set_xlabel(xlabel)
    if len(handles) > 1:
        legend_below(fig, handles, columns)
    return fig


def _panel(ax, points: list[dict]) -> None:
    """One measure's points and whiskers; how many have no value, written in a corner."""
    drawn = [p for p in points if p["y"] is not None]
    for p in drawn:
        c = colour(p["configuration"])
        if p["low"] is not None:
            ax.plot([p["x"], p["x"]], [p["low"], p["high"]], color=c, linewidth=1.6)
        ax.plot(
            p["x"],
            p["y"],
            marker=MARKERS[p["group"] % len(MARKERS)],
            color=c,
            markersize=7,
            linestyle="",
        )
    values = [
        np.array([p[k] for p in drawn if p[k] is not None], dtype=float)
        for k in ("y", "low", "high")
    ]
    if wants_log(values):
        ax.set_yscale("log")
    missing = len(points) - len(drawn)
    if missing:
        ax.text(
            0.01,
            0.02,
            f"{missing} not drawn: every run diverged",
            transform=ax.transAxes,
            fontsize=MIN_TEXT_PT,
        )
    ax.margins(x=0.12, y=0.12)


def _handles(configurations: list[str], groups: list[str]) -> list[Line2D]:
    """The legend: a colour per configuration, then a marker per group where there are
    several."""
    named = [
        Line2D([], [], color=colour(i), marker="o", linestyle="", markersize=7, label=label)
        for i, label in enumerate(configurations)
    ]
    return named + [
        Line2D([], [], color=TEXT, marker=MARKERS[i % len(MARKERS)], linestyle="", label=g)
        for i, g in enumerate(groups)
    ]
