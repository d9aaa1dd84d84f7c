"""Point labels placed where no other label, point or leader line is.

``plan_labels`` is pure geometry in points (a label tried beside its point first, then on
wider rings with a leader line back to it), decided before a figure is laid out; ``annotate``
then draws what it planned.
"""

from __future__ import annotations

import numpy as np

from report.figures.text import LINE, text_width

#: Distances (points) from a point to its label: beside it first, farther out on a leader line.
RINGS = (2.0, 8.0, 15.0, 23.0, 32.0, 42.0, 54.0, 68.0)


def _candidates(radius: float) -> np.ndarray:
    """Directions to try at one distance: 8 beside the point, more on the wider rings."""
    n = 8 if radius < 10 else 16
    angles = (
        np.pi / 4 * np.array([0, 2, 4, 6, 1, 3, 5, 7])
        if n == 8
        else np.linspace(0, 2 * np.pi, n, endpoint=False)
    )
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
    if placed.size and np.any(
        (placed[:, 0] < box[2] + pad)
        & (placed[:, 2] > box[0] - pad)
        & (placed[:, 1] < box[3] + pad)
        & (placed[:, 3] > box[1] - pad)
    ):
        return False
    return not np.any(
        (dots[:, 0] > box[0] - pad)
        & (dots[:, 0] < box[2] + pad)
        & (dots[:, 1] > box[1] - pad)
        & (dots[:, 1] < box[3] + pad)
    )


def in_points(xy: np.ndarray, view: tuple[float, ...], frame: tuple[float, float]) -> np.ndarray:
    """Data points (N, 2) in points from the corner of an axes ``frame`` (width, height in
    points) that shows ``view`` (x0, x1, y0, y1) on linear scales."""
    x0, x1, y0, y1 = view
    xy = np.asarray(xy, dtype=float)
    return np.stack(
        [(xy[:, 0] - x0) / (x1 - x0) * frame[0], (xy[:, 1] - y0) / (y1 - y0) * frame[1]], axis=1
    )


def plan_labels(
    points: np.ndarray,
    texts: list[str],
    size: float,
    frame: tuple[float, float],
    weight: str = "bold",
) -> tuple[list[dict | None], list[str]]:
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
        # room to spare: glyphs drawn at the figure's own dpi come out a few per cent wider
        # than measured at 72 dpi, and two labels planned to touch would then overlap
        box_size = (1.05 * text_width(texts[i], size, weight) + size / 4, (LINE + 0.25) * size)
        dots = np.delete(points, i, axis=0)
        spot = _spot(points[i], box_size, placed, np.vstack([dots, leaders]), frame, True) or _spot(
            points[i], box_size, placed, dots, frame, False
        )
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
                return {
                    "box": box,
                    "line": line,
                    "offset": tuple(radius * direction),
                    "ha": ha,
                    "va": va,
                    "leader": radius > RINGS[0],
                }
    return None


def _crosses(line: np.ndarray, boxes: np.ndarray) -> bool:
    """Whether any point of a leader falls inside any of the boxes."""
    if not line.size or not boxes.size:
        return False
    x, y = line[:, None, 0], line[:, None, 1]
    return bool(
        np.any((x > boxes[:, 0]) & (x < boxes[:, 2]) & (y > boxes[:, 1]) & (y < boxes[:, 3]))
    )


def annotate(
    ax,
    xy: np.ndarray,
    texts: list[str],
    plans: list[dict | None],
    size: float,
    leader: str,
    zorder: float = 3,
    **style,
) -> None:
    """Draw the labels ``plan_labels`` placed, clipped to the axes like the points; a label
    that stands away from its point gets a thin line back to it, drawn under every label."""
    for (x, y), text, plan in zip(xy, texts, plans):
        if plan is None:
            continue
        where = {
            "xy": (x, y),
            "xytext": plan["offset"],
            "textcoords": "offset points",
            "annotation_clip": True,
            "clip_on": True,
        }
        if plan["leader"]:
            ax.annotate(
                "",
                **where,
                zorder=zorder - 0.5,
                arrowprops={
                    "arrowstyle": "-",
                    "color": leader,
                    "linewidth": 0.6,
                    "alpha": 0.7,
                    "shrinkA": 0,
                    "shrinkB": 1.5,
                },
            )
        ax.annotate(
            text, **where, ha=plan["ha"], va=plan["va"], fontsize=size, zorder=zorder, **style
        )
