"""The course's figures beside ours, and the conclusions: every claim follows the numbers.

Summaries are built from runs whose final errors are chosen, so that each claim can be made
true and then false: the course's order kept or reversed, configurations told apart or not,
one clearly best or none. The sentences, ranks and chart change with them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import support
from report import slides
from report import summary as sm
from report.figures import checks, style
from report.slides import runs as slide_runs
from report.slides.kinds import reference
from report.slides.kinds import summary as summary_slide
from runner import store
from runner.metrics import AutoencoderMetrics, Denoise, DrawSummary, PixelSummary

A, B, C = (35, 2, 35), (35, 20, 2, 20, 35), (35, 20, 10, 2, 10, 20, 35)
NAMES = {A: "35-2-35", B: "35-20-2-20-35", C: "35-20-10-2-10-20-35"}
APART = {A: [1.0, 1.1, 0.9, 1.05], B: [5.0, 5.1, 4.9, 5.05], C: [9.0, 9.1, 8.9, 9.05]}
ALIKE = {A: [5.0, 6.0, 4.0, 5.5], B: [5.2, 4.1, 6.1, 5.0], C: [5.1, 6.2, 4.2, 4.9]}
TIED = {A: [5.0, 5.1, 4.9, 5.05], B: [0.0] * 4, C: [0.0] * 4}  # B and C both exactly 0


def _run(arch, seed: int, wrong: float, level: float | None) -> store.StoredRun:
    """A stored run with what the slides read: its spec, status, wrong pixels and MSE, and on
    noise the denoised wrong pixels (the same number)."""
    noise = {"kind": "bitflip", "level": level, "eval_draws": 3} if level is not None else None
    spec = support.autoencoder(
        id=f"{arch}-{level}-{seed}", architecture=list(arch), seed=seed, noise=noise
    )
    denoised = DrawSummary.model_construct(mean=wrong, max=int(wrong) + 1)
    metrics = AutoencoderMetrics.model_construct(
        status="ok",
        mse=wrong / 35,
        wrong_pixels=PixelSummary.model_construct(mean=wrong, max=int(wrong) + 1),
        denoise=Denoise.model_construct(model=denoised) if level is not None else None,
    )
    return store.StoredRun(Path("."), spec, metrics)


def _summary(ours: dict, theirs: dict, statistic: str = "mean", levels=(None,)) -> sm.Summary:
    """An experiment of ``ours`` (architecture -> errors over seeds) at each noise level, with
    a reference: block of ``theirs`` (architecture -> the course's figure)."""
    runs = [
        _run(arch, seed, value + (level or 0) * 10, level)
        for level in levels
        for arch, values in ours.items()
        for seed, value in enumerate(values)
    ]
    varying, configurations = sm.group(runs, {r.id: i for i, r in enumerate(runs)})
    values = [
        {
            "architecture": list(arch),
            **({"noise": level} if level is not None else {}),
            "value": value,
        }
        for level in levels
        for arch, value in theirs.items()
    ]
    config = {
        "reference": {
            "source": "the course",
            "metric": "its error",
            "statistic": statistic,
            "values": values,
        },
        "conclusions": ["A note written by hand."],
    }
    return sm.Summary("x", Path("."), config, "", {}, runs, varying, configurations)


def _facts(slide: dict) -> dict[str, str]:
    return dict(slide["facts"])


def _ranks(slide: dict) -> dict[str, list[str]]:
    """The rank table: configuration -> [course's figure, its rank, our rank, same order]."""
    table = slide["tables"][0]
    return {row["labels"][-1]: row["cells"] for row in table["rows"]}


def test_the_same_order_is_said_only_while_it_holds():
    same = slides.build("reference", _summary(APART, {A: 0.1, B: 0.2, C: 0.3}))
    reverse = slides.build("reference", _summary(APART, {A: 0.3, B: 0.2, C: 0.1}))
    said = _facts(same)["our order by wrong pixels per character"]
    assert "On every pair (3) ours is in the order of the course." in said
    assert said.startswith("35-2-35 < 35-20-2-20-35 < 35-20-10-2-10-20-35.")
    assert _facts(reverse)["order by the course"] == "35-20-10-2-10-20-35 < 35-20-2-20-35 < 35-2-35"
    flipped = _facts(reverse)["our order by wrong pixels per character"]
    assert "On every pair (3) ours is in the reverse of the order of the course." in flipped
    assert [r[1:] for r in _ranks(same).values()] == [["1", "1", "yes"], ["2", "2", "yes"]] + [
        ["3", "3", "yes"]
    ]
    assert _ranks(reverse)["35-2-35"] == [
        "0.3",
        "3",
        "1",
        "no: 35-20-2-20-35, 35-20-10-2-10-20-35",
    ]


def test_configurations_the_seeds_do_not_tell_apart_share_a_rank_and_no_order_is_claimed():
    slide = slides.build("reference", _summary(ALIKE, {A: 0.1, B: 0.2, C: 0.3}))
    said = _facts(slide)["our order by wrong pixels per character"]
    assert "≈" in said and "<" not in said
    assert "do not tell any of the 3 pairs apart" in said
    assert "order of the course" in said and "in the order of" not in said
    assert {tuple(r[2:]) for r in _ranks(slide).values()} == {("1–3", "– (not told apart)")}


def test_a_partial_order_is_compared_pair_by_pair():
    """35-2-35 clearly lowest, the other two alike: ranks 1, 2–3, 2–3; the course's order
    agrees on one separated pair and reverses the other."""
    ours = {A: APART[A], B: ALIKE[B], C: ALIKE[C]}
    slide = slides.build("reference", _summary(ours, {A: 0.2, B: 0.1, C: 0.3}))
    ranks = _ranks(slide)
    assert [ranks[NAMES[k]][2] for k in (A, B, C)] == ["1", "2–3", "2–3"]
    said = _facts(slide)["our order by wrong pixels per character"]
    assert "Of the 2 of 3 pairs our seeds tell apart, against the course: 1 in its order" in said
    assert "1 reversed (ours: 35-2-35 < 35-20-2-20-35)" in said
    assert ranks["35-2-35"][3] == "no: 35-20-2-20-35"
    assert ranks["35-20-10-2-10-20-35"][3] == "yes"


def test_noise_levels_are_ranked_apart_never_across():
    slide = slides.build("reference", _summary(APART, {A: 0.1, B: 0.2, C: 0.3}, levels=(0.05, 0.2)))
    facts = _facts(slide)
    assert set(facts) == {
        f"{kind} at p = {level}"
        for kind in ("order by the course", "our order by wrong pixels per character")
        for level in (0.05, 0.2)
    }
    table = slide["tables"][0]
    assert table["row_headings"] == ["noise", "configuration"]
    assert [row["cells"][2] for row in table["rows"]] == ["1", "2", "3"] * 2


def test_a_reference_of_spreads_ranks_the_spreads_by_the_f_test():
    rng = np.random.default_rng(0)
    wide = {
        A: 5 + rng.normal(0, 0.01, 12),
        B: 5 + rng.normal(0, 1, 12),
        C: 5 + rng.normal(0, 1, 12),
    }
    slide = slides.build("reference", _summary(wide, {A: 0.1, B: 0.3, C: 0.2}, "std"))
    ranks = _ranks(slide)
    assert [ranks[NAMES[k]][2] for k in (A, B, C)] == ["1", "2–3", "2–3"]
    assert "F test" in slide["lede"] and "F test" in slide["tables"][0]["caption"]
    said = _facts(slide)["our order of spreads by wrong pixels per character"]
    assert "On the 2 of 3 pairs our seeds tell apart ours is in the order of the course." in said
    assert "order of spreads by the course" in _facts(slide)  # an order of spreads, said so


def test_the_chart_has_a_panel_per_comparable_measure_and_draws_every_configuration():
    slide = slides.build("reference", _summary(APART, {A: 0.1, B: 0.2, C: 0.3}))
    args = slide["figure"]["args"]
    assert [p["title"] for p in args["panels"]] == [
        "wrong pixels per character",
        "mean squared error",
    ]
    first = args["panels"][0]["points"]
    assert [(p["x"], p["y"]) for p in first] == [
        (0.1, pytest.approx(np.mean(APART[A]))),
        (0.2, pytest.approx(np.mean(APART[B]))),
        (0.3, pytest.approx(np.mean(APART[C]))),
    ]
    assert all(p["low"] < p["y"] < p["high"] for p in first)


def test_the_chart_is_legible_at_a_phones_width():
    """Long labels, two groups, a point without a value: nothing overlaps or leaves the
    figure, no text is under the site's least size, and the figure never needs to scroll on
    a phone (at the page's least scale it fits 360 CSS px)."""
    s = _summary(
        APART,
        {A: 0.1, B: 0.2, C: 0.3},
        levels=(0.05, 0.2),
    )
    args = slides.build("reference", s)["figure"]["args"]
    args["panels"][0]["points"][0].update(y=None, low=None, high=None)
    fig = reference.prepare(**args)
    assert checks.overlapping_texts(fig) == []
    assert checks.texts_outside(fig) == []
    assert min(t.get_fontsize() for t in checks.shown_texts(fig)) >= style.MIN_TEXT_PT
    assert fig.get_figwidth() * style.CSS_DPI * style.MIN_SCALE <= 350
    assert any("1 not drawn" in t.get_text() for t in checks.shown_texts(fig))


def test_the_conclusions_name_a_best_only_when_the_seeds_single_it_out():
    clear = slides.build("conclusions", _summary(APART, {A: 0.1, B: 0.2, C: 0.3}))
    alike = slides.build("conclusions", _summary(ALIKE, {A: 0.3, B: 0.2, C: 0.1}))
    assert _facts(clear)["best"] == "35-2-35, ahead of the next beyond the 95 % interval"
    assert "best" not in _facts(alike)
    lowest = _facts(alike)["lowest mean"]
    assert lowest.endswith("(rank 1–3): no best")
    assert [row["cells"][0] for row in clear["tables"][0]["rows"]] == ["1", "2", "3"]
    assert [row["cells"][0] for row in alike["tables"][0]["rows"]] == ["1–3"] * 3


def test_the_conclusions_state_the_order_against_the_course_from_the_runs():
    same = _facts(slides.build("conclusions", _summary(APART, {A: 0.1, B: 0.2, C: 0.3})))
    reverse = _facts(slides.build("conclusions", _summary(APART, {A: 0.3, B: 0.2, C: 0.1})))
    key = "our order by wrong pixels per character"
    assert "ours is in the order of the course" in same[key]
    assert "ours is in the reverse of the order of the course" in reverse[key]


def test_the_files_notes_are_marked_as_not_computed():
    slide = slides.build("conclusions", _summary(APART, {A: 0.1, B: 0.2, C: 0.3}))
    assert slide["paragraphs"] == ["A note written by hand."]
    assert "not computed from these runs" in slide["lede"]


def test_configurations_sharing_the_lowest_mean_are_named_together_and_none_is_picked():
    """Two architectures at exactly 0.00: the card, the conclusions and the chooser's note say
    both share the lowest mean; none is called the lowest, nor the best."""
    s = _summary(TIED, {A: 0.1, B: 0.2, C: 0.3})
    assert s.leaders() == s.configurations[1:]
    shared = "shared by 2 configurations at 0.00: 35-20-2-20-35, 35-20-10-2-10-20-35"
    card = summary_slide.highlights(s)[0]
    assert card["detail"].startswith(f"lowest mean, {shared} · ")
    assert "linear 2-number" in card["detail"]  # both codes are 2 wide: PCA's stays
    assert _facts(slides.build("conclusions", s))["lowest mean"] == f"{shared} (rank 1–2): no best"
    note = slides.build("generated_grid", s)["note"]
    assert "the first in the experiment file of the 2 configurations that share" in note
    assert not any(row["best"] for row in slides.build("overview", s)["figure"]["args"]["rows"])


def test_the_best_is_ranked_within_a_noise_level_and_views_open_on_a_noisy_one():
    """Trained at p = 0 (the plain autoencoder, first in the file) and at p = 0.1: clean
    input is trivially lowest, so ranking across levels would open every view on p = 0."""
    s = _summary(APART, {A: 0.1, B: 0.2, C: 0.3}, levels=(0, 0.1))
    assert [c.label for c in s.leaders()] == ["35-2-35 · p = 0.1"]
    assert slide_runs.best_pair(s)[0].label == "35-2-35 · p = 0.1"
    slide = slides.build("denoising_examples", s)
    chooser = slide["chooser"]
    chosen = chooser["options"][chooser["selected"]]
    assert chosen["label"] == "35-2-35"
    titles = [r["title"] for r in chosen["figure"]["args"]["refs"]]
    assert titles[0].startswith("35-2-35 · p = 0.1")  # the noisy level's row first
    assert "opens on 35-2-35 · p = 0.1, the lowest mean" in slide["note"]
