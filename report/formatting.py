"""Numbers as the site writes them: table cells, counts, seeds, parameters, dates.

A value reads the same wherever it appears, in a table, a slide's text, a configuration's label
or a figure's ticks: ``format_number`` to 3 significant digits (whole numbers with thousands
separators), a mean to no finer digits than its spread's (``format_mean``, ``format_sd``), every
± named (``spread_name``: a 95 % t-interval, a standard deviation or a standard error), a
parameter such as a learning rate as 0.00005 rather than 5e-05 (``plain``). The templates reach
these through their filters (``FILTERS``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

import numpy as np


class Seeded(Protocol):
    """What the seed phrases read: an experiment's configurations, each with its runs (a
    report.summary.Summary; named by its shape so that formatting imports nothing of it)."""

    configurations: Sequence[Any]


def plain(value: float) -> str:
    """A number in positional notation, as short as it reads back exactly: 0.00005, 0.1, 3."""
    return np.format_float_positional(value, trim="-")


def format_number(value, digits: int = 3) -> str:
    """Numbers for tables: ``digits`` significant digits (below 0.0001 in scientific notation,
    so 3.8e-05 keeps its digits), integers as integers, nothing for missing."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return f"{value:,}"
    if value and abs(value) < 1e-4:
        return f"{value:.{digits - 1}e}"
    return f"{value:,.{_decimals(value, digits)}f}"


def _decimals(value: float, digits: int) -> int:
    """Decimals that show ``digits`` significant digits of value (none for whole hundreds)."""
    magnitude = math.floor(math.log10(abs(value))) if value else 0
    return max(0, digits - 1 - magnitude)


#: What the number after a ± is, by the ``spread`` a cell names (stats.describe gives "ci").
SPREADS = {
    "ci": "95 % t-interval of the mean",
    "std": "standard deviation",
    "se": "standard error of the mean",
    "welch": "Welch's 95 % interval of the difference",
}


def _spread(stat: dict) -> float | None:
    """The number a cell shows after ±: the one its ``spread`` names (stats.describe: the 95 %
    confidence half-width), else its ``std`` (a slide's standard deviation)."""
    return stat.get(stat.get("spread", "std"))


def format_mean(stat: dict | None) -> str:
    """The mean of a cell to 3 significant digits, or fewer where its spread is coarser (but
    one at least): the digits a reader can trust, "0.204 ± 3.8e-05", "1.10 ± 0.070",
    "0.003 ± 0.29", never "0.2044331 ± 2.7e-06" nor "0.00313 ± 0.29"."""
    if not stat or stat.get("mean") is None:
        return "–"
    mean, spread = stat["mean"], _spread(stat)
    if not spread or not mean or abs(mean) < 1e-4:
        return format_number(mean)
    decimals = max(min(_decimals(mean, 3), _decimals(spread, 2)), _decimals(mean, 1))
    return f"{mean:,.{decimals}f}"


def format_sd(stat: dict | None) -> str:
    """The spread of a mean ± spread cell, to 2 significant digits (0 when every seed agreed)."""
    if not stat or stat.get("mean") is None:
        return ""
    spread = _spread(stat)
    return "0" if spread == 0 else format_number(spread, 2)


def spread_name(stat: dict | None) -> str:
    """What a cell's ± is, for its title: "± 95 % t-interval of the mean over 3 seeds" (a
    cell's ``unit`` names what ``n`` counts where it is not seeds)."""
    if not stat:
        return ""
    over = f" over {plural(stat['n'], stat.get('unit', 'seed'))}" if stat.get("n") else ""
    return f"± {SPREADS[stat.get('spread', 'std')]}{over}"


def format_when(iso: str | None) -> str:
    if not iso:
        return "–"
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return moment.strftime("%d %b %Y, %H:%M") + (
        " UTC" if moment.utcoffset() is not None and not moment.utcoffset() else ""
    )


def seeds_phrase(s: Seeded) -> str:
    """ "2 seeds", "1 seed", or "9–10 seeds" where some runs are missing."""
    counts = sorted({len(c.runs) for c in s.configurations})
    n = f"{counts[0]}" if len(counts) == 1 else f"{counts[0]}–{counts[-1]}"
    return f"{n} seed{'s' if counts[-1] > 1 else ''}"


def one_seed(s: Seeded) -> bool:
    """Whether every configuration has a single seed: a value each, and no spread, interval,
    quartile or median to speak of."""
    return max((len(c.runs) for c in s.configurations), default=0) < 2


def spread_phrase(s: Seeded) -> str:
    """What a table's cells are: "mean ± 95 % t-interval over 10 seeds", or one seed's value."""
    if one_seed(s):
        return "the value of 1 seed"
    return f"mean ± 95 % t-interval over {seeds_phrase(s)}"


def format_bytes(n: int) -> str:
    """A file's size as a download link gives it: "840 B", "12 kB", "42 MB" (2-3 digits)."""
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= size:
            return f"{format_number(n / size, 2 if n / size < 10 else 3)} {unit}"
    return f"{n} B"


def plural(n: int, noun: str) -> str:
    """ "1 run", "2 runs", "1,000 runs"."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def shared_lowest(labels: list[str], value: float, total: int) -> str:
    """Configurations that share the lowest mean, none of them picked: "shared by 4
    configurations at 0.00: a, b, c, d", or "shared by all 5 configurations, at 0.00"."""
    if len(labels) == total:
        return f"shared by all {total} configurations, at {format_number(value)}"
    return f"shared by {len(labels)} configurations at {format_number(value)}: {', '.join(labels)}"


#: The templates' filters: {{ value | num }}, {{ stat | mean }} ± {{ stat | sd }}, ...
FILTERS = {
    "num": format_number,
    "mean": format_mean,
    "sd": format_sd,
    "when": format_when,
    "counted": plural,
    "spread_name": spread_name,
}
