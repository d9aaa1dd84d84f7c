"""The ways runs of one experiment can differ, each an axis with a label per value.

Runs that differ only in their seed form one configuration (report.summary); the axes on which
the runs of an experiment take more than one value name its configurations and become the rows
and columns of its tables (report.tables).
"""

from __future__ import annotations

from dataclasses import dataclass

from report.formatting import plain
from runner.spec import RunSpec


def _optimizer_label(spec: RunSpec) -> str:
    """The optimiser without its learning rate (that is an axis of its own). ``sgd`` on the
    full batch is named gradient descent: nothing about its steps is stochastic."""
    opt = spec.optimizer
    if opt.name == "sgd":
        name = "gradient descent" if spec.batch_size == "full" else "SGD"
        return f"{name}, momentum {plain(opt.momentum)}" if opt.momentum else name
    extras = [
        f"{name} {plain(value)}"
        for name, value in (("beta1", opt.beta1), ("beta2", opt.beta2))
        if value not in (0.9, 0.999)
    ]
    return ", ".join(["Adam", *extras])


def level_symbol(kind: str) -> str:
    """What a noise level is called: sigma for Gaussian noise, else the probability p."""
    return "σ" if kind == "gaussian" else "p"


def _noise_label(spec: RunSpec) -> str:
    noise = spec.noise
    if not noise:
        return "no noise"
    return f"{level_symbol(noise.kind)} = {plain(noise.level)}"


@dataclass(frozen=True)
class Axis:
    """A way runs can differ: a name, a heading for tables, and the value of a spec on it."""

    name: str
    heading: str

    def value(self, spec: RunSpec) -> str:
        return _AXIS_VALUES[self.name](spec)


_AXIS_VALUES = {
    "architecture": lambda s: "-".join(str(n) for n in s.architecture),
    "optimizer": _optimizer_label,
    "init": lambda s: s.init,
    "normalize": lambda s: "standardised inputs" if s.normalize else "raw inputs",
    "weight_decay": lambda s: f"λ = {plain(s.weight_decay or 0)}",
    "learning_rate": lambda s: plain(s.optimizer.learning_rate),
    "noise": _noise_label,
    "beta": lambda s: f"β = {plain(s.beta)}" if s.kind == "vae" else "",
    "kl_warmup": lambda s: f"warm-up {s.kl_warmup}" if getattr(s, "kl_warmup", 0) else "no warm-up",
}

#: Row axes first, column axis last: the last axis that varies becomes the table's columns.
AXES = (
    Axis("architecture", "architecture"),
    Axis("optimizer", "optimiser"),
    Axis("init", "init"),
    Axis("normalize", "inputs"),
    Axis("weight_decay", "weight decay"),
    Axis("learning_rate", "learning rate"),
    Axis("beta", "β"),
    Axis("kl_warmup", "KL warm-up"),
    Axis("noise", "noise"),
)


def axis(name: str) -> Axis:
    return next(a for a in AXES if a.name == name)
