"""The figures' shared look, their layout in inches, and how they are saved.

Figures are built without pyplot (no global figure registry, no display, nothing to close),
so they are safe in worker processes, and in the site's STYLE through a context (``styled``)
that leaves the rest of the program's matplotlib settings alone. Sizes are in inches at 96 CSS
px per inch: a 10-inch figure fills a 960 px slide. Line plots are written as SVG; pictures made
of pixels (glyphs, digits, 60,000-point scatters) as PNG at twice their CSS size, crisp on
high-density screens.

Read at a glance, on a light page and on a dark one. One file per figure serves both colour
schemes: its background is transparent, text and axes are one neutral grey (TEXT: 4.3:1 against
white and 4.4:1 against #111, the most any single grey reaches against both), and series take
mid-tone hues (PALETTE, at least 3.7:1 against both); classes of labelled data take a palette
of ten hues a reader tells apart (CLASS_COLOURS). Pictures of pixels keep their own white
paper. An axes holds at most a handful of series, each with its own colour and line style so
that they differ in greyscale too; legends sit below the axes, outside the data; titles are
wrapped to their panel (report.figures.text); point labels are placed clear of each other
(report.figures.labels); and a view that leaves points out says how many.
"""

from __future__ import annotations

import functools
import math
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib import colormaps
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from PIL import Image

from report.figures.text import LINE, legend_rows, lines, text_width

CSS_DPI = 96  # CSS pixels per inch: browsers draw 1 in = 96 px
PNG_SCALE = 2  # PNGs carry twice the pixels of their CSS size
TEXT = "#7a7a7a"  # text, axes and neutral marks: reads on white and on near-black alike
INK = "#1f2328"  # the dark pixels of pictures, on their own white paper
WRONG = "#e03131"  # a wrong pixel
GRID = (0.5, 0.5, 0.5, 0.3)  # light on white, dark on black
# Mid-tone hues, the accent first; each at least 3.7:1 against white and against #111.
PALETTE = ["#3a75d6", "#d9600c", "#259545", "#9d58c9", "#c8377a", "#16919c", "#9a8400", "#8c6d46"]
ACCENT = PALETTE[0]
# Line styles paired with the colours: series stay apart in greyscale and for colour-blind eyes.
DASHES = [
    "-",
    (0, (5, 2)),
    (0, (1, 1.6)),
    (0, (7, 2, 1.5, 2)),
    (0, (3, 1.5, 1, 1.5, 1, 1.5)),
    (0, (10, 3)),
]
# A colour per class of labelled data (the ten digits): matplotlib's tab10 (Tableau's 10, d3's
# category10), the palette readers know from digit scatters, every pair far apart in hue or
# lightness (tests/test_figures.py measures it). Figures sit on a light card in a dark page too
# (style.css's --figure-paper), so its lighter hues read in both schemes.
CLASS_COLOURS = [to_hex(c) for c in colormaps["tab10"].colors]
TITLE_SIZE = 11.5
# The smallest text a figure draws, in points, and so the least a page may shrink a figure for
# that text to stay at 8 CSS px, what a reader reads (report.check's MIN_TEXT_PX): on a phone a
# figure scrolls inside its box rather than shrink below MIN_SCALE.
MIN_TEXT_PT = 9  # the latent scatters' point labels (report.figures.labels)
MIN_SCALE = 8 / (MIN_TEXT_PT * CSS_DPI / 72)

STYLE = {
    "font.size": 10.5,
    "axes.titlesize": TITLE_SIZE,
    "axes.labelsize": 10.5,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.edgecolor": TEXT,
    "axes.labelcolor": TEXT,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": GRID,
    "grid.linewidth": 0.8,
    "axes.axisbelow": True,
    "xtick.color": TEXT,
    "ytick.color": TEXT,
    "text.color": TEXT,
    "figure.facecolor": "none",
    "axes.facecolor": "none",
    "savefig.transparent": True,
    "legend.frameon": False,
    "legend.fontsize": 9.5,
    "svg.hashsalt": "tp5",
    "svg.fonttype": "path",
    "path.simplify": True,
}


def styled(draw):
    """Run draw with the site's STYLE in matplotlib's rcParams, and the caller's back afterwards.

    Matplotlib reads rcParams when artists are made and again when a figure is drawn (ticks are
    made then, SVG options are read then), so both the functions that build a figure and
    ``save`` run styled; a program that imports this module keeps its own matplotlib settings.
    """

    @functools.wraps(draw)
    def in_style(*args, **kwargs):
        with matplotlib.rc_context(STYLE):
            return draw(*args, **kwargs)

    return in_style


def figure(width: float, height: float) -> Figure:
    """A blank figure, to be drawn on by a ``styled`` function.

    Margins are fixed in inches (``frame``) rather than solved by constrained layout, which
    measured every tick label twice and took half of the drawing time.
    """
    return Figure(figsize=(width, height))


def frame(
    fig: Figure,
    rows: int = 1,
    cols: int = 1,
    *,
    left=0.8,
    right=0.25,
    top=0.4,
    bottom=0.6,
    wgap=0.85,
    hgap=0.75,
) -> None:
    """Place a rows x cols grid of axes with margins and gaps given in inches."""
    width, height = fig.get_size_inches()
    axis_w = (width - left - right - (cols - 1) * wgap) / cols
    axis_h = (height - top - bottom - (rows - 1) * hgap) / rows
    fig.subplots_adjust(
        left=left / width,
        right=1 - right / width,
        top=1 - top / height,
        bottom=bottom / height,
        wspace=wgap / axis_w,
        hspace=hgap / axis_h,
    )


@styled
def save(fig: Figure, path: Path) -> tuple[int, int]:
    """Write SVG or 2x PNG by the file's suffix; returns the CSS size (width, height) in px."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    width, height = (round(v * CSS_DPI) for v in fig.get_size_inches())
    fig.set_size_inches(width / CSS_DPI, height / CSS_DPI)  # whole CSS pixels
    if path.suffix == ".svg":
        fig.savefig(path, format="svg", metadata={"Date": None})
        return width, height
    fig.savefig(
        path,
        format="png",
        dpi=CSS_DPI * PNG_SCALE,
        metadata={"Software": None},
        pil_kwargs={"compress_level": 3},
    )  # a little larger, much faster to write
    with Image.open(path) as image:  # the pixels Agg wrote, rounding included
        return tuple(-(-n // PNG_SCALE) for n in image.size)


def colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def dash(i: int):
    """The line style paired with ``colour(i)``."""
    return DASHES[i % len(DASHES)]


def grid_shape(n: int, max_cols: int) -> tuple[int, int]:
    cols = min(n, max_cols)
    return -(-n // cols), cols


def panel_axes(fig: Figure, n: int, max_cols: int, **margins) -> list:
    rows, cols = grid_shape(n, max_cols)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    frame(fig, rows, cols, **margins)
    for ax in axes[n:]:
        ax.set_visible(False)
    return list(axes[:n])


def title_room(titles: list[str], size: float = TITLE_SIZE) -> float:
    """Inches above an axes for the most lines any of the panels' titles has."""
    return 0.12 + max(map(lines, titles), default=1) * LINE * size / 72


def legend_below(fig: Figure, handles: list, columns: int) -> None:
    """The figure's one legend along its bottom edge, in the room ``legend_rows`` measured."""
    fig.legend(
        handles=handles,
        loc="lower center",
        ncol=columns,
        bbox_to_anchor=(0.5, 0.04 / fig.get_figheight()),
    )


def legend_room(labels: list[str], width: float) -> tuple[int, float]:
    """Columns and inches of a legend below the axes; none (0 inches) for a single series."""
    if len(labels) < 2:
        return 1, 0.0
    return legend_rows(labels, width - 0.3, matplotlib.rcParams["legend.fontsize"])


def class_ticks(ax, classes: list[str]) -> int:
    """One tick label per class along the x axis of a placed axes, never smaller than
    MIN_TEXT_PT: where the labels do not fit side by side at that size ("DEL" is the widest of
    single characters) they alternate between rows, as many as they need. Returns the rows,
    each a line of MIN_TEXT_PT or more below the axes."""
    width = ax.get_position().width * ax.figure.get_figwidth()
    slot = 0.85 * width * 72 / len(classes)  # points a label may take
    widest = max(text_width(c, 1.0) for c in classes)
    size = max(MIN_TEXT_PT, min(matplotlib.rcParams["font.size"], slot / widest))
    rows = math.ceil(size * widest / slot - 1e-9)
    ax.set_xticks(np.arange(len(classes)), classes, fontsize=size)
    for i, tick in enumerate(ax.xaxis.get_major_ticks()):
        tick.set_pad(3.5 + (i % rows) * LINE * size)
    return rows


def wants_log(values: list[np.ndarray]) -> bool:
    """Log scale when the values span more than two decades and stay positive."""
    finite = np.concatenate([v[np.isfinite(v)].ravel() for v in values] or [np.array([])])
    if finite.size == 0 or finite.min() <= 0:
        return False
    return finite.max() / finite.min() > 100
