"""Run packs on local worker processes, or on a dask.distributed cluster, through joblib.

Results come back as each pack finishes (joblib's ``generator_unordered``), so the caller can
store them at once: a sweep killed half-way keeps everything that had finished.

Threads: when packs run side by side, each worker's BLAS gets one thread (more would only fight
over the cores); a single worker keeps every BLAS thread, which is what one large MNIST run wants.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator

from joblib import Parallel, delayed, parallel_config

from runner.plan import Pack
from runner.train import RunResult, run_pack


class BackendError(Exception):
    """The requested backend cannot be used; the message says what to do."""


def cpu_count() -> int:
    """Cores this process may use (respects affinity masks and container limits)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def cost(pack: Pack) -> float:
    """Rough work in a pack, to start the longest first and finish together."""
    spec = pack.spec
    weights = sum(a * b for a, b in zip(spec["architecture"], spec["architecture"][1:]))
    return len(pack.runs) * spec["epochs"] * weights


@contextlib.contextmanager
def _dask_client(scheduler: str | None):
    try:
        from distributed import Client
    except ImportError as exc:
        raise BackendError(
            "the dask backend needs dask.distributed: pip install 'tp5[dask]'") from exc
    if not scheduler:
        raise BackendError("--backend dask needs --scheduler ADDRESS (e.g. tcp://host:8786)")
    try:
        client = Client(scheduler, timeout="10s")
    except OSError as exc:
        raise BackendError(f"cannot reach the dask scheduler at {scheduler}: {exc}") from exc
    with client:
        yield client


def execute(packs: Iterable[Pack], n_jobs: int = 1, backend: str = "local",
            scheduler: str | None = None) -> Iterator[list[RunResult]]:
    """Train every pack, yielding each pack's results as soon as it is done.

    ``backend`` is "local" (joblib's loky processes; ``n_jobs=1`` runs in this process) or
    "dask" (the cluster at ``scheduler``, as many packs at once as it has worker threads).
    """
    packs = sorted(packs, key=cost, reverse=True)
    if backend == "dask":
        with _dask_client(scheduler), parallel_config(backend="dask"):
            yield from _parallel(packs, n_jobs=-1)
    else:
        with parallel_config(backend="loky", inner_max_num_threads=1 if n_jobs > 1 else None):
            yield from _parallel(packs, n_jobs=n_jobs)


def _parallel(packs: list[Pack], n_jobs: int) -> Iterator[list[RunResult]]:
    tasks = (delayed(run_pack)(pack) for pack in packs)
    yield from Parallel(n_jobs=n_jobs, return_as="generator_unordered", batch_size=1)(tasks)
