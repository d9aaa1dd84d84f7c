"""Do the study's tables hold on another CPU? The same files under two OpenBLAS kernels.

    python benchmarks/cross_kernel.py                       # a small study, Haswell vs native
    python benchmarks/cross_kernel.py experiments/best.yaml --other Sandybridge

Training amplifies round-off: two CPUs whose BLAS kernels add in another order give individual
runs that part after some epochs, so a run's numbers do not carry from one machine to another.
What should carry are the statistics over seeds. This script trains the same experiment files
twice, each into its own empty results folder: once with ``OPENBLAS_CORETYPE`` set to
``--other`` (Haswell: the AVX2 kernels) and once with no preset (the kernels OpenBLAS picks for
this CPU), the variables set in the children's environment only. Then for every configuration
(the runs that differ only in seed) and every headline metric it reports:

- how many runs came out identical, bit for bit, in both;
- whether the two means agree within the 95 % interval of their difference (Welch).

About one comparison in twenty lands outside its interval by chance alone.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
STUDY = ["architectures-best.yaml", "optimizers.yaml", "best.yaml", "vae-font.yaml"]
#: Headline numbers of a run: name -> path of keys into metrics.json.
METRICS = {
    "wrong pixels per character": ("wrong_pixels", "mean"),
    "mse": ("mse",),
    "denoised wrong pixels": ("denoise", "model", "mean"),
    "negative ELBO": ("train", "neg_elbo"),
}
#: t quantiles 0.975 by degrees of freedom (Welch's df is rounded down; 1.96 beyond 30).
T975 = {
    1: 12.71,
    2: 4.30,
    3: 3.18,
    4: 2.78,
    5: 2.57,
    6: 2.45,
    7: 2.36,
    8: 2.31,
    9: 2.26,
    10: 2.23,
    12: 2.18,
    15: 2.13,
    20: 2.09,
    25: 2.06,
    30: 2.04,
}


def train(files: list[str], results: Path, coretype: str | None, jobs: int) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENBLAS_")}
    if coretype:
        env["OPENBLAS_CORETYPE"] = coretype
    subprocess.run(
        [
            sys.executable,
            "-m",
            "runner.cli",
            *files,
            "--results",
            str(results),
            "-j",
            str(jobs),
            "--no-site",
            "--quiet",
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )


def kernel(coretype: str | None) -> str:
    """The kernel OpenBLAS runs under this preset, as threadpoolctl names it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENBLAS_")}
    if coretype:
        env["OPENBLAS_CORETYPE"] = coretype
    code = (
        "import numpy, threadpoolctl; print(', '.join(str(i.get('architecture')) "
        "for i in threadpoolctl.threadpool_info() if i['user_api'] == 'blas'))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


def dig(metrics: dict, path: tuple[str, ...]) -> float | None:
    for key in path:
        metrics = metrics.get(key) if isinstance(metrics, dict) else None
    return None if metrics is None else float(metrics)


def configurations(results: Path) -> dict[tuple[str, str], dict[int, dict]]:
    """(experiment, spec without seed and id) -> {seed: metrics}."""
    found: dict[tuple[str, str], dict[int, dict]] = defaultdict(dict)
    for run_json in sorted(results.glob("*/*/run.json")):
        spec = json.loads(run_json.read_text())
        seed = spec.pop("seed")
        spec.pop("id")
        metrics = json.loads((run_json.parent / "metrics.json").read_text())
        found[(run_json.parent.parent.name, json.dumps(spec, sort_keys=True))][seed] = metrics
    return found


def t975(df: float) -> float:
    below = [k for k in T975 if k <= df]
    return T975[max(below)] if below else T975[1]


def agree(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Difference of the means and the half-width of its 95 % interval (Welch)."""
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    if va + vb == 0:
        return float(a.mean() - b.mean()), 0.0
    df = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
    return float(a.mean() - b.mean()), t975(df) * float(np.sqrt(va + vb))


def compare(first: Path, second: Path) -> list[dict]:
    rows = []
    other = configurations(second)
    for key, runs in configurations(first).items():
        twins = other.get(key, {})
        seeds = sorted(set(runs) & set(twins))
        if len(seeds) < 2:
            continue
        for name, path in METRICS.items():
            a = np.array([dig(runs[s], path) for s in seeds], dtype=float)
            b = np.array([dig(twins[s], path) for s in seeds], dtype=float)
            if np.isnan(a).any() or np.isnan(b).any():
                continue
            difference, half = agree(a, b)
            rows.append(
                {
                    "experiment": key[0],
                    "metric": name,
                    "runs": len(seeds),
                    "identical": int((a == b).sum()),
                    "mean": (a.mean(), b.mean()),
                    "difference": difference,
                    "half_width": half,
                    "within": abs(difference) <= half,
                }
            )
    return rows


def report(rows: list[dict], kernels: tuple[str, str]) -> None:
    print(f"kernels: {kernels[0]} against {kernels[1]}")
    print(
        f"{'experiment':<20} {'metric':<28} {'configs':>7} {'within CI':>9} {'runs identical':>15}"
    )
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in rows:
        groups[(row["experiment"], row["metric"])].append(row)
    for (experiment, metric), found in sorted(groups.items()):
        within = sum(r["within"] for r in found)
        identical = sum(r["identical"] for r in found)
        runs = sum(r["runs"] for r in found)
        print(
            f"{experiment:<20} {metric:<28} {len(found):>7} {within:>4} / {len(found):<3}"
            f" {identical:>6} / {runs:<6}"
        )
    outside = [r for r in rows if not r["within"]]
    print(
        f"\n{len(rows) - len(outside)} of {len(rows)} comparisons agree within their 95 % "
        f"interval; {sum(r['identical'] for r in rows)} of {sum(r['runs'] for r in rows)} "
        "run-metrics are identical bit for bit."
    )
    for r in outside:
        print(
            f"  outside: {r['experiment']} {r['metric']}: {r['mean'][0]:.4g} vs "
            f"{r['mean'][1]:.4g} (difference {r['difference']:.3g}, interval "
            f"+-{r['half_width']:.3g}, {r['runs']} seeds)"
        )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("files", nargs="*", help="experiment files (default: a small font study)")
    p.add_argument("--other", default="Haswell", help="OPENBLAS_CORETYPE of the second run")
    p.add_argument("-j", "--jobs", type=int, default=2)
    args = p.parse_args()
    files = args.files or [str(ROOT / "experiments" / name) for name in STUDY]
    with tempfile.TemporaryDirectory() as folder:
        native, other = Path(folder) / "native", Path(folder) / "other"
        train(files, native, None, args.jobs)
        train(files, other, args.other, args.jobs)
        report(compare(native, other), (kernel(None), kernel(args.other)))


if __name__ == "__main__":
    main()
