"""Epoch callbacks: what a fit records after every epoch besides its loss."""

from __future__ import annotations

import numpy as np

from runner import models
from runner.training.measures import wrong_pixels


def chain(*callbacks):
    """One epoch callback that calls ``callbacks`` in order."""

    def callback(epoch: int, model) -> None:
        for each in callbacks:
            each(epoch, model)

    return callback


class Recorder:
    """Keeps latent codes and weights at the snapshot epochs, and per-epoch probes.

    Snapshot weights are kept under runner.models.snapshot_key, so the site can decode the
    latent plane as the model saw it then.

    ``probes`` maps a history name to a function of the model returning one value per member;
    it is called after every epoch (used for wrong pixels and held-out loss per epoch), and so is
    ``progress(epoch)``.
    """

    def __init__(self, x, snapshots, epochs, n_members, probes=None, progress=None):
        self.x = x
        self.progress = progress
        self.snapshots = set(snapshots)
        self.codes: dict[str, np.ndarray] = {}
        self.weights: dict[str, np.ndarray] = {}
        self.probes = probes or {}
        self.traces = {name: np.full((n_members, epochs), np.nan) for name in self.probes}

    def __call__(self, epoch: int, model) -> None:
        if epoch in self.snapshots:
            key = models.snapshot_key(epoch)
            self.codes[key] = model.encode(self.x)  # (S, N, Z)
            self.weights.update(
                {f"{key}.{name}": value.copy() for name, value in model.params.items()}
            )
        for name, probe in self.probes.items():
            self.traces[name][:, epoch - 1] = probe(model)
        if self.progress is not None:
            self.progress(epoch)

    def saved(self) -> dict[str, np.ndarray]:
        """What it has recorded so far, for a checkpoint (runner.training.resume)."""
        return {
            **{f"codes.{k}": v for k, v in self.codes.items()},
            **{f"weights.{k}": v for k, v in self.weights.items()},
            **{f"traces.{k}": v for k, v in self.traces.items()},
        }

    def restore(self, saved: dict[str, np.ndarray]) -> None:
        """Put back what ``saved()`` returned; traces in place (another callback may hold
        one)."""
        for label, value in saved.items():
            kind, name = label.split(".", 1)
            if kind == "traces":
                self.traces[name][...] = value
            else:
                getattr(self, kind)[name] = value


class WrongMaxTrace:
    """The most wrong pixels of any character, per member, after every epoch, and the first
    epoch at which each character had none (``first_zero`` (S, N), 0: never).

    In full-batch training on clean inputs the forward pass of epoch k + 1 computes exactly
    reconstruct(x) after epoch k (``training_outputs``), so the trace is read from it one epoch
    late and only the last epoch needs a pass of its own (``finish``). A forward pass of the
    probe's own every epoch made a font sweep about 1.5x slower (benchmarks/). With minibatches
    it reconstructs every epoch, and so it does when the fit trains on other samples than x
    (``from_training`` False: some are held out).
    """

    def __init__(self, x: np.ndarray, n_members: int, epochs: int, from_training: bool = True):
        self.x, self.from_training = x, from_training
        self.trace = np.full((n_members, epochs), np.nan)
        self.first_zero = np.zeros((n_members, len(x)), dtype=int)

    def _record(self, index: int, output: np.ndarray) -> None:
        """Epoch ``index + 1`` from its outputs (S, N, D); called in increasing epoch order."""
        per_char = wrong_pixels(output, self.x)  # (S, N)
        self.trace[:, index] = per_char.max(axis=-1)
        self.first_zero[(self.first_zero == 0) & (per_char == 0)] = index + 1

    def __call__(self, epoch: int, model) -> None:
        # (S, N, D) after epoch - 1, or None
        output = model.training_outputs() if self.from_training else None
        if output is None:
            self._record(epoch - 1, model.reconstruct(self.x))
        elif epoch > 1:
            self._record(epoch - 2, output)

    def saved(self) -> dict[str, np.ndarray]:
        return {"trace": self.trace, "first_zero": self.first_zero}

    def restore(self, saved: dict[str, np.ndarray]) -> None:
        self.trace[...] = saved["trace"]
        self.first_zero[...] = saved["first_zero"]

    def finish(self, output: np.ndarray) -> None:
        """Record the last epoch from the final outputs (S, N, D)."""
        self._record(self.trace.shape[1] - 1, output)
