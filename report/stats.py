"""Statistics over seeds: means, quartiles, Student's t intervals, Welch's comparison, rankings
(of means, or of spreads by the F test), ranks with ties.

A configuration's runs differ only in their seed, so each number here is over seeds: with 10
seeds a mean is known to about ±0.7 std; one seed gives a value but no interval. Values that are
not finite (a diverged run's) are left out and counted.
"""

from __future__ import annotations

import warnings

import numpy as np
import scipy.stats

from report.formatting import format_number


def describe(values) -> dict:
    """Mean, sample std and 95 % confidence half-width of the finite values, with ``spread``
    naming the one a table shows after ±; ``n`` counts the values, ``dropped`` the others.

    The half-width is Student's t over the n - 1 degrees of freedom of n seeds: with 10 seeds
    the mean is known to about ±0.7 std, and a single seed gives no interval (None).
    """
    values = np.asarray(values, dtype=float)
    finite = values[np.isfinite(values)]
    n = int(finite.size)
    std = float(finite.std(ddof=1)) if n > 1 else (0.0 if n else None)
    return {
        "mean": float(finite.mean()) if n else None,
        "std": std,
        "ci": float(t_quantile(n - 1) * std / np.sqrt(n)) if n > 1 else None,
        "spread": "ci",
        "median": float(np.median(finite)) if n else None,
        "n": n,
        "dropped": int(values.size - n),
    }


def t_quantile(df: float) -> float:
    """The two-sided 95 % quantile of Student's t (1.96 as df grows; 12.7 at df = 1)."""
    return float(scipy.stats.t.ppf(0.975, df))


def welch(a, b) -> dict | None:
    """Welch's 95 % interval for mean(b) - mean(a) over the finite values of each.

    ``clear`` says whether the interval leaves out 0, the Welch t-test at 5 %. None when a
    side has fewer than 2 values: one seed says nothing of its own spread.
    """
    a, b = (np.asarray(v, dtype=float) for v in (a, b))
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    if a.size < 2 or b.size < 2:
        return None
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    difference = float(b.mean() - a.mean())
    if va + vb == 0:  # every seed alike on both sides: any difference is exact
        return {"difference": difference, "ci": 0.0, "clear": difference != 0}
    df = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
    half = t_quantile(df) * float(np.sqrt(va + vb))
    return {"difference": difference, "ci": half, "clear": abs(difference) > half}


def ranking(items: list[tuple]) -> list[dict]:
    """(item, values over seeds) pairs ranked by their mean, lowest first, those without a
    finite value last: [{"item", "stat", "gap"}], ``gap`` being ``welch`` to the next one."""
    return _ranked(items, "mean", welch)


def spread_ranking(items: list[tuple]) -> list[dict]:
    """(item, values over seeds) ranked by their standard deviation, lowest first, those
    without one last, in ``ranking``'s shape: ``gap`` says whether the 95 % interval of the
    ratio of the next one's variance to this one's leaves out 1 (the F test). Welch's interval
    is of a difference of means; a spread's own sampling law is χ², and its ratio F."""
    return _ranked(items, "std", variance_ratio)


def _ranked(items: list[tuple], by: str, gap) -> list[dict]:
    """Items sorted by their ``describe`` statistic ``by`` (None last; equal ones in the order
    given), each with ``gap`` between its values and the next one's. A gap is never ``clear``
    between two statistics the site writes alike: a page that shows 0.00 and 0.00 cannot
    order them, whatever the test says of the digits it hides."""
    ranked = sorted(
        ((item, describe(values), values) for item, values in items),
        key=lambda e: (e[1][by] is None, e[1][by] or 0.0),
    )
    found = []
    for k, (item, st, values) in enumerate(ranked):
        step = gap(values, ranked[k + 1][2]) if k + 1 < len(ranked) else None
        if step and _alike(st[by], ranked[k + 1][1][by]):
            step = {**step, "clear": False}
        found.append({"item": item, "stat": st, "gap": step})
    return found


def _alike(a: float | None, b: float | None) -> bool:
    """Two statistics equal as the site writes them (report.formatting.format_number)."""
    return a is not None and b is not None and format_number(a) == format_number(b)


def leaders(ranked: list[dict], value: str = "mean") -> list[dict]:
    """The entries of a ranking that share its lowest ``value`` as the site writes it (every
    such tie, exact or to the digits shown): one entry unless several are equally low, and
    then none of them is the lowest. Empty when no entry has a value."""
    if not ranked or ranked[0]["stat"][value] is None:
        return []
    low = ranked[0]["stat"][value]
    return [r for r in ranked if _alike(r["stat"][value], low)]


def variance_ratio(a, b) -> dict | None:
    """The 95 % interval of var(b) / var(a) over the finite values of each; ``clear`` where it
    leaves out 1. None when a side has fewer than 2 values or no spread at all."""
    a, b = (np.asarray(v, dtype=float) for v in (a, b))
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    if a.size < 2 or b.size < 2 or a.var() == 0:
        return None
    ratio = float(b.var(ddof=1) / a.var(ddof=1))
    df = (b.size - 1, a.size - 1)
    low = ratio / float(scipy.stats.f.ppf(0.975, *df))
    high = ratio / float(scipy.stats.f.ppf(0.025, *df))
    return {"ratio": ratio, "low": low, "high": high, "clear": not low <= 1 <= high}


def std_interval(values) -> tuple[float, float] | None:
    """The 95 % interval of a standard deviation over the finite values (χ² with n - 1
    degrees of freedom); None below 2 values."""
    values = np.asarray(values, dtype=float)
    finite = values[np.isfinite(values)]
    if finite.size < 2:
        return None
    df, std = finite.size - 1, float(finite.std(ddof=1))
    return (
        std * float(np.sqrt(df / scipy.stats.chi2.ppf(0.975, df))),
        std * float(np.sqrt(df / scipy.stats.chi2.ppf(0.025, df))),
    )


def ranks(ranked: list[dict], value: str = "mean") -> list[str]:
    """Each entry's rank, shared by neighbours that are not told apart: "1", "2–3", "2–3";
    "–" for an entry without a ``value`` (every run diverged). A tie runs on while each gap
    is unclear, so a < c told apart but b between both ≈ gives a, b and c one rank."""
    valued = [r for r in ranked if r["stat"][value] is not None]
    labels, start = [], 0
    for k, entry in enumerate(valued):
        last = k + 1 == len(valued) or bool(entry["gap"] and entry["gap"]["clear"])
        if last:
            span = f"{start + 1}" if start == k else f"{start + 1}–{k + 1}"
            labels += [span] * (k + 1 - start)
            start = k + 1
    return labels + ["–"] * (len(ranked) - len(valued))


def order_text(ranked: list[dict], label) -> str:
    """ "a < b ≈ c": ``<`` where Welch's interval tells neighbours apart, ``≈`` where not
    (or where one seed cannot say)."""
    text = label(ranked[0]["item"])
    for before, entry in zip(ranked, ranked[1:]):
        apart = before["gap"] and before["gap"]["clear"]
        text += f" {'<' if apart else '≈'} {label(entry['item'])}"
    return text


def mean_and_quartiles(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean and quartiles over runs, ignoring diverged (non-finite) entries: (R, T) -> 3 x (T,)."""
    values = np.where(np.isfinite(values), values, np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an epoch where all diverged stays NaN
        mean = np.nanmean(values, axis=0)
        low, high = np.nanquantile(values, [0.25, 0.75], axis=0)
    return mean, low, high
