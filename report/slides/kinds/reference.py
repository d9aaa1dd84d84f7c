"""The figures of the YAML's ``reference:`` (a study's, say) beside ours for the same
configurations, and whether the two put the configurations in the same order.

The reference's figures may measure something else (the study's "error" is undefined), so the
slide shows them in their own column, ours under every error measure the runs store, and compares
orderings, which do not depend on the units.
"""

from __future__ import annotations

from report import stats
from report import summary as sm
from report.axes import Axis
from report.formatting import seeds_phrase, spread_phrase
from report.metrics import Metric
from report.slides import Setup, SlideKind
from runner.config.reference import Reference, ReferenceValue
from runner.spec import RunSpec

#: Each axis of a reference entry, read off a run spec in the entry's terms.
_SPEC_AXES = {
    "architecture": lambda spec: list(spec.architecture),
    "learning_rate": lambda spec: spec.optimizer.learning_rate,
    "noise": lambda spec: spec.noise.level if spec.noise else None,
    "optimizer": lambda spec: spec.optimizer.name,
    "init": lambda spec: spec.init,
    "normalize": lambda spec: spec.normalize,
}


def why_not(setup: Setup) -> str | None:
    return None if setup.reference else "needs a reference: block in the YAML"


def build(s: sm.Summary) -> dict:
    reference = Reference.model_validate(s.config["reference"])
    matched = [(entry, _configurations(s, entry)) for entry in reference.values]
    by_std = reference.statistic == "std"
    ours = f"the standard deviation over {seeds_phrase(s)}" if by_std else spread_phrase(s)
    theirs = (
        f"{reference.source}: {reference.metric} "
        f"({'its spread over seeds' if by_std else 'a mean over seeds'})"
    )
    others = [m for m in s.measures if m not in s.metrics]
    tables = [_table(f"{theirs}; ours: {ours}", matched, s.metrics, by_std, reference.source)]
    if others:  # split by measure: one table of every measure would not fit a page's width
        tables.append(
            _table(
                f"ours under the other error measures the runs store: {ours}",
                matched,
                others,
                by_std,
            )
        )
    return {
        "lede": f"The figures of {reference.source} beside ours for the same "
        "configurations. They measure something else, so only orderings compare, "
        "and only where our intervals tell the configurations apart.",
        "tables": tables,
        "facts": _orderings(s, reference, matched),
    }


def _table(
    caption: str, matched: list, measures: list[Metric], by_std: bool, source: str | None = None
) -> dict:
    """A row per configuration: the reference's figure (where ``source`` names it), then ours
    under each measure."""
    rows = [
        {
            "labels": [c.label],
            "cells": ([f"{entry.value:g}"] if source else [])
            + [_ours(c, m, by_std) for m in measures],
        }
        for entry, configs in matched
        for c in configs
    ]
    return {
        "caption": caption,
        "row_headings": ["configuration"],
        "column_heading": "",
        "columns": [*([source] if source else []), *(m.short or m.label for m in measures)],
        "rows": rows,
    }


def _configurations(s: sm.Summary, entry: ReferenceValue) -> list[sm.Configuration]:
    """The configurations an entry names (several when it leaves a swept axis out)."""
    return [c for c in s.configurations if _matches(entry, c.runs[0].spec)]


def _matches(entry: ReferenceValue, spec: RunSpec) -> bool:
    """Whether a run belongs to a configuration the entry names (an axis it leaves out matches
    any value)."""
    return all(_SPEC_AXES[name](spec) == value for name, value in entry.axes.items())


def _ours(c: sm.Configuration, metric: Metric, by_std: bool):
    """Our figure to set beside the reference's: a mean ± CI cell, or the seeds' std."""
    st = stats.describe(c.metric(metric))
    return st["std"] if by_std else st


def _orderings(s: sm.Summary, reference: Reference, matched: list) -> list[tuple[str, str]]:
    """The entries in the reference's order, then in ours under each measure, once per value
    of the swept axes that the entries leave out (e.g. each learning rate)."""
    named = {name for entry in reference.values for name in entry.axes}
    rest = [a for a in s.varying if a.name not in named]
    theirs = sorted(reference.values, key=lambda e: e.value)
    facts = [(f"order by {reference.source}", " < ".join(_label(e, s) for e in theirs))]
    for key in dict.fromkeys(_rest_key(c, rest) for _, configs in matched for c in configs):
        pairs = [
            (entry, next((c for c in configs if _rest_key(c, rest) == key), None))
            for entry, configs in matched
        ]
        if len(pairs) < 2 or any(c is None for _, c in pairs):
            continue
        for metric in s.measures:
            facts.append(_our_order(s, metric, pairs, theirs, reference.statistic, key))
    return facts


def _our_order(
    s: sm.Summary, metric: Metric, pairs: list, theirs: list, statistic: str, key: str
) -> tuple[str, str]:
    """One fact: our order of the entries under ``metric``, and whether it is the reference's."""
    if statistic == "std":
        spread = {id(e): stats.describe(c.metric(metric))["std"] for e, c in pairs}
        order = sorted(
            (e for e, _ in pairs), key=lambda e: (spread[id(e)] is None, spread[id(e)] or 0.0)
        )
        text, verdict = " < ".join(_label(e, s) for e in order), _verdict(order, theirs)
    else:
        ranked = stats.ranking([(e, c.metric(metric)) for e, c in pairs])
        text = stats.order_text(ranked, lambda e: _label(e, s))
        apart = [bool(r["gap"] and r["gap"]["clear"]) for r in ranked[:-1]]
        # an order the runs do not make is no order to set beside theirs
        verdict = (
            _verdict([r["item"] for r in ranked], theirs)
            if all(apart)
            else "only partly told apart (≈): no full order to compare"
            if any(apart)
            else "not told apart by Welch's 95 % interval: no order to compare"
        )
    where = f" ({key})" if key else ""
    return f"ours, {metric.short or metric.label}{where}", f"{text}: {verdict}"


def _verdict(ours: list, theirs: list) -> str:
    if ours == theirs:
        return "the same order"
    return "the reverse order" if ours == theirs[::-1] else "another order"


def _rest_key(c: sm.Configuration, rest: list[Axis]) -> str:
    return " · ".join(c.values[a.name] for a in rest)


def _label(entry: ReferenceValue, s: sm.Summary) -> str:
    """An entry in the page's words: the labels of the axes it names, as tables show them."""
    c = next(iter(_configurations(s, entry)), None)
    if c is None:  # none of its runs is stored yet
        return " · ".join(map(str, entry.axes.values()))
    return " · ".join(c.values[name] for name in entry.axes if name in c.values) or c.label


SLIDE = SlideKind(
    name="reference",
    title="The study's figures beside ours",
    position=25,
    build=build,
    why_not=why_not,
)
