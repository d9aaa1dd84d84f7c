"""Epoch-level progress of packs training in worker processes.

A sweep's bar would otherwise move only when a pack comes back, and a study's MNIST run is one
pack of one run that trains for minutes. Each local pack writes the epochs it has done to a small
file of its own; the sweep adds them up. Files rather than a queue: a loky worker needs only a
path, a killed worker leaves nothing half-sent, and no manager process starts with every sweep.
Packs on a dask cluster report only when they finish (their workers may not share this disk).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from tqdm import tqdm

from runner import store
from runner.plan import Pack

#: The terminal's bar: the share of the planned work done, elapsed and remaining time, and the
#: runs finished (the postfix). Work is counted in cost units, which would mean nothing shown.
BAR = "{percentage:3.0f}%|{bar}| {elapsed}<{remaining}{postfix}"
#: The same as one plain line, for a log file.
LINE = "{percentage:3.0f}% of the planned work, {elapsed} elapsed, {remaining} left{postfix}"
#: Seconds between two plain lines at most.
LINE_EVERY = 5.0


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
    """Main side: one file per pack in a temporary folder, and the work they add up to.

    A pack weighs ``weight(pack)``, its cost (runner.parallel.cost: members x epochs x samples x
    weights), and each of its epochs adds weight / epochs. Counting epochs of runs instead, a
    pack of 100 font runs outweighed an MNIST VAE a hundredfold: the bar sat at 100 % while the
    VAE trained alone, and its first ETA was off by orders of magnitude.

    The folder goes inside ``parent`` (an experiment's results folder, named as the store names
    its temporaries), so that a sweep killed outright leaves nothing that the next run of it
    does not clear. ``finish(pack_id)`` marks a pack done, after which its file no longer counts.
    """

    def __init__(self, packs: list[Pack], parent: Path, weight: Callable[[Pack], float]):
        parent.mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix=f"{store.TEMP_PREFIX}progress-", dir=parent))
        self._sizes = {pack.runs[0].id: (weight(pack), pack.spec.epochs) for pack in packs}
        self._finished: set[str] = set()

    @property
    def total(self) -> float:
        return sum(weight for weight, _ in self._sizes.values())

    def path(self, pack: Pack) -> str:
        return str(self.folder / pack.runs[0].id)

    def finish(self, pack_id: str) -> None:
        self._finished.add(pack_id)

    def done(self) -> float:
        """Work done so far: finished packs in full, running ones by the epochs in their files."""
        total = 0.0
        for pack_id, (weight, epochs) in self._sizes.items():
            if pack_id in self._finished:
                total += weight
                continue
            try:
                total += weight * int((self.folder / pack_id).read_text() or 0) / epochs
            except (OSError, ValueError):  # not started yet, or caught mid-write
                pass
        return total

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def progress_bar(total: float, postfix: str, disable: bool = False, file=None):
    """tqdm's bar on a terminal; without one (stderr sent to a file or a pipe), plain lines, as
    each of tqdm's redraws would be a line of the log."""
    file = file or sys.stderr
    if disable or file.isatty():
        return tqdm(total=total, postfix=postfix, disable=disable, file=file, bar_format=BAR,
                    smoothing=0, dynamic_ncols=True)  # smoothing 0: ETA from the mean rate
    return Lines(total, postfix, file)


class Lines:
    """What a sweep uses of a tqdm bar (n, update, set_postfix_str, close, disable), printing a
    plain line at most every ``every`` seconds and a last one on close."""

    disable = False

    def __init__(self, total: float, postfix: str, file, every: float = LINE_EVERY):
        self.total, self.postfix, self.file, self.every = total, postfix, file, every
        self.n = 0.0
        self._start = self._last = time.monotonic()

    def update(self, n: float) -> None:
        self.n += n
        if time.monotonic() - self._last >= self.every:
            self._print()

    def set_postfix_str(self, postfix: str) -> None:
        self.postfix = postfix

    def close(self) -> None:
        self._print()

    def _print(self) -> None:
        self._last = time.monotonic()
        line = tqdm.format_meter(self.n, self.total, self._last - self._start, bar_format=LINE,
                                 postfix=self.postfix)
        print(line, file=self.file, flush=True)


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
