"""Text that fits in a figure, measured before it is placed.

Matplotlib puts text where it is told, over whatever is there. The figure functions therefore
measure first (``text_width``, in points, with a one-pixel Agg renderer: no drawing), and so
wrap titles to their panel (``wrap``) and size a legend before the axes are placed
(``legend_rows``).
"""

from __future__ import annotations

import functools
import math

from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.font_manager import FontProperties

LINE = 1.25  # a line of text, in font sizes (matplotlib's spacing of 1.2 and a little)


@functools.cache
def _renderer() -> RendererAgg:
    return RendererAgg(1, 1, 72)  # at 72 dpi one pixel is one point


def text_width(text: str, size: float, weight: str = "normal") -> float:
    """The width in points of one line of text as matplotlib lays it out (rcParams' family)."""
    prop = FontProperties(size=size, weight=weight)
    return _renderer().get_text_width_height_descent(text, prop, ismath=False)[0]


def wrap(text: str, width: float, size: float, weight: str = "bold") -> str:
    """Text broken into lines at most ``width`` points wide: between the parts of a
    configuration label (" · ") first, then between words; a word wider than the line stays."""
    return "\n".join(
        line for given in text.split("\n") for line in _fill(given, width, size, weight)
    )


def _fill(text: str, width: float, size: float, weight: str) -> list[str]:
    if text_width(text, size, weight) <= width:
        return [text]
    if " · " in text:
        return [
            piece
            for line in _greedy(text.split(" · "), " · ", width, size, weight)
            for piece in _fill(line, width, size, weight)
        ]
    return _greedy(text.split(" "), " ", width, size, weight)


def _greedy(parts: list[str], separator: str, width: float, size: float, weight: str) -> list[str]:
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


def legend_rows(labels: list[str], width: float, size: float) -> tuple[int, float]:
    """Columns and height (inches) of a frameless legend of ``labels`` across ``width`` inches,
    so the figure can leave room for it below its axes before they are placed."""
    handle = (2.0 + 0.8 + 2.0) * size  # handle, its gap to the text, gap to the next column
    entry = max(text_width(label, size) for label in labels) + handle
    columns = max(1, min(len(labels), int(width * 72 // entry)))
    rows = math.ceil(len(labels) / columns)
    return columns, (rows * (LINE + 0.5) + 0.8) * size / 72
