"""Matplotlib figures for the site, drawn from plain arrays (no store, no files read here).

Every function takes arrays and labels and returns a ``matplotlib.figure.Figure``; ``save`` writes
it. Figures are built without pyplot (no global figure registry, no display, nothing to close),
so they are safe in worker processes, and in the site's STYLE through a context that leaves the
rest of the program's matplotlib settings alone. Sizes are in inches at 96 CSS px per inch: a 10-inch
figure fills a 960 px slide. Line plots are written as SVG; pictures made of pixels (glyphs,
digits, 60,000-point scatters) as PNG at twice their CSS size, crisp on high-density screens.

Read at a glance, on a light page and on a dark one. One file per figure serves both colour
schemes: its background is transparent, text and axes are one neutral grey (TEXT: 4.3:1 against
white and 4.4:1 against #111, the most any single grey reaches against both), and series take
mid-tone hues (PALETTE, at least 3.7:1 against both). Pictures of pixels keep their own white
paper. An axes holds at most a handful of series, each with its own colour and line style so
that they differ in greyscale too; legends sit below the axes, outside the data; titles are
wrapped to their panel; point labels are placed clear of each other (report.figure_text); and a
view that leaves points out says how many. ``overlapping_texts`` checks a figure for texts drawn
over each other.

Shapes: R runs (seeds), E epochs, N samples, D pixels, Z = 2 latent dimensions, G grid steps.
"""

from __future__ import annotations

import functools
import warnings
from pathlib import Path
from statistics import NormalDist

import matplotlib
import numpy as np
from matplotlib import patheffects
from matplotlib.colors import ListedColormap, to_rgb, to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import blended_transform_factory
from PIL import Image

from report import figure_text
from report.figure_text import LINE, legend_rows, lines, wrap

CSS_DPI = 96  # CSS pixels per inch: browsers draw 1 in = 96 px
PNG_SCALE = 2  # PNGs carry twice the pixels of their CSS size
TEXT = "#7a7a7a"  # text, axes and neutral marks: reads on white and on near-black alike
INK = "#1f2328"  # the dark pixels of pictures, on their own white paper
WRONG = "#e03131"  # a wrong pixel
GRID = (0.5, 0.5, 0.5, 0.3)  # light on white, dark on black
HALO = [patheffects.withStroke(linewidth=2.6, foreground="white")]  # labels readable over pixels
# Mid-tone hues, the accent first; each at least 3.7:1 against white and against #111.
PALETTE = ["#3a75d6", "#d9600c", "#259545", "#9d58c9", "#c8377a", "#16919c", "#9a8400",
           "#8c6d46"]
ACCENT = PALETTE[0]
# Line styles paired with the colours: series stay apart in greyscale and for colour-blind eyes.
DASHES = ["-", (0, (5, 2)), (0, (1, 1.6)), (0, (7, 2, 1.5, 2)), (0, (3, 1.5, 1, 1.5, 1, 1.5)),
          (0, (10, 3))]
DIGIT_COLOURS = PALETTE + [TEXT, "#dd4b39"]
TITLE_SIZE = 11.5

STYLE = {
    "font.size": 10.5, "axes.titlesize": TITLE_SIZE, "axes.labelsize": 10.5,
    "axes.titleweight": "bold", "axes.titlelocation": "left", "axes.edgecolor": TEXT,
    "axes.labelcolor": TEXT, "axes.spines.top": False, "axes.spines.right": False,
    "axes.grid": True, "grid.color": GRID, "grid.linewidth": 0.8, "axes.axisbelow": True,
    "xtick.color": TEXT, "ytick.color": TEXT, "text.color": TEXT,
    "figure.facecolor": "none", "axes.facecolor": "none", "savefig.transparent": True,
    "legend.frameon": False, "legend.fontsize": 9.5,
    "svg.hashsalt": "tp5", "svg.fonttype": "path", "path.simplify": True,
}


def _styled(draw):
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
    """A blank figure, to be drawn on by a ``_styled`` function.

    Margins are fixed in inches (``frame``) rather than solved by constrained layout, which
    measured every tick label twice and took half of the drawing time.
    """
    return Figure(figsize=(width, height))


def frame(fig: Figure, rows: int = 1, cols: int = 1, *, left=0.8, right=0.25, top=0.4,
          bottom=0.6, wgap=0.85, hgap=0.75) -> None:
    """Place a rows x cols grid of axes with margins and gaps given in inches."""
    width, height = fig.get_size_inches()
    axis_w = (width - left - right - (cols - 1) * wgap) / cols
    axis_h = (height - top - bottom - (rows - 1) * hgap) / rows
    fig.subplots_adjust(left=left / width, right=1 - right / width, top=1 - top / height,
                        bottom=bottom / height, wspace=wgap / axis_w, hspace=hgap / axis_h)


PICTURE = {"left": 0.05, "right": 0.05, "bottom": 0.05, "wgap": 0.25}  # pixel pictures: a
# title above each (``_picture_layout`` adds its room), nothing else


@_styled
def save(fig: Figure, path: Path) -> tuple[int, int]:
    """Write SVG or 2x PNG by the file's suffix; returns the CSS size (width, height) in px."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    width, height = (round(v * CSS_DPI) for v in fig.get_size_inches())
    fig.set_size_inches(width / CSS_DPI, height / CSS_DPI)  # whole CSS pixels
    if path.suffix == ".svg":
        fig.savefig(path, format="svg", metadata={"Date": None})
        return width, height
    fig.savefig(path, format="png", dpi=CSS_DPI * PNG_SCALE, metadata={"Software": None},
                pil_kwargs={"compress_level": 3})  # a little larger, much faster to write
    with Image.open(path) as image:  # the pixels Agg wrote, rounding included
        return tuple(-(-n // PNG_SCALE) for n in image.size)


def colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def dash(i: int):
    """The line style paired with ``colour(i)``."""
    return DASHES[i % len(DASHES)]


def _grid_shape(n: int, max_cols: int) -> tuple[int, int]:
    cols = min(n, max_cols)
    return -(-n // cols), cols


def _panels(fig: Figure, n: int, max_cols: int, **margins) -> list:
    rows, cols = _grid_shape(n, max_cols)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    frame(fig, rows, cols, **margins)
    for ax in axes[n:]:
        ax.set_visible(False)
    return list(axes[:n])


def _title_room(titles: list[str], size: float = TITLE_SIZE) -> float:
    """Inches above an axes for the most lines any of the panels' titles has."""
    return 0.12 + max(map(lines, titles), default=1) * LINE * size / 72


def _legend_below(fig: Figure, handles: list, columns: int) -> None:
    """The figure's one legend along its bottom edge, in the room ``legend_rows`` measured."""
    fig.legend(handles=handles, loc="lower center", ncol=columns,
               bbox_to_anchor=(0.5, 0.04 / fig.get_figheight()))


def _legend_room(labels: list[str], width: float) -> tuple[int, float]:
    """Columns and inches of a legend below the axes; none (0 inches) for a single series."""
    if len(labels) < 2:
        return 1, 0.0
    return legend_rows(labels, width - 0.3, matplotlib.rcParams["legend.fontsize"])


def _line_handles(labels: list[str], **style) -> list[Line2D]:
    return [Line2D([], [], color=colour(i), linestyle=dash(i), label=label, **style)
            for i, label in enumerate(labels)]


def _class_ticks(ax, classes: list[str]) -> None:
    """One tick label per class along the x axis of a placed axes, in a size at which the
    widest ("DEL" among single characters) fits its slot."""
    width = ax.get_position().width * ax.figure.get_figwidth()
    widest = max(figure_text.text_width(c, 1.0) for c in classes)
    size = min(matplotlib.rcParams["font.size"], 0.85 * width * 72 / len(classes) / widest)
    ax.set_xticks(np.arange(len(classes)), classes, fontsize=size)


# ------------------------------------------------------------------------------ curves


def _thin(n: int, limit: int = 800) -> np.ndarray:
    """Indices of at most ``limit`` epochs, denser at the start where curves bend most."""
    if n <= limit:
        return np.arange(n)
    return np.unique(np.geomspace(1, n, limit).astype(int) - 1)


def _band(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean and quartiles over runs, ignoring diverged (non-finite) entries: (R, E) -> 3 x (E,)."""
    values = np.where(np.isfinite(values), values, np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an epoch where all diverged stays NaN
        mean = np.nanmean(values, axis=0)
        low, high = np.nanquantile(values, [0.25, 0.75], axis=0)
    return mean, low, high


def _wants_log(values: list[np.ndarray]) -> bool:
    """Log scale when the values span more than two decades and stay positive."""
    finite = np.concatenate([v[np.isfinite(v)].ravel() for v in values] or [np.array([])])
    if finite.size == 0 or finite.min() <= 0:
        return False
    return finite.max() / finite.min() > 100


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
        values = np.asarray(s["values"], dtype=float)  # (R, E)
        keep = _thin(values.shape[1])
        mean, low, high = _band(values[:, keep])
        i = labels.index(s["label"])
        ax.fill_between(keep + 1, low, high, color=colour(i), alpha=0.15, linewidth=0)
        ax.plot(keep + 1, mean, color=colour(i), linestyle=dash(i), linewidth=1.8)


@_styled
def learning_curves(panels: list[dict]) -> Figure:
    """Mean over seeds with an interquartile band, one line per configuration. Configurations
    split into small multiples by their ``group`` (a row of panels per metric, the y axis shared
    along it), so that no axes holds more lines than can be told apart; one legend below.

    panels: one per metric, [{"title", "ylabel", "series": [{"label", "group", "values": (R, E)}]}]
    """
    series = [s for p in panels for s in p["series"]]
    groups = list(dict.fromkeys(s.get("group", "") for s in series))
    labels = list(dict.fromkeys(s["label"] for s in series))
    cols, slots = _curve_slots(panels, groups)
    rows = len(slots) // cols
    wgap = 1.0 if len(groups) == 1 else 0.3
    axis_w = (10 - 0.85 - 0.25 - (cols - 1) * wgap) / cols
    titles = [wrap(slot[1] or slot[0]["title"], axis_w * 72, TITLE_SIZE) if slot else ""
              for slot in slots]
    columns, legend = _legend_room([l for l in labels if l], 10)
    top = _title_room(titles)
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
        ax.xaxis.set_tick_params(labelbottom=True)
        if k % cols == 0 or len(groups) == 1:  # a long name (sse's) wraps to the axes' height
            ax.set_ylabel(wrap(panel["ylabel"], height * 72,
                               matplotlib.rcParams["axes.labelsize"], "normal"))
        else:
            ax.tick_params(labelleft=False)
    for panel in panels:
        values = [np.asarray(s["values"], dtype=float) for s in panel["series"]]
        if _wants_log(values):
            first[id(panel)].set_yscale("log")
        if max(v.shape[1] for v in values) > 2000:
            first[id(panel)].set_xscale("log")
    if legend:
        _legend_below(fig, _line_handles([l for l in labels if l], linewidth=1.8), columns)
    return fig


# ------------------------------------------------------------------------------ learning rates


@_styled
def lr_boxes(rates: list[str], series: list[dict], ylabel: str) -> Figure:
    """Box plots of the final error of every seed, per learning rate and configuration.

    series: [{"label", "values": [(R,) per rate]}]; every seed is also drawn as a dot.
    """
    columns, legend = _legend_room([s["label"] for s in series], 10)
    fig = figure(10, 4.2 + legend)
    ax = fig.subplots()
    frame(fig, left=0.9, bottom=0.6 + legend)
    width = 0.8 / len(series)
    rng = np.random.default_rng(0)  # jitter only, fixed so the file is reproducible
    for i, s in enumerate(series):
        positions = np.arange(len(rates)) + (i - (len(series) - 1) / 2) * width
        data = [np.asarray(v, dtype=float)[np.isfinite(v)] for v in s["values"]]
        ax.boxplot(data, positions=positions, widths=width * 0.75, showfliers=False,
                   patch_artist=True, medianprops={"color": colour(i), "linewidth": 2.2},
                   boxprops={"facecolor": to_rgb(colour(i)) + (0.22,), "edgecolor": colour(i),
                             "linestyle": dash(i)},
                   whiskerprops={"color": colour(i)}, capprops={"color": colour(i)})
        for x, values in zip(positions, data):
            jitter = rng.uniform(-width * 0.25, width * 0.25, size=values.size)
            ax.scatter(x + jitter, values, s=7, color=colour(i), alpha=0.55, linewidths=0)
    ax.set_xticks(np.arange(len(rates)), rates)
    ax.set_xlabel("learning rate")
    ax.set_ylabel(ylabel)
    ax.grid(axis="x", visible=False)
    if legend:
        handles = [Patch(facecolor=to_rgba(colour(i), 0.22),
                                            edgecolor=colour(i), linestyle=dash(i),
                                            label=s["label"]) for i, s in enumerate(series)]
        _legend_below(fig, handles, columns)
    return fig


# ------------------------------------------------------------------------------ latent plane


def _view(codes: np.ndarray, robust: bool, margin: float = 0.06) -> tuple[float, ...]:
    """The box (x0, x1, y0, y1) a scatter shows: every code with a margin, or for thousands
    of codes the 0.1-99.9 % quantiles, so that a few strays do not shrink the rest to a dot."""
    low, high = (np.quantile(codes, [0.001, 0.999], axis=0) if robust
                 else (codes.min(axis=0), codes.max(axis=0)))
    span = np.where(high - low > 0, high - low, 1.0)
    low, high = low - margin * span, high + margin * span
    return (low[0], high[0], low[1], high[1])


def _left_out(codes: np.ndarray, view: tuple[float, ...], unlabelled: list[str]) -> str:
    """What a panel does not show, for its title: "12 of 5,000 points outside; no room for
    the labels a, b" or ""."""
    x, y = codes[:, 0], codes[:, 1]
    outside = int(np.sum((x < view[0]) | (x > view[1]) | (y < view[2]) | (y > view[3])))
    notes = [f"{outside:,} of {len(codes):,} points outside"] if outside else []
    if unlabelled:
        notes.append(f"not labelled: {' '.join(unlabelled)}")
    return "; ".join(notes)


def _plan(title: str, codes: np.ndarray, texts: list[str], view: tuple[float, ...],
          frame_in: tuple[float, float], size: float, title_size: float = TITLE_SIZE) -> dict:
    """A panel's label places and its title, with what it leaves out: decided before the
    figure is laid out, since the titles' lines set its margins. ``frame_in``: the axes' size
    in inches; ``texts``: a label per code, or none."""
    frame_pt = (frame_in[0] * 72, frame_in[1] * 72)
    plans, unlabelled = (figure_text.plan_labels(figure_text.in_points(codes, view, frame_pt),
                                                 texts, size, frame_pt) if texts else ([], []))
    note = _left_out(codes, view, unlabelled)
    return {"view": view, "texts": texts, "plans": plans,
            "title": wrap(title + (f"\n{note}" if note else ""), frame_pt[0], title_size)}


def _scatter_panel(ax, codes: np.ndarray, labels: np.ndarray, plan: dict, classes: list[str],
                   size: float) -> None:
    """Glyphs: each point labelled with its character. Digits: one colour per class, one call."""
    ax.set(xlim=plan["view"][:2], ylim=plan["view"][2:])
    ax.set_box_aspect(1)
    if plan["texts"]:
        ax.scatter(codes[:, 0], codes[:, 1], s=14, color=ACCENT, alpha=0.5, linewidths=0)
        figure_text.annotate(ax, codes, plan["texts"], plan["plans"], size, leader=TEXT,
                             color=TEXT, fontweight="bold")
        return
    cmap = ListedColormap(DIGIT_COLOURS[: len(classes)])
    dot = 4 if len(codes) < 10_000 else 1.2
    ax.scatter(codes[:, 0], codes[:, 1], c=np.asarray(labels) % len(classes), cmap=cmap,
               vmin=-0.5, vmax=len(classes) - 0.5, s=dot, alpha=0.6, linewidths=0,
               rasterized=True)


def _codes(panel: dict, classes: list[str], text: bool) -> tuple[np.ndarray, list[str]]:
    """A panel's codes in the plane (N, 2), and their characters when they are labelled."""
    codes = np.asarray(panel["codes"], dtype=float)[:, :2]
    return codes, [classes[int(k)] for k in panel["labels"]] if text else []


def _class_legend(fig: Figure, classes: list[str]) -> None:
    """One legend for all panels, in the right margin that the layout left for it."""
    handles = [Line2D([], [], marker="o", linestyle="", color=DIGIT_COLOURS[i], label=c)
               for i, c in enumerate(classes)]
    fig.legend(handles=handles, loc="center right", title="class", markerscale=1.2)


LABEL_SIZE = 9.0  # a character beside its code


@_styled
def latent_scatter(panels: list[dict], classes: list[str], text: bool) -> Figure:
    """The training set in the latent plane of each configuration's representative run.

    panels: [{"title", "codes": (N, Z), "labels": (N,)}]; text labels glyphs, colours digits.
    """
    rows, cols = _grid_shape(len(panels), 3)
    legend = 0 if text else 0.9
    side = 4.4 if cols == 1 else (10 - 0.95 - legend - (cols - 1) * 0.85) / cols
    codes = [_codes(p, classes, text) for p in panels]
    plans = [_plan(p["title"], xy, texts, _view(xy, robust=len(xy) > 1000), (side, side),
                   LABEL_SIZE) for p, (xy, texts) in zip(panels, codes)]
    top = _title_room([p["title"] for p in plans])
    fig = figure(side * cols + (cols - 1) * 0.85 + 0.95 + legend,
                 top + rows * side + (rows - 1) * (0.6 + top) + 0.55)
    axes = _panels(fig, len(panels), cols, left=0.8, right=0.15 + legend, top=top,
                   bottom=0.55, wgap=0.85, hgap=0.6 + top)
    for ax, panel, (xy, _), plan in zip(axes, panels, codes, plans):
        _scatter_panel(ax, xy, panel["labels"], plan, classes, LABEL_SIZE)
        ax.set_title(plan["title"])
        ax.set(xlabel="z₁", ylabel="z₂")
    if not text:
        _class_legend(fig, classes)
    return fig


# ------------------------------------------------------------------------------ pixel pictures


def tile(images: np.ndarray, gap: int = 1, fill: float = 1.0) -> np.ndarray:
    """Lay out (R, C, h, w[, 3]) images as one picture with ``gap`` pixels between them."""
    rows, cols, h, w = images.shape[:4]
    channels = images.shape[4:]
    out = np.full((rows * (h + gap) - gap, cols * (w + gap) - gap, *channels), fill,
                  dtype=float)
    for r in range(rows):  # R x C blits of whole images, never per pixel
        for c in range(cols):
            out[r * (h + gap): r * (h + gap) + h, c * (w + gap): c * (w + gap) + w] = images[r, c]
    return out


def ink(x: np.ndarray) -> np.ndarray:
    """Pixel values in [0, 1] -> RGB with 1 drawn dark: (..., D) keeps shape, adds a last 3."""
    v = 1.0 - np.clip(np.asarray(x, dtype=float), 0, 1)
    base = np.array(to_rgb(INK))
    return v[..., None] + (1 - v[..., None]) * base  # white background, ink foreground


def tinted(rgb: np.ndarray, amount: float = 0.18) -> np.ndarray:
    """RGB images washed with the accent colour, to set some apart (originals among decodings)."""
    return (1 - amount) * rgb + amount * np.array(to_rgb(ACCENT))


def marked(output: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Thresholded output as RGB, with the pixels that differ from the target in red."""
    on = np.asarray(output) > 0.5
    rgb = ink(on.astype(float))
    wrong = on != (np.asarray(target) > 0.5)
    rgb[wrong] = to_rgb(WRONG)
    return rgb


def _images(x: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """(..., D[, 3]) -> (..., h, w[, 3])."""
    x = np.asarray(x)
    if x.ndim >= 2 and x.shape[-1] == 3 and x.shape[-2] == shape[0] * shape[1]:
        return x.reshape(*x.shape[:-2], *shape, 3)
    return x.reshape(*x.shape[:-1], *shape)


def _picture_layout(titles: list[str], width: float, rows: int, picture_height: float,
                    size: float = TITLE_SIZE, title_width: float | None = None,
                    ) -> tuple[Figure, list[str], dict]:
    """A figure ``width`` inches wide for rows of pictures ``picture_height`` inches high, its
    titles wrapped to ``title_width`` (default: the figure's), and the margins that leave room
    for their lines."""
    wrapped = [wrap(t, (title_width or width) * 72, size) for t in titles]
    room = _title_room(wrapped, size)
    margins = {**PICTURE, "top": room, "hgap": room + 0.08}
    total = room + rows * picture_height + (rows - 1) * margins["hgap"] + PICTURE["bottom"]
    return figure(width, total), wrapped, margins


def _picture(ax, picture: np.ndarray, **kwargs) -> None:
    ax.imshow(picture, interpolation="nearest", cmap="gray_r" if picture.ndim == 2 else None,
              vmin=0, vmax=1, **kwargs)
    ax.set_axis_off()


def _stack_rows(pictures: list[np.ndarray], gap: int) -> np.ndarray:
    """Pictures of equal width, one above the other with ``gap`` white rows between."""
    spacer = np.ones((gap, *pictures[0].shape[1:]))
    parts = [p for picture in pictures for p in (picture, spacer)][:-1]
    return np.concatenate(parts, axis=0)


def _pair_rows(originals: np.ndarray, outputs: np.ndarray, image_shape, per_row: int,
               mark: bool):
    """Rows of originals above their reconstructions (thresholded and marked, or grey)."""
    n = len(originals)
    cols = min(per_row, n)
    shown = marked(outputs, originals) if mark else ink(outputs)
    pairs = np.stack([ink(originals), shown])  # (2, N, D, 3)
    pad = np.ones((2, -n % cols, *pairs.shape[2:]))
    pairs = np.concatenate([pairs, pad], axis=1)
    grid = _images(pairs, image_shape).reshape(2, -1, cols, *image_shape, 3)  # (2, R, C, h, w, 3)
    return _stack_rows([tile(grid[:, r], gap=2) for r in range(grid.shape[1])], gap=8)


@_styled
def reconstructions(panels: list[dict], image_shape: tuple[int, int], per_row: int = 32,
                    mark: bool = True):
    """Originals above their reconstructions. ``mark``: binary glyphs, where the output is
    thresholded at 0.5 and wrong pixels are red; otherwise grey levels, as decoded.

    panels: [{"title", "originals": (N, D), "outputs": (N, D)}]
    """
    pictures = [_pair_rows(np.asarray(p["originals"]), p["outputs"], image_shape, per_row, mark)
                for p in panels]
    height, width = pictures[0].shape[:2]
    fig, titles, margins = _picture_layout([p["title"] for p in panels], 10, len(panels),
                                           9.9 * height / width)  # square pixels
    axes = fig.subplots(len(panels), 1, squeeze=False).ravel()
    frame(fig, len(panels), 1, **margins)
    for ax, title, picture in zip(axes, titles, pictures):
        _picture(ax, picture)
        ax.set_title(title)
    return fig


#: Beyond this many configurations, wrong pixels per character are one table of colours
#: instead of a bar chart each.
MAX_BAR_PANELS = 6


@_styled
def pixel_errors(classes: list[str], series: list[dict], bar: float = 1.0) -> Figure:
    """Wrong pixels per character: bars are the mean over seeds, dots single seeds; with many
    configurations, a heatmap of the means (one row each) so that none is left out.

    series: [{"label", "per_char": (R, N)}]; the dashed line (or the scale's mark) is the
    course's bar.
    """
    if len(series) > MAX_BAR_PANELS:
        return _pixel_error_map(classes, series, bar)
    fig = figure(10, 0.9 + 1.75 * len(series))
    axes = fig.subplots(len(series), 1, sharex=True, sharey=True, squeeze=False).ravel()
    frame(fig, len(series), 1, top=0.35, bottom=0.45, hgap=0.45)
    x = np.arange(len(classes))
    rng = np.random.default_rng(0)
    for i, (ax, s) in enumerate(zip(axes, series)):
        per_char = np.asarray(s["per_char"], dtype=float)  # (R, N)
        ax.bar(x, per_char.mean(axis=0), width=0.7, color=colour(i), alpha=0.8)
        if per_char.shape[0] > 1:
            jitter = rng.uniform(-0.2, 0.2, size=per_char.shape)
            ax.scatter((x + jitter).ravel(), per_char.ravel(), s=4, color=TEXT, alpha=0.5,
                       linewidths=0)
        ax.axhline(bar, color=WRONG, linestyle="--", linewidth=1.2)
        ax.set_title(s["label"], fontsize=10.5)
        ax.set_ylabel("wrong pixels")
        ax.grid(axis="x", visible=False)
    _class_ticks(axes[-1], classes)
    axes[-1].set_xlim(-0.7, len(classes) - 0.3)
    return fig


def _pixel_error_map(classes: list[str], series: list[dict], bar: float) -> Figure:
    """One row per configuration, one column per character, coloured by the mean over seeds;
    cells above the bar are outlined."""
    means = np.array([np.asarray(s["per_char"], dtype=float).mean(axis=0) for s in series])
    fig = figure(10, 1.2 + 0.3 * len(series))
    ax = fig.subplots()
    frame(fig, left=0.3 + max(figure_text.text_width(s["label"], 9) for s in series) / 72,
          right=1.1, bottom=0.45)
    image = ax.imshow(means, cmap="Reds", vmin=0, vmax=max(float(means.max()), 2 * bar),
                      aspect="auto", interpolation="nearest")
    rows, cols = np.nonzero(means > bar)
    ax.scatter(cols, rows, s=14, marker="s", facecolors="none", edgecolors=INK, linewidths=0.6)
    ax.set_yticks(np.arange(len(series)), [s["label"] for s in series], fontsize=9)
    ax.grid(False)
    colorbar = fig.colorbar(image, ax=ax, fraction=0.03, pad=0.02)
    colorbar.set_label("mean wrong pixels (squares: above the bar of 1)")
    _class_ticks(ax, classes)  # once the colour bar has taken its share of the width
    return fig


def latent_grid(extent: tuple[float, float, float, float], steps: int) -> np.ndarray:
    """A regular steps x steps grid over the box (x0, x1, y0, y1), top row first: (G*G, 2)."""
    xs = np.linspace(extent[0], extent[1], steps)
    ys = np.linspace(extent[3], extent[2], steps)  # top of the picture = high z2
    gx, gy = np.meshgrid(xs, ys)
    return np.stack([gx.ravel(), gy.ravel()], axis=1)


GAUSSIAN_SPAN = (NormalDist().inv_cdf(0.05), NormalDist().inv_cdf(0.95))


def gaussian_grid(steps: int) -> np.ndarray:
    """Grid at the N(0, 1) quantiles 5%..95%: equal probability mass between neighbours."""
    q = np.array([NormalDist().inv_cdf(p) for p in np.linspace(0.05, 0.95, steps)])
    gx, gy = np.meshgrid(q, q[::-1])  # top row of the picture = high z2
    return np.stack([gx.ravel(), gy.ravel()], axis=1)


@_styled
def generated_grid(panels: list[dict], image_shape: tuple[int, int]) -> Figure:
    """Characters decoded from a grid over the latent plane, training codes marked on top.

    panels: [{"title", "images": (G*G, D), "extent": (x0, x1, y0, y1), "codes": (N, 2),
    "labels": [str]}]; the grid spans ``extent``, so a code sits over the glyph it decodes near.
    The decoded grid is the view: codes beyond it are counted in the panel's title.
    """
    rows, cols = _grid_shape(len(panels), 2)
    side = 4.1 if cols > 1 else 4.8
    steps = int(round(np.sqrt(len(panels[0]["images"]))))
    views = [_cell_view(p["extent"], steps) for p in panels]
    plans = [_plan(p["title"], np.asarray(p["codes"], dtype=float)[:, :2], list(p["labels"]),
                   view, (side, side), LABEL_SIZE) for p, view in zip(panels, views)]
    top = _title_room([p["title"] for p in plans])
    fig = figure(side * cols + (cols - 1) * 0.8 + 1.05,
                 top + rows * side + (rows - 1) * (0.65 + top) + 0.6)
    axes = _panels(fig, len(panels), cols, left=0.8, top=top, wgap=0.8, hgap=0.65 + top)
    for ax, panel, plan in zip(axes, panels, plans):
        picture = tile(_images(np.asarray(panel["images"]), image_shape).reshape(
            steps, steps, *image_shape), gap=1, fill=0.0)  # 0 is paper under gray_r
        ax.imshow(0.7 * picture, interpolation="nearest", cmap="gray_r", vmin=0, vmax=1,
                  extent=plan["view"], aspect="auto")  # faded, so the marks stand out
        codes = np.asarray(panel["codes"], dtype=float)[:, :2]
        ax.scatter(codes[:, 0], codes[:, 1], s=26, color=ACCENT, edgecolors="white",
                   linewidths=0.8, zorder=3)
        figure_text.annotate(ax, codes, plan["texts"], plan["plans"], LABEL_SIZE, leader=ACCENT,
                             zorder=4, color=ACCENT, fontweight="bold", path_effects=HALO)
        ax.set(xlim=plan["view"][:2], ylim=plan["view"][2:], title=plan["title"], xlabel="z₁",
               ylabel="z₂")
        ax.grid(False)
    return fig


def _cell_view(extent: tuple[float, ...], steps: int) -> tuple[float, ...]:
    """The box a decoded grid covers: its extent, and half a cell beyond, as each image is
    centred on its grid point."""
    x0, x1, y0, y1 = extent
    dx, dy = (x1 - x0) / (steps - 1) / 2, (y1 - y0) / (steps - 1) / 2
    return (x0 - dx, x1 + dx, y0 - dy, y1 + dy)


@_styled
def strips(rows: list[dict], image_shape: tuple[int, int], gap: int = 2) -> Figure:
    """Rows of images, one row per entry: interpolations, samples, triplets.

    rows: [{"title", "images": (K, D) or (K, D, 3)}]
    """
    h, w = image_shape
    k = max(len(r["images"]) for r in rows)
    inches_per_pixel = min(10 / (k * (w + gap)), 0.65 / h)  # a glyph at most 0.65 in
    fig, titles, margins = _picture_layout([r["title"] for r in rows], 10, len(rows),
                                           h * inches_per_pixel, size=10.5)
    axes = fig.subplots(len(rows), 1, squeeze=False).ravel()
    frame(fig, len(rows), 1, **margins)
    for ax, row, title in zip(axes, rows, titles):
        images = np.asarray(row["images"], dtype=float)
        rgb = images if images.ndim == 3 else ink(images)
        padded = np.ones((k, *rgb.shape[1:]))
        padded[: len(rgb)] = rgb
        _picture(ax, tile(_images(padded, image_shape)[None], gap=gap))
        ax.set_title(title, fontsize=10.5)
    return fig


@_styled
def image_grids(panels: list[dict], image_shape: tuple[int, int], cols: int = 10) -> Figure:
    """Square-ish grids of images side by side (VAE samples, decoded manifolds).

    panels: [{"title", "images": (K, D)}]
    """
    n = len(panels)
    per_row = min(n, 3)
    width = 10 if n > 1 else 5.5  # one grid of 100 digits reads well at half a slide
    side = (width - 0.1 - (per_row - 1) * PICTURE["wgap"]) / per_row
    fig, titles, margins = _picture_layout([p["title"] for p in panels], width, -(-n // per_row),
                                           side, title_width=side)
    axes = _panels(fig, n, per_row, **margins)
    for ax, panel, title in zip(axes, panels, titles):
        images = np.asarray(panel["images"], dtype=float)
        k = len(images)
        c = min(cols, k)
        padded = np.zeros((-(-k // c) * c, images.shape[1]))
        padded[:k] = images
        grid = _images(padded, image_shape).reshape(-1, c, *image_shape)
        _picture(ax, tile(grid, gap=1, fill=0.0))
        ax.set_title(title)
    return fig


@_styled
def vae_progression(rows: list[dict], classes: list[str], text: bool,
                    image_shape: tuple[int, int], extent: tuple[float, ...],
                    max_cols: int = 6) -> Figure:
    """Snapshot epochs side by side: the latent scatter above the decoded latent manifold.

    rows: [{"title", "codes": (N, Z), "labels": (N,), "manifold": (G*G, D) or None}], one per
    snapshot epoch; every scatter shows the box ``extent`` (x0, x1, y0, y1) that the manifolds
    decode, so the spreading of the codes reads left to right and each picture sits under its
    plane; the codes beyond it are counted in the title. A manifold is None where the run kept
    no weights for that epoch.
    """
    cols = min(len(rows), max_cols)
    blocks = -(-len(rows) // cols)
    side = min(9.2 / cols, 2.8)
    legend = 0 if text else 0.8
    size = 7.5 if side < 2 else LABEL_SIZE
    plans = [_plan(row["title"], *_codes(row, classes, text), tuple(extent), (side, side), size,
                   title_size=10) for row in rows]
    gap = max(0.4, _title_room([p["title"] for p in plans], 10) + 0.1)
    fig = figure(side * cols + (cols - 1) * 0.4 + 0.55 + legend,
                 blocks * 2 * side + (2 * blocks - 1) * gap + gap + 0.1)
    axes = fig.subplots(2 * blocks, cols, squeeze=False)
    frame(fig, 2 * blocks, cols, left=0.45, right=0.1 + legend, top=gap, bottom=0.1,
          wgap=0.4, hgap=gap)
    for i, (row, plan) in enumerate(zip(rows, plans)):
        scatter_ax, image_ax = axes[2 * (i // cols), i % cols], axes[2 * (i // cols) + 1, i % cols]
        _scatter_panel(scatter_ax, _codes(row, classes, False)[0], row["labels"], plan, classes,
                       size)
        scatter_ax.set_title(plan["title"], fontsize=10)
        scatter_ax.tick_params(labelsize=8)
        _manifold(image_ax, row["manifold"], image_shape)
    for k in range(len(rows), blocks * cols):  # empty slots of the last block
        axes[2 * (k // cols), k % cols].set_visible(False)
        axes[2 * (k // cols) + 1, k % cols].set_visible(False)
    if not text:
        _class_legend(fig, classes)
    return fig


def _manifold(ax, manifold: np.ndarray | None, image_shape: tuple[int, int]) -> None:
    """The decoded grid of one epoch, or a word that the run kept no weights for it."""
    if manifold is None:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "weights of this epoch\nnot stored", ha="center", va="center",
                fontsize=8.5, transform=ax.transAxes)
        return
    manifold = np.asarray(manifold)
    steps = int(round(np.sqrt(len(manifold))))
    grid = _images(manifold, image_shape).reshape(steps, steps, *image_shape)
    _picture(ax, tile(grid, gap=0, fill=0.0))


# ------------------------------------------------------------------------------ denoising


@_styled
def denoising_baselines(levels: list[float], series: list[dict], xlabel: str) -> Figure:
    """Wrong pixels per character against noise level, the model beside reference denoisers.

    series: [{"label", "mean": (L,), "std": (L,), "style": "model"|"baseline"}]; models in
    colour with solid lines, each its own marker; references in grey, each its own dashes.
    """
    columns, legend = _legend_room([s["label"] for s in series], 8)
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
            style = {"color": colour(i), "linestyle": "-", "marker": "osD^v<>p"[i % 8],
                     "markersize": 5, "linewidth": 2.0}
        else:
            style = {"color": TEXT, "linestyle": dash(next(references)), "marker": "o",
                     "markersize": 4, "markerfacecolor": "none", "linewidth": 1.4}
        ax.errorbar(x[order], mean, yerr=std, capsize=3, label=s["label"], **style)
    ax.set_xticks(x[order], [f"{v:g}" for v in x[order]])
    ax.set_xlabel(xlabel)
    ax.set_ylabel("wrong pixels per character")
    if _wants_log([np.asarray(s["mean"], dtype=float) for s in series]):
        ax.set_yscale("log")  # the gap to the floor at low noise is hundredths of a pixel
        ax.set_ylabel("wrong pixels per character (log scale)")
    if legend:
        _legend_below(fig, ax.get_legend_handles_labels()[0], columns)
    return fig


# ------------------------------------------------------------------------------ overview


@_styled
def overview(rows: list[dict], xlabel: str) -> Figure:
    """Each configuration's mean with its 95 % confidence interval, one row each, top to bottom
    in the order given; the best one's dot, whisker and label in the accent colour.

    rows: [{"label", "mean", "low", "high", "best": bool}]; mean None where every run diverged,
    low and high None where one seed gives no interval.
    """
    size = matplotlib.rcParams["ytick.labelsize"]
    size = matplotlib.rcParams["font.size"] if isinstance(size, str) else size
    labels = [wrap(r["label"], 4.5 * 72, size, "normal") for r in rows]
    left = 0.3 + max(figure_text.text_width(line, size) for label in labels
                     for line in label.split("\n")) / 72
    height = 0.2 * sum(map(lines, labels)) + 0.14 * len(rows)
    fig = figure(10, height + 0.35 + 0.65)
    ax = fig.subplots()
    frame(fig, left=left, right=0.6, top=0.35, bottom=0.65)
    y = -np.arange(len(rows))  # the first configuration on top
    for k, row in zip(y, rows):
        c = ACCENT if row["best"] else TEXT
        if row["low"] is not None:
            ax.plot([row["low"], row["high"]], [k, k], color=c,
                    linewidth=2.2 if row["best"] else 1.6, solid_capstyle="butt")
        if row["best"]:
            ax.annotate("best", (row["high"] if row["low"] is not None else row["mean"], k),
                        xytext=(8, 0), textcoords="offset points", va="center", color=ACCENT,
                        fontweight="bold", fontsize=9.5)
        if row["mean"] is None:
            ax.text(0.01, k, "every run diverged", va="center", fontsize=9,
                    transform=blended_transform_factory(ax.transAxes, ax.transData))
        else:
            ax.plot(row["mean"], k, marker="D" if row["best"] else "o", color=c,
                    markersize=8 if row["best"] else 6, linestyle="")
    ax.set_yticks(y, labels)
    for tick, row in zip(ax.get_yticklabels(), rows):
        if row["best"]:
            tick.set(color=ACCENT, fontweight="bold")
    values = [np.array([r[k] for r in rows if r[k] is not None], dtype=float)
              for k in ("mean", "low", "high")]
    if _wants_log(values):
        ax.set_xscale("log")
    ax.set_ylim(y[-1] - 0.6, 0.6)
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="y", length=0)
    ax.set_xlabel(xlabel)
    return fig


# ------------------------------------------------------------------------------ convergence


def _ecdf_panel(ax, series: list[dict], key: str, xlabel: str, end: float) -> None:
    """Share of runs that reached the bar by x; runs that never did keep the curve below 1."""
    for i, s in enumerate(series):
        for bound, style in (("le1", "-"), ("zero", (0, (5, 2)))):
            values = np.asarray(s[f"{key}_{bound}"], dtype=float)  # (R,), NaN = never
            reached = np.sort(values[np.isfinite(values)])
            if reached.size == 0:
                continue
            share = np.arange(1, reached.size + 1) / values.size
            ax.step(np.r_[reached[0], reached], np.r_[0, share], where="post", color=colour(i),
                    linestyle=style, linewidth=1.7)
    if not ax.lines:
        ax.text(0.5, 0.5, "no run reached ≤ 1 wrong pixel", ha="center", va="center",
                transform=ax.transAxes)
    ax.set_ylim(0, 1.02)
    ax.set_xlim(0, end)  # the whole training: runs that never reach the bar show as a gap to 1
    ax.set_xlabel(xlabel)
    ax.set_ylabel("share of runs")


@_styled
def convergence(series: list[dict], classes: list[str], failures: np.ndarray,
                first_zero: np.ndarray, epochs: int, seconds: float) -> Figure:
    """When runs reach at most 1 (solid) and 0 (dashed) wrong pixels, and which characters are
    the hard ones.

    series: [{"label", "epochs_le1", "epochs_zero", "seconds_le1", "seconds_zero": (R,)}];
    failures: (N,) share of all runs in which each character ends with more than 1 wrong pixel;
    first_zero: (R, N) epoch at which each character first had 0 wrong pixels (NaN: never);
    it ranks the characters even when every run ends with all of them right.
    epochs, seconds: the length of training, the right end of the x axes.
    The legend sits between the two rows, under the curves it names.
    """
    handles = [Line2D([], [], color=TEXT, linestyle="-", label="≤ 1 wrong pixel"),
               Line2D([], [], color=TEXT, linestyle=(0, (5, 2)), label="0 wrong pixels")]
    if len(series) > 1:
        handles += [Line2D([], [], color=colour(i), linewidth=2.5, label=s["label"])
                    for i, s in enumerate(series)]
    columns, legend = _legend_room([h.get_label() for h in handles], 10)
    fig = figure(10, 7.4 + legend)
    grid = fig.add_gridspec(2, 2)
    ax_epochs, ax_seconds = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[0, 1])
    frame(fig, 2, 2, left=0.75, wgap=0.9, hgap=0.85 + legend)
    _ecdf_panel(ax_epochs, series, "epochs", "epoch", epochs)
    _ecdf_panel(ax_seconds, series, "seconds", "training seconds", seconds)
    ax_epochs.set_title("runs at the bar, by epoch")
    ax_seconds.set_title("by training time")
    below_labels = ax_epochs.get_position().y0 - 0.5 / fig.get_figheight()
    fig.legend(handles=handles, loc="upper center", ncol=columns,
               bbox_to_anchor=(0.5, below_labels))
    _hard_characters(fig.add_subplot(grid[1, :]), classes, np.asarray(failures),
                     np.asarray(first_zero, dtype=float).reshape(-1, len(classes)), epochs)
    return fig


def _hard_characters(ax, classes: list[str], failures: np.ndarray, first_zero: np.ndarray,
                     epochs: int) -> None:
    """Per character: the spread of the epoch it first came right (box: quartiles, whiskers:
    5-95 %), and in red the share of runs that end with it more than 1 pixel wrong."""
    x = np.arange(len(classes))
    columns = [col[np.isfinite(col)] for col in first_zero.T] if first_zero.size else []
    kept = [i for i, col in enumerate(columns) if col.size]
    if kept:
        ax.boxplot([columns[i] for i in kept], positions=x[kept], widths=0.6, whis=(5, 95),
                   showfliers=False, patch_artist=True,
                   boxprops={"facecolor": to_rgba(colour(0), 0.25), "edgecolor": colour(0)},
                   medianprops={"color": TEXT}, whiskerprops={"color": colour(0)},
                   capprops={"color": colour(0)})
    top = max(col.max() for col in columns if col.size) if kept else epochs
    ax.set_ylim(0, top * 1.12)
    for i, share in enumerate(failures):
        if share > 0:
            ax.text(i, top * 1.04, f"{share:.0%}", ha="center", va="bottom", fontsize=7,
                    color=WRONG)
    _class_ticks(ax, classes)
    ax.set_xlim(-0.7, len(classes) - 0.3)
    ax.set_ylabel("epoch")
    ax.set_title("epoch at which each character first has 0 wrong pixels; "
                 "red: % of runs that end with it more than 1 pixel wrong", fontsize=10)
    ax.grid(axis="x", visible=False)


# ------------------------------------------------------------------------------ checks


@_styled
def overlapping_texts(fig: Figure) -> list[tuple[str, str]]:
    """Pairs of texts of ``fig`` drawn over each other (report.figure_text), laid out in STYLE
    as ``save`` lays them out."""
    return figure_text.overlapping_texts(fig)


@_styled
def texts_outside(fig: Figure) -> list[str]:
    """Texts of ``fig`` that its edge cuts, laid out in STYLE as ``save`` lays them out."""
    return figure_text.texts_outside(fig)


# ------------------------------------------------------------------------------ noise matrix


@_styled
def noise_matrix(levels: list[float], labels: list[str], own: list[float], means: np.ndarray,
                 references: list[dict], xlabel: str) -> Figure:
    """Wrong pixels per character of each denoiser (rows) at each test level (columns), the
    reference decoders' rows under them, on one logarithmic colour scale; each denoiser's own
    training level is outlined.

    means: (C, L), NaN where not measured; references: [{"label", "means": (L,)}].
    """
    from matplotlib.colors import LogNorm

    rows = [*labels, "", *(r["label"] for r in references)]
    values = np.vstack([means, np.full(len(levels), np.nan),
                        *(r["means"] for r in references)])  # (C + 1 + 3, L), a gap row
    fig = figure(8.5, 1.2 + 0.42 * len(rows))
    ax = fig.subplots()
    frame(fig, left=0.35 + max(figure_text.text_width(r, 9.5) for r in rows) / 72, right=1.2,
          bottom=0.65, top=0.2)
    floor = 0.01  # wrong pixels: below a hundredth of a pixel the colour stops changing
    norm = LogNorm(vmin=floor, vmax=max(float(np.nanmax(values)), 10 * floor))
    image = ax.imshow(np.clip(values, floor, None), cmap="Reds", norm=norm, aspect="auto",
                      interpolation="nearest")
    for (i, j), value in np.ndenumerate(values):
        if np.isfinite(value):
            dark = norm(max(value, floor)) > 0.6
            ax.text(j, i, _cell_text(value), ha="center", va="center", fontsize=9.5,
                    color="white" if dark else INK)
    for i, level in enumerate(own):
        if level in levels:
            ax.add_patch(_cell_outline(levels.index(level), i))
    ax.set_xticks(np.arange(len(levels)), [f"{v:g}" for v in levels])
    shown = [i for i, r in enumerate(rows) if r]  # no tick on the gap row
    ax.set_yticks(shown, [rows[i] for i in shown], fontsize=9.5)
    ax.set_xlabel(xlabel)
    ax.grid(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    colorbar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    colorbar.set_label("wrong pixels per character (log scale)")
    return fig


def _cell_outline(col: int, row: int):
    from matplotlib.patches import Rectangle

    return Rectangle((col - 0.5, row - 0.5), 1, 1, fill=False, edgecolor=INK, linewidth=2.0)


def _cell_text(value: float) -> str:
    """Three decimals where the floors differ by thousandths, fewer as the numbers grow."""
    return f"{value:.3f}" if value < 0.1 else f"{value:.2f}" if value < 10 else f"{value:.1f}"
