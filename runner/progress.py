"""Epoch-level progress of packs training in worker processes, and the bar that shows it.

A sweep's bar would otherwise move only when a pack comes back, and a study's MNIST run is one
pack of one run that trains for minutes. Each local pack writes the epochs it has done, and the
seconds they took, to a small file of its own; the sweep reads them into runner.estimate, which
learns each kind of pack's speed from them, and shows the share of the estimated seconds done
and the time left. Files rather than a queue: a loky worker needs only a
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

from runner import estimate, store
from runner.plan import Pack

#: The terminal's bar: the share of the work done, elapsed time, the estimate's time left (not
#: tqdm's, which would scale the elapsed time by the share, blind to the workers), and the runs
#: finished (the postfix).
BAR = "{percentage:3.0f}%|{bar}| {elapsed}<{left}{postfix}"
#: The same as one plain line, for a log file.
LINE = "{percentage:3.0f}% of the planned work, {elapsed} elapsed, {left} left{postfix}"
#: Seconds between two plain lines at most.
LINE_EVERY = 5.0


class EpochFile:
    """Worker side: ``self(epoch)`` after each epoch writes it and the seconds since the pack
    started to ``path`` ("12 3.250"), at most every ``every`` seconds (a font epoch takes about a
    millisecond)."""

    def __init__(self, path: str, every: float = 0.5):
        self.path, self.every = Path(path), every
        self._start = self._last = time.monotonic()

    def __call__(self, epoch: int) -> None:
        now = time.monotonic()
        if now - self._last >= self.every:
            self._last = now
            try:  # a reader catching it half-written skips it once
                self.path.write_text(f"{epoch} {now - self._start:.3f}")
            except OSError:  # the sweep has gone (interrupted): training need not stop for it
                pass


class Board:
    """Main side: one file per pack in a temporary folder, what they report, and the estimate
    of the work done and left (runner.estimate) that ``forecast()`` draws from them.

    ``packs`` come in the order the workers take them, ``workers`` at a time; ``cost(pack)`` is
    a pack's static cost (runner.parallel.cost), the estimate's start until packs report.

    The folder goes inside ``parent`` (an experiment's results folder, named as the store names
    its temporaries), so that a sweep killed outright leaves nothing that the next run of it
    does not clear. ``finish(pack_id, seconds)`` marks a pack done, after which its file no
    longer counts.
    """

    def __init__(
        self, packs: list[Pack], parent: Path, cost: Callable[[Pack], float], workers: int
    ):
        parent.mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix=f"{store.TEMP_PREFIX}progress-", dir=parent))
        self.jobs = [estimate.job(pack, cost(pack)) for pack in packs]
        self.workers = workers
        self.seen: dict[str, estimate.Seen] = {}
        self._lock = threading.Lock()  # finish() and forecast() come from different threads

    def path(self, pack: Pack) -> str:
        return str(self.folder / pack.runs[0].id)

    def finish(self, pack_id: str, seconds: float | None) -> None:
        """The pack is back, after ``seconds`` of training (None: not known)."""
        epochs = next(j.epochs for j in self.jobs if j.id == pack_id)
        with self._lock:
            self.seen[pack_id] = estimate.Seen(
                ((epochs, seconds),) if seconds else (), finished=True
            )

    def forecast(self) -> estimate.Forecast:
        """The estimate from every report so far (each running pack's file read once more)."""
        with self._lock:
            for j in self.jobs:
                seen = self.seen.get(j.id, estimate.Seen())
                report = None if seen.finished else self._read(j.id)
                if report and report != seen.last:
                    self.seen[j.id] = estimate.Seen(seen.reports + (report,))
            return estimate.forecast(self.jobs, self.seen, self.workers)

    def _read(self, pack_id: str) -> estimate.Report | None:
        try:
            epoch, seconds = (self.folder / pack_id).read_text().split()
            return int(epoch), float(seconds)
        except (OSError, ValueError):  # not started yet, or caught mid-write
            return None

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


class Forward:
    """The share the bar shows: the estimate's, except that it never goes back.

    An estimate falls when a kind of pack first measures slower than its static cost said. The
    bar then holds its place, and each later rise of the estimate moves it by the same share of
    what it has left as of what the estimate had left, so it still moves with the work and
    reaches 100 % with the estimate; should the estimate pass it, it follows the estimate.
    """

    def __init__(self):
        self.shown = self.estimate = 0.0

    def __call__(self, estimate: float) -> float:
        if estimate > self.estimate:  # while the two agree, this is the estimate
            ahead = self.shown + (1 - self.shown) * (estimate - self.estimate) / (1 - self.estimate)
            self.shown = max(estimate, ahead)
        self.estimate = estimate
        return self.shown


def progress_bar(postfix: str, disable: bool = False, file=None):
    """A bar of 100 (percent) on a terminal; without one (stderr sent to a file or a pipe),
    plain lines, as each of tqdm's redraws would be a line of the log."""
    file = file or sys.stderr
    if disable or file.isatty():
        return Bar(
            total=100,
            postfix=postfix,
            disable=disable,
            file=file,
            bar_format=BAR,
            dynamic_ncols=True,
        )
    return Lines(100, postfix, file)


def time_left(seconds: float | None) -> str:
    """The time left as the bar shows it: "?" until a pack has measured a speed."""
    return "?" if seconds is None else tqdm.format_interval(seconds)


class Bar(tqdm):
    """tqdm's bar with the estimate's time left, ``left``, in its format."""

    left = time_left(None)

    @property
    def format_dict(self):
        return {**super().format_dict, "left": self.left}


class Lines:
    """What a sweep uses of a Bar (n, update, left, set_postfix_str, close, disable), printing
    a plain line at most every ``every`` seconds and a last one on close."""

    disable = False
    left = time_left(None)

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
        line = tqdm.format_meter(
            self.n,
            self.total,
            self._last - self._start,
            bar_format=LINE,
            postfix=self.postfix,
            left=self.left,
        )
        print(line, file=self.file, flush=True)


class Follower(threading.Thread):
    """Moves a Bar to the board's forecast twice a second until ``stop()``."""

    def __init__(self, board: Board, bar, every: float = 0.5):
        super().__init__(daemon=True)
        self.board, self.bar, self.every = board, bar, every
        self.forward = Forward()
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(self.every):
            self.refresh()

    def refresh(self) -> None:
        forecast = self.board.forecast()
        self.bar.left = time_left(forecast.wall_left)
        self.bar.update(100 * self.forward(forecast.share) - self.bar.n)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()
        self.refresh()
