"""Numbers as the pages write them: significant digits, spreads, counts, plain decimals."""

import pytest

from report import formatting


@pytest.mark.parametrize("value, shown", [(0.38312, "0.383"), (2.0, "2.00"), (153.27, "153"),
                                          (12, "12"), (None, "–"), (float("nan"), "–"),
                                          (0.000123, "0.000123"), (3.8e-05, "3.80e-05")])
def test_numbers_show_three_significant_digits(value, shown):
    assert formatting.format_number(value) == shown


@pytest.mark.parametrize("stat, shown", [
    ({"mean": 0.2044, "ci": 3.8e-05, "spread": "ci"}, "0.204400 ± 3.8e-05"),  # not ± 0.000
    ({"mean": 0.383, "std": 0.12}, "0.383 ± 0.12"),  # no "spread": a slide's own std
    ({"mean": 153.2, "ci": 1.26, "std": 9.0, "spread": "ci"}, "153.2 ± 1.3"),
    ({"mean": 0.0, "ci": 0.0, "spread": "ci"}, "0.00 ± 0"),  # every seed alike
])
def test_the_spread_has_two_significant_digits_and_the_mean_reaches_them(stat, shown):
    assert f"{formatting.format_mean(stat)} ± {formatting.format_sd(stat)}" == shown


@pytest.mark.parametrize("value, shown", [(5e-05, "0.00005"), (0.1, "0.1"), (3.0, "3")])
def test_plain_numbers_never_use_exponents(value, shown):
    assert formatting.plain(value) == shown


def test_counts_are_plural_but_for_one():
    assert [formatting.plural(n, "run") for n in (1, 2, 1000)] == ["1 run", "2 runs", "1,000 runs"]
