"""The study's learning-rate experiment end to end through ``tp5-run``: 400 runs (4 learning rates
x 100 seeds) of 10,000 epochs, 35-20-2-20-35, sigmoid, SGD with momentum 0.9, full batch;
with -j 1 and -j 2 in float64 (the font's default), and with -j 2 in float32 (the speed option).

    python benchmarks/learning_rate.py [--epochs 10000] [--seeds 100] [--skip-j1]

The experiment's YAML is written here (not read from experiments/), and each sweep stores into a
fresh temporary results folder, so nothing is reused and nothing of the project's is touched.
Wall time is the whole command: start-up, planning, training, storing (no site). The last table
compares the float32 sweep's results with float64's, learning rate by learning rate.
"""

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import common
import numpy as np

from runner import store

YAML = """\
name: lr-benchmark
title: Learning rate (benchmark)
dataset: {{name: font}}
model:
  kind: autoencoder
  architectures: [[35, 20, 2, 20, 35]]
  activation: sigmoid
training:
  epochs: {epochs}
  batch_size: full
  optimizers:
    - {{name: sgd, learning_rate: [0.05, 0.005, 0.0005, 0.00005], momentum: 0.9}}
seeds: {seeds}
"""


def sweep(folder: Path, jobs: int, overrides: list[str]) -> float:
    """Wall seconds of one tp5-run sweep into its own results folder."""
    results = folder / f"results-j{jobs}-{'-'.join(overrides) or 'default'}"
    command = [
        sys.executable,
        "-m",
        "runner.cli",
        str(folder / "lr.yaml"),
        *overrides,
        "--results",
        str(results),
        "--no-site",
        "-q",
        "-j",
        str(jobs),
    ]
    start = time.perf_counter()
    subprocess.run(command, check=True)
    seconds = time.perf_counter() - start
    sweep.results[(jobs, tuple(overrides))] = results
    return seconds


sweep.results = {}


def summary(results: Path) -> dict[float, tuple[float, float, float]]:
    """Per learning rate: mean and std of the final MSE, mean of the mean wrong pixels."""
    by_rate: dict[float, list] = {}
    for run in store.load_runs(results, "lr-benchmark"):
        m = run.metrics
        by_rate.setdefault(run.spec.optimizer.learning_rate, []).append(
            (m.mse if m.mse is not None else np.nan, m.wrong_pixels.mean)
        )
    return {
        lr: (
            np.mean([v[0] for v in values]),
            np.std([v[0] for v in values]),
            np.mean([v[1] for v in values]),
        )
        for lr, values in sorted(by_rate.items(), reverse=True)
    }


def per_run(results: Path) -> dict[tuple[float, int], tuple[float, tuple[int, ...]]]:
    """(learning rate, seed) -> (final MSE, wrong pixels per character) of every stored run."""
    return {
        (run.spec.optimizer.learning_rate, run.spec.seed): (
            run.metrics.mse,
            run.metrics.wrong_pixels.per_char,
        )
        for run in store.load_runs(results, "lr-benchmark")
    }


def compare_runs(f64: Path, f32: Path) -> str:
    """How far each float32 run lands from its float64 twin (same learning rate and seed)."""
    a, b = per_run(f64), per_run(f32)
    pairs = [(a[k], b[k]) for k in a if k in b and a[k][0] is not None and b[k][0] is not None]
    gaps = [abs(x[0] - y[0]) / x[0] for x, y in pairs]
    same = sum(x[1] == y[1] for x, y in pairs)
    return (
        f"run by run: {same} of {len(pairs)} float32 runs have the same wrong pixels, "
        f"character by character, as their float64 twins; final MSE differs by at most "
        f"{max(gaps):.1e} (median {np.median(gaps):.1e}), relative"
    )


def measure(args):
    seed_epochs = 400 * args.seeds // 100 * args.epochs
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "lr.yaml").write_text(YAML.format(epochs=args.epochs, seeds=args.seeds))
        cases = [] if args.skip_j1 else [(1, [])]
        cases += [(2, []), (2, ["training.dtype=float32"])]
        rows = []
        for jobs, overrides in cases:
            seconds = sweep(folder, jobs, overrides)
            dtype = "float32" if overrides else "float64"
            rows.append([f"tp5-run -j {jobs}, {dtype}", seconds, seconds / seed_epochs * 1e6])
            print(f"  done: -j {jobs} {dtype}: {seconds:.1f} s", flush=True)
        base = rows[0][1]
        print(
            common.table(
                [r + [r[1] / base] for r in rows],
                [
                    f"{4 * args.seeds} runs x {args.epochs:,} epochs",
                    "wall s",
                    "us/seed-epoch",
                    f"x {rows[0][0].split(',')[0]}",
                ],
            )
        )
        print(
            f"\n-j 2 float64: {rows[-2][1]:.0f} s, float32: {rows[-1][1]:.0f} s "
            f"(target: under 30 s with -j 2)"
        )
        f64 = summary(sweep.results[(2, ())])
        f32 = summary(sweep.results[(2, ("training.dtype=float32",))])
        table = [[f"{lr:g}", *f64[lr], *f32[lr]] for lr in f64]
        print(
            "\nresults, float64 against float32 (final MSE mean and std over seeds; mean "
            "wrong pixels per character):"
        )
        print(
            common.table(
                table,
                [
                    "learning rate",
                    "MSE f64",
                    "std f64",
                    "wrong f64",
                    "MSE f32",
                    "std f32",
                    "wrong f32",
                ],
            )
        )
        print(compare_runs(sweep.results[(2, ())], sweep.results[(2, ("training.dtype=float32",))]))


if __name__ == "__main__":

    def add(p):
        p.add_argument("--epochs", type=int, default=10_000)
        p.add_argument("--seeds", type=int, default=100)
        p.add_argument("--skip-j1", action="store_true", help="only the -j 2 sweeps")

    common.main(__doc__.splitlines()[0], measure, add)
