"""Run packs on local worker processes, or on a dask.distributed cluster, through joblib.

Results come back as each pack finishes (joblib's ``generator_unordered``), so the caller can
store them at once: a sweep killed half-way keeps everything that had finished.

Threads: a pack of small matrices (the font: 32 samples, layers of tens of units) gets one BLAS
thread whatever the number of workers: for such products a second thread costs more in
synchronisation than it saves (2-5x slower, measured in benchmarks/). A pack of large matrices
(MNIST: batches of 128 against 784x256 weights) gets the cores left to it by the packs that run
beside it and by the machine's other work, so a single VAE run on an idle machine has every core
for its matrix products. Other work counts because each threaded product waits for all of its
threads: with both cores of a 2-core machine busy elsewhere, a VAE epoch on two BLAS threads
took 13x as long as on one (benchmarks/vae_epoch.py), where on the idle machine two threads
were faster.
"""

from __future__ import annotations

import contextlib
import os
import time
import warnings
from collections.abc import Callable, Iterable, Iterator

from joblib import Parallel, delayed, parallel_config
from threadpoolctl import threadpool_limits

from runner import datasets, watchdog
from runner.plan import Pack
from runner.progress import EpochFile
from runner.train import RunResult, run_pack

#: Weights in a layer (n_in * n_out) from which a matrix product is worth several BLAS threads:
#: 784 x 512 is, 35 x 64 is far from it.
LARGE_LAYER = 2**16


class BackendError(Exception):
    """The requested backend cannot be used; the message says what to do."""


def cpu_count() -> int:
    """Cores this process may use (respects affinity masks and container limits)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def cost(pack: Pack) -> float:
    """Rough work in a pack (members x epochs x samples x weights), to start the longest first
    and finish together: a study's one MNIST run must start before its many font packs."""
    spec = pack.spec
    weights = sum(a * b for a, b in zip(spec.architecture, spec.architecture[1:]))
    samples = datasets.INFO[spec.dataset].n_train
    if spec.dataset_limit is not None:
        samples = min(samples, spec.dataset_limit)
    return len(pack.runs) * spec.epochs * samples * weights


def idle_cores() -> int:
    """Cores that other work leaves free now (at least one)."""
    return max(1, int(cpu_count() - busy_cores() + 0.5))


def busy_cores(window: float = 0.2) -> float:
    """Cores kept busy by other work: measured over ``window`` seconds from /proc/stat on Linux,
    because the load average lags a minute behind (just after one sweep it still counts that
    sweep's cores, and the next sweep's VAE got one BLAS thread on an idle machine); elsewhere
    the 1-minute load average, or nothing where there is neither."""
    try:
        idle_before, total_before = _cpu_jiffies()
        time.sleep(window)
        idle_after, total_after = _cpu_jiffies()
    except (OSError, ValueError):
        try:
            return os.getloadavg()[0]
        except (AttributeError, OSError):
            return 0.0
    total = total_after - total_before
    if total <= 0:
        return 0.0
    return (os.cpu_count() or 1) * (1 - (idle_after - idle_before) / total)


def _cpu_jiffies() -> tuple[int, int]:
    """Idle and total time of all CPUs since boot, in jiffies (the first line of /proc/stat:
    user nice system idle iowait irq softirq steal ...)."""
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:9]]
    return fields[3] + fields[4], sum(fields)


def has_large_layers(pack: Pack) -> bool:
    """Whether the pack's matrix products are large enough for several BLAS threads."""
    widths = pack.spec.architecture
    return max(a * b for a, b in zip(widths, widths[1:])) >= LARGE_LAYER


def blas_threads(pack: Pack, cores_per_pack: int, idle: int) -> int:
    """BLAS threads for a pack: one for small layers, else ``cores_per_pack`` or the ``idle``
    cores, whichever is fewer."""
    if not has_large_layers(pack):
        return 1
    return max(1, min(cores_per_pack, idle))


def train_pack(pack: Pack, threads: int | None, progress: str | None = None) -> list[RunResult]:
    """run_pack with at most ``threads`` BLAS threads (None: the library's own setting), writing
    its epochs to the file ``progress`` if given."""
    on_epoch = EpochFile(progress) if progress else None
    if threads is None:
        return run_pack(pack, on_epoch)
    with threadpool_limits(limits=threads, user_api="blas"):
        return run_pack(pack, on_epoch)


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
            scheduler: str | None = None,
            progress: Callable[[Pack], str] | None = None) -> Iterator[list[RunResult]]:
    """Train every pack, yielding each pack's results as soon as it is done.

    ``backend`` is "local" (joblib's loky processes; ``n_jobs=1`` runs in this process) or
    "dask" (the cluster at ``scheduler``, as many packs at once as it has worker threads).
    ``progress(pack)``, for local packs, names the file the pack writes its epochs to.
    Local workers end with this process, even when it is killed outright; dask workers are the
    cluster's and live on.
    """
    packs = sorted(packs, key=cost, reverse=True)
    if backend == "dask":
        # a dask worker's cores are the cluster's to share out: only small packs are limited
        threads = [None if has_large_layers(p) else 1 for p in packs]
        with _dask_client(scheduler), parallel_config(backend="dask"):
            yield from _parallel(packs, threads, [None] * len(packs), n_jobs=-1)
    else:
        side_by_side = max(1, min(n_jobs, len(packs)))
        idle = idle_cores() if any(has_large_layers(p) for p in packs) else 1  # measured once
        threads = [blas_threads(p, cpu_count() // side_by_side, idle) for p in packs]
        files = [progress(p) if progress else None for p in packs]
        with parallel_config(backend="loky", inner_max_num_threads=1 if n_jobs > 1 else None,
                             initializer=watchdog.end_with_parent, initargs=(os.getpid(),)):
            yield from _parallel(packs, threads, files, n_jobs=n_jobs)


def _parallel(packs: list[Pack], threads: list[int | None], files: list[str | None],
              n_jobs: int) -> Iterator[list[RunResult]]:
    tasks = (delayed(train_pack)(*task) for task in zip(packs, threads, files))
    with warnings.catch_warnings():
        # A worker that trained on MNIST keeps the parsed files (runner.datasets caches them per
        # process), which loky's leak check (300 MB of growth) takes for a leak: it replaces the
        # worker after the pack and says so in a warning that would only alarm a user. (loky
        # warns from its manager thread, which this process-wide filter covers.)
        warnings.filterwarnings("ignore", message="A worker stopped while some jobs were given",
                                category=UserWarning)
        yield from Parallel(n_jobs=n_jobs, return_as="generator_unordered", batch_size=1)(tasks)
