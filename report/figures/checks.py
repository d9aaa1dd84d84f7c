"""Texts of a finished figure drawn over each other, or cut by its edge.

The tests run these checks on every kind of figure, and the page checker (report.check) on
every figure it draws, so both stay cheap: one draw with drawing disabled, then box arithmetic.
Both lay the figure out in STYLE, as ``style.save`` does.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.text import Text

from report.figures.style import styled


def _drawn_tick_labels(axis: Axis) -> list[Text]:
    """The tick labels a draw shows: of the ticks the locator gives, those inside the view."""
    low, high = sorted(axis.get_view_interval())
    slack = (high - low) * 1e-9
    ticks = axis.get_major_ticks(len(axis.get_majorticklocs())) + axis.get_minor_ticks(
        len(axis.get_minorticklocs())
    )
    return [
        label
        for tick in ticks
        if low - slack <= tick.get_loc() <= high + slack
        for label in (tick.label1, tick.label2)
        if label.get_visible()
    ]


def _shown(text: Text) -> bool:
    """Drawn with something to read: visible, not empty, in a visible axes and legend."""
    parent = text.axes
    return (
        text.get_visible()
        and bool(text.get_text().strip())
        and (parent is None or parent.get_visible())
    )


def _texts(fig: Figure) -> list[Text]:
    """Every text the figure shows: titles, axis and tick labels, legends, annotations."""
    axes_lists = [ax.xaxis for ax in fig.axes] + [ax.yaxis for ax in fig.axes]
    every_tick_label = {
        id(label)
        for axis in axes_lists
        for tick in axis.get_major_ticks() + axis.get_minor_ticks()
        for label in (tick.label1, tick.label2)
    }
    others = [t for t in fig.findobj(Text) if id(t) not in every_tick_label]
    ticks = [
        label
        for axis in axes_lists
        if axis.axes.get_visible() and axis.axes.axison and axis.get_visible()
        for label in _drawn_tick_labels(axis)
    ]
    return [t for t in others + ticks if _shown(t)]


def _boxes(fig: Figure) -> tuple[list[Text], np.ndarray]:
    fig.draw_without_rendering()  # lays out ticks and text; draws nothing
    texts = _texts(fig)
    # Text's own box: an annotation's would include its leader line
    boxes = np.array([Text.get_window_extent(t).extents for t in texts]).reshape(-1, 4)
    return texts, boxes


@styled
def shown_texts(fig: Figure) -> list[Text]:
    """The texts a draw of the figure shows, laid out (their sizes as drawn)."""
    return _boxes(fig)[0]


@styled
def overlapping_texts(fig: Figure, tolerance: float = 0.5) -> list[tuple[str, str]]:
    """Pairs of texts whose boxes overlap by more than ``tolerance`` pixels both ways: tick
    labels, titles, axis labels, legend entries and annotations, as a draw lays them out."""
    texts, boxes = _boxes(fig)
    if len(texts) < 2:
        return []
    width = np.minimum(boxes[:, None, 2], boxes[None, :, 2]) - np.maximum(
        boxes[:, None, 0], boxes[None, :, 0]
    )
    height = np.minimum(boxes[:, None, 3], boxes[None, :, 3]) - np.maximum(
        boxes[:, None, 1], boxes[None, :, 1]
    )
    i, j = np.nonzero(np.triu((width > tolerance) & (height > tolerance), k=1))
    return [(texts[a].get_text(), texts[b].get_text()) for a, b in zip(i, j)]


@styled
def texts_outside(fig: Figure, tolerance: float = 0.5) -> list[str]:
    """Texts that the figure's edge cuts (a legend or title that does not fit)."""
    texts, boxes = _boxes(fig)
    width, height = fig.bbox.width, fig.bbox.height
    cut = (
        (boxes[:, 0] < -tolerance)
        | (boxes[:, 1] < -tolerance)
        | (boxes[:, 2] > width + tolerance)
        | (boxes[:, 3] > height + tolerance)
    )
    return [t.get_text() for t, c in zip(texts, cut) if c]
