"""Text that fits in a figure: measured before it is placed, and checked after.

Matplotlib puts text where it is told, over whatever is there. The figure functions therefore
measure first (``text_width``, in points, with a one-pixel Agg renderer: no drawing), and so
wrap titles to their panel (``wrap``), size a legend before the axes are placed
(``legend_rows``) and put point labels where no other label, point or leader line is
(``plan_labels``, pure geometry, then ``annotate``). ``overlapping_texts`` and
``texts_outside`` check a finished figure: the tests run them on every kind of figure, and the
page checker on every figure it draws, so both stay cheap (one draw with drawing disabled, then
box arithmetic).
"""

from __future__ import annotations

import functools
import math

import numpy as np
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text

LINE = 1.25  # a line of text, in font sizes (matplotlib's spacing of 1.2 and a little)


@functools.cache
def _renderer() -> RendererAgg:
    return RendererAgg(1, 1, 72)  # at 72 dpi one pixel is one point


def text_width(text: str, size: float, weight: str = "normal") -> float:
    """The width in points of one line of text as matplotlib lays it out (rcParams' family)."""
    prop = FontProperties(size=size, weight=weight)
    return _renderer().get_text_width_height_descent(text, prop, ismath=False)[0]


# ------------------------------------------------------------------------------ titles


def wrap(text: str, width: float, size: float, weight: str = "bold") -> str:
    """Text broken into lines at most ``width`` points wide: between the parts of a
    configuration label (" · ") first, then between words; a word wider than the line stays."""
    return "\n".join(line for given in text.split("\n")
                     for line in _fill(given, width, size, weight))


def _fill(text: str, width: float, size: float, weight: str) -> list[str]:
    if text_width(text, size, weight) <= width:
        return [text]
    if " · " in text:
        return [piece for line in _greedy(text.split(" · "), " · ", width, size, weight)
                for piece in _fill(line, width, size, weight)]
    return _greedy(text.split(" "), " ", width, size, weight)


def _greedy(parts: list[str], separator: str, width: float, size: float,
            weight: str) -> list[str]:
    """Parts joined into as few lines as fit, in order."""
    lines = [parts[0]]
    for part in parts[1:]:
        joined = lines[-1] + separator + part
        if text_width(joined, size, weight) <= width:
            lines[-1] = joined
        else:
            lines.append(part)
    return lines


def lines(text: str) -> int:
    return text.count("\n") + 1


# ------------------------------------------------------------------------------ legends


def legend_rows(labels: list[str], width: float, size: float) -> tuple[int, float]:
    """Columns and height (inches) of a frameless legend of ``labels`` across ``width`` inches,
    so the figure can leave room for it below its axes before they are placed."""
    handle = (2.0 + 0.8 + 2.0) * size  # handle, its gap to the text, gap to the next column
    entry = max(text_width(label, size) for label in labels) + handle
    columns = max(1, min(len(labels), int(width * 72 // entry)))
    rows = math.ceil(len(labels) / columns)
    return columns, (rows * (LINE + 0.5) + 0.8) * size / 72


# ------------------------------------------------------------------------------ point labels


#: Distances (points) from a point to its label: beside it first, farther out on a leader line.
RINGS = (2.0, 8.0, 15.0, 23.0, 32.0, 42.0, 54.0, 68.0)


def _candidates(radius: float) -> np.ndarray:
    """Directions to try at one distance: 8 beside the point, more on the wider rings."""
    n = 8 if radius < 10 else 16
    angles = np.pi / 4 * np.array([0, 2, 4, 6, 1, 3, 5, 7]) if n == 8 else \
        np.linspace(0, 2 * np.pi, n, endpoint=False)
    return np.stack([np.cos(angles), np.sin(angles)], axis=1)


def _box(point, direction, radius, size):
    """The label's box (x0, y0, x1, y1) and alignment when set ``radius`` from ``point``."""
    (cx, cy), (w, h) = point + radius * direction, size
    ha = "left" if direction[0] > 0.38 else "right" if direction[0] < -0.38 else "center"
    va = "bottom" if direction[1] > 0.38 else "top" if direction[1] < -0.38 else "center"
    x0 = {"left": cx, "right": cx - w, "center": cx - w / 2}[ha]
    y0 = {"bottom": cy, "top": cy - h, "center": cy - h / 2}[va]
    return np.array([x0, y0, x0 + w, y0 + h]), ha, va


def _free(box, placed: np.ndarray, dots: np.ndarray, frame) -> bool:
    """Inside the axes, clear of the labels placed so far and of every other point's dot."""
    pad = 1.0  # points; also room for text a little wider at another dpi's hinting
    if box[0] < pad or box[1] < pad or box[2] > frame[0] - pad or box[3] > frame[1] - pad:
        return False
    if placed.size and np.any((placed[:, 0] < box[2] + pad) & (placed[:, 2] > box[0] - pad)
                              & (placed[:, 1] < box[3] + pad) & (placed[:, 3] > box[1] - pad)):
        return False
    return not np.any((dots[:, 0] > box[0] - pad) & (dots[:, 0] < box[2] + pad)
                      & (dots[:, 1] > box[1] - pad) & (dots[:, 1] < box[3] + pad))


def in_points(xy: np.ndarray, view: tuple[float, ...], frame: tuple[float, float]) -> np.ndarray:
    """Data points (N, 2) in points from the corner of an axes ``frame`` (width, height in
    points) that shows ``view`` (x0, x1, y0, y1) on linear scales."""
    x0, x1, y0, y1 = view
    xy = np.asarray(xy, dtype=float)
    return np.stack([(xy[:, 0] - x0) / (x1 - x0) * frame[0],
                     (xy[:, 1] - y0) / (y1 - y0) * frame[1]], axis=1)


def plan_labels(points: np.ndarray, texts: list[str], size: float, frame: tuple[float, float],
                weight: str = "bold") -> tuple[list[dict | None], list[str]]:
    """Where each point's label goes, so that no two labels overlap and none covers a point,
    crosses a leader line or leaves the axes: beside the point if there is room, else farther
    out on a leader line. Crowded points choose first. Geometry only (points from
    ``in_points``), so a figure can know before it is laid out which labels found no place.

    Returns per point {"offset": (dx, dy) in points, "ha", "va", "leader": bool} or None (the
    point is outside the frame, or no place was found), and the texts that found no place.
    """
    points = np.asarray(points, dtype=float)
    inside = np.all((points >= 0) & (points <= frame), axis=1)
    near = (np.linalg.norm(points[:, None] - points[None], axis=-1) < 3 * size).sum(axis=1)
    placed, leaders = np.empty((0, 4)), np.empty((0, 2))
    plans, missing = [None] * len(points), []
    for i in sorted(np.flatnonzero(inside), key=lambda i: -near[i]):
        box_size = (text_width(texts[i], size, weight), LINE * size)
        dots = np.delete(points, i, axis=0)
        spot = (_spot(points[i], box_size, placed, np.vstack([dots, leaders]), frame, True)
                or _spot(points[i], box_size, placed, dots, frame, False))
        if spot is None:
            missing.append(texts[i])
            continue
        placed = np.vstack([placed, spot.pop("box")])
        leaders = np.vstack([leaders, spot.pop("line")])
        plans[i] = spot
    return plans, missing


def _line(point: np.ndarray, offset: np.ndarray) -> np.ndarray:
    """Points every 2.5 pt along a leader, short of both ends: (K, 2), empty when beside."""
    steps = int(np.hypot(*offset) // 2.5)
    t = np.linspace(0.1, 0.9, steps)[:, None] if steps > 2 else np.empty((0, 1))
    return point + t * offset


def _spot(point, box_size, placed, obstacles, frame, strict: bool) -> dict | None:
    """The first free box on the rings around ``point``, or None; ``strict``: also one whose
    leader crosses no placed label (the obstacles then include the placed leaders)."""
    for radius in RINGS:
        for direction in _candidates(radius):
            box, ha, va = _box(point, direction, radius, box_size)
            line = _line(point, radius * direction) if radius > RINGS[0] else np.empty((0, 2))
            if _free(box, placed, obstacles, frame) and not (strict and _crosses(line, placed)):
                return {"box": box, "line": line, "offset": tuple(radius * direction),
                        "ha": ha, "va": va, "leader": radius > RINGS[0]}
    return None


def _crosses(line: np.ndarray, boxes: np.ndarray) -> bool:
    """Whether any point of a leader falls inside any of the boxes."""
    if not line.size or not boxes.size:
        return False
    x, y = line[:, None, 0], line[:, None, 1]
    return bool(np.any((x > boxes[:, 0]) & (x < boxes[:, 2]) & (y > boxes[:, 1])
                       & (y < boxes[:, 3])))


def annotate(ax, xy: np.ndarray, texts: list[str], plans: list[dict | None], size: float,
             leader: str, zorder: float = 3, **style) -> None:
    """Draw the labels ``plan_labels`` placed, clipped to the axes like the points; a label
    that stands away from its point gets a thin line back to it, drawn under every label."""
    for (x, y), text, plan in zip(xy, texts, plans):
        if plan is None:
            continue
        where = {"xy": (x, y), "xytext": plan["offset"], "textcoords": "offset points",
                 "annotation_clip": True, "clip_on": True}
        if plan["leader"]:
            ax.annotate("", **where, zorder=zorder - 0.5, arrowprops={
                "arrowstyle": "-", "color": leader, "linewidth": 0.6, "alpha": 0.7,
                "shrinkA": 0, "shrinkB": 1.5})
        ax.annotate(text, **where, ha=plan["ha"], va=plan["va"], fontsize=size, zorder=zorder,
                    **style)


# ------------------------------------------------------------------------------ checks


def _drawn_tick_labels(axis: Axis) -> list[Text]:
    """The tick labels a draw shows: of the ticks the locator gives, those inside the view."""
    low, high = sorted(axis.get_view_interval())
    slack = (high - low) * 1e-9
    ticks = (axis.get_major_ticks(len(axis.get_majorticklocs()))
             + axis.get_minor_ticks(len(axis.get_minorticklocs())))
    return [label for tick in ticks if low - slack <= tick.get_loc() <= high + slack
            for label in (tick.label1, tick.label2) if label.get_visible()]


def _shown(text: Text) -> bool:
    """Drawn with something to read: visible, not empty, in a visible axes and legend."""
    parent = text.axes
    return (text.get_visible() and bool(text.get_text().strip())
            and (parent is None or parent.get_visible()))


def _texts(fig: Figure) -> list[Text]:
    """Every text the figure shows: titles, axis and tick labels, legends, annotations."""
    axes_lists = [ax.xaxis for ax in fig.axes] + [ax.yaxis for ax in fig.axes]
    every_tick_label = {id(label) for axis in axes_lists
                        for tick in axis.get_major_ticks() + axis.get_minor_ticks()
                        for label in (tick.label1, tick.label2)}
    others = [t for t in fig.findobj(Text) if id(t) not in every_tick_label]
    ticks = [label for axis in axes_lists if axis.axes.get_visible() and axis.axes.axison
             and axis.get_visible() for label in _drawn_tick_labels(axis)]
    return [t for t in others + ticks if _shown(t)]


def _boxes(fig: Figure) -> tuple[list[Text], np.ndarray]:
    fig.draw_without_rendering()  # lays out ticks and text; draws nothing
    texts = _texts(fig)
    # Text's own box: an annotation's would include its leader line
    boxes = np.array([Text.get_window_extent(t).extents for t in texts]).reshape(-1, 4)
    return texts, boxes


def overlapping_texts(fig: Figure, tolerance: float = 0.5) -> list[tuple[str, str]]:
    """Pairs of texts whose boxes overlap by more than ``tolerance`` pixels both ways: tick
    labels, titles, axis labels, legend entries and annotations, as a draw lays them out."""
    texts, boxes = _boxes(fig)
    if len(texts) < 2:
        return []
    width = np.minimum(boxes[:, None, 2], boxes[None, :, 2]) - np.maximum(boxes[:, None, 0],
                                                                          boxes[None, :, 0])
    height = np.minimum(boxes[:, None, 3], boxes[None, :, 3]) - np.maximum(boxes[:, None, 1],
                                                                           boxes[None, :, 1])
    i, j = np.nonzero(np.triu((width > tolerance) & (height > tolerance), k=1))
    return [(texts[a].get_text(), texts[b].get_text()) for a, b in zip(i, j)]


def texts_outside(fig: Figure, tolerance: float = 0.5) -> list[str]:
    """Texts that the figure's edge cuts (a legend or title that does not fit)."""
    texts, boxes = _boxes(fig)
    width, height = fig.bbox.width, fig.bbox.height
    cut = ((boxes[:, 0] < -tolerance) | (boxes[:, 1] < -tolerance)
           | (boxes[:, 2] > width + tolerance) | (boxes[:, 3] > height + tolerance))
    return [t.get_text() for t, c in zip(texts, cut) if c]
