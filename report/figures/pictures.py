"""Pictures made of pixels, on their own white paper: originals above reconstructions with the
wrong pixels in red, rows of images (interpolations, denoising triplets), grids of samples."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

from report.figures.style import (
    ACCENT,
    INK,
    TITLE_SIZE,
    WRONG,
    figure,
    frame,
    panel_axes,
    styled,
    title_room,
)
from report.figures.text import wrap

PICTURE = {"left": 0.05, "right": 0.05, "bottom": 0.05, "wgap": 0.25}  # pixel pictures: a
# title above each (``_picture_layout`` adds its room), nothing else


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


def as_images(x: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
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
    room = title_room(wrapped, size)
    margins = {**PICTURE, "top": room, "hgap": room + 0.08}
    total = room + rows * picture_height + (rows - 1) * margins["hgap"] + PICTURE["bottom"]
    return figure(width, total), wrapped, margins


def draw_picture(ax, picture: np.ndarray, **kwargs) -> None:
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
    grid = as_images(pairs, image_shape).reshape(2, -1, cols, *image_shape, 3)  # (2, R, C, h, w, 3)
    return _stack_rows([tile(grid[:, r], gap=2) for r in range(grid.shape[1])], gap=8)


@styled
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
        draw_picture(ax, picture)
        ax.set_title(title)
    return fig


@styled
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
        draw_picture(ax, tile(as_images(padded, image_shape)[None], gap=gap))
        ax.set_title(title, fontsize=10.5)
    return fig


@styled
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
    axes = panel_axes(fig, n, per_row, **margins)
    for ax, panel, title in zip(axes, panels, titles):
        images = np.asarray(panel["images"], dtype=float)
        k = len(images)
        c = min(cols, k)
        padded = np.zeros((-(-k // c) * c, images.shape[1]))
        padded[:k] = images
        grid = as_images(padded, image_shape).reshape(-1, c, *image_shape)
        draw_picture(ax, tile(grid, gap=1, fill=0.0))
        ax.set_title(title)
    return fig
