"""Numbers as the pages write them: significant digits, spreads, counts, plain decimals."""

import pytest

from report import formatting


@pytest.mark.parametrize(
    "value, shown",
    [
        (0.38312, "0.383"),
        (2.0, "2.00"),
        (153.27, "153"),
        (12, "12"),
        (None, "–"),
        (float("nan"), "–"),
        (0.000123, "0.000123"),
        (3.8e-05, "3.80e-05"),
    ],
)
def test_numbers_show_three_significant_digits(value, shown):
    assert formatting.format_number(value) == shown


@pytest.mark.parametrize(
    "stat, shown",
    [
        ({"mean": 0.2044331, "ci": 2.7e-06, "spread": "ci"}, "0.204 ± 2.7e-06"),  # no 0.2044331
        (
            {"mean": 0.00313, "ci": 0.29, "spread": "ci"},
            "0.003 ± 0.29",
        ),  # no digits below the spread
        ({"mean": 1.1, "ci": 0.07, "spread": "ci"}, "1.10 ± 0.070"),  # as 1.10 ± 0.13 is
        ({"mean": 0.383, "std": 0.12}, "0.38 ± 0.12"),  # no "spread": a slide's own std
        ({"mean": 153.2, "ci": 1.26, "std": 9.0, "spread": "ci"}, "153 ± 1.3"),
        ({"mean": 0.0, "ci": 0.0, "spread": "ci"}, "0.00 ± 0"),  # every seed alike
    ],
)
def test_two_to_three_significant_digits_and_the_mean_no_finer_than_its_spread(stat, shown):
    assert f"{formatting.format_mean(stat)} ± {formatting.format_sd(stat)}" == shown


@pytest.mark.parametrize(
    "stat, named",
    [
        (
            {"mean": 1.0, "ci": 0.1, "spread": "ci", "n": 3},
            "± 95 % t-interval of the mean over 3 seeds",
        ),
        ({"mean": 1.0, "std": 0.1, "spread": "std", "n": 1}, "± standard deviation over 1 seed"),
        (
            {"mean": 1.0, "se": 0.1, "spread": "se", "n": 4096, "unit": "draw"},
            "± standard error of the mean over 4,096 draws",
        ),
    ],
)
def test_every_spread_says_what_it_is(stat, named):
    assert formatting.spread_name(stat) == named


@pytest.mark.parametrize("value, shown", [(5e-05, "0.00005"), (0.1, "0.1"), (3.0, "3")])
def test_plain_numbers_never_use_exponents(value, shown):
    assert formatting.plain(value) == shown


def test_counts_are_plural_but_for_one():
    assert [formatting.plural(n, "run") for n in (1, 2, 1000)] == ["1 run", "2 runs", "1,000 runs"]
