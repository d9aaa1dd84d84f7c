"""Held-out samples and early stopping on their loss.

A run with held-out samples trains on the others, and is measured, as every run, on all the
dataset's training samples (its per-character errors, latent codes and ELBO cover the held-out
characters too: every character keeps its place on the pages, and the held-out ones show how
the run does on samples it never trained on).

The held-out samples are evenly spaced through the training set (sample floor(k N / n) for
k = 0 .. n-1), not drawn from a run's seed: every member of a pack must train on the same
samples, and evenly spaced ones are the same for every run, so runs that differ in seed still
share an ensemble.

Early stopping keeps training the whole pack to the last epoch and puts each member's best
weights back at the end: a member's weights, its best and stopped epochs then never depend on
which pack it trained in (a pack that stopped when its last member did would give a member
alone a shorter history than the same member in a pack).
"""

from __future__ import annotations

import numpy as np

from runner.metrics import EarlyStopping


def held_out(n: int, validation: int | float) -> np.ndarray:
    """Indices of the samples held out of n: a count, or a share rounded to the nearest count
    (at least 1); at least one sample must be left to train on."""
    count = validation if isinstance(validation, int) else max(1, round(validation * n))
    if count >= n:
        raise ValueError(f"validation holds out {count} of {n} samples: none left to train on")
    return np.arange(count) * n // count


def split(x: np.ndarray, validation: int | float | None):
    """(the samples of x (N, D) to train on, the held-out ones or None)."""
    if validation is None:
        return x, None
    index = held_out(len(x), validation)
    keep = np.ones(len(x), bool)
    keep[index] = False
    return x[keep], x[index]


class EarlyStop:
    """An epoch callback: the validation loss of every member after every epoch (``trace``,
    (S, epochs)) and, with a patience, each member's best epoch and weights and the epoch it
    stopped at (``patience`` epochs without a lower loss; 0: never)."""

    def __init__(self, loss, n_members: int, epochs: int, patience: int | None):
        self.loss, self.patience = loss, patience
        self.trace = np.full((n_members, epochs), np.nan)
        self.best_loss = np.full(n_members, np.inf)
        self.best_epoch = np.zeros(n_members, int)
        self.waited = np.zeros(n_members, int)
        self.stopped = np.zeros(n_members, int)
        self.best_params: dict[str, np.ndarray] = {}

    def __call__(self, epoch: int, model) -> None:
        losses = self.loss(model)  # (S,)
        self.trace[:, epoch - 1] = losses
        if self.patience is None:
            return
        going = self.stopped == 0
        better = going & (losses < self.best_loss)  # NaN is never better
        if not self.best_params:
            self.best_params = {name: p.copy() for name, p in model.params.items()}
        for name, p in model.params.items():
            self.best_params[name][better] = p[better]
        self.best_loss[better], self.best_epoch[better] = losses[better], epoch
        self.waited[better] = 0
        self.waited[going & ~better] += 1
        self.stopped[going & (self.waited >= self.patience)] = epoch

    def keep_best(self, model) -> None:
        """Put each member's best weights back (a member never better than inf keeps its own)."""
        kept = self.best_epoch > 0
        for name, p in model.params.items():
            p[kept] = self.best_params[name][kept]

    def record(self, k: int) -> EarlyStopping:
        return EarlyStopping(
            best_epoch=int(self.best_epoch[k]),
            validation_loss=float(self.best_loss[k]),
            stopped_epoch=int(self.stopped[k]) or None,
        )

    def saved(self) -> dict[str, np.ndarray]:
        """Its state, for a checkpoint (runner.training.resume): the trace, best losses, epochs
        and weights, epochs without improvement and the stopped epochs."""
        return {
            "trace": self.trace,
            "best_loss": self.best_loss,
            "best_epoch": self.best_epoch,
            "waited": self.waited,
            "stopped": self.stopped,
            **{f"params.{name}": p for name, p in self.best_params.items()},
        }

    def restore(self, saved: dict[str, np.ndarray]) -> None:
        for name in ("trace", "best_loss", "best_epoch", "waited", "stopped"):
            getattr(self, name)[...] = saved[name]
        self.best_params = {
            label.split(".", 1)[1]: np.array(value)
            for label, value in saved.items()
            if label.startswith("params.")
        }


def watch(pack, held_out, loss, parts: dict, recorder) -> EarlyStop | None:
    """The pack's validation callback, added to ``parts`` (its state goes into checkpoints) and
    its trace to the recorder's as "validation_loss"; None without held-out samples."""
    if held_out is None:
        return None
    spec = pack.spec
    patience = spec.early_stop.patience if spec.early_stop else None
    found = parts["validation"] = EarlyStop(loss, len(pack.runs), spec.epochs, patience)
    recorder.traces["validation_loss"] = found.trace
    return found


def keep_best(found: EarlyStop | None, model) -> bool:
    """With early stopping, put each member's best weights back, for everything measured after;
    whether it did."""
    if found is None or found.patience is None:
        return False
    found.keep_best(model)
    return True


def record(found: EarlyStop | None, k: int) -> dict:
    """Member k's metrics field "early_stop", if it has one."""
    if found is None or found.patience is None:
        return {}
    return {"early_stop": found.record(k)}
