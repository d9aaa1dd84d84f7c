"""Lines over training and over noise: learning curves, when runs reach the bar, and the
denoising error beside reference denoisers."""

from __future__ import annotations

import matplotlib
import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from report import stats
from report.figures.style import (
    MIN_TEXT_PT,
    TEXT,
    TITLE_SIZE,
    WRONG,
    class_ticks,
    colour,
    dash,
    figure,
    frame,
    legend_below,
    legend_room,
    styled,
    title_room,
    wants_log,
)
from report.figures.text import wrap
from report.formatting import plain


def _thin(n: int, limit: int = 800) -> np.ndarray:
    """Indices of at most ``limit`` epochs, denser at the start where curves bend most."""
    if n <= limit:
        return np.arange(n)
    return np.unique(np.geomspace(1, n, limit).astype(int) - 1)


def _curve_slots(panels: list[dict], groups: list[str]) -> tuple[int, list]:
    """Columns, and per grid cell (row-major) its (metric panel, group) or None: one row of
    metrics side by side without groups, else a block of rows per metric, a panel per group."""
    if len(groups) == 1:
        return len(panels), [(p, groups[0]) for p in panels]
    cols = 2 if len(groups) in (2, 4) else min(len(groups), 3)
    blank = [None] * (-len(groups) % cols)
    return cols, [cell for p in panels for cell in [(p, g) for g in groups] + blank]


def _curves(ax, series: list[dict], labels: list[str]) -> None:
    """Each series' mean over runs and its interquartile band, styled by its label's place."""
    for s in series:
        values = np.asarray(s["values"], dtype=float)  # (R, T)
        keep = _thin(values.shape[1])
        mean, low, high = stats.mean_and_quartiles(values[:, keep])
        i = labels.index(s["label"])
        ax.fill_between(keep + 1, low, high, color=colour(i), alpha=0.15, linewidth=0)
        ax.plot(keep + 1, mean, color=colour(i), linestyle=dash(i), linewidth=1.8)


def _line_handles(labels: list[str], **style) -> list[Line2D]:
    return [
        Line2D([], [], color=colour(i), linestyle=dash(i), label=label, **style)
        for i, label in enumerate(labels)
    ]


@styled
def learning_curves(panels: list[dict]) -> Figure:
    """Mean over seeds with an interquartile band, one line per configuration. Configurations
    split into small multiples by their ``group`` (a row of panels per metric, the y axis shared
    along it), so that no axes holds more lines than can be told apart; one legend below.

    panels: one per metric, [{"title", "ylabel", "series": [{"label", "group", "values": (R, T)}]}]
    """
    series = [s for p in panels for s in p["series"]]
    groups = list(dict.fromkeys(s.get("group", "") for s in series))
    labels = list(dict.fromkeys(s["label"] for s in series))
    cols, slots = _curve_slots(panels, groups)
    rows = len(slots) // cols
    wgap = 1.0 if len(groups) == 1 else 0.3
    axis_w = (10 - 0.85 - 0.25 - (cols - 1) * wgap) / cols
    titles = [
        wrap(slot[1] or slot[0]["title"], axis_w * 72, TITLE_SIZE) if slot else "" for slot in slots
    ]
    named = [label for label in labels if label]  # series without a label stay out of the legend
    columns, legend = legend_room(named, 10)
    top = title_room(titles)
    height = 3.0 if rows == 1 else 2.5
    fig = figure(10, top + rows * height + (rows - 1) * (0.65 + top) + 0.6 + legend)
    axes = fig.subplots(rows, cols, squeeze=False, sharex=True).ravel()
    frame(fig, rows, cols, left=0.85, top=top, bottom=0.6 + legend, wgap=wgap, hgap=0.65 + top)
    first: dict[int, object] = {}  # metric panel -> its first axes, which the others share y with
    for k, (ax, slot, title) in enumerate(zip(axes, slots, titles)):
        if slot is None:
            ax.set_visible(False)
            continue
        panel, group = slot
        lead = first.setdefault(id(panel), ax)
        if lead is not ax:
            ax.sharey(lead)
        _curves(ax, [s for s in panel["series"] if s.get("group", "") == group], labels)
        ax.set_title(title)
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))  # no epoch 2.5, no crowding
        ax.xaxis.set_tick_params(labelbottom=True)
        if k % cols == 0 or len(groups) == 1:  # a long name (sse's) wraps to the axes' height
            ax.set_ylabel(
                wrap(panel["ylabel"], height * 72, matplotlib.rcParams["axes.labelsize"], "normal")
            )
        else:
            ax.tick_params(labelleft=False)
    for panel in panels:
        values = [np.asarray(s["values"], dtype=float) for s in panel["series"]]
        if wants_log(values):
            first[id(panel)].set_yscale("log")
        if max(v.shape[1] for v in values) > 2000:
            first[id(panel)].set_xscale("log")
    if legend:
        legend_below(fig, _line_handles(named, linewidth=1.8), columns)
    return fig


@styled
def denoising_baselines(
    levels: list[float], series: list[dict], xlabel: str, ylabel: str
) -> Figure:
    """Wrong pixels per sample (``ylabel`` names them) against noise level, the model beside
    reference denoisers.

    series: [{"label", "mean": (L,), "std": (L,), "style": "model"|"baseline"}]; models in
    colour with solid lines, each its own marker; references in grey, each its own dashes.
    """
    columns, legend = legend_room([s["label"] for s in series], 8)
    fig = figure(8, 4.2 + legend)
    ax = fig.subplots()
    frame(fig, left=0.75, bottom=0.6 + legend)
    x = np.asarray(levels, dtype=float)
    order = np.argsort(x)
    models = iter(range(len(series)))
    references = iter(range(1, len(series) + 1))
    for s in series:
        mean, std = np.asarray(s["mean"])[order], np.asarray(s["std"])[order]
        if s["style"] == "model":
            i = next(models)
            style = {
                "color": colour(i),
                "linestyle": "-",
                "marker": "osD^v<>p"[i % 8],
                "markersize": 5,
                "linewidth": 2.0,
            }
        else:
            style = {
                "color": TEXT,
                "linestyle": dash(next(references)),
                "marker": "o",
                "markersize": 4,
                "markerfacecolor": "none",
                "linewidth": 1.4,
            }
        ax.errorbar(x[order], mean, yerr=std, capsize=3, label=s["label"], **style)
    ax.set_xticks(x[order], [plain(v) for v in x[order]])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if wants_log([np.asarray(s["mean"], dtype=float) for s in series]):
        ax.set_yscale("log")  # the gap to the floor at low noise is hundredths of a pixel
        ax.set_ylabel(f"{ylabel} (log scale)")
    if legend:
        legend_below(fig, ax.get_legend_handles_labels()[0], columns)
    return fig


def _ecdf_panel(ax, series: list[dict], key: str, xlabel: str, end: float) -> None:
    """Share of runs that reached the bar by x; runs that never did keep the curve below 1."""
    for i, s in enumerate(series):
        for bound, style in (("le1", "-"), ("zero", (0, (5, 2)))):
            values = np.asarray(s[f"{key}_{bound}"], dtype=float)  # (R,), NaN = never
            reached = np.sort(values[np.isfinite(values)])
            if reached.size == 0:
                continue
            share = np.arange(1, reached.size + 1) / values.size
            ax.step(
                np.r_[reached[0], reached],
                np.r_[0, share],
                where="post",
                color=colour(i),
                linestyle=style,
                linewidth=1.7,
            )
    if not ax.lines:
        ax.text(
            0.5,
            0.5,
            "no run reached ≤ 1 wrong pixel",
            ha="center",
            va="center",
            transform=ax.transAxes,
        )
    ax.set_ylim(0, 1.02)
    ax.set_xlim(0, end)  # the whole training: runs that never reach the bar show as a gap to 1
    ax.set_xlabel(xlabel)
    # few ticks: a short training's seconds need four decimals, which crowd at the default count
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=key == "epochs"))
    ax.set_ylabel("share of runs")


@styled
def convergence(
    series: list[dict],
    classes: list[str],
    failures: np.ndarray,
    first_zero: np.ndarray,
    epochs: int,
    seconds: float,
) -> Figure:
    """When runs reach at most 1 (solid) and 0 (dashed) wrong pixels, and which characters are
    the hard ones.

    series: [{"label", "epochs_le1", "epochs_zero", "seconds_le1", "seconds_zero": (R,)}];
    failures: (N,) share of all runs in which each character ends with more than 1 wrong pixel;
    first_zero: (R, N) epoch at which each character first had 0 wrong pixels (NaN: never);
    it ranks the characters even when every run ends with all of them right.
    epochs, seconds: the length of training, the right end of the x axes.
    The legend sits between the two rows, under the curves it names.
    """
    handles = [
        Line2D([], [], color=TEXT, linestyle="-", label="≤ 1 wrong pixel"),
        Line2D([], [], color=TEXT, linestyle=(0, (5, 2)), label="0 wrong pixels"),
    ]
    if len(series) > 1:
        handles += [
            Line2D([], [], color=colour(i), linewidth=2.5, label=s["label"])
            for i, s in enumerate(series)
        ]
    columns, legend = legend_room([h.get_label() for h in handles], 10)
    fig = figure(10, 7.4 + legend)
    grid = fig.add_gridspec(2, 2)
    ax_epochs, ax_seconds = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[0, 1])
    frame(fig, 2, 2, left=0.75, wgap=0.9, hgap=0.85 + legend)
    _ecdf_panel(ax_epochs, series, "epochs", "epoch", epochs)
    _ecdf_panel(ax_seconds, series, "seconds", "training seconds", seconds)
    ax_epochs.set_title("runs at the bar, by epoch")
    ax_seconds.set_title("by training time")
    below_labels = ax_epochs.get_position().y0 - 0.5 / fig.get_figheight()
    fig.legend(
        handles=handles, loc="upper center", ncol=columns, bbox_to_anchor=(0.5, below_labels)
    )
    _hard_characters(
        fig.add_subplot(grid[1, :]),
        classes,
        np.asarray(failures),
        np.asarray(first_zero, dtype=float).reshape(-1, len(classes)),
        epochs,
    )
    return fig


def _hard_characters(
    ax, classes: list[str], failures: np.ndarray, first_zero: np.ndarray, epochs: int
) -> None:
    """Per character: the spread of the epoch it first came right (box: quartiles, whiskers:
    5-95 %), and in red the share of runs that end with it more than 1 pixel wrong."""
    x = np.arange(len(classes))
    columns = [col[np.isfinite(col)] for col in first_zero.T] if first_zero.size else []
    kept = [i for i, col in enumerate(columns) if col.size]
    if kept:
        ax.boxplot(
            [columns[i] for i in kept],
            positions=x[kept],
            widths=0.6,
            whis=(5, 95),
            showfliers=False,
            patch_artist=True,
            boxprops={"facecolor": to_rgba(colour(0), 0.25), "edgecolor": colour(0)},
            medianprops={"color": TEXT},
            whiskerprops={"color": colour(0)},
            capprops={"color": colour(0)},
        )
    top = max(col.max() for col in columns if col.size) if kept else epochs
    ax.set_ylim(0, top * 1.2)  # room for the shares, upright
    for i, share in enumerate(failures):
        if share > 0:
            ax.text(
                i,
                top * 1.04,
                f"{share:.0%}",
                ha="center",
                va="bottom",
                rotation=90,
                fontsize=MIN_TEXT_PT,
                color=WRONG,
            )
    class_ticks(ax, classes)
    ax.set_xlim(-0.7, len(classes) - 0.3)
    ax.set_ylabel("epoch")
    ax.set_title(
        "epoch at which each character first has 0 wrong pixels; "
        "red: % of runs that end with it more than 1 pixel wrong",
        fontsize=10,
    )
    ax.grid(axis="x", visible=False)
