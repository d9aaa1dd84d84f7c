"""A pack's optimizer: the one place where a spec's optimizer becomes nets'."""

from __future__ import annotations

import numpy as np

from nets import fused, optimizers
from runner.plan import Pack


def of_pack(pack: Pack) -> optimizers.Optimizer:
    """The shared optimizer, with each member's learning rate and weight decay (their last stop
    in runner/: nets.optimizers applies them) and the pack's schedule of the rate.

    Adam's update is compiled where numba is installed and the step is large enough for it to
    pay (a VAE, or large layers: a spec with parts); SGD's wherever numba is installed (one pass
    instead of four, and at batch 1 no gradient written at all). Both give NumPy's numbers bit
    for bit (nets.fused), so what is installed never enters a run's id.
    """
    spec = pack.spec
    options = spec.optimizer.model_dump(exclude={"name", "learning_rate"})
    if spec.optimizer.name == "adam":
        options["compiled"] = (spec.kind == "vae" or bool(spec.parts)) and fused.available()
    else:
        options["compiled"] = fused.available()
    rates = np.array([run.optimizer.learning_rate for run in pack.runs])  # (S,)
    if any(run.weight_decay is not None for run in pack.runs):
        options["weight_decay"] = np.array([run.weight_decay or 0.0 for run in pack.runs])
    if spec.schedule is not None:
        options["schedule"] = optimizers.schedule(**spec.schedule.model_dump())
    return optimizers.named(spec.optimizer.name, learning_rate=rates, **options)
