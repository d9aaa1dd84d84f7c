"""What one run produced, and the pieces of a pack's fit that become each member's result."""

from __future__ import annotations

import dataclasses

import numpy as np

from runner import models
from runner.metrics import Metrics, Timing
from runner.plan import Pack
from runner.spec import RunSpec


@dataclasses.dataclass
class RunResult:
    """What one run produced; ``error`` is set (and metrics and arrays empty) when its pack
    raised."""

    spec: RunSpec
    metrics: Metrics | None = None
    arrays: dict = dataclasses.field(default_factory=dict)
    error: str | None = None

    @property
    def id(self) -> str:
        return self.spec.id


def member(arrays: dict[str, np.ndarray], k: int) -> dict[str, np.ndarray]:
    """Member k's slice of arrays that carry the ensemble axis first."""
    return {name: value[k] for name, value in arrays.items()}


def status(final_loss: float) -> str:
    return "ok" if np.isfinite(final_loss) else "diverged"


def timing(seconds: float, pack: Pack) -> Timing:
    """Per-run seconds are the pack's wall time shared equally among its members."""
    return Timing(seconds=seconds / len(pack.runs), pack_seconds=seconds, pack_size=len(pack.runs))


def saved_params(model, snapshot_weights: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Everything needed to rebuild each member: weights, snapshot weights, input scaling.

    Input scaling is shared by the members; it gets an ensemble axis like the rest.
    """
    params = {**model.params, **snapshot_weights}
    if model.input_scaling is not None:
        S = model.n_members
        mean, std = model.input_scaling
        params[models.INPUT_MEAN] = np.broadcast_to(mean, (S, *mean.shape))
        params[models.INPUT_STD] = np.broadcast_to(std, (S, *std.shape))
    return params
