"""How well the sweep's bar tells the time: a recorded sweep's timings, replayed through the
estimate (runner.estimate) and, as the baseline, through the static cost the bar showed before.

    python benchmarks/progress.py record [FILE|KEY=VALUE ...]   # train, write the timings
    python benchmarks/progress.py replay                        # the figures, in a second

``record`` trains the files (default: study-regime-learning-rate.yaml and architectures.yaml
with seeds=10) with ``tp5-run -j 2`` into a temporary results folder, and writes what the bar's
board read twice a second (every pack's last report) to --timings. ``replay`` feeds those reports
to the estimate as if live and prints, at half the wall time, the estimated time left against
the real time left (target: within 25 %), and the longest time the shown percentage stayed on
one value while runs were still to come (target: under a minute); the static cost's bar (its
share of runs x epochs x samples x weights, its time left the elapsed time scaled by that
share, as tqdm's was) is printed beside them.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import redirect_stderr
from pathlib import Path

from runner import cli, estimate, progress

EXPERIMENTS = Path(__file__).resolve().parent.parent / "experiments"
DEFAULT = [
    str(EXPERIMENTS / "study-regime-learning-rate.yaml"),
    str(EXPERIMENTS / "architectures.yaml"),
    "seeds=10",
    "training.epochs=5000",
]
TIMINGS = Path(__file__).resolve().parent / "progress-timings.json"
#: The targets the issue sets: time left within 25 % at half time, no percentage held a minute.
LEFT_WITHIN, STILL_UNDER = 0.25, 60.0


def record(items: list[str], timings: Path, jobs: int) -> None:
    """Train ``items`` and write the board's every reading: (seconds since the start, reports)."""
    readings, boards = [], []
    forecast, init = progress.Board.forecast, progress.Board.__init__

    def keep_board(self, *args, **kwargs):
        init(self, *args, **kwargs)
        boards.append((self, time.monotonic()))

    def read(self):
        result = forecast(self)
        readings.append(
            (
                time.monotonic() - boards[-1][1],
                {i: [s.last, s.finished] for i, s in self.seen.items()},
            )
        )
        return result

    progress.Board.__init__, progress.Board.forecast = keep_board, read
    with tempfile.TemporaryDirectory() as folder, redirect_stderr(io.StringIO()):
        code = cli.main([*items, "--results", folder, "--no-site", "-j", str(jobs)])
    if code != 0:
        sys.exit(f"tp5-run ended with exit code {code}")
    board = boards[-1][0]
    timings.write_text(
        json.dumps(
            {
                "items": items,
                "workers": board.workers,
                "jobs": [[j.id, j.shape, j.cost, j.epochs] for j in board.jobs],
                "readings": readings,
            }
        )
    )
    print(
        f"{len(readings)} readings of {len(board.jobs)} packs over {readings[-1][0]:.0f} s "
        f"-> {timings}"
    )


def replay(timings: Path) -> None:
    data = json.loads(timings.read_text())
    jobs = [estimate.Job(*j) for j in data["jobs"]]
    readings = list(histories(data["readings"]))
    end = readings[-1][0]
    learnt, static = [], []
    forward = progress.Forward()
    for t, seen in readings:
        f = estimate.forecast(jobs, seen, data["workers"])
        learnt.append((t, f.wall_left, forward(f.share)))
        share = static_share(jobs, seen)
        static.append((t, t * (1 - share) / share if share else None, share))
    print(
        f"{' '.join(Path(i).name for i in data['items'])}: {len(jobs)} packs, "
        f"{data['workers']} workers, {end:.0f} s"
    )
    half = min(range(len(readings)), key=lambda k: abs(readings[k][0] - end / 2))
    real = end - readings[half][0]
    print(f"at half time ({readings[half][0]:.0f} s), {real:.0f} s really left:")
    for name, series in (("learnt", learnt), ("static cost", static)):
        left = series[half][1]
        error = abs(left - real) / real if left is not None else float("inf")
        print(
            f"  {name:<12} says {left or float('nan'):6.0f} s left, off by {error:6.1%} "
            f"(target {LEFT_WITHIN:.0%}), longest on one percentage "
            f"{longest_still(series, end):4.0f} s (target under {STILL_UNDER:.0f} s)"
        )


def histories(readings: list) -> Iterator[tuple[float, dict[str, estimate.Seen]]]:
    """Each reading as the board saw it: every pack's reports so far, in order."""
    seen: dict[str, estimate.Seen] = {}
    for t, lasts in readings:
        for pack_id, (last, finished) in lasts.items():
            old = seen.get(pack_id, estimate.Seen())
            if finished:
                seen[pack_id] = estimate.Seen((tuple(last),) if last else (), finished=True)
            elif tuple(last) != old.last:
                seen[pack_id] = estimate.Seen(old.reports + (tuple(last),))
        yield t, dict(seen)


def static_share(jobs: list[estimate.Job], seen: dict[str, estimate.Seen]) -> float:
    """The bar before: the share of the static cost done, each pack by its epochs."""
    done = 0.0
    for j in jobs:
        s = seen.get(j.id)
        if s and s.finished:
            done += j.cost
        elif s and s.last:
            done += j.cost * s.last[0] / j.epochs
    return done / sum(j.cost for j in jobs)


def longest_still(series: list[tuple], end: float) -> float:
    """Seconds the shown percentage (rounded as the bar shows it) held one value, the longest
    time, before the end."""
    longest, since, shown = 0.0, 0.0, None
    for t, _, share in series:
        now = round(100 * share)
        if now != shown:
            since, shown = t, now
        longest = max(longest, min(t, end) - since)
    return longest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("record", "replay"))
    parser.add_argument("items", nargs="*", help="experiment files and overrides to record")
    parser.add_argument("--timings", type=Path, default=TIMINGS)
    parser.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args()
    if args.mode == "record":
        record(args.items or DEFAULT, args.timings, args.jobs)
    replay(args.timings)


if __name__ == "__main__":
    main()
