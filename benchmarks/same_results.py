"""Do two result stores hold the same runs with the same numbers, bit for bit?

    python benchmarks/same_results.py results-before/ results-after/

Compares every experiment folder the two stores share, run by run: runs are matched by the
question they answer (their spec without the id and what records the code, runner.plan.question),
so two versions of the code, whose run ids differ, can be compared. For each pair it compares
metrics.json (timings aside: they measure the machine, not the run) and every array of the .npz
files, read directly from the files. A refactoring that keeps the study's numbers passes it; one
that changes a single bit of a weight does not. Exit code 0 when everything matches, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from runner.plan import question

#: Metrics that measure the machine's speed rather than the run.
TIMED = ("timing", "seconds_to_zero", "seconds_to_le1")


def untimed(value):
    """JSON without the timing entries; a key holding null counts as absent."""
    if isinstance(value, dict):
        return {k: untimed(v) for k, v in value.items() if k not in TIMED and v is not None}
    if isinstance(value, list):
        return [untimed(v) for v in value]
    return value


def arrays_differ(a: Path, b: Path) -> list[str]:
    """Names of the arrays that differ between two .npz files (missing ones included)."""
    with np.load(a) as x, np.load(b) as y:
        names = sorted(set(x.files) | set(y.files))
        return [
            n
            for n in names
            if n not in x.files
            or n not in y.files
            or x[n].dtype != y[n].dtype
            or not np.array_equal(x[n], y[n], equal_nan=True)
        ]


def run_differences(a: Path, b: Path) -> list[str]:
    """What differs between two copies of one run folder."""
    found = []
    metrics = [untimed(json.loads((folder / "metrics.json").read_text())) for folder in (a, b)]
    if metrics[0] != metrics[1]:
        found.append("metrics.json")
    for npz in sorted({p.name for p in a.glob("*.npz")} | {p.name for p in b.glob("*.npz")}):
        if not (a / npz).exists() or not (b / npz).exists():
            found.append(f"{npz} (missing)")
        elif names := arrays_differ(a / npz, b / npz):
            found.append(f"{npz}: {', '.join(names[:4])}")
    return found


def runs_by_question(folder: Path) -> dict[str, Path]:
    """Each stored run's folder, by the question it answers."""
    return {
        question(json.loads((p / "run.json").read_text())): p
        for p in folder.iterdir()
        if (p / "run.json").exists()
    }


def compare(first: Path, second: Path) -> list[str]:
    """One line per difference between the two stores; empty when they agree."""
    problems = []
    shared = sorted(
        {p.name for p in first.iterdir() if p.is_dir()}
        & {p.name for p in second.iterdir() if p.is_dir()}
    )
    for name in shared:
        runs = [runs_by_question(first / name), runs_by_question(second / name)]
        for only, where in (
            (runs[0].keys() - runs[1].keys(), second),
            (runs[1].keys() - runs[0].keys(), first),
        ):
            problems += [
                f"{name}/{runs[0].get(q, runs[1].get(q)).name}: not in {where}"
                for q in sorted(only)
            ]
        both = sorted(runs[0].keys() & runs[1].keys())
        for q in both:
            problems += [
                f"{name}/{runs[0][q].name}: {what}"
                for what in run_differences(runs[0][q], runs[1][q])
            ]
        print(f"{name}: {len(both)} runs in both", file=sys.stderr)
    return problems


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("first", type=Path)
    p.add_argument("second", type=Path)
    args = p.parse_args()
    problems = compare(args.first, args.second)
    for line in problems:
        print(line)
    print("same runs, same numbers" if not problems else f"{len(problems)} difference(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
