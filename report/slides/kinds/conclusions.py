"""What the stored runs conclude: the configurations ranked by the headline metric, whether each
is told apart from the next, the best one, the course's bar, the order against the YAML's
reference: figures, then the YAML's own prose (marked as the file's notes: it is not computed
from the runs). Every sentence here is built from the numbers it states.

Neighbours are told apart when Welch's 95 % interval of their difference leaves out 0: with few
seeds, two configurations whose means differ may still be the same within their spread, and the
ranking says so instead of implying an order the runs do not support. Noise levels are conditions
rather than choices, so a denoising sweep is ranked within each level.
"""

from __future__ import annotations

from report import stats
from report import summary as sm
from report.formatting import one_seed, shared_lowest, spread_phrase
from report.metrics import WRONG_MAX
from report.slides import SlideKind
from report.slides.kinds import reference as against_reference
from runner.config.reference import Reference

BAR = 1  # the course's bar: every character at most this many wrong pixels


def build(s: sm.Summary) -> dict:
    groups = s.levels()
    bar = s.kind == "autoencoder" and not s.denoising and s.spec.dataset == "font"
    tables = [
        _ranking_table(s, key, configs, bar) for key, configs in groups.items() if len(configs) > 1
    ]
    facts = [_best(s, key, configs) for key, configs in groups.items()]
    if bar:
        facts.append(("the course's bar, at the last epoch", _bar_fact(s)))
    facts += _against_reference(s)
    notes = _notes(s)
    return {
        "lede": f"Computed from the stored runs: the configurations ranked by "
        f"{s.headline.label}, lower first, "
        + (
            "one run each: one seed tells no two apart, so they share a rank."
            if one_seed(s)
            else "each against the next by Welch's 95 % interval of their difference; those it "
            "does not tell apart share a rank."
        )
        + (
            " The paragraphs at the end are the experiment file's notes, written by hand and "
            "not computed from these runs."
            if notes
            else ""
        ),
        "facts": facts,
        "tables": tables,
        "paragraphs": notes,
    }


def _against_reference(s: sm.Summary) -> list[tuple[str, str]]:
    """The reference slide's sentence on the order, under the first measure it compares."""
    if not s.config.get("reference"):
        return []
    measures = against_reference.comparable(s)[:1]
    ref = Reference.model_validate(s.config["reference"])
    return [f for g in against_reference.comparisons(s, ref, measures) for f in g["facts"]]


def _notes(s: sm.Summary) -> list[str]:
    """The YAML's own paragraphs. They were written for the file as it stands: when the sweep
    changed it on the command line (fewer seeds or epochs, say), the figures they quote are not
    these runs', and a reader is told so before reading them."""
    notes = list(s.config.get("conclusions") or [])
    overrides = s.provenance.get("overrides")
    if notes and overrides:
        notes.insert(
            0,
            f"These runs read the experiment file with {' '.join(overrides)}: the figures its "
            "notes below quote were written for the file as it stands, and need not be these "
            "runs' figures; the tables above are.",
        )
    return notes


def _label(c: sm.Configuration, key: str) -> str:
    """A configuration without the noise level its group is named after."""
    return " · ".join(v for k, v in c.values.items() if not (key and k == "noise")) or c.label


def _ranking_table(s: sm.Summary, key: str, configs: list, bar: bool) -> dict:
    ranked = s.ranked(configs)
    gaps = not one_seed(s)  # one seed has no interval of a difference
    columns = ["rank", s.headline.short or s.headline.label]
    columns += ["gap to the next (Welch 95 % CI)"] if gaps else []
    rows = []
    for entry, rank in zip(ranked, stats.ranks(ranked)):
        gap = entry["gap"]
        cells = [rank, entry["stat"]]
        if gaps:
            cells.append(
                {"mean": gap["difference"], "welch": gap["ci"], "spread": "welch", "dropped": 0}
                if gap
                else None
            )
        if bar:
            cells.append(_bar_count(entry["item"]))
        rows.append({"labels": [_label(entry["item"], key)], "cells": cells})
    if bar:
        columns.append(f"runs ending ≤ {BAR}")
    where = f" at {key}" if key else ""
    return {
        "caption": f"ranking{where}: {spread_phrase(s)}, lower first"
        + (
            f"; runs ending ≤ {BAR}: those whose every {s.sample} ends at most {BAR} wrong pixel off"
            if bar
            else ""
        ),
        "row_headings": ["configuration"],
        "column_heading": "",
        "columns": columns,
        "rows": rows,
    }


def _best(s: sm.Summary, key: str, configs: list) -> tuple[str, str]:
    """The best configuration of a group, and whether the runs single it out: never where
    several share the lowest mean."""
    ranked, lowest = s.ranked(configs), s.leaders(configs)
    where = f" at {key}" if key else ""
    if not lowest:
        return f"best{where}", "none: every run diverged"
    if len(ranked) == 1:
        return f"configuration{where}", _label(lowest[0], key)
    gap = ranked[0]["gap"]
    if len(lowest) == 1 and gap and gap["clear"]:
        return f"best{where}", (
            f"{_label(lowest[0], key)}, ahead of the next beyond the 95 % interval"
        )
    ranks = stats.ranks(ranked)
    tied = [
        _label(r["item"], key)
        for r, rank in zip(ranked[len(lowest) :], ranks[len(lowest) :])
        if rank == ranks[0]
    ]
    head = (
        shared_lowest([_label(c, key) for c in lowest], ranked[0]["stat"]["mean"], len(ranked))
        if len(lowest) > 1
        else _label(lowest[0], key)
    )
    apart = f", not told apart from {', '.join(tied)}" if tied else ""
    if len(lowest) == 1 and not tied:
        apart = ", not told apart from the next"
    lowest_of = f"lowest{'' if one_seed(s) else ' mean'}{where}"
    return lowest_of, f"{head}{apart} (rank {ranks[0]}): no best"


def _reached(c: sm.Configuration) -> int:
    return sum(1 for r in c.ok if WRONG_MAX.of(r.metrics) <= BAR)


def _bar_count(c: sm.Configuration) -> str:
    return f"{_reached(c)} / {len(c.runs)}"


def _bar_fact(s: sm.Summary) -> str:
    """Which configurations reach every character at ≤ 1 wrong pixel: on every seed, some."""
    every = [c.label for c in s.configurations if _reached(c) == len(c.runs)]
    some = [
        f"{c.label} ({_bar_count(c)})" for c in s.configurations if 0 < _reached(c) < len(c.runs)
    ]
    if not every and not some:
        return f"no run ends with every character at ≤ {BAR} wrong pixel"
    if len(s.configurations) == 1:
        return (
            "reached by every run"
            if every
            else f"reached by {_bar_count(s.configurations[0])} runs"
        )
    parts = [
        f"every run of {', '.join(every)}" if every else "",
        f"some runs of {', '.join(some)}" if some else "",
    ]
    return "reached by " + "; ".join(p for p in parts if p)


SLIDE = SlideKind(name="conclusions", title="Conclusions", position=900, build=build)
