"""Pictures made of pixels, on their own white paper: originals above reconstructions with the
wrong pixels in red, rows of images (interpolations, denoising triplets), grids of samples.

Samples of any shape: a sample is D = h * w * c values, and the drawing functions take the
data's shape (h, w, c) beside them. ``rgb`` makes every sample an RGB picture (grey and binary
as ink on paper, RGB in its own colours), so that everything drawn here, and by the latent
figures, is an (h, w, 3) picture at its own aspect ratio, with square pixels."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

from report.figures.style import (
    ACCENT,
    CSS_DPI,
    INK,
    TEXT,
    TITLE_SIZE,
    WRONG,
    figure,
    frame,
    panel_axes,
    styled,
    title_room,
)
from report.figures.text import text_width, wrap

PICTURE = {"left": 0.05, "right": 0.05, "bottom": 0.05, "wgap": 0.25}  # pixel pictures: a
# title above each (``_picture_layout`` adds its room), nothing else


def tile(images: np.ndarray, gap: int = 1, fill: float = 1.0) -> np.ndarray:
    """Lay out (R, C, h, w[, 3]) images as one picture with ``gap`` pixels between them."""
    rows, cols, h, w = images.shape[:4]
    channels = images.shape[4:]
    out = np.full((rows * (h + gap) - gap, cols * (w + gap) - gap, *channels), fill, dtype=float)
    for r in range(rows):  # R x C blits of whole images, never per pixel
        for c in range(cols):
            out[r * (h + gap) : r * (h + gap) + h, c * (w + gap) : c * (w + gap) + w] = images[r, c]
    return out


def rgb(x: np.ndarray, shape: tuple[int, int, int]) -> np.ndarray:
    """Samples (..., D) with values in [0, 1] -> their pictures (..., h, w, 3) in RGB.

    ``shape`` is the data's (h, w, c): one channel (grey or binary) is drawn as ink on white
    paper, 1 darkest, as every picture of the site; three channels are the sample's own colours
    (a sample holds its pixels row by row, and a pixel's channels in turn).
    """
    h, w, c = shape
    x = np.clip(np.asarray(x, dtype=float), 0, 1)
    images = x.reshape(*x.shape[:-1], h, w, c)
    if c == 3:
        return images
    base = np.array(to_rgb(INK))
    return 1.0 - images * (1.0 - base)  # (..., h, w, 1) broadcast to the ink's 3 channels


def tinted(pictures: np.ndarray, amount: float = 0.18) -> np.ndarray:
    """RGB pictures washed with the accent colour, to set some apart (originals among
    decodings)."""
    return (1 - amount) * pictures + amount * np.array(to_rgb(ACCENT))


def marked(output: np.ndarray, target: np.ndarray, shape: tuple[int, int, int]) -> np.ndarray:
    """Binary samples' outputs thresholded at 0.5, as pictures (..., h, w, 3) with the pixels
    that differ from the target in red."""
    on = np.asarray(output) > 0.5
    pictures = rgb(on.astype(float), shape)
    wrong = (on != (np.asarray(target) > 0.5)).reshape(pictures.shape[:-1])
    pictures[wrong] = to_rgb(WRONG)
    return pictures


def mosaic(x: np.ndarray, shape: tuple[int, int, int], cols: int, gap: int = 1) -> np.ndarray:
    """Samples (K, D) as one RGB picture of rows of ``cols`` pictures, white between them and
    after the last."""
    pictures = rgb(x, shape)
    rows = -(-len(pictures) // cols)
    padded = np.ones((rows * cols, *pictures.shape[1:]))
    padded[: len(pictures)] = pictures
    return tile(padded.reshape(rows, cols, *pictures.shape[1:]), gap=gap)


def _picture_layout(
    titles: list[str],
    width: float,
    rows: int,
    picture_height: float,
    size: float = TITLE_SIZE,
    title_width: float | None = None,
) -> tuple[Figure, list[str], dict]:
    """A figure ``width`` inches wide for rows of pictures ``picture_height`` inches high, its
    titles wrapped to ``title_width`` (default: the figure's), and the margins that leave room
    for their lines."""
    wrapped = [wrap(t, (title_width or width) * 72, size) for t in titles]
    room = title_room(wrapped, size)
    margins = {**PICTURE, "top": room, "hgap": room + 0.08}
    total = room + rows * picture_height + (rows - 1) * margins["hgap"] + PICTURE["bottom"]
    return figure(width, total), wrapped, margins


def draw_picture(ax, picture: np.ndarray, **kwargs) -> None:
    """An RGB picture (H, W, 3) with square pixels, no axes."""
    ax.imshow(picture, interpolation="nearest", vmin=0, vmax=1, **kwargs)
    ax.set_axis_off()


def _stack_rows(pictures: list[np.ndarray], gap: int) -> np.ndarray:
    """Pictures of equal width, one above the other with ``gap`` white rows between."""
    spacer = np.ones((gap, *pictures[0].shape[1:]))
    parts = [p for picture in pictures for p in (picture, spacer)][:-1]
    return np.concatenate(parts, axis=0)


def _pair_rows(originals: np.ndarray, outputs: np.ndarray, shape, per_row: int, mark: bool):
    """Rows of originals above their reconstructions (thresholded and marked, or as decoded)."""
    n = len(originals)
    cols = min(per_row, n)
    shown = marked(outputs, originals, shape) if mark else rgb(outputs, shape)
    pairs = np.stack([rgb(originals, shape), shown])  # (2, N, h, w, 3)
    pad = np.ones((2, -n % cols, *pairs.shape[2:]))
    grid = np.concatenate([pairs, pad], axis=1).reshape(2, -1, cols, *pairs.shape[2:])
    return _stack_rows([tile(grid[:, r], gap=2) for r in range(grid.shape[1])], gap=8)


@styled
def reconstructions(
    panels: list[dict], shape: tuple[int, int, int], per_row: int = 32, mark: bool = True
):
    """Originals above their reconstructions. ``mark``: binary data, where the output is
    thresholded at 0.5 and wrong pixels are red; otherwise grey levels or colours, as decoded.

    panels: [{"title", "originals": (N, D), "outputs": (N, D)}]; shape: the data's (h, w, c).
    """
    pictures = [
        _pair_rows(np.asarray(p["originals"]), p["outputs"], shape, per_row, mark) for p in panels
    ]
    height, width = pictures[0].shape[:2]
    fig, titles, margins = _picture_layout(
        [p["title"] for p in panels], 10, len(panels), 9.9 * height / width
    )  # square pixels
    axes = fig.subplots(len(panels), 1, squeeze=False).ravel()
    frame(fig, len(panels), 1, **margins)
    for ax, title, picture in zip(axes, titles, pictures):
        draw_picture(ax, picture)
        ax.set_title(title)
    return fig


@styled
def strips(rows: list[dict], gap: int = 2) -> Figure:
    """Rows of pictures, one row per entry: interpolations, samples, triplets.

    rows: [{"title", "images": (K, h, w, 3)}], RGB pictures (``rgb``, ``marked``, ``tinted``).
    """
    h, w = np.shape(rows[0]["images"])[1:3]
    k = max(len(r["images"]) for r in rows)
    inches_per_pixel = min(10 / (k * (w + gap)), 0.65 / h)  # a picture at most 0.65 in high
    width = k * (w + gap) * inches_per_pixel + PICTURE["left"] + PICTURE["right"]  # no wider
    fig, titles, margins = _picture_layout(
        [r["title"] for r in rows], width, len(rows), h * inches_per_pixel, size=10.5
    )
    axes = fig.subplots(len(rows), 1, squeeze=False).ravel()
    frame(fig, len(rows), 1, **margins)
    for ax, row, title in zip(axes, rows, titles):
        images = np.asarray(row["images"], dtype=float)
        padded = np.ones((k, *images.shape[1:]))
        padded[: len(images)] = images
        draw_picture(ax, tile(padded[None], gap=gap))  # as wide as the longest row
        ax.set_title(title, fontsize=10.5)
    return fig


ROW_LABEL_SIZE = 10.5  # the name of a row of pictures, at its left
ROW_GAP, GROUP_GAP = 0.06, 0.24  # inches between rows, and between groups of rows


@styled
def labelled_rows(groups: list[list[dict]], gap: int = 2, most: float = 0.45) -> Figure:
    """Rows of pictures, each named at its left ("clean", "noisy, p = 0.1", "denoised"), in
    groups set apart by a wider gap; a picture at most ``most`` inches high.

    groups: [[{"label", "images": (K, h, w, 3)}]], RGB pictures (``rgb``, ``marked``).
    """
    rows = [row for group in groups for row in group]
    h, w = np.shape(rows[0]["images"])[1:3]
    k = max(len(r["images"]) for r in rows)
    inch = min(most / h, 7 / (k * (w + gap)))  # inches per pixel: at most 7 in of pictures
    label_room = max(text_width(r["label"], ROW_LABEL_SIZE) for r in rows) / 72 + 0.15
    row_h, pictures_w = h * inch, (k * (w + gap) - gap) * inch
    gaps = [ROW_GAP if i else GROUP_GAP for group in groups for i in range(len(group))][1:]
    width, height = (
        math.ceil(inches * CSS_DPI) / CSS_DPI  # whole CSS pixels, as ``save`` writes them
        for inches in (label_room + pictures_w + 0.1, 0.1 + len(rows) * row_h + sum(gaps) + 0.1)
    )
    fig = figure(width, height)
    top = 0.1
    for row, below in zip(rows, [*gaps, 0]):
        ax = fig.add_axes(
            [label_room / width, 1 - (top + row_h) / height, pictures_w / width, row_h / height]
        )
        images = np.asarray(row["images"], dtype=float)
        padded = np.ones((k, *images.shape[1:]))
        padded[: len(images)] = images
        draw_picture(ax, tile(padded[None], gap=gap))
        ax.text(
            -0.1 / pictures_w,
            0.5,
            row["label"],
            transform=ax.transAxes,
            ha="right",
            va="center",
            fontsize=ROW_LABEL_SIZE,
            color=TEXT,
        )
        top += row_h + below
    return fig


@styled
def image_grids(panels: list[dict], shape: tuple[int, int, int], cols: int = 10) -> Figure:
    """Grids of pictures side by side (VAE samples, decoded manifolds), each grid in a panel
    of its own aspect ratio.

    panels: [{"title", "images": (K, D)}]; shape: the data's (h, w, c).
    """
    n = len(panels)
    per_row = min(n, 3)
    width = 10 if n > 1 else 5.5  # one grid of 100 digits reads well at half a slide
    side = (width - 0.1 - (per_row - 1) * PICTURE["wgap"]) / per_row
    pictures = [
        mosaic(np.asarray(p["images"], dtype=float), shape, min(cols, len(p["images"])))
        for p in panels
    ]
    height, breadth = pictures[0].shape[:2]
    fig, titles, margins = _picture_layout(
        [p["title"] for p in panels],
        width,
        -(-n // per_row),
        side * height / breadth,
        title_width=side,
    )
    axes = panel_axes(fig, n, per_row, **margins)
    for ax, picture, title in zip(axes, pictures, titles):
        draw_picture(ax, picture)
        ax.set_title(title)
    return fig
