"""Run packs on local worker processes, or on a dask.distributed cluster, through joblib.

Results come back as each pack finishes (joblib's ``generator_unordered``), so the caller can
store them at once: a sweep killed half-way keeps everything that had finished.

Threads: each pack runs its matrix products on the BLAS threads its spec records (one: runner.plan
decides), whatever the number of workers, the backend or the machine's load, because OpenBLAS
adds the pieces of a product in an order that depends on the thread count: a VAE on one thread
and on two ends with other weights. A pack of large layers cuts its steps into fixed parts
instead (nets.split) and trains them on the cores other packs leave idle (runner.cores).
"""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Callable, Iterable, Iterator

from joblib import Parallel, delayed, parallel_config
from threadpoolctl import threadpool_limits

from runner import cores, datasets, watchdog
from runner.plan import Pack
from runner.progress import EpochFile
from runner.training.pack import run_pack
from runner.training.result import RunResult


class BackendError(Exception):
    """The requested backend cannot be used; the message says what to do."""


def cost(pack: Pack) -> float:
    """Rough work in a pack (members x epochs x samples x weights), to start the longest first
    and finish together: a study's one MNIST run must start before its many font packs."""
    spec = pack.spec
    weights = sum(a * b for a, b in zip(spec.architecture, spec.architecture[1:]))
    samples = datasets.info(spec.source).n_train
    if spec.dataset_limit is not None:
        samples = min(samples, spec.dataset_limit)
    return len(pack.runs) * spec.epochs * samples * weights


def by_cost(packs: Iterable[Pack]) -> list[Pack]:
    """The order workers take packs in: the costliest first (see cost)."""
    return sorted(packs, key=cost, reverse=True)


def train_pack(
    pack: Pack, progress: str | None = None, checkpoint: str | None = None
) -> list[RunResult]:
    """run_pack on the BLAS threads the pack's spec records (the library's own setting for a
    spec planned before tp5 recorded them), writing its epochs to the file ``progress``; a
    split pack's threads come from the file the sweep writes beside it (runner.cores), or on a
    dask worker from the worker's idle threads. ``checkpoint``: the file the pack keeps its state
    in, and resumes from (runner.checkpoints)."""
    on_epoch = EpochFile(progress) if progress else None
    threads = cores.reader(progress, default=1) if progress else cores.dask_idle
    blas = pack.spec.blas_threads
    if blas is None:
        return run_pack(pack, on_epoch, threads, checkpoint)
    with threadpool_limits(limits=blas, user_api="blas"):
        return run_pack(pack, on_epoch, threads, checkpoint)


@contextlib.contextmanager
def _dask_client(scheduler: str | None):
    try:
        from distributed import Client
    except ImportError as exc:
        raise BackendError(
            "the dask backend needs dask.distributed: pip install 'tp5[dask]'"
        ) from exc
    if not scheduler:
        raise BackendError("--backend dask needs --scheduler ADDRESS (e.g. tcp://host:8786)")
    try:
        client = Client(scheduler, timeout="10s")
    except OSError as exc:
        raise BackendError(f"cannot reach the dask scheduler at {scheduler}: {exc}") from exc
    with client:
        yield client


def execute(
    packs: Iterable[Pack],
    n_jobs: int = 1,
    backend: str = "local",
    scheduler: str | None = None,
    progress: Callable[[Pack], str] | None = None,
    checkpoint: Callable[[Pack], str] | None = None,
) -> Iterator[list[RunResult]]:
    """Train every pack, yielding each pack's results as soon as it is done.

    ``backend`` is "local" (joblib's loky processes; ``n_jobs=1`` runs in this process) or
    "dask" (the cluster at ``scheduler``, as many packs at once as it has worker threads).
    ``progress(pack)``, for local packs, names the file the pack writes its epochs to, and
    ``checkpoint(pack)`` the file it keeps its state in (runner.checkpoints).
    Local workers end with this process, even when it is killed outright; dask workers are the
    cluster's and live on.
    """
    packs = by_cost(packs)
    if backend == "dask":
        with _dask_client(scheduler), parallel_config(backend="dask"):
            yield from _parallel(packs, [None] * len(packs), [None] * len(packs), n_jobs=-1)
    else:
        files = [progress(p) if progress else None for p in packs]
        saves = [checkpoint(p) if checkpoint else None for p in packs]
        with parallel_config(
            backend="loky", initializer=watchdog.end_with_parent, initargs=(os.getpid(),)
        ):
            yield from _parallel(packs, files, saves, n_jobs=n_jobs)


@contextlib.contextmanager
def no_false_leak_warning():
    """Silence loky's warning that a worker was replaced for growing by 300 MB.

    A worker that read MNIST keeps the parsed files (runner.datasets caches them per process),
    which loky's leak check takes for a leak: it replaces the worker after the job and says so
    in a warning that would only alarm a user. loky warns from its manager thread, which this
    process-wide filter covers while the block runs.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message="A worker stopped while some jobs were given", category=UserWarning
        )
        yield


def _parallel(
    packs: list[Pack], files: list[str | None], saves: list[str | None], n_jobs: int
) -> Iterator[list[RunResult]]:
    tasks = (delayed(train_pack)(*task) for task in zip(packs, files, saves))
    with no_false_leak_warning():
        yield from Parallel(n_jobs=n_jobs, return_as="generator_unordered", batch_size=1)(tasks)
