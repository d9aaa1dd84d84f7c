"""The final error of each configuration, mean ± 95 % t-interval over seeds (one seed: its
value)."""

from __future__ import annotations

from report import summary as sm
from report.formatting import one_seed, spread_phrase
from report.slides import SlideKind
from report.tables import by_metric, pivot


def build(s: sm.Summary) -> dict:
    tables = (
        [pivot(s, m) for m in s.metrics] if len(s.varying) > 1 else [by_metric(s)]
    )  # one axis: all metrics side by side
    return {
        "title": "Final error" if one_seed(s) else SLIDE.title,
        "lede": f"The final error of each configuration, {spread_phrase(s)}; lower is better.",
        "tables": tables,
    }


SLIDE = SlideKind(name="error_table", title="Error over seeds", position=20, build=build)
