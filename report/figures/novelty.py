"""Generated pictures beside their nearest training pictures, and how far apart they are.

One block per run, top to bottom: for each set of generated pictures (prior samples, decoded
grid) a heading with its counts and rows of pairs (the sample, then its nearest training
picture, underlined: paper and colours stay the pictures' own) with the distance under each
pair, new ones in the accent colour; on binary data the decoded grid with the new characters in
full ink and the others faded; and a histogram of the sets' distances
against the training pictures' distances to their nearest other one, with the rules' lines.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure
from matplotlib.transforms import offset_copy

from report.figures.pictures import draw_picture, rgb, tile
from report.figures.style import ACCENT, TEXT, TITLE_SIZE, colour, dash, figure, styled
from report.figures.text import LINE, lines, wrap

WIDTH = 10.0  # inches: a slide
SIDE = 0.1  # inches of margin on each side
PAIRS_PER_ROW = 8
MAX_PICTURE = 0.7  # inches: the tallest a picture of a pair is drawn
HEADING = 12  # points
LABEL = 9.5  # points: a distance under its pair
FADED = 0.3  # the share of ink left in a picture set back
HIST_HEIGHT = 1.7  # inches: the histogram's axes
MAP_SIDE = 3.6  # inches: the decoded grid of binary data


def _text_height(text: str, size: float) -> float:
    return lines(text) * LINE * size / 72


class _Column:
    """Axes stacked from the top of a figure whose height is known only at the end: each is
    placed in inches from the top, and converted to figure fractions once all are in."""

    def __init__(self):
        self.y = 0.0  # inches used from the top
        self.placed: list[tuple] = []  # (callback, left, top, width, height) in inches

    def add(
        self,
        draw,
        height: float,
        width: float = WIDTH - 2 * SIDE,
        left: float = SIDE,
        after: float = 0.0,
    ) -> None:
        self.placed.append((draw, left, self.y, width, height))
        self.y += height + after

    def figure(self) -> Figure:
        fig = figure(WIDTH, self.y + SIDE)
        total = fig.get_figheight()
        for draw, left, top, width, height in self.placed:
            ax = fig.add_axes(
                (left / WIDTH, 1 - (top + height) / total, width / WIDTH, height / total)
            )
            draw(ax)
        return fig


def _text(text: str, size: float, weight: str = "normal"):
    def draw(ax):
        ax.set_axis_off()
        ax.text(
            0,
            1,
            text,
            va="top",
            ha="left",
            fontsize=size,
            fontweight=weight,
            transform=ax.transAxes,
        )

    return draw


def _pair_row(row: dict, shape, scale: float, first: int, whole: bool):
    """A row of pairs: pair k is samples[k] beside neighbours[k], its distance below."""
    h, w = shape[:2]
    samples = rgb(row["samples"], shape)[first : first + PAIRS_PER_ROW]
    neighbours = rgb(row["neighbours"], shape)[first : first + PAIRS_PER_ROW]
    pairs = np.stack([tile(np.stack([a, b])[None], gap=1) for a, b in zip(samples, neighbours)])
    gap = _pair_gap(w)
    picture = tile(pairs[None], gap=gap)  # (h, P * (2w + 1) + (P - 1) * gap, 3)
    distances = row["distances"][first : first + PAIRS_PER_ROW]
    new = row["new"][first : first + PAIRS_PER_ROW]

    def draw(ax):
        draw_picture(ax, picture)
        below = offset_copy(ax.transData, fig=ax.figure, y=-2, units="points")
        for k, (d, is_new) in enumerate(zip(distances, new)):
            x = k * (2 * w + 1 + gap) + w  # the pair's middle column
            ax.plot(
                [x + 0.5, x + w + 0.5],
                [h - 0.5, h - 0.5],
                color=ACCENT,
                linewidth=2,
                solid_capstyle="butt",
                transform=below,
                clip_on=False,
            )  # the training one
            ax.annotate(
                f"{d:.0f} px" if whole else f"{d:.3f}",
                (x, h - 0.5),
                xytext=(0, -4),
                textcoords="offset points",
                ha="center",
                va="top",
                fontsize=LABEL,
                color=ACCENT if is_new else TEXT,
                fontweight="bold" if is_new else "normal",
                annotation_clip=False,
            )

    return draw, picture.shape[1] * scale, h * scale


def _pair_gap(w: int) -> int:
    return max(3, w // 2 + 1)


def _scale(shape) -> float:
    """Inches per pixel: a full row of pairs fits the slide, and no picture is huge."""
    h, w = shape[:2]
    row = PAIRS_PER_ROW * (2 * w + 1) + (PAIRS_PER_ROW - 1) * _pair_gap(w)
    return min((WIDTH - 2 * SIDE) / row, MAX_PICTURE / h)


def _grid_map(images: np.ndarray, marked: np.ndarray, shape):
    """The decoded grid, the marked cells in full ink and the others faded."""
    steps = math.isqrt(len(images))
    pictures = rgb(images, shape)
    pictures[~marked] = 1 - FADED * (1 - pictures[~marked])  # towards the white paper
    picture = tile(pictures.reshape(steps, steps, *pictures.shape[1:]), gap=1)
    return lambda ax: draw_picture(ax, picture)


def _histogram(hist: dict, whole: bool):
    """Each set's distances against the training distances, as shares of their pictures."""
    reference = np.asarray(hist["reference"], dtype=float)
    values = np.concatenate([reference, *(np.asarray(s["distances"]) for s in hist["sets"])])
    top = max(values.max(), max(line["at"] for line in hist["lines"]), 1e-9)
    bins = np.arange(-0.5, top + 1.5) if whole else np.linspace(0, top * 1.02, 41)

    def draw(ax):
        ax.hist(
            reference,
            bins,
            weights=np.full(len(reference), 1 / len(reference)),
            color=TEXT,
            alpha=0.35,
            label=hist["reference_label"],
        )
        for i, s in enumerate(hist["sets"]):
            d = np.asarray(s["distances"], dtype=float)
            ax.hist(
                d,
                bins,
                weights=np.full(len(d), 1 / len(d)),
                histtype="step",
                color=colour(i),
                linestyle=dash(i),
                linewidth=1.8,
                label=s["label"],
            )
        for i, line in enumerate(hist["lines"]):
            ax.axvline(
                line["at"],
                color=TEXT if i < 2 else ACCENT,
                linewidth=1.2,
                linestyle=dash(i + 1),
                label=line["label"],
            )
        ax.set(xlabel=hist["xlabel"], ylabel="share of pictures")
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.05), fontsize=9)

    return draw


@styled
def nearest_pairs(blocks: list[dict], shape: tuple[int, int, int], whole: bool) -> Figure:
    """Generated pictures beside their nearest training pictures; ``whole``: the distances are
    counts of pixels (binary data), else RMS of values.

    blocks: [{"title",
              "rows": [{"heading", "samples": (P, D), "neighbours": (P, D), "distances": (P,),
                        "new": (P,) bool}],
              "map": None or {"heading", "images": (G*G, D), "marked": (G*G,) bool},
              "histogram": {"reference": (M,), "reference_label", "xlabel",
                            "sets": [{"label", "distances": (S,)}],
                            "lines": [{"label", "at"}]}}]
    """
    scale = _scale(shape)
    column = _Column()
    for b, block in enumerate(blocks):
        title = wrap(block["title"], (WIDTH - 2 * SIDE) * 72, TITLE_SIZE)
        column.add(_text(title, TITLE_SIZE, "bold"), _text_height(title, TITLE_SIZE), after=0.08)
        for row in block["rows"]:
            heading = wrap(row["heading"], (WIDTH - 2 * SIDE) * 72, HEADING, "normal")
            column.add(_text(heading, HEADING), _text_height(heading, HEADING), after=0.05)
            for first in range(0, len(row["samples"]), PAIRS_PER_ROW):
                draw, width, height = _pair_row(row, shape, scale, first, whole)
                column.add(draw, height, width, after=0.34)  # room for the distances
        if block["map"]:
            heading = wrap(block["map"]["heading"], (WIDTH - 2 * SIDE) * 72, HEADING, "normal")
            column.add(_text(heading, HEADING), _text_height(heading, HEADING), after=0.05)
            h, w = shape[:2]
            column.add(
                _grid_map(block["map"]["images"], np.asarray(block["map"]["marked"]), shape),
                MAP_SIDE,
                MAP_SIDE * w / h,
                after=0.2,
            )
        column.add(
            _histogram(block["histogram"], whole),
            HIST_HEIGHT,
            5.6,
            left=0.8,
            after=0.75 if b == len(blocks) - 1 else 1.0,
        )  # the x label below
    return column.figure()
