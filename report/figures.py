"""Matplotlib figures for the site, drawn from plain arrays (no store, no files read here).

Every function takes arrays and labels and returns a ``matplotlib.figure.Figure``; ``save`` writes
it. Figures are built without pyplot (no global figure registry, no display, nothing to close),
so they are safe in worker processes, and in the site's STYLE through a context that leaves the
rest of the program's matplotlib settings alone. Sizes are in inches at 96 CSS px per inch: a 10-inch
figure fills a 960 px slide. Line plots are written as SVG; pictures made of pixels (glyphs,
digits, 60,000-point scatters) as PNG at twice their CSS size, crisp on high-density screens.

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
from PIL import Image

CSS_DPI = 96  # CSS pixels per inch: browsers draw 1 in = 96 px
PNG_SCALE = 2  # PNGs carry twice the pixels of their CSS size
ACCENT = "#1d5fd1"
WRONG = "#e03131"  # a wrong pixel
INK = "#1f2328"
MUTED = "#6b7280"
GRID = "#e5e7eb"
HALO = [patheffects.withStroke(linewidth=2.6, foreground="white")]  # labels readable over pixels
# One accent first, then calm distinct hues for further configurations.
PALETTE = ["#1d5fd1", "#e8590c", "#2b8a3e", "#ae3ec9", "#0c8599", "#c92a2a", "#5f3dc4",
           "#e67700", "#495057", "#d6336c", "#087f5b", "#364fc7"]
DIGIT_COLOURS = ["#1d5fd1", "#e8590c", "#2b8a3e", "#c92a2a", "#7048e8", "#8d5524", "#d6336c",
                 "#495057", "#a9a900", "#0c8599"]

STYLE = {
    "font.size": 10.5, "axes.titlesize": 11.5, "axes.labelsize": 10.5, "axes.titleweight": "bold",
    "axes.titlelocation": "left", "axes.edgecolor": "#9ca3af", "axes.labelcolor": INK,
    "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True,
    "grid.color": GRID, "grid.linewidth": 0.8, "axes.axisbelow": True,
    "xtick.color": MUTED, "ytick.color": MUTED, "text.color": INK,
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


PICTURE = {"left": 0.05, "right": 0.05, "top": 0.32, "bottom": 0.05, "wgap": 0.25,
           "hgap": 0.4}  # margins of pixel pictures: a title above, nothing else


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
    """Log scale when the curves span more than two decades and stay positive."""
    finite = np.concatenate([v[np.isfinite(v)].ravel() for v in values] or [np.array([])])
    if finite.size == 0 or finite.min() <= 0:
        return False
    return finite.max() / finite.min() > 100


@_styled
def learning_curves(panels: list[dict]) -> Figure:
    """Mean over seeds with an interquartile band, one line per configuration, per panel.

    panels: [{"title", "ylabel", "series": [{"label", "values": (R, E)}]}]
    """
    fig = figure(10, 3.8 if len(panels) <= 2 else 3.4 * -(-len(panels) // 2))
    axes = _panels(fig, len(panels), 2, left=0.85, wgap=1.0)
    for ax, panel in zip(axes, panels):
        for i, series in enumerate(panel["series"]):
            values = np.asarray(series["values"], dtype=float)  # (R, E)
            keep = _thin(values.shape[1])
            mean, low, high = _band(values[:, keep])
            epochs = keep + 1
            ax.fill_between(epochs, low, high, color=colour(i), alpha=0.18, linewidth=0)
            ax.plot(epochs, mean, color=colour(i), linewidth=1.8, label=series["label"])
        if _wants_log([np.asarray(s["values"], dtype=float) for s in panel["series"]]):
            ax.set_yscale("log")
        if max(np.shape(s["values"])[1] for s in panel["series"]) > 2000:
            ax.set_xscale("log")
        ax.set_title(panel["title"])
        ax.set_xlabel("epoch")
        ax.set_ylabel(panel["ylabel"])
    if len(panels[0]["series"]) > 1:
        axes[0].legend(loc="upper right")
    return fig


# ------------------------------------------------------------------------------ learning rates


@_styled
def lr_boxes(rates: list[str], series: list[dict], ylabel: str) -> Figure:
    """Box plots of the final error of every seed, per learning rate and configuration.

    series: [{"label", "values": [(R,) per rate]}]; every seed is also drawn as a dot.
    """
    fig = figure(10, 4.2)
    ax = fig.subplots()
    frame(fig, left=0.9)
    width = 0.8 / len(series)
    rng = np.random.default_rng(0)  # jitter only, fixed so the file is reproducible
    for i, s in enumerate(series):
        positions = np.arange(len(rates)) + (i - (len(series) - 1) / 2) * width
        data = [np.asarray(v, dtype=float)[np.isfinite(v)] for v in s["values"]]
        ax.boxplot(data, positions=positions, widths=width * 0.75, showfliers=False,
                   patch_artist=True, medianprops={"color": INK, "linewidth": 1.6},
                   boxprops={"facecolor": to_rgb(colour(i)) + (0.22,), "edgecolor": colour(i)},
                   whiskerprops={"color": colour(i)}, capprops={"color": colour(i)})
        for x, values in zip(positions, data):
            jitter = rng.uniform(-width * 0.25, width * 0.25, size=values.size)
            ax.scatter(x + jitter, values, s=7, color=colour(i), alpha=0.55, linewidths=0,
                       label=s["label"] if x == positions[0] else None)
    ax.set_xticks(np.arange(len(rates)), rates)
    ax.set_xlabel("learning rate")
    ax.set_ylabel(ylabel)
    ax.grid(axis="x", visible=False)
    if len(series) > 1:
        ax.legend(loc="upper left")
    return fig


# ------------------------------------------------------------------------------ latent plane


def _scatter_panel(ax, codes: np.ndarray, labels: np.ndarray, classes: list[str], text: bool):
    """Glyphs: each point labelled with its character. Digits: one colour per class, one call."""
    codes = np.asarray(codes)[:, :2]  # (N, 2)
    if text:
        ax.scatter(codes[:, 0], codes[:, 1], s=14, color=ACCENT, alpha=0.35, linewidths=0)
        for (x, y), label in zip(codes, labels):  # 32 characters, not 60,000 digits
            ax.annotate(classes[int(label)], (x, y), xytext=(3, 2), textcoords="offset points",
                        fontsize=10, color=INK, fontweight="bold")
        _pad(ax, codes)
        return
    cmap = ListedColormap(DIGIT_COLOURS[: len(classes)])
    size = 4 if len(codes) < 10_000 else 1.2
    ax.scatter(codes[:, 0], codes[:, 1], c=np.asarray(labels) % len(classes), cmap=cmap,
               vmin=-0.5, vmax=len(classes) - 0.5, s=size, alpha=0.6, linewidths=0,
               rasterized=True)


def _pad(ax, codes: np.ndarray, margin: float = 0.08) -> None:
    """Leave room around the points so labels at the edge stay inside the axes."""
    low, high = codes.min(axis=0), codes.max(axis=0)
    span = np.where(high - low > 0, high - low, 1.0)
    ax.set_xlim(low[0] - margin * span[0], high[0] + margin * span[0] * 2)
    ax.set_ylim(low[1] - margin * span[1], high[1] + margin * span[1] * 2)


def _class_legend(fig: Figure, classes: list[str]) -> None:
    """One legend for all panels, in the right margin that ``frame`` left for it."""
    handles = [Line2D([], [], marker="o", linestyle="", color=DIGIT_COLOURS[i], label=c)
               for i, c in enumerate(classes)]
    fig.legend(handles=handles, loc="center right", title="class", markerscale=1.2)


@_styled
def latent_scatter(panels: list[dict], classes: list[str], text: bool) -> Figure:
    """The training set in the latent plane of each configuration's representative run.

    panels: [{"title", "codes": (N, Z), "labels": (N,)}]; text labels glyphs, colours digits.
    """
    cols = min(len(panels), 3)
    side = 3.3 if cols > 1 else 4.6
    legend = 0 if text else 0.9
    fig = figure(side * cols + legend, side * -(-len(panels) // cols) + 0.3)
    axes = _panels(fig, len(panels), cols, left=0.65, right=0.15 + legend, top=0.35,
                   bottom=0.55, wgap=0.6, hgap=0.8)
    for ax, panel in zip(axes, panels):
        ax.set_box_aspect(1)
        _scatter_panel(ax, panel["codes"], panel["labels"], classes, text)
        ax.set_title(panel["title"])
        ax.set_xlabel("z₁")
        ax.set_ylabel("z₂")
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
    picture_inches = 9.9 * height / width  # square pixels
    fig = figure(10, (picture_inches + 0.4) * len(panels))
    axes = fig.subplots(len(panels), 1, squeeze=False).ravel()
    frame(fig, len(panels), 1, **PICTURE)
    for ax, panel, picture in zip(axes, panels, pictures):
        _picture(ax, picture)
        ax.set_title(panel["title"])
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
            ax.scatter((x + jitter).ravel(), per_char.ravel(), s=4, color=INK, alpha=0.25,
                       linewidths=0)
        ax.axhline(bar, color=WRONG, linestyle="--", linewidth=1.2)
        ax.set_title(s["label"], fontsize=10.5)
        ax.set_ylabel("wrong pixels")
        ax.grid(axis="x", visible=False)
    axes[-1].set_xticks(x, classes)
    axes[-1].set_xlim(-0.7, len(classes) - 0.3)
    return fig


def _pixel_error_map(classes: list[str], series: list[dict], bar: float) -> Figure:
    """One row per configuration, one column per character, coloured by the mean over seeds;
    cells above the bar are outlined."""
    means = np.array([np.asarray(s["per_char"], dtype=float).mean(axis=0) for s in series])
    fig = figure(10, 1.2 + 0.3 * len(series))
    ax = fig.subplots()
    frame(fig, left=0.25 + 0.075 * max(len(s["label"]) for s in series), right=1.1,
          bottom=0.45)
    image = ax.imshow(means, cmap="Reds", vmin=0, vmax=max(float(means.max()), 2 * bar),
                      aspect="auto", interpolation="nearest")
    rows, cols = np.nonzero(means > bar)
    ax.scatter(cols, rows, s=14, marker="s", facecolors="none", edgecolors=INK, linewidths=0.6)
    ax.set_xticks(np.arange(len(classes)), classes)
    ax.set_yticks(np.arange(len(series)), [s["label"] for s in series], fontsize=9)
    ax.grid(False)
    colorbar = fig.colorbar(image, ax=ax, fraction=0.03, pad=0.02)
    colorbar.set_label("mean wrong pixels (squares: above the bar of 1)")
    return fig


def _glyph_grid_extent(codes: np.ndarray, margin: float = 0.1) -> tuple[float, ...]:
    low, high = codes.min(axis=0), codes.max(axis=0)
    span = np.where(high - low > 0, high - low, 1.0)
    return (low[0] - margin * span[0], high[0] + margin * span[0],
            low[1] - margin * span[1], high[1] + margin * span[1])


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
    """
    cols = min(len(panels), 2)
    fig = figure(10 if cols > 1 else 6, 5.0 * -(-len(panels) // cols) + (0 if cols > 1 else 0.6))
    axes = _panels(fig, len(panels), cols, left=0.65, wgap=0.8, hgap=0.85)
    for ax, panel in zip(axes, panels):
        images = np.asarray(panel["images"])
        steps = int(round(np.sqrt(len(images))))
        picture = tile(_images(images, image_shape).reshape(steps, steps, *image_shape), gap=1,
                       fill=0.0)  # 0 is paper under gray_r
        x0, x1, y0, y1 = panel["extent"]
        dx, dy = (x1 - x0) / (steps - 1) / 2, (y1 - y0) / (steps - 1) / 2
        ax.imshow(picture, interpolation="nearest", cmap="gray_r", vmin=0, vmax=1,
                  extent=(x0 - dx, x1 + dx, y0 - dy, y1 + dy), aspect="auto", alpha=0.7)
        codes = np.asarray(panel["codes"])[:, :2]
        ax.scatter(codes[:, 0], codes[:, 1], s=26, color=ACCENT, edgecolors="white",
                   linewidths=0.8, zorder=3)
        for (x, y), label in zip(codes, panel["labels"]):
            ax.annotate(label, (x, y), xytext=(3, 3), textcoords="offset points", fontsize=9.5,
                        color=ACCENT, fontweight="bold", zorder=4,
                        path_effects=HALO)
        ax.set(xlim=(x0 - dx, x1 + dx), ylim=(y0 - dy, y1 + dy), title=panel["title"],
               xlabel="z₁", ylabel="z₂")  # the decoded grid is the view; far codes fall outside
        ax.grid(False)
    return fig


@_styled
def strips(rows: list[dict], image_shape: tuple[int, int], gap: int = 2) -> Figure:
    """Rows of images, one row per entry: interpolations, samples, triplets.

    rows: [{"title", "images": (K, D) or (K, D, 3)}]
    """
    h, w = image_shape
    k = max(len(r["images"]) for r in rows)
    inches_per_pixel = min(10 / (k * (w + gap)), 0.65 / h)  # a glyph at most 0.65 in
    fig = figure(10, len(rows) * (h * inches_per_pixel + 0.4) + 0.05)
    axes = fig.subplots(len(rows), 1, squeeze=False).ravel()
    frame(fig, len(rows), 1, **PICTURE)
    for ax, row in zip(axes, rows):
        images = np.asarray(row["images"], dtype=float)
        rgb = images if images.ndim == 3 else ink(images)
        padded = np.ones((k, *rgb.shape[1:]))
        padded[: len(rgb)] = rgb
        _picture(ax, tile(_images(padded, image_shape)[None], gap=gap))
        ax.set_title(row["title"], fontsize=10.5)
    return fig


@_styled
def image_grids(panels: list[dict], image_shape: tuple[int, int], cols: int = 10) -> Figure:
    """Square-ish grids of images side by side (VAE samples, decoded manifolds).

    panels: [{"title", "images": (K, D)}]
    """
    n = len(panels)
    per_row = min(n, 3)
    width = 10 if n > 1 else 5.5  # one grid of 100 digits reads well at half a slide
    fig = figure(width, (width / per_row + 0.35) * -(-n // per_row))
    axes = _panels(fig, n, per_row, **PICTURE)
    for ax, panel in zip(axes, panels):
        images = np.asarray(panel["images"], dtype=float)
        k = len(images)
        c = min(cols, k)
        padded = np.zeros((-(-k // c) * c, images.shape[1]))
        padded[:k] = images
        grid = _images(padded, image_shape).reshape(-1, c, *image_shape)
        _picture(ax, tile(grid, gap=1, fill=0.0))
        ax.set_title(panel["title"])
    return fig


@_styled
def vae_progression(rows: list[dict], classes: list[str], text: bool,
                    image_shape: tuple[int, int], extent: tuple[float, ...],
                    max_cols: int = 6) -> Figure:
    """Snapshot epochs side by side: the latent scatter above the decoded latent manifold.

    rows: [{"title", "codes": (N, Z), "labels": (N,), "manifold": (G*G, D) or None}], one per
    snapshot epoch; every scatter shows the box ``extent`` (x0, x1, y0, y1) that the manifolds
    decode, so the spreading of the codes reads left to right and each picture sits under its
    plane. A manifold is None where the run kept no weights for that epoch.
    """
    cols = min(len(rows), max_cols)
    blocks = -(-len(rows) // cols)
    side = min(9.2 / cols, 2.8)
    legend = 0 if text else 0.8
    fig = figure(side * cols + 0.5 + legend, blocks * (2 * side + 0.7))
    axes = fig.subplots(2 * blocks, cols, squeeze=False)
    frame(fig, 2 * blocks, cols, left=0.45, right=0.1 + legend, top=0.3, bottom=0.1,
          wgap=0.35, hgap=0.35)
    for i, row in enumerate(rows):
        scatter_ax, image_ax = axes[2 * (i // cols), i % cols], axes[2 * (i // cols) + 1, i % cols]
        _scatter_panel(scatter_ax, row["codes"], row["labels"], classes, text)
        scatter_ax.set(xlim=extent[:2], ylim=extent[2:], title=row["title"])
        scatter_ax.set_box_aspect(1)  # the same square as the manifold below it
        scatter_ax.tick_params(labelsize=8)
        if row["manifold"] is None:
            image_ax.set_axis_off()
            image_ax.text(0.5, 0.5, "weights of this epoch\nnot stored", ha="center",
                          va="center", color=MUTED, fontsize=8.5, transform=image_ax.transAxes)
            continue
        manifold = np.asarray(row["manifold"])
        steps = int(round(np.sqrt(len(manifold))))
        grid = _images(manifold, image_shape).reshape(steps, steps, *image_shape)
        _picture(image_ax, tile(grid, gap=0, fill=0.0))
    for k in range(len(rows), blocks * cols):  # empty slots of the last block
        axes[2 * (k // cols), k % cols].set_visible(False)
        axes[2 * (k // cols) + 1, k % cols].set_visible(False)
    if not text:
        _class_legend(fig, classes)
    return fig


# ------------------------------------------------------------------------------ denoising


@_styled
def denoising_baselines(levels: list[float], series: list[dict], xlabel: str) -> Figure:
    """Wrong pixels per character against noise level, the model beside reference denoisers.

    series: [{"label", "mean": (L,), "std": (L,), "style": "model"|"baseline"}]
    """
    fig = figure(8, 4.2)
    ax = fig.subplots()
    frame(fig, left=0.75)
    x = np.asarray(levels, dtype=float)
    order = np.argsort(x)
    baseline_styles = iter(["--", ":", "-."])
    for i, s in enumerate(series):
        mean, std = np.asarray(s["mean"])[order], np.asarray(s["std"])[order]
        model = s["style"] == "model"
        c = colour(i) if model else MUTED
        ls = "-" if model else next(baseline_styles, "--")
        ax.errorbar(x[order], mean, yerr=std, color=c, linestyle=ls, marker="o",
                    markersize=5 if model else 4, linewidth=2.0 if model else 1.4, capsize=3,
                    label=s["label"])
    ax.set_xticks(x[order], [f"{v:g}" for v in x[order]])
    ax.set_xlabel(xlabel)
    ax.set_ylabel("wrong pixels per character")
    if _wants_log([np.asarray(s["mean"], dtype=float) for s in series]):
        ax.set_yscale("log")  # the gap to the floor at low noise is hundredths of a pixel
        ax.set_ylabel("wrong pixels per character (log scale)")
    ax.legend(loc="best")
    return fig


# ------------------------------------------------------------------------------ convergence


def _ecdf_panel(ax, series: list[dict], key: str, xlabel: str, end: float) -> None:
    """Share of runs that reached the bar by x; runs that never did keep the curve below 1."""
    for i, s in enumerate(series):
        for bound, style in (("le1", "-"), ("zero", "--")):
            values = np.asarray(s[f"{key}_{bound}"], dtype=float)  # (R,), NaN = never
            reached = np.sort(values[np.isfinite(values)])
            if reached.size == 0:
                continue
            share = np.arange(1, reached.size + 1) / values.size
            ax.step(np.r_[reached[0], reached], np.r_[0, share], where="post", color=colour(i),
                    linestyle=style, linewidth=1.7,
                    label=f"{s['label']}" if bound == "le1" else None)
    if not ax.lines:
        ax.text(0.5, 0.5, "no run reached ≤ 1 wrong pixel", ha="center", va="center",
                color=MUTED, transform=ax.transAxes)
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
    """
    fig = figure(10, 7.4)
    grid = fig.add_gridspec(2, 2)
    ax_epochs, ax_seconds = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[0, 1])
    frame(fig, 2, 2, left=0.75, wgap=0.9, hgap=0.85)
    _ecdf_panel(ax_epochs, series, "epochs", "epoch", epochs)
    _ecdf_panel(ax_seconds, series, "seconds", "training seconds", seconds)
    ax_epochs.set_title("runs at the bar, by epoch")
    ax_seconds.set_title("by training time")
    handles = [Line2D([], [], color=INK, linestyle="-", label="≤ 1 wrong pixel"),
               Line2D([], [], color=INK, linestyle="--", label="0 wrong pixels")]
    if len(series) > 1:
        handles += [Line2D([], [], color=colour(i), label=s["label"]) for i, s in
                    enumerate(series)]
    ax_seconds.legend(handles=handles, loc="lower right", fontsize=9)
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
                   medianprops={"color": INK}, whiskerprops={"color": colour(0)},
                   capprops={"color": colour(0)})
    top = max(col.max() for col in columns if col.size) if kept else epochs
    ax.set_ylim(0, top * 1.12)
    for i, share in enumerate(failures):
        if share > 0:
            ax.text(i, top * 1.04, f"{share:.0%}", ha="center", va="bottom", fontsize=7,
                    color=WRONG)
    ax.set_xticks(x, classes)
    ax.set_xlim(-0.7, len(classes) - 0.3)
    ax.set_ylabel("epoch")
    ax.set_title("epoch at which each character first has 0 wrong pixels; "
                 "red: % of runs that end with it more than 1 pixel wrong", fontsize=10)
    ax.grid(axis="x", visible=False)
