"""Epoch-level progress of packs training in worker processes.

A sweep's bar would otherwise move only when a pack comes back, and a study's MNIST run is one
pack of one run that trains for minutes. Each local pack writes the epochs it has done to a small
file of its own; the sweep adds them up. Files rather than a queue: a loky worker needs only a
path, a killed worker leaves nothing half-sent, and no manager process starts with every sweep.
Packs on a dask cluster report only when they finish (their workers may not share this disk).
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from pathlib import Path

from runner import store
from runner.plan import Pack


class EpochFile:
    """Worker side: ``self(epoch)`` after each epoch writes it to ``path``, at most every
    ``every`` seconds (a font epoch takes about a millisecond)."""

    def __init__(self, path: str, every: float = 0.5):
        self.path, self.every = Path(path), every
        self._last = time.monotonic()

    def __call__(self, epoch: int) -> None:
        now = time.monotonic()
        if now - self._last >= self.every:
            self._last = now
            try:
                self.path.write_text(str(epoch))  # a reader catching it empty counts 0 once
            except OSError:  # the sweep has gone (interrupted): training need not stop for it
                pass


class Board:
    """Main side: one file per pack in a temporary folder, and the member-epochs they add up to.

    The folder goes inside ``parent`` (an experiment's results folder, named as the store names
    its temporaries), so that a sweep killed outright leaves nothing that the next run of it
    does not clear. ``finish(pack_id)`` marks a pack done, after which its file no longer counts.
    """

    def __init__(self, packs: list[Pack], parent: Path):
        parent.mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix=f"{store.TEMP_PREFIX}progress-", dir=parent))
        self._sizes = {pack.runs[0].id: (len(pack.runs), pack.spec.epochs) for pack in packs}
        self._finished: set[str] = set()

    @property
    def total(self) -> int:
        return sum(members * epochs for members, epochs in self._sizes.values())

    def path(self, pack: Pack) -> str:
        return str(self.folder / pack.runs[0].id)

    def finish(self, pack_id: str) -> None:
        self._finished.add(pack_id)

    def done(self) -> int:
        """Member-epochs done so far: finished packs in full, running ones from their files."""
        total = 0
        for pack_id, (members, epochs) in self._sizes.items():
            if pack_id in self._finished:
                total += members * epochs
                continue
            try:
                total += members * int((self.folder / pack_id).read_text() or 0)
            except (OSError, ValueError):  # not started yet, or caught mid-write
                pass
        return total

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


class Follower(threading.Thread):
    """Moves a tqdm bar to ``board.done()`` twice a second until ``stop()``."""

    def __init__(self, board: Board, bar, every: float = 0.5):
        super().__init__(daemon=True)
        self.board, self.bar, self.every = board, bar, every
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(self.every):
            self.refresh()

    def refresh(self) -> None:
        done = self.board.done()
        if done > self.bar.n:
            self.bar.update(done - self.bar.n)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()
        self.refresh()
