"""What the benchmarks share: timing, the machine's state, the float32 matmul peak, tables, and
running a script a second time without the machine's OpenBLAS presets.

Every benchmark measures tp5 and its baseline in the same run and prints ratios: on a machine that
other work loads, absolute times move from one minute to the next, ratios much less. Times are
medians over repeated chunks of work.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

from runner.machine import processor

#: Environment variables some machines preset for OpenBLAS. They pick the kernel and cache sizes
#: OpenBLAS tunes its blocking for; set for another CPU than the one it runs on, they can hold a
#: matrix product to half of what the CPU does. A user's machine usually has neither.
PRESETS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
CHILD_FLAG = "--presets-removed"


def median(values) -> float:
    return statistics.median(values)


def timed(fn, *args, **kwargs) -> float:
    """Seconds taken by fn(*args, **kwargs)."""
    start = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - start


def us_per_unit(contenders: dict, rounds: int) -> dict[str, float]:
    """Median microseconds per unit of work of each contender, the contenders taking turns
    round by round so that a change in the machine's load hits them alike. Each contender is a
    function that does its work and returns how many units it did (e.g. seed-epochs)."""
    times = {label: [] for label in contenders}
    for _ in range(rounds):
        for label, work in contenders.items():
            start = time.perf_counter()
            units = work()
            times[label].append((time.perf_counter() - start) / units)
    return {label: median(t) * 1e6 for label, t in times.items()}


def torch_or_none():
    """PyTorch if it is installed (it is only ever a baseline here), else None."""
    try:
        import torch
    except ImportError:
        return None
    return torch


def blas() -> str:
    """The BLAS NumPy calls: library, version, kernel (architecture) and threads."""
    info = [i for i in threadpool_info() if i["user_api"] == "blas"]
    if not info:
        return "no BLAS found by threadpoolctl"
    i = info[0]
    return (
        f"{i['internal_api']} {i['version']}, kernel {i.get('architecture', '?')}, "
        f"{i['num_threads']} threads"
    )


def machine(with_torch: bool = True) -> list[str]:
    """Lines describing the machine's state when the benchmark starts."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    presets = ", ".join(f"{k}={os.environ[k]}" for k in PRESETS if k in os.environ) or "none"
    lines = [
        f"machine: {processor()}, {cores} cores, load average {load} (1, 5, 15 min)",
        f"numpy {np.__version__}: {blas()}",
        f"OpenBLAS presets in the environment: {presets}",
    ]
    torch = torch_or_none() if with_torch else None
    if torch is not None:
        lines.append(
            f"torch {torch.__version__}: {torch.get_num_threads()} threads, "
            f"CPU capability {torch.backends.cpu.get_cpu_capability()}"
        )
    else:
        lines.append("torch: not used (not installed, or --no-torch): tp5's figures only")
    return lines


def matmul_peak(dtype=np.float32, n=2048, repeats=7, threads=None) -> float:
    """GFLOP/s of the best of ``repeats`` n x n products (the peak NumPy's BLAS reaches here)."""
    rng = np.random.default_rng(0)
    a, b = rng.random((n, n), dtype=dtype), rng.random((n, n), dtype=dtype)
    out = np.empty((n, n), dtype)
    with threadpool_limits(threads):
        np.matmul(a, b, out=out)  # warm up: threads started, pages touched
        best = min(timed(np.matmul, a, b, out=out) for _ in range(repeats))
    return 2 * n**3 / best / 1e9


def table(rows: list[list], header: list[str]) -> str:
    """A plain text table; floats printed with 3 significant digits."""

    def cell(v):
        if isinstance(v, float):
            return f"{v:.3g}" if abs(v) < 1e4 else f"{v:,.0f}"
        return str(v)

    cells = [header] + [[cell(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = [
        "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths)))
        for r in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--no-torch", action="store_true", help="tp5's figures only")
    p.add_argument(CHILD_FLAG, action="store_true", help=argparse.SUPPRESS)
    return p


def main(description: str, measure, add_arguments=None) -> None:
    """Parse the arguments, print the machine's state, run ``measure(args)`` (which prints its
    table), then, if the OpenBLAS presets are set, run this script again without them."""
    p = parser(description)
    if add_arguments:
        add_arguments(p)
    args = p.parse_args()
    title = (
        "environment without the OpenBLAS presets"
        if args.presets_removed
        else "environment as it is"
    )
    print(f"== {title}")
    print("\n".join(machine(not args.no_torch)), flush=True)
    measure(args)
    if args.presets_removed:
        return
    present = [k for k in PRESETS if k in os.environ]
    if not present:
        print("\n(no OpenBLAS presets set: the figures above are also the figures without them)")
        return
    print(f"\n{' and '.join(present)} unset for one more run of the same benchmark:\n", flush=True)
    env = {k: v for k, v in os.environ.items() if k not in PRESETS}
    subprocess.run([sys.executable, *sys.argv, CHILD_FLAG], env=env, check=True)
