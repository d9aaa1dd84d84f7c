"""Cores for the packs that can use more than one, handed out as the sweep's other packs finish.

A pack of large layers trains its steps in fixed parts (nets.split), so it may run on any number
of threads without a number changing. A study's MNIST VAE starts beside packs of font runs that
hold the other cores; they finish within a minute while the VAE trains for minutes, so it should
take their cores then. The sweep knows which packs run: workers take packs in the order they were
given, one as another finishes, so the running packs are the unfinished ones among the first
``finished + workers``. It writes each running split pack's share of the idle cores to a small
file beside the pack's progress file; the pack reads it after every epoch. Files rather than a
queue, for the reasons runner.progress gives.
"""

from __future__ import annotations

import threading
from pathlib import Path

from runner.plan import Pack, cpu_count

SUFFIX = ".threads"


class Allowance:
    """Main side: ``packs`` in the order the workers take them, ``workers`` at a time, on
    ``cores`` cores, ``busy`` of which this process holds until ``release()``; ``path(pack)``
    is the pack's progress file, beside which its share goes."""

    def __init__(
        self, packs: list[Pack], workers: int, path, cores: int | None = None, busy: int = 0
    ):
        self.order = [p.runs[0].id for p in packs]
        self.split = {p.runs[0].id: p.spec.parts for p in packs if p.spec.parts}
        self.files = {p.runs[0].id: Path(path(p) + SUFFIX) for p in packs}
        self.workers, self.cores, self.busy = workers, cores or cpu_count(), busy
        self.finished: set[str] = set()
        self._written: dict[str, int] = {}
        self._lock = threading.Lock()  # finish() and release() come from different threads
        self.update()

    def finish(self, pack_id: str) -> None:
        self.finished.add(pack_id)
        self.update()

    def release(self) -> None:
        """One core this process held is free."""
        self.busy = max(0, self.busy - 1)
        self.update()

    def shares(self) -> dict[str, int]:
        """Threads of each running split pack: one of its own, plus its part of the idle cores
        (shared out in the packs' order), never more than its parts."""
        started = self.order[: len(self.finished) + self.workers]
        running = [pack_id for pack_id in started if pack_id not in self.finished]
        idle = max(0, self.cores - len(running) - self.busy)
        shares = {}
        for pack_id in (p for p in running if p in self.split):
            shares[pack_id] = min(self.split[pack_id], 1 + idle)
            idle -= shares[pack_id] - 1
        return shares

    def update(self) -> None:
        with self._lock:
            for pack_id, threads in self.shares().items():
                if self._written.get(pack_id) != threads:
                    try:
                        self.files[pack_id].write_text(str(threads))
                    except OSError:  # the progress folder is gone: the sweep is ending
                        return
                    self._written[pack_id] = threads


def reader(path: str | None, default: int):
    """Worker side: a function returning the threads a pack may use now, read from the file the
    sweep writes beside ``path`` (``default`` while there is none, or with no path at all)."""
    if path is None:
        return lambda: default
    file = Path(path + SUFFIX)

    def threads() -> int:
        try:
            return max(1, int(file.read_text()))
        except (OSError, ValueError):  # not written yet, or caught mid-write
            return default

    return threads


def dask_idle() -> int:
    """On a dask worker, its threads that no task holds, plus this task's own; 1 elsewhere."""
    try:
        from distributed import get_worker

        state = get_worker().state
    except (ImportError, ValueError):  # no dask, or not inside a dask task
        return 1
    return max(1, state.nthreads - state.executing_count + 1)
