"""The figures of the YAML's ``reference:`` (a study's, say) beside ours for the same
configurations, and whether the two put the configurations in the same order.

The reference's figures may measure something else (the study's "error" is undefined), so
values are set side by side (a chart of theirs against ours, a table of both) while the claims
are about orders, and only about pairs of configurations that our seeds tell apart: by Welch's
95 % interval of their difference (report.stats.ranking, the rule the conclusions' "best"
uses), or for a reference of spreads by the F test of their variances. Neighbours not told
apart share a rank. Every sentence is built from the ranks it states, so a sweep whose numbers
say otherwise says otherwise.

Noise levels are conditions rather than choices: configurations are ranked within a level
(and within each value of a swept axis the entries leave out), never across.
"""

from __future__ import annotations

from itertools import combinations

from report import stats
from report import summary as sm
from report.axes import Axis
from report.formatting import one_seed, seeds_phrase, spread_phrase
from report.metrics import DENOISED_MAX, MAE, MAE_PM1, MSE, MSE_PM1, SSE, SSE_PM1, WRONG_MAX, Metric
from report.slides import Setup, SlideKind, figure
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

#: Measures that do not compare with a figure that summarises every character: the worst
#: character's, and the summed squared error, a fixed multiple of the MSE (35 pixels: its
#: order is the MSE's).
_NOT_COMPARED = (WRONG_MAX, DENOISED_MAX, SSE, SSE_PM1)
#: A measure in {0, 1} and its twin in {-1, 1}, a fixed multiple of it (x4, x2): runs trained on
#: {-1, 1} pixels are compared in their own range only.
_TWINS = {MSE: MSE_PM1, MAE: MAE_PM1}


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
    groups = comparisons(s, reference)
    tables = [_rank_table(s, reference, groups)] if groups else []
    tables.append(_table(f"{theirs}; ours: {ours}", matched, s.metrics, by_std, reference.source))
    if others:  # split by measure: one table of every measure would not fit a page's width
        tables.append(
            _table(
                f"ours under the other error measures the runs store: {ours}",
                matched,
                others,
                by_std,
            )
        )
    rule = (
        "the F test's 95 % interval of the ratio of their variances"
        if by_std
        else "Welch's 95 % interval of their difference"
    )
    told = (
        "one seed per configuration tells none apart, so none is ranked above another"
        if one_seed(s)
        else f"only about configurations our seeds tell apart ({rule}); those not told apart "
        "share a rank"
    )
    return {
        "lede": f"The figures of {reference.source} ({reference.metric}) beside ours for the same "
        f"configurations. Units may differ, so the claims below are about orders only, and {told}.",
        "tables": tables,
        "facts": [fact for g in groups for fact in g["facts"]] or [_no_pairs(reference)],
        "figure": _chart(s, reference, groups) if groups else None,
    }


def comparable(s: sm.Summary) -> list[Metric]:
    """Our measures that a reference's figure of every character compares with."""
    measures = s.measures
    return [m for m in measures if m not in _NOT_COMPARED and _TWINS.get(m) not in measures]


def comparisons(s: sm.Summary, reference: Reference, measures: list[Metric] | None = None):
    """Per group of configurations to rank together (a noise level, a value of an axis the
    entries leave out): the entries with their configurations, and per measure our ranking,
    each configuration's rank, the course's, and the sentence they make.

    [{"key", "pairs": [(entry, configuration)], "measures": [{"metric", "ranked", "ours",
    "theirs", "agree", "fact"}], "facts"}]; groups of fewer than two entries have no order
    and are left out.
    """
    groups = []
    for key, pairs in _groups(s, reference).items():
        per = [_compare(s, reference, key, pairs, m) for m in (measures or comparable(s))]
        theirs = sorted(pairs, key=lambda p: p[0].value)
        where = f" at {key}" if key else ""
        spreads = " of spreads" if reference.statistic == "std" else ""
        order = (
            f"order{spreads} by {reference.source}{where}",
            " < ".join(_label(s, reference, c) for _, c in theirs),
        )
        groups.append(
            {
                "key": key,
                "pairs": pairs,
                "measures": per,
                "facts": [order] + [p["fact"] for p in per],
            }
        )
    return groups


def _groups(s: sm.Summary, reference: Reference) -> dict[str, list]:
    """Entries and the configuration each names, by the values of the axes they do not compare
    (the noise level always among them: a condition, not a choice)."""
    compared = _compared(reference)
    rest = [a for a in s.varying if a.name not in compared]
    groups: dict[str, list] = {}
    for entry in reference.values:
        for c in _configurations(s, entry):
            pairs = groups.setdefault(_rest_key(c, rest), [])
            if all(e is not entry for e, _ in pairs):  # an entry once per group
                pairs.append((entry, c))
    return {k: v for k, v in groups.items() if len(v) > 1}


def _compared(reference: Reference) -> set[str]:
    """The axes along which the entries differ, noise aside."""
    named = {name for entry in reference.values for name in entry.axes}
    return {
        name
        for name in named - {"noise"}
        if len({repr(e.axes.get(name)) for e in reference.values}) > 1
    }


def _compare(s: sm.Summary, reference: Reference, key: str, pairs: list, metric: Metric) -> dict:
    """Our ranks of a group's configurations under ``metric``, the reference's, the verdict
    on every pair our seeds order, and the sentence that says it."""
    by_std = reference.statistic == "std"
    rank = stats.spread_ranking if by_std else stats.ranking
    ranked = rank([(k, c.metric(metric)) for k, (_, c) in enumerate(pairs)])
    ours = dict(zip((r["item"] for r in ranked), stats.ranks(ranked, "std" if by_std else "mean")))
    values = [e.value for e, _ in pairs]
    theirs = {k: _rank_of(v, values) for k, v in enumerate(values)}
    verdicts = _pair_verdicts(ours, values)
    labels = [_label(s, reference, c) for _, c in pairs]
    where = f" at {key}" if key else ""
    spreads = " of spreads" if by_std else ""
    text = (
        f"{stats.order_text(ranked, lambda k: labels[k])}. "
        f"{_verdict(verdicts, len(pairs), labels, reference.source)}."
    )
    return {
        "metric": metric,
        "ranked": ranked,
        "ours": ours,
        "theirs": theirs,
        "agree": {k: _agrees(k, verdicts, labels) for k in range(len(pairs))},
        "fact": (f"our order{spreads} by {metric.short or metric.label}{where}", text),
    }


def _rank_of(value: float, values: list[float]) -> str:
    """A figure's rank among the reference's, lowest first; equal figures share it."""
    below = sum(v < value for v in values)
    same = sum(v == value for v in values)
    return f"{below + 1}" if same == 1 else f"{below + 1}–{below + same}"


def _pair_verdicts(ours: dict[int, str], values: list[float]) -> list[tuple[int, int, str]]:
    """(lower, higher, verdict) for each pair our ranks put in different places: "same" where
    the reference orders them as we do, "reverse" where the other way, "tie" where its two
    figures are equal."""
    tier = {k: None if rank == "–" else int(rank.split("–")[0]) for k, rank in ours.items()}
    found = []
    for a, b in combinations(sorted(tier), 2):
        if tier[a] is None or tier[b] is None or tier[a] == tier[b]:
            continue
        low, high = (a, b) if tier[a] < tier[b] else (b, a)
        theirs = values[high] - values[low]
        found.append((low, high, "same" if theirs > 0 else "reverse" if theirs < 0 else "tie"))
    return found


def _verdict(verdicts: list, n: int, labels: list[str], source: str) -> str:
    """What the pairs our seeds order say of the reference's order, in a sentence."""
    pairs = n * (n - 1) // 2
    told = len(verdicts)
    counts = {v: sum(1 for *_, w in verdicts if w == v) for v in ("same", "reverse", "tie")}
    if not told:
        which = "the two" if pairs == 1 else f"any of the {pairs} pairs"
        return (
            f"Our seeds do not tell {which} apart: they neither confirm nor contradict the "
            f"order of {source}"
        )
    scope = (
        "the one pair"
        if pairs == 1
        else f"every pair ({pairs})"
        if told == pairs
        else f"the {told} of {pairs} pairs our seeds tell apart"
    )
    if counts["same"] == told:
        return f"On {scope} ours is in the order of {source}"
    if counts["reverse"] == told:
        return f"On {scope} ours is in the reverse of the order of {source}"
    reversed_ = [f"{labels[a]} < {labels[b]}" for a, b, w in verdicts if w == "reverse"]
    parts = [
        f"{counts['same']} in its order" if counts["same"] else "",
        f"{counts['reverse']} reversed (ours: {', '.join(reversed_)})" if reversed_ else "",
        f"{counts['tie']} with equal figures there" if counts["tie"] else "",
    ]
    return f"Of {scope}, against {source}: " + ", ".join(p for p in parts if p)


def _agrees(k: int, verdicts: list, labels: list[str]) -> str:
    """The rank table's cell: whether the reference orders configuration k as we do against
    every configuration our seeds tell it apart from."""
    mine = [(a, b, w) for a, b, w in verdicts if k in (a, b)]
    if not mine:
        return "– (not told apart)"
    against = [labels[b if a == k else a] for a, b, w in mine if w != "same"]
    return "yes" if not against else "no: " + ", ".join(against)


def _rank_table(s: sm.Summary, reference: Reference, groups: list[dict]) -> dict:
    """A row per compared configuration: the reference's figure and rank, ours under the
    first compared measure, and whether the two orders agree where ours separates (the other
    measures' orders are in the slide's sentences)."""
    keyed = len(groups) > 1  # one group is named in the caption instead
    only = f" at {groups[0]['key']}" if groups[0]["key"] and not keyed else ""
    rows = []
    for g in groups:
        first = g["measures"][0]
        for k, (entry, c) in enumerate(g["pairs"]):
            label = _label(s, reference, c)
            rows.append(
                {
                    "labels": [g["key"], label] if keyed else [label],
                    "cells": [
                        f"{entry.value:g}",
                        first["theirs"][k],
                        first["ours"][k],
                        first["agree"][k],
                    ],
                }
            )
    metric = groups[0]["measures"][0]["metric"]
    rest = [a.heading for a in _rest_axes(s, reference)]
    rule = "the F test" if reference.statistic == "std" else "Welch's 95 % interval"
    return {
        "caption": f"ranks by {metric.label}, lowest first"
        + (f", ranked separately per {' · '.join(rest)}" if keyed else only)
        + f"; neighbours that {rule} does not tell apart share a rank (as 2–3); the same order: "
        f"whether {reference.source} orders a configuration as ours does against every one "
        "ours tells it apart from",
        "row_headings": [" · ".join(rest), "configuration"] if keyed else ["configuration"],
        "column_heading": "",
        "columns": [
            reference.source,
            "its rank",
            "our rank",
            "the same order",
        ],
        "rows": rows,
    }


def _chart(s: sm.Summary, reference: Reference, groups: list[dict]) -> dict:
    """The figure job: a panel per compared measure, the reference's figure against ours."""
    by_std = reference.statistic == "std"
    names = list(dict.fromkeys(_label(s, reference, c) for g in groups for _, c in g["pairs"]))
    panels = []
    for metric in (m["metric"] for m in groups[0]["measures"]):
        points = []
        for gi, g in enumerate(groups):
            for entry, c in g["pairs"]:
                points.append(
                    {
                        "configuration": names.index(_label(s, reference, c)),
                        "group": gi,
                        "x": entry.value,
                        **_ours(c, metric, by_std),
                    }
                )
        panels.append({"title": metric.label, "points": points})
    interval = "95 % χ² interval" if by_std else "95 % t-interval"
    return figure(
        ".svg",
        f"The figures of {reference.source} against ours, per configuration, a panel per measure, "
        f"ours with its {interval} where there are seeds enough"
        + (f", at {groups[0]['key']}" if len(groups) == 1 and groups[0]["key"] else ""),
        panels=panels,
        xlabel=f"{reference.source}: {reference.metric}",
        ylabel=f"ours: {'std' if by_std else 'mean'}"
        + (", 95 % interval" if max(len(c.runs) for c in s.configurations) > 1 else ""),
        configurations=names,
        groups=[g["key"] for g in groups] if len(groups) > 1 else [],
    )


def _ours(c: sm.Configuration, metric: Metric, by_std: bool) -> dict:
    """A point of the chart: our mean (or spread) and its 95 % interval, None without one."""
    values = c.metric(metric)
    st = stats.describe(values)
    if by_std:
        band = stats.std_interval(values)
        return {
            "y": st["std"] if st["n"] > 1 else None,
            "low": band and band[0],
            "high": band and band[1],
        }
    ci = st["ci"]
    return {
        "y": st["mean"],
        "low": None if ci is None else st["mean"] - ci,
        "high": None if ci is None else st["mean"] + ci,
    }


def _no_pairs(reference: Reference) -> tuple[str, str]:
    return (
        "orders",
        f"no two of {reference.source}'s figures name configurations ranked together "
        "(stored, at one noise level): there is no order to compare",
    )


def _table(
    caption: str, matched: list, measures: list[Metric], by_std: bool, source: str | None = None
) -> dict:
    """A row per configuration: the reference's figure (where ``source`` names it), then ours
    under each measure."""
    rows = [
        {
            "labels": [c.label],
            "cells": ([f"{entry.value:g}"] if source else [])
            + [_cell(c, m, by_std) for m in measures],
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


def _cell(c: sm.Configuration, metric: Metric, by_std: bool):
    """Our figure to set beside the reference's: a mean ± CI cell, or the seeds' std."""
    st = stats.describe(c.metric(metric))
    return st["std"] if by_std else st


def _rest_axes(s: sm.Summary, reference: Reference) -> list[Axis]:
    compared = _compared(reference)
    return [a for a in s.varying if a.name not in compared]


def _rest_key(c: sm.Configuration, rest: list[Axis]) -> str:
    """A group's name: "p = 0.05", "learning rate 0.0005" (a bare number gets its axis)."""
    return " · ".join(_named(a, c.values[a.name]) for a in rest)


def _named(axis: Axis, value: str) -> str:
    try:
        float(value)
    except ValueError:
        return value
    return f"{axis.heading} {value}"


def _label(s: sm.Summary, reference: Reference, c: sm.Configuration) -> str:
    """A configuration by the axes the entries compare, as tables show them."""
    return " · ".join(c.values[n] for n in c.values if n in _compared(reference)) or c.label


def prepare(panels, xlabel, ylabel, configurations, groups):
    from report.figures import reference  # matplotlib only where figures are drawn

    return reference.against(panels, xlabel, ylabel, configurations, groups)


SLIDE = SlideKind(
    name="reference",
    title="The study's figures beside ours",
    position=25,
    build=build,
    why_not=why_not,
    prepare=prepare,
)
