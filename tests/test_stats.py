"""Statistics over seeds: Student's t intervals, Welch's comparison, rankings, quartile bands."""

import numpy as np
import pytest
import scipy.stats

from report import stats


def test_stats_give_the_t_interval_and_none_for_one_seed():
    values = [1.0, 2.0, 4.0]
    half = scipy.stats.t.ppf(0.975, 2) * np.std(values, ddof=1) / np.sqrt(3)
    assert stats.describe(values)["ci"] == pytest.approx(half)
    assert half == pytest.approx(4.303 * np.std(values, ddof=1) / np.sqrt(3), rel=1e-3)
    one = stats.describe([5.0])
    assert (one["mean"], one["ci"], one["n"]) == (5.0, None, 1)


def test_welch_tells_apart_only_what_the_seeds_support():
    assert stats.welch([1.0, 1.1, 0.9], [5.0, 5.1, 4.9])["clear"]
    assert not stats.welch([1.0, 2.0, 3.0], [1.5, 2.5, 3.5])["clear"]
    assert stats.welch([1.0], [2.0, 3.0]) is None  # one seed: no spread to judge by
    assert stats.welch([0.0, 0.0], [0.0, 0.0]) == {"difference": 0.0, "ci": 0.0, "clear": False}


def test_ranking_orders_by_mean_and_says_which_neighbours_differ():
    ranked = stats.ranking(
        [
            ("b", [5.0, 5.1, 4.9]),
            ("nan", [np.nan, np.nan]),
            ("a", [1.0, 1.1, 0.9]),
            ("c", [5.2, 4.8, 5.1]),
        ]
    )
    assert [r["item"] for r in ranked] == ["a", "b", "c", "nan"]
    assert stats.order_text(ranked, str) == "a < b ≈ c ≈ nan"


def test_quartile_band_leaves_out_diverged_runs():
    values = np.array([[1.0, 2.0, np.inf], [3.0, np.nan, np.nan], [5.0, 4.0, np.nan]])  # (R, T)
    mean, low, high = stats.mean_and_quartiles(values)
    np.testing.assert_allclose(mean[:2], [3.0, 3.0])
    np.testing.assert_allclose([low[0], high[0]], [2.0, 4.0])
    assert np.isnan(mean[2]) and np.isnan(low[2])  # every run diverged by then


def test_neighbours_not_told_apart_share_a_rank():
    ranked = stats.ranking(
        [
            ("a", [1.0, 1.1, 0.9]),
            ("b", [5.0, 5.1, 4.9]),
            ("c", [5.2, 4.8, 5.1]),
            ("d", [9.0, 9.1, 8.9]),
            ("nan", [np.nan, np.nan]),
        ]
    )
    assert stats.ranks(ranked) == ["1", "2–3", "2–3", "4", "–"]
    chained = stats.ranking([("x", [1.0, 2.0, 3.0]), ("y", [2.5, 3.5, 4.5]), ("z", [4, 5, 6])])
    assert stats.ranks(chained) == ["1–3"] * 3  # x < z apart, but y is close to both


def test_means_written_alike_share_the_lowest_and_are_not_told_apart():
    """0.1231 and 0.1234 over tight seeds: Welch's interval leaves out 0, but the page writes
    both as 0.123, so neither is the lowest; exactly equal means tie the same way."""
    a, b, c = [0.12311, 0.12310, 0.12312], [0.12341, 0.12340, 0.12342], [5.0, 5.1, 4.9]
    assert stats.welch(a, b)["clear"]
    ranked = stats.ranking([("c", c), ("b", b), ("a", a)])
    assert [r["item"] for r in stats.leaders(ranked)] == ["a", "b"]
    assert not ranked[0]["gap"]["clear"] and ranked[1]["gap"]["clear"]
    assert stats.ranks(ranked) == ["1–2", "1–2", "3"]
    exact = stats.ranking([("x", [0.0, 0.0]), ("y", [0.0, 0.0]), ("z", [1.0, 2.0])])
    assert [r["item"] for r in stats.leaders(exact)] == ["x", "y"]  # in the order given
    assert [r["item"] for r in stats.leaders(stats.ranking([("c", c), ("a", a)]))] == ["a"]


def test_spreads_are_ranked_by_the_f_test_of_their_variances():
    rng = np.random.default_rng(0)
    narrow, wide = rng.normal(0, 0.1, 20), rng.normal(0, 1.0, 20)
    ratio = stats.variance_ratio(narrow, wide)
    assert ratio["ratio"] == pytest.approx(np.var(wide, ddof=1) / np.var(narrow, ddof=1))
    assert ratio["clear"] and ratio["low"] > 1
    assert not stats.variance_ratio(wide, 1.1 * wide)["clear"]  # a ratio of 1.21 over 20 seeds
    assert stats.variance_ratio([1.0], [1.0, 2.0]) is None
    ranked = stats.spread_ranking([("wide", wide), ("narrow", narrow)])
    assert [r["item"] for r in ranked] == ["narrow", "wide"]
    assert stats.ranks(ranked, "std") == ["1", "2"]


def test_a_standard_deviation_has_a_chi_square_interval():
    values = [1.0, 2.0, 4.0, 3.0]
    low, high = stats.std_interval(values)
    std = np.std(values, ddof=1)
    assert low == pytest.approx(std * np.sqrt(3 / scipy.stats.chi2.ppf(0.975, 3)))
    assert high == pytest.approx(std * np.sqrt(3 / scipy.stats.chi2.ppf(0.025, 3)))
    assert low < std < high
    assert stats.std_interval([1.0]) is None
