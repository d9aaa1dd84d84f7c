"""Each architecture of the page drawn as the classic hourglass: encoder, code, decoder.

The drawing is inline SVG (templates/partials/drawings.html) from the geometry computed here,
so it needs no figure job and follows the page's colours. A bar's height grows with the square
root of its layer's width, on one scale for the whole page: 784 pixels and a 2-unit code fit on
one drawing, and a wider network looks wider than a narrower one beside it.
"""

from __future__ import annotations

import math

from report import summary as sm
from report.formatting import format_number, plural
from report.slides import SlideKind

BAR, STEP, PAD = 16, 72, 28  # bar width, distance between bar centres, side margin (px)
TALL, SHORTEST = 150, 6  # the widest layer's bar, and the narrowest a bar may be
TOP, BOTTOM = 24, 22  # room for the widths above and the roles below


def build(s: sm.Summary) -> dict:
    architectures = list(dict.fromkeys(r.spec.architecture for r in s.runs))
    widest = max(max(layers) for layers in architectures)
    return {
        "lede": "The layer widths from input to output: the encoder narrows to the code "
        "(the latent, in colour) and the decoder widens back to the image. Each "
        "bar's height grows with the square root of its width.",
        "diagrams": [hourglass(layers, widest) for layers in architectures],
    }


def hourglass(layers: tuple[int, ...], widest: int) -> dict:
    """The SVG geometry of one architecture: bars, the bands that join them, their labels."""
    latent = layers.index(min(layers))
    roles = {0: "input", latent: "code", len(layers) - 1: "output"}
    middle = TOP + TALL / 2
    bars = []
    for i, width in enumerate(layers):
        h = max(SHORTEST, TALL * math.sqrt(width / widest))
        x = PAD + i * STEP
        bars.append(
            {
                "x": x,
                "y": round(middle - h / 2, 1),
                "w": BAR,
                "h": round(h, 1),
                "cx": x + BAR / 2,
                "label": format_number(width),
                "latent": i == latent,
                "role": roles.get(i, ""),
            }
        )
    links = [
        " ".join(
            f"{x},{y}"
            for x, y in (
                (a["x"] + BAR, a["y"]),
                (b["x"], b["y"]),
                (b["x"], b["y"] + b["h"]),
                (a["x"] + BAR, a["y"] + a["h"]),
            )
        )
        for a, b in zip(bars, bars[1:])
    ]
    name = "-".join(map(str, layers))
    others = len(layers) - 3  # hidden layers besides the code
    return {
        "bars": bars,
        "links": links,
        "width": 2 * PAD + (len(layers) - 1) * STEP + BAR,
        "height": TOP + TALL + BOTTOM,
        "alt": f"Architecture {name}",
        "caption": f"{name}: a {layers[latent]}-unit code"
        + (f" and {plural(others, 'other hidden layer')}" if others else ", the only hidden layer"),
    }


SLIDE = SlideKind(name="architecture", title="Architecture", position=15, build=build)
