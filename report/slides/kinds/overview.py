"""The final headline error of every configuration at a glance, with its 95 % confidence
interval over seeds."""

from __future__ import annotations

from report import stats
from report import summary as sm
from report.formatting import seeds_phrase
from report.metrics import Metric
from report.slides import Setup, SlideKind, figure


def why_not(setup: Setup) -> str | None:
    if setup.configurations < 2:
        return "needs at least 2 configurations to compare, got 1"
    return None


def build(s: sm.Summary) -> dict:
    best = s.best()
    rows = [row(c, s.headline, c is best) for c in s.configurations]
    return {"lede": f"Mean final {s.headline.label} of each configuration with its 95 % "
                    f"confidence interval over {seeds_phrase(s)} (Student's t), in the order "
                    "of the experiment file; the best (lowest mean) is marked. Lower is better.",
            "figure": figure(".svg", f"Final {s.headline.label} per configuration with 95 % "
                             "confidence intervals", rows=rows, xlabel=s.headline.label)}


def row(config: sm.Configuration, metric: Metric, best: bool) -> dict:
    """A configuration's mean and interval (None where one seed gives none)."""
    st = stats.describe(config.metric(metric))
    ci = st["ci"]
    return {"label": config.label, "mean": st["mean"], "best": best,
            "low": None if ci is None else st["mean"] - ci,
            "high": None if ci is None else st["mean"] + ci}


def prepare(rows: list[dict], xlabel: str):
    from report.figures import comparisons  # matplotlib only where figures are drawn

    return comparisons.overview(rows, xlabel)


SLIDE = SlideKind(name="overview", title="Configurations at a glance", position=22,
                  build=build, why_not=why_not, prepare=prepare)
