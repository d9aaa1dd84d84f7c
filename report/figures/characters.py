"""Wrong pixels per character of the font: a bar chart per configuration, or one heat map when
there are too many configurations for bars."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from report.figures.style import (
    INK,
    MIN_TEXT_PT,
    TEXT,
    WRONG,
    class_ticks,
    colour,
    figure,
    frame,
    styled,
)
from report.figures.text import text_width

#: Beyond this many configurations, wrong pixels per character are one table of colours
#: instead of a bar chart each.
MAX_BAR_PANELS = 6


@styled
def pixel_errors(classes: list[str], series: list[dict], bar: float = 1.0) -> Figure:
    """Wrong pixels per character: bars are the mean over seeds, dots single seeds; with many
    configurations, a heatmap of the means (one row each) so that none is left out.

    series: [{"label", "per_char": (R, N)}]; the dashed line (or the scale's mark) is the
    course's bar.
    """
    if len(series) > MAX_BAR_PANELS:
        return _pixel_error_map(classes, series, bar)
    fig = figure(10, 1.2 + 1.75 * len(series))
    axes = fig.subplots(len(series), 1, sharex=True, sharey=True, squeeze=False).ravel()
    frame(fig, len(series), 1, top=0.35, bottom=0.75, hgap=0.45)  # room for 3 rows of labels
    x = np.arange(len(classes))
    rng = np.random.default_rng(0)
    for i, (ax, s) in enumerate(zip(axes, series)):
        per_char = np.asarray(s["per_char"], dtype=float)  # (R, N)
        ax.bar(x, per_char.mean(axis=0), width=0.7, color=colour(i), alpha=0.8)
        if per_char.shape[0] > 1:
            jitter = rng.uniform(-0.2, 0.2, size=per_char.shape)
            ax.scatter(
                (x + jitter).ravel(), per_char.ravel(), s=4, color=TEXT, alpha=0.5, linewidths=0
            )
        ax.axhline(bar, color=WRONG, linestyle="--", linewidth=1.2)
        ax.set_title(s["label"], fontsize=10.5)
        ax.set_ylabel("wrong pixels")
        ax.grid(axis="x", visible=False)
    class_ticks(axes[-1], classes)
    axes[-1].set_xlim(-0.7, len(classes) - 0.3)
    return fig


def _pixel_error_map(classes: list[str], series: list[dict], bar: float) -> Figure:
    """One row per configuration, one column per character, coloured by the mean over seeds;
    cells above the bar are outlined."""
    means = np.array([np.asarray(s["per_char"], dtype=float).mean(axis=0) for s in series])
    fig = figure(10, 1.5 + 0.3 * len(series))
    ax = fig.subplots()
    frame(
        fig,
        left=0.3 + max(text_width(s["label"], MIN_TEXT_PT) for s in series) / 72,
        right=1.1,
        bottom=0.75,
    )
    image = ax.imshow(
        means,
        cmap="Reds",
        vmin=0,
        vmax=max(float(means.max()), 2 * bar),
        aspect="auto",
        interpolation="nearest",
    )
    rows, cols = np.nonzero(means > bar)
    ax.scatter(cols, rows, s=14, marker="s", facecolors="none", edgecolors=INK, linewidths=0.6)
    ax.set_yticks(np.arange(len(series)), [s["label"] for s in series], fontsize=MIN_TEXT_PT)
    ax.grid(False)
    colorbar = fig.colorbar(image, ax=ax, fraction=0.03, pad=0.02)
    colorbar.set_label("mean wrong pixels (squares: above the bar of 1)")
    class_ticks(ax, classes)  # once the colour bar has taken its share of the width
    return fig
