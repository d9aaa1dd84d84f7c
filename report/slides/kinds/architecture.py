"""Each architecture of the page drawn as the classic hourglass: encoder, code, decoder.

The drawing is inline SVG (templates/partials/drawings.html) from the geometry computed here,
so it needs no figure job and follows the page's colours. A bar's length grows with the square
root of its layer's width, on one scale for the whole page: 784 pixels and a 2-unit code fit on
one drawing, and a wider network looks wider than a narrower one beside it. It is drawn across
the page, and down it for a phone, where nine bars side by side would shrink their words under
8 px.
"""

from __future__ import annotations

import math

from report import summary as sm
from report.formatting import format_number, plural
from report.slides import SlideKind

BAR, STEP, PAD = 16, 72, 28  # bar width, distance between bar centres, side margin (px)
TALL, SHORTEST = 150, 6  # the widest layer's bar, and the narrowest a bar may be
TOP, BOTTOM = 24, 22  # room for the widths above and the roles below
ROW, SIDE = 34, 56  # the phone's drawing: distance between bars, room for a bar's words


def build(s: sm.Summary) -> dict:
    architectures = list(dict.fromkeys(r.spec.architecture for r in s.runs))
    widest = max(max(layers) for layers in architectures)
    return {
        "lede": "The layer widths from input to output: the encoder narrows to the code "
        "(the latent, in colour) and the decoder widens back to the image. Each "
        "bar's length grows with the square root of its width.",
        "diagrams": [hourglass(layers, widest) for layers in architectures],
    }


def hourglass(layers: tuple[int, ...], widest: int) -> dict:
    """One architecture drawn twice: across the page (``wide``) and, for a phone's width,
    down it (``tall``: the bars turned to rows, its text at full size where the wide one
    would shrink under 8 px); the stylesheet shows one."""
    latent = layers.index(min(layers))
    roles = {0: "input", latent: "code", len(layers) - 1: "output"}
    sizes = [max(SHORTEST, TALL * math.sqrt(width / widest)) for width in layers]
    bars = [
        {
            "size": size,
            "label": format_number(width),
            "latent": i == latent,
            "role": roles.get(i, ""),
        }
        for i, (width, size) in enumerate(zip(layers, sizes))
    ]
    name = "-".join(map(str, layers))
    others = len(layers) - 3  # hidden layers besides the code
    return {
        "wide": _across(bars),
        "tall": _down(bars),
        "alt": f"Architecture {name}",
        "caption": f"{name}: a {layers[latent]}-unit code"
        + (f" and {plural(others, 'other hidden layer')}" if others else ", the only hidden layer"),
    }


def _across(bars: list[dict]) -> dict:
    """The SVG geometry of bars side by side, each's width above it and its role below."""
    middle = TOP + TALL / 2
    height = TOP + TALL + BOTTOM
    placed = []
    for i, bar in enumerate(bars):
        x, y = PAD + i * STEP, round(middle - bar["size"] / 2, 1)
        placed.append(
            {
                **bar,
                "x": x,
                "y": y,
                "w": BAR,
                "h": round(bar["size"], 1),
                "label_at": (x + BAR / 2, y - 6, "middle"),
                "role_at": (x + BAR / 2, height - 4, "middle"),
            }
        )
    return _drawing(placed, _right_to_left, 2 * PAD + (len(bars) - 1) * STEP + BAR, height)


def _right_to_left(a: dict, b: dict) -> tuple:
    """A band from a bar's right side to the next one's left."""
    right = a["x"] + a["w"]
    return (right, a["y"]), (b["x"], b["y"]), (b["x"], b["y"] + b["h"]), (right, a["y"] + a["h"])


def _down(bars: list[dict]) -> dict:
    """The SVG geometry of bars one below the other, each's role at its left and its width at
    its right."""
    centre = SIDE + TALL / 2
    placed = []
    for i, bar in enumerate(bars):
        x, y = round(centre - bar["size"] / 2, 1), 8 + i * ROW
        placed.append(
            {
                **bar,
                "x": x,
                "y": y,
                "w": round(bar["size"], 1),
                "h": BAR,
                "label_at": (centre + TALL / 2 + 8, y + BAR / 2 + 4.5, "start"),
                "role_at": (SIDE - 8, y + BAR / 2 + 4, "end"),
            }
        )
    return _drawing(placed, _bottom_to_top, 2 * SIDE + TALL, 16 + (len(bars) - 1) * ROW + BAR)


def _bottom_to_top(a: dict, b: dict) -> tuple:
    """A band from a bar's bottom side to the next one's top."""
    bottom = a["y"] + a["h"]
    return (a["x"], bottom), (a["x"] + a["w"], bottom), (b["x"] + b["w"], b["y"]), (b["x"], b["y"])


def _drawing(bars: list[dict], corners, width: float, height: float) -> dict:
    """Placed bars, the bands that join each to the next (``corners(a, b)``: the band's four
    corners on the facing sides of a and b), and the drawing's size."""
    links = [" ".join(f"{x},{y}" for x, y in corners(a, b)) for a, b in zip(bars, bars[1:])]
    return {"bars": bars, "links": links, "width": width, "height": height}


SLIDE = SlideKind(name="architecture", title="Architecture", position=15, build=build)
