"""A pack's fit that keeps a checkpoint as it trains and, started again, goes on from it to the
numbers an unbroken fit gives, bit for bit.

A checkpoint is the state after a whole epoch: the model's parameters, the positions of its
members' shuffle and noise streams, the epochs done and their history (nets.Ensemble.
training_state), the optimiser's state with Adam's step count (nets.optimizers), what the epoch
callbacks have recorded (snapshots, traces) and the seconds trained so far. A split pack's parts
keep nothing between steps, and its threads never change a number, so it has nothing more to
keep. Where the file goes and when it is removed: runner.checkpoints.

One is written after the first epoch that ends ``every`` seconds after the last (or after the
start), and after the epoch in which SIGINT or SIGTERM arrived; the signal is then handled as it
would have been without the checkpoint (KeyboardInterrupt, the process's end, ...). A second
signal before the epoch ends is handled at once, without a checkpoint.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Sequence

import numpy as np

from runner import checkpoints

SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _prefixed(prefix: str, arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {f"{prefix}.{name}": a for name, a in arrays.items()}


def _part(saved: dict[str, np.ndarray], prefix: str) -> dict[str, np.ndarray]:
    """The entries of ``saved`` under ``prefix.``, without it."""
    start = len(prefix) + 1
    return {name[start:]: a for name, a in saved.items() if name.startswith(prefix + ".")}


class Checkpointed:
    """The checkpoints of one pack's fit: ``file`` (None: none are kept) for the runs
    ``run_ids``, of a model trained by ``optimizer``; ``parts`` name the epoch callbacks whose
    records go in too (each has ``saved() -> dict of arrays`` and ``restore(saved)``).

    ``restore(model)`` before the fit, the object itself as the fit's last epoch callback, and
    ``with`` around the fit (the signals are caught there); ``elapsed()`` is the pack's seconds
    of training, those before the interruption included.
    """

    def __init__(
        self,
        file: str | None,
        run_ids: Sequence[str],
        optimizer,
        parts: dict,
        every: float | None = None,
    ):
        self.file, self.ids = file, list(run_ids)
        self.optimizer, self.parts = optimizer, parts
        self.every = checkpoints.every() if every is None else every
        self.earlier = 0.0  # seconds trained before the checkpoint was written
        self._start = self._last = time.perf_counter()
        self._signal = None  # a signal that arrived during the current epoch
        self._handlers: dict = {}

    def restore(self, model) -> None:
        """Put the model, the optimiser and the parts where the pack's checkpoint left them, if
        it has one (of exactly its runs); the pack's clock starts now."""
        saved = checkpoints.load(self.file, self.ids) if self.file else None
        if saved is not None:
            model.resume(_part(saved, "model"))
            self.optimizer.restore(_part(saved, "optimizer"))
            for name, part in self.parts.items():
                part.restore(_part(saved, name))
            self.earlier = float(saved["seconds"])
        self._start = self._last = time.perf_counter()

    def elapsed(self) -> float:
        return self.earlier + time.perf_counter() - self._start

    def __call__(self, epoch: int, model) -> None:
        if self.file is None:
            return
        if self._signal is None and time.perf_counter() - self._last < self.every:
            return
        self.save(model)
        if self._signal is not None:
            self._deliver()

    def save(self, model) -> None:
        """Write the checkpoint of the fit as it stands (after a whole epoch)."""
        arrays = {
            **_prefixed("model", model.training_state()),
            **_prefixed("optimizer", self.optimizer.saved()),
            "seconds": np.array(self.elapsed()),
        }
        for name, part in self.parts.items():
            arrays.update(_prefixed(name, part.saved()))
        checkpoints.save(self.file, self.ids, arrays)
        self._last = time.perf_counter()

    def __enter__(self):
        # a handler can only be set in the main thread (a local worker's; not a dask worker's)
        if self.file and threading.current_thread() is threading.main_thread():
            self._handlers = {s: signal.signal(s, self._on_signal) for s in SIGNALS}
        return self

    def __exit__(self, *exc) -> None:
        if self._signal is not None:  # it came after the last epoch: no checkpoint to write
            self._deliver()
        self._put_back()

    def _on_signal(self, signum, frame) -> None:
        if self._signal is not None:  # a second one: the user will not wait for the epoch
            self._signal = None
            self._put_back()
            signal.raise_signal(signum)
            return
        self._signal = signum

    def _deliver(self) -> None:
        """Handle the signal that came as the handlers before ours would have."""
        signum, self._signal = self._signal, None
        self._put_back()
        signal.raise_signal(signum)

    def _put_back(self) -> None:
        for s, handler in self._handlers.items():
            signal.signal(s, signal.SIG_DFL if handler is None else handler)  # None: set in C
        self._handlers = {}
