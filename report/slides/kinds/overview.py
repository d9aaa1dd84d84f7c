"""The final headline error of every configuration at a glance, with its 95 % t-interval over
seeds; the best marked only where the intervals tell it apart."""

from __future__ import annotations

from report import stats
from report import summary as sm
from report.formatting import spread_phrase
from report.metrics import Metric
from report.slides import Setup, SlideKind, figure


def why_not(setup: Setup) -> str | None:
    if setup.configurations < 2:
        return "needs at least 2 configurations to compare, got 1"
    return None


def build(s: sm.Summary) -> dict:
    best = clear_best(s)
    rows = [row(c, s.headline, c in best) for c in s.configurations]
    several = max(len(c.runs) for c in s.configurations) > 1
    marked = "the best design is marked where its interval leaves it ahead of the next" + (
        " (per noise level)" if len(s.levels()) > 1 else ""
    )
    return {
        "lede": f"Final {s.headline.label} of each configuration, "
        + (
            f"{spread_phrase(s)}, in the order of the experiment file; {marked}. "
            if several
            else f"{spread_phrase(s)} (one seed: no interval). "
        )
        + "Lower is better.",
        "figure": figure(
            ".svg",
            f"Final {s.headline.label} per configuration"
            + (" with 95 % t-intervals" if several else ""),
            rows=rows,
            xlabel=s.headline.label,
        ),
    }


def clear_best(s: sm.Summary) -> list[sm.Configuration]:
    """Per noise level (or over all), the lowest-mean configuration where Welch's 95 %
    interval tells it apart from the next; none where the seeds cannot, nor where several
    share the lowest mean (report.stats: a gap between means written alike is never clear)."""
    found = []
    for configs in s.levels().values():
        ranked = s.ranked(configs)
        if len(ranked) > 1 and ranked[0]["gap"] and ranked[0]["gap"]["clear"]:
            found.append(ranked[0]["item"])
    return found


def row(config: sm.Configuration, metric: Metric, best: bool) -> dict:
    """A configuration's mean and interval (None where one seed gives none)."""
    st = stats.describe(config.metric(metric))
    ci = st["ci"]
    return {
        "label": config.label,
        "mean": st["mean"],
        "best": best,
        "low": None if ci is None else st["mean"] - ci,
        "high": None if ci is None else st["mean"] + ci,
    }


def prepare(rows: list[dict], xlabel: str):
    from report.figures import comparisons  # matplotlib only where figures are drawn

    return comparisons.overview(rows, xlabel)


SLIDE = SlideKind(
    name="overview",
    title="Configurations at a glance",
    position=22,
    build=build,
    why_not=why_not,
    prepare=prepare,
)
