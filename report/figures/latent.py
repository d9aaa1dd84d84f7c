"""The latent plane: where the codes lie, what a grid over the plane decodes to, and how both
change over a VAE's training.

Codes are marked by what the data says of its samples: glyphs by their character, labelled
data by a colour per class (with a legend), unlabelled data in one colour. Decoded pictures are
of the data's shape (h, w, c), drawn by report.figures.pictures at their aspect ratio."""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
from matplotlib import colormaps, patheffects
from matplotlib.colors import ListedColormap, to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from report.figures.labels import annotate, in_points, plan_labels
from report.figures.pictures import draw_picture, mosaic
from report.figures.style import (
    ACCENT,
    CLASS_COLOURS,
    MIN_TEXT_PT,
    TEXT,
    TITLE_SIZE,
    figure,
    frame,
    grid_shape,
    panel_axes,
    styled,
    title_room,
)
from report.figures.text import text_width, wrap
from report.formatting import format_number

LABEL_SIZE = 9.0  # a character beside its code
HALO = [patheffects.withStroke(linewidth=2.6, foreground="white")]  # labels readable over pixels
#: The box of the N(0, 1) prior's 5-95 % quantiles on each axis.
GAUSSIAN_SPAN = (NormalDist().inv_cdf(0.05), NormalDist().inv_cdf(0.95))
LEGEND_SIZE = 9.5  # the class legend's text (rcParams' legend.fontsize)
MAX_LEGEND = 20  # classes a legend lists; more are told apart by colour alone


def labelled(classes: list[str]) -> bool:
    """Whether the data tells its samples apart: more than one class (a folder of pictures
    without subfolders is one class, named after the folder)."""
    return len(classes) > 1


def class_colours(n: int) -> list[str]:
    """A colour per class: the ten of CLASS_COLOURS for up to 10 classes, else hues spread
    evenly."""
    if n <= len(CLASS_COLOURS):
        return CLASS_COLOURS[:n]
    return [to_hex(c) for c in colormaps["turbo"](np.linspace(0.05, 0.95, n))]


def latent_grid(extent: tuple[float, float, float, float], steps: int) -> np.ndarray:
    """A regular steps x steps grid over the box (x0, x1, y0, y1), top row first: (G*G, 2)."""
    xs = np.linspace(extent[0], extent[1], steps)
    ys = np.linspace(extent[3], extent[2], steps)  # top of the picture = high z2
    gx, gy = np.meshgrid(xs, ys)
    return np.stack([gx.ravel(), gy.ravel()], axis=1)


def _view(codes: np.ndarray, robust: bool, margin: float = 0.06) -> tuple[float, ...]:
    """The box (x0, x1, y0, y1) a scatter shows: every code with a margin, or for thousands
    of codes the 0.1-99.9 % quantiles, so that a few strays do not shrink the rest to a dot."""
    low, high = (
        np.quantile(codes, [0.001, 0.999], axis=0)
        if robust
        else (codes.min(axis=0), codes.max(axis=0))
    )
    span = np.where(high - low > 0, high - low, 1.0)
    low, high = low - margin * span, high + margin * span
    return (low[0], high[0], low[1], high[1])


def _cell_view(extent: tuple[float, ...], steps: int) -> tuple[float, ...]:
    """The box a decoded grid covers: its extent, and half a cell beyond, as each image is
    centred on its grid point."""
    x0, x1, y0, y1 = extent
    dx, dy = (x1 - x0) / (steps - 1) / 2, (y1 - y0) / (steps - 1) / 2
    return (x0 - dx, x1 + dx, y0 - dy, y1 + dy)


def _left_out(codes: np.ndarray, view: tuple[float, ...], unlabelled: list[str]) -> str:
    """What a panel does not show, for its title: "12 of 5,000 points outside; no room for
    the labels a, b" or ""."""
    x, y = codes[:, 0], codes[:, 1]
    outside = int(np.sum((x < view[0]) | (x > view[1]) | (y < view[2]) | (y > view[3])))
    beyond = f"{format_number(outside)} of {format_number(len(codes))} points outside"
    notes = [beyond] if outside else []
    if unlabelled:
        notes.append(f"not labelled: {' '.join(unlabelled)}")
    return "; ".join(notes)


def _plan(
    title: str,
    codes: np.ndarray,
    texts: list[str],
    view: tuple[float, ...],
    frame_in: tuple[float, float],
    size: float,
    title_size: float = TITLE_SIZE,
) -> dict:
    """A panel's label places and its title, with what it leaves out: decided before the
    figure is laid out, since the titles' lines set its margins. ``frame_in``: the axes' size
    in inches; ``texts``: a label per code, or none."""
    frame_pt = (frame_in[0] * 72, frame_in[1] * 72)
    plans, unlabelled = (
        plan_labels(in_points(codes, view, frame_pt), texts, size, frame_pt) if texts else ([], [])
    )
    note = _left_out(codes, view, unlabelled)
    return {
        "view": view,
        "texts": texts,
        "plans": plans,
        "title": wrap(title + (f"\n{note}" if note else ""), frame_pt[0], title_size),
    }


def _scatter_panel(
    ax, codes: np.ndarray, labels: np.ndarray, plan: dict, classes: list[str], size: float
) -> None:
    """Glyphs: each point labelled with its character. Labelled data: one colour per class,
    one call. Unlabelled data: one colour."""
    ax.set(xlim=plan["view"][:2], ylim=plan["view"][2:])
    ax.set_box_aspect(1)
    if plan["texts"]:
        ax.scatter(codes[:, 0], codes[:, 1], s=14, color=ACCENT, alpha=0.5, linewidths=0)
        annotate(
            ax,
            codes,
            plan["texts"],
            plan["plans"],
            size,
            leader=TEXT,
            color=TEXT,
            fontweight="bold",
        )
        return
    dot = {
        "s": 10 if len(codes) < 300 else 4 if len(codes) < 10_000 else 1.2,
        "alpha": 0.6,
        "linewidths": 0,
        "rasterized": True,
    }
    if not labelled(classes):
        ax.scatter(codes[:, 0], codes[:, 1], color=ACCENT, **dot)
        return
    ax.scatter(
        codes[:, 0],
        codes[:, 1],
        c=np.asarray(labels),
        vmin=-0.5,
        vmax=len(classes) - 0.5,
        cmap=ListedColormap(class_colours(len(classes))),
        **dot,
    )


def _codes(panel: dict, classes: list[str], text: bool) -> tuple[np.ndarray, list[str]]:
    """A panel's codes in the plane (N, 2), and their characters when they are labelled."""
    codes = np.asarray(panel["codes"], dtype=float)[:, :2]
    return codes, [classes[int(k)] for k in panel["labels"]] if text else []


def _legend_room(classes: list[str], text: bool) -> float:
    """Inches the class legend takes in the right margin: none for glyphs (labelled in place),
    for unlabelled data, or for more classes than a legend lists."""
    if text or not labelled(classes) or len(classes) > MAX_LEGEND:
        return 0.0
    widest = max(text_width(c, LEGEND_SIZE) for c in [*classes, "class"])
    return (widest + 3.2 * LEGEND_SIZE) / 72


def _class_legend(fig: Figure, classes: list[str], text: bool) -> None:
    """One legend for all panels, in the right margin that the layout left for it."""
    if not _legend_room(classes, text):
        return
    handles = [
        Line2D([], [], marker="o", linestyle="", color=colour, label=c)
        for c, colour in zip(classes, class_colours(len(classes)))
    ]
    fig.legend(
        handles=handles,
        loc="center right",
        title="class",
        markerscale=1.2,
        fontsize=LEGEND_SIZE,
        title_fontsize=LEGEND_SIZE,
    )


@styled
def latent_scatter(panels: list[dict], classes: list[str], text: bool) -> Figure:
    """The training set in the latent plane of each configuration's representative run.

    panels: [{"title", "codes": (N, Z), "labels": (N,)}]; ``text`` labels glyphs by their
    character; other labelled data is coloured by class, unlabelled data (one class) is not.
    """
    rows, cols = grid_shape(len(panels), 3)
    legend = _legend_room(classes, text)
    side = 4.4 if cols == 1 else (10 - 0.95 - legend - (cols - 1) * 0.85) / cols
    codes = [_codes(p, classes, text) for p in panels]
    plans = [
        _plan(p["title"], xy, texts, _view(xy, robust=len(xy) > 1000), (side, side), LABEL_SIZE)
        for p, (xy, texts) in zip(panels, codes)
    ]
    top = title_room([p["title"] for p in plans])
    fig = figure(
        side * cols + (cols - 1) * 0.85 + 0.95 + legend,
        top + rows * side + (rows - 1) * (0.6 + top) + 0.55,
    )
    axes = panel_axes(
        fig,
        len(panels),
        cols,
        left=0.8,
        right=0.15 + legend,
        top=top,
        bottom=0.55,
        wgap=0.85,
        hgap=0.6 + top,
    )
    for ax, panel, (xy, _), plan in zip(axes, panels, codes, plans):
        _scatter_panel(ax, xy, panel["labels"], plan, classes, LABEL_SIZE)
        ax.set_title(plan["title"])
        ax.set(xlabel="z₁", ylabel="z₂")
    _class_legend(fig, classes, text)
    return fig


def _box(picture: np.ndarray, side: float) -> tuple[float, float]:
    """(width, height) in inches of the largest box within side x side with the picture's
    aspect ratio: its pixels stay square."""
    height, width = picture.shape[:2]
    return (side, side * height / width) if width >= height else (side * width / height, side)


@styled
def generated_grid(panels: list[dict], shape: tuple[int, int, int]) -> Figure:
    """Pictures decoded from a grid over the latent plane, training codes marked on top.

    panels: [{"title", "images": (G*G, D), "extent": (x0, x1, y0, y1), "codes": (N, 2),
    "labels": [str] (one per code, or none)}]; shape: the data's (h, w, c). The grid spans
    ``extent``, so a code sits over the picture it decodes near; each panel has the grid's
    aspect ratio. The decoded grid is the view: codes beyond it are counted in the panel's title.
    """
    rows, cols = grid_shape(len(panels), 2)
    steps = int(round(np.sqrt(len(panels[0]["images"]))))
    pictures = [mosaic(np.asarray(p["images"], dtype=float), shape, steps) for p in panels]
    box = _box(pictures[0], 4.1 if cols > 1 else 4.8)
    views = [_cell_view(p["extent"], steps) for p in panels]
    plans = [
        _plan(
            p["title"],
            np.asarray(p["codes"], dtype=float)[:, :2],
            list(p["labels"]),
            view,
            box,
            LABEL_SIZE,
        )
        for p, view in zip(panels, views)
    ]
    top = title_room([p["title"] for p in plans])
    fig = figure(
        box[0] * cols + (cols - 1) * 0.8 + 1.05,
        top + rows * box[1] + (rows - 1) * (0.65 + top) + 0.6,
    )
    axes = panel_axes(fig, len(panels), cols, left=0.8, top=top, wgap=0.8, hgap=0.65 + top)
    for ax, panel, plan, picture in zip(axes, panels, plans, pictures):
        ax.imshow(
            0.3 + 0.7 * picture, interpolation="nearest", extent=plan["view"], aspect="auto"
        )  # faded towards the paper, so the marks stand out
        codes = np.asarray(panel["codes"], dtype=float)[:, :2]
        ax.scatter(
            codes[:, 0],
            codes[:, 1],
            s=26 if plan["texts"] else 9,
            color=ACCENT,
            edgecolors="white",
            linewidths=0.8 if plan["texts"] else 0.5,
            zorder=3,
        )  # unnamed codes: small, the decoded pictures stay in view
        annotate(
            ax,
            codes,
            plan["texts"],
            plan["plans"],
            LABEL_SIZE,
            leader=ACCENT,
            zorder=4,
            color=ACCENT,
            fontweight="bold",
            path_effects=HALO,
        )
        ax.set(
            xlim=plan["view"][:2],
            ylim=plan["view"][2:],
            title=plan["title"],
            xlabel="z₁",
            ylabel="z₂",
        )
        ax.grid(False)
    return fig


@styled
def vae_progression(
    rows: list[dict],
    classes: list[str],
    text: bool,
    shape: tuple[int, int, int],
    extent: tuple[float, ...],
    max_cols: int = 4,
) -> Figure:
    """Snapshot epochs side by side: the latent scatter above the decoded latent manifold.

    rows: [{"title", "codes": (N, Z), "labels": (N,), "manifold": (G*G, D) or None}], one per
    snapshot epoch; every scatter shows the box ``extent`` (x0, x1, y0, y1) that the manifolds
    decode, so the spreading of the codes reads left to right and each picture sits under its
    plane; the codes beyond it are counted in the title. A manifold is None where the run kept
    no weights for that epoch. shape: the data's (h, w, c).
    """
    cols = min(len(rows), max_cols)
    blocks = -(-len(rows) // cols)
    side = min(9.2 / cols, 2.8)
    legend = _legend_room(classes, text)
    plans = [
        _plan(
            row["title"],
            *_codes(row, classes, text),
            tuple(extent),
            (side, side),
            LABEL_SIZE,  # four columns at most keep a panel wide enough for labels this size
            title_size=10,
        )
        for row in rows
    ]
    gap = max(0.4, title_room([p["title"] for p in plans], 10) + 0.1)
    fig = figure(
        side * cols + (cols - 1) * 0.4 + 0.55 + legend,
        blocks * 2 * side + (2 * blocks - 1) * gap + gap + 0.1,
    )
    axes = fig.subplots(2 * blocks, cols, squeeze=False)
    frame(
        fig,
        2 * blocks,
        cols,
        left=0.45,
        right=0.1 + legend,
        top=gap,
        bottom=0.1,
        wgap=0.4,
        hgap=gap,
    )
    for i, (row, plan) in enumerate(zip(rows, plans)):
        scatter_ax, image_ax = axes[2 * (i // cols), i % cols], axes[2 * (i // cols) + 1, i % cols]
        _scatter_panel(
            scatter_ax, _codes(row, classes, False)[0], row["labels"], plan, classes, LABEL_SIZE
        )
        scatter_ax.set_title(plan["title"], fontsize=10)
        scatter_ax.tick_params(labelsize=MIN_TEXT_PT)
        _manifold(image_ax, row["manifold"], shape)
    for k in range(len(rows), blocks * cols):  # empty slots of the last block
        axes[2 * (k // cols), k % cols].set_visible(False)
        axes[2 * (k // cols) + 1, k % cols].set_visible(False)
    _class_legend(fig, classes, text)
    return fig


def _manifold(ax, manifold: np.ndarray | None, shape: tuple[int, int, int]) -> None:
    """The decoded grid of one epoch, or a word that the run kept no weights for it."""
    if manifold is None:
        ax.set_axis_off()
        ax.text(
            0.5,
            0.5,
            "weights of this epoch\nnot stored",
            ha="center",
            va="center",
            fontsize=MIN_TEXT_PT,
            transform=ax.transAxes,
        )
        return
    steps = int(round(np.sqrt(len(manifold))))
    draw_picture(ax, mosaic(np.asarray(manifold, dtype=float), shape, steps, gap=0))
