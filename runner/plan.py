"""From an experiment to runs, and from runs to packs that train as one ensemble.

Every run is one point of the product of the swept axes; a worked example::

    architectures: [[35,2,35], [35,20,2,20,35]]      2
    optimizers: [{name: sgd, learning_rate: [0.05, 0.005], momentum: 0.9}]   x 2
    noise: {kind: bitflip, levels: [0.05, 0.2]}      x 2
    seeds: 10                                        x 10   = 80 runs

Runs that differ only in seed, learning rate, weight decay, noise level, or a VAE's beta and KL
warm-up share one network shape and one training loop, so they become members of one ensemble (a
*pack*): here 2 packs of 40 members.
A pack is split when that is needed to give every worker something to do.

A run's id is a hash of its spec, which records everything that decides its numbers: the YAML's
values, how its steps are split (nets.split) and a fingerprint of the code and the dataset's
bytes (runner.fingerprint). What is installed never enters it: the one optional extra, numba,
compiles Adam's update to NumPy's numbers bit for bit. The same YAML on the same
code plans the same ids, which is how a sweep knows what is already stored; after a change to the
code a stored run is *stale*: same question, other code.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import os
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from runner import __version__, datasets, fingerprint
from runner.config import Experiment
from runner.spec import RunSpec, parse


@dataclass(frozen=True)
class Pack:
    """Runs that train together as the members of one ensemble.

    The members' own seeds and noise levels come as arrays with the ensemble axis, the form
    the networks take them in (their learning rates and weight decays:
    runner.training.optimizer).
    """

    experiment: str
    runs: tuple[RunSpec, ...]

    @property
    def spec(self) -> RunSpec:
        """The spec the members share (the first member's; member axes aside, they agree)."""
        return self.runs[0]

    @property
    def seeds(self) -> np.ndarray:
        return np.array([run.seed for run in self.runs])

    @property
    def betas(self) -> np.ndarray:
        """(S,); only a VAE pack has them."""
        return np.array([run.beta for run in self.runs])

    @property
    def kl_warmups(self) -> np.ndarray:
        """(S,); only a VAE pack has them."""
        return np.array([run.kl_warmup for run in self.runs])

    @property
    def noise_levels(self) -> np.ndarray:
        """(S,); only a pack trained on noise has them."""
        return np.array([run.noise.level for run in self.runs])


def run_id(spec: RunSpec) -> str:
    """A short stable hash of what determines the run's numbers (not of where it is stored)."""
    canonical = spec.model_dump(mode="json", exclude={"id", "experiment"})
    text = json.dumps(canonical, sort_keys=True) + __version__
    return hashlib.sha256(text.encode()).hexdigest()[:12]


#: Weights in a layer (n_in * n_out) from which a matrix product is worth several threads:
#: 784 x 512 is, 35 x 64 is far from it.
LARGE_LAYER = 2**16
#: The fewest rows of a step's part, and the most parts, of a pack of large layers: a product of
#: 64 rows of 784 runs within 5 % of 128 rows' speed per row on one thread, at 32 within 15 %.
MIN_PART_ROWS = 64
MAX_PARTS = 8


def cpu_count() -> int:
    """Cores this process may use (respects affinity masks and container limits)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def parts(exp: Experiment, architecture: list[int]) -> int | None:
    """The fixed parts a pack of large layers cuts each step's batch into (nets.split), or None.

    OpenBLAS splits a product between threads and adds the pieces in an order that depends on
    their number, so BLAS threads would tie a run's numbers to its thread count. Every product
    runs on one BLAS thread instead, and a pack of large layers (MNIST) trains the parts of its
    batch side by side on as many threads as are free (runner.cores), which never changes a
    number. Parts of fewer than MIN_PART_ROWS rows lose more to smaller products than a thread
    gains; small layers (the font) are one part, the packs themselves keep the cores busy.
    """
    rows = exp.training.batch_size
    if rows == "full":
        rows = exp.dataset.info.n_train
        rows = min(rows, exp.dataset.limit or rows)
    return parts_of(architecture, rows)


def parts_of(architecture: list[int], rows: int) -> int | None:
    """The parts of a step of ``rows`` samples (see parts)."""
    if not has_large_layers(architecture):
        return None
    return max(1, min(MAX_PARTS, rows // MIN_PART_ROWS))


def has_large_layers(architecture: list[int]) -> bool:
    """Whether some layer has LARGE_LAYER weights or more: matrix products BLAS serves best."""
    return max(a * b for a, b in zip(architecture, architecture[1:])) >= LARGE_LAYER


def default_dtype(dataset: str) -> str:
    """float64 where runs are tiny (the font), float32 where matrix products dominate (MNIST)."""
    return "float64" if dataset == "font" else "float32"


def _model_specs(exp: Experiment, architecture: list[int]) -> list[dict]:
    """The model's fields of each run of one architecture: one per beta and KL warm-up of a
    VAE (each run.json holds one), one for an autoencoder."""
    model = exp.model
    shared = {
        "kind": model.kind,
        "architecture": list(architecture),
        "activation": model.activation,
    }
    if model.kind == "vae":
        return [
            {**shared, "beta": beta, "kl_warmup": warmup}
            for beta, warmup in itertools.product(model.betas, exp.training.kl_warmups)
        ]
    return [
        {
            **shared,
            "latent_activation": model.latent_activation or model.activation,
            "output_activation": model.output_activation,
            "loss": model.loss,
            "pixels": list(model.pixels),
        }
    ]


def _optimizer_specs(exp: Experiment) -> list[dict]:
    """One optimizer spec per (optimizer, learning rate) pair, learning rate as a scalar."""
    specs = []
    for opt in exp.training.optimizers:
        fields = opt.model_dump(exclude={"learning_rate"})
        specs += [{**fields, "learning_rate": lr} for lr in opt.learning_rates]
    return specs


def _noise_specs(exp: Experiment) -> list[dict | None]:
    if exp.noise is None:
        return [None]
    return [
        {
            "kind": exp.noise.kind,
            "level": level,
            "eval_draws": exp.noise.eval_draws,
            "test_levels": exp.noise.test_levels,
        }
        for level in exp.noise.levels
    ]


def expand(exp: Experiment) -> list[RunSpec]:
    """Every run of an experiment, in a stable order: the cartesian product of its axes."""
    training = exp.training
    source = exp.dataset.source
    data = datasets.fingerprint(source)
    common = {
        "fingerprint": fingerprint.of_run(data),
        "tp5_version": __version__,
        "experiment": exp.name,
        "dataset": exp.dataset.name,
        "dataset_path": str(source.path) if source.path else None,
        "dataset_options": source.options or None,
        "dataset_limit": exp.dataset.limit,
        "epochs": training.epochs,
        "batch_size": training.batch_size,
        "shuffle": training.shuffle,
        "dtype": training.dtype or default_dtype(exp.dataset.name),
        "snapshots": list(exp.snapshots),
        **_controls(training),
    }
    models = [
        (architecture, fields)
        for architecture in exp.model.architectures
        for fields in _model_specs(exp, architecture)
    ]
    axes = itertools.product(
        models,
        _optimizer_specs(exp),
        training.weight_decays,
        training.inits,
        training.normalizes,
        _noise_specs(exp),
        exp.seed_list,
    )
    return [
        _with_id(
            {
                **common,
                **model,
                "optimizer": optimizer,
                "weight_decay": decay,
                "init": init,
                "normalize": normalize,
                "noise": noise,
                "seed": seed,
                "blas_threads": 1,
                "parts": parts(exp, architecture),
            }
        )
        for (architecture, model), optimizer, decay, init, normalize, noise, seed in axes
    ]


def _controls(training) -> dict:
    """The training controls every run of the experiment shares (each None when unset: run.json
    leaves it out)."""
    return {
        "schedule": training.schedule and training.schedule.model_dump(),
        "validation": training.validation,
        "early_stop": training.early_stop and training.early_stop.model_dump(),
    }


#: What a spec records besides the question its run answers: two specs equal but for these are
#: the same run computed by other code, and the older one is stale ("engine": recorded by older
#: versions, see runner.spec.RETIRED).
RECORDED = ("id", "experiment", "tp5_version", "blas_threads", "parts", "fingerprint", "engine")


def question(spec: dict) -> str:
    """The run's question as a string, from a spec as run.json holds it (of any version, so
    that a store written by older code can still be matched)."""
    return json.dumps({k: v for k, v in spec.items() if k not in RECORDED}, sort_keys=True)


def _with_id(fields: dict) -> RunSpec:
    """The spec of ``fields`` and its id, hashed from the spec as run.json will hold it."""
    unnamed = parse({**fields, "id": ""})
    return unnamed.model_copy(update={"id": run_id(unnamed)})


def _pack_key(spec: RunSpec) -> str:
    """The spec with the member axes left out: runs with equal keys can share an ensemble."""
    shared = spec.model_dump(
        mode="json",
        exclude={
            "id": True,
            "seed": True,
            "beta": True,
            "kl_warmup": True,
            "weight_decay": True,
            "optimizer": {"learning_rate"},
            "noise": {"level"},
        },
    )
    return json.dumps(shared, sort_keys=True)


def pack(
    experiment: str, runs: list[RunSpec], n_workers: int = 1, max_members: int = 128
) -> list[Pack]:
    """Group runs into ensembles, splitting groups so that ``n_workers`` all get work.

    A pack holds at most ``ceil(len(runs) / n_workers)`` members and at most ``max_members``;
    a group that must be split is cut into a multiple of ``n_workers`` equal parts, so two
    workers share a 400-run sweep as four packs of 100 and finish together. The runs are dealt
    to the parts in turn (seeds vary fastest in expand's order), so that each part holds the
    group's learning rates, noise levels, ... alike, and the parts cost alike even where one
    value trains slower than another (a rate whose units saturate took 5x the others' time
    before nets.fused.sgd multiplied tiny velocities in float64: one pack of four, one worker
    idle). On the font a member's cost per epoch stops falling from about 25 members (the
    per-call overhead is shared out by then; benchmarks/), so packs of 100 lose nothing to
    packs of 400 and keep progress and interruption fine-grained. Which pack a run lands in
    never changes its numbers: every member trains from its own seed.
    """
    groups: dict[str, list[RunSpec]] = defaultdict(list)
    for run in runs:
        groups[_pack_key(run)].append(run)
    n_workers = max(1, n_workers)
    cap = max(1, min(max_members, math.ceil(len(runs) / n_workers)))
    packs = []
    for members in groups.values():
        n_parts = math.ceil(len(members) / cap)
        if n_parts > 1:
            n_parts = min(len(members), math.ceil(n_parts / n_workers) * n_workers)
        packs += [Pack(experiment, tuple(members[i::n_parts])) for i in range(n_parts)]
    return packs
