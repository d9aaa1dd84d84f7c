"""Train one pack: load its data, fit its ensemble, measure every member.

``run_pack`` is a pure function of the pack (no globals; the one file it may write is its own
checkpoint): it returns one ``RunResult`` per run, which the main process writes to the store.
That keeps workers free of shared state, so the same pack gives the same numbers in a local
process or on a dask worker on another machine.
"""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Callable

from nets.split import Split
from runner.plan import Pack
from runner.spec import RunSpec
from runner.training import autoencoder, vae
from runner.training.data import load_data
from runner.training.result import RunResult


def run_pack(
    pack: Pack,
    progress: Callable[[int], None] | None = None,
    threads: Callable[[], int] | None = None,
    checkpoint: str | None = None,
) -> list[RunResult]:
    """Train a pack; an exception becomes an error result for each of its runs, never a crash.

    ``progress(epoch)``, if given, is called after every epoch (runner.progress.EpochFile).
    ``threads()``, asked after every epoch, is how many threads a pack whose spec has parts
    may use now (runner.cores; default: one per part); it never changes a number.
    ``checkpoint``, if given, is the file the pack keeps its state in as it trains, and resumes
    from (runner.checkpoints): the only file a worker writes.
    """
    try:
        data = load_data(pack.spec)
        train = vae.train if pack.spec.kind == "vae" else autoencoder.train
        threads = threads or (lambda: pack.spec.parts or 1)
        with _split(pack.spec, threads) as split:
            return train(pack, data, _epoch_hook(progress, split, threads), split, checkpoint)
    except Exception:  # noqa: BLE001 - one pack's failure must not stop the sweep
        error = traceback.format_exc()
        return [RunResult(run, error=error) for run in pack.runs]


def _split(spec: RunSpec, threads: Callable[[], int]):
    """The split of the steps of a spec with parts (nets.split), on threads() threads; else a
    context of None."""
    if not spec.parts:
        return contextlib.nullcontext()
    return Split(spec.parts, threads())


def _epoch_hook(progress, split: Split | None, threads: Callable[[], int]):
    """What runs after every epoch: the progress report, and the split's threads brought to
    what the sweep allows now."""
    if split is None:
        return progress

    def after(epoch: int) -> None:
        if progress is not None:
            progress(epoch)
        split.threads = threads()

    return after
