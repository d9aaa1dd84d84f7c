"""RunSpec, the one type of a run: what the plan makes, a pack trains, the store keeps as run.json
and the report reads.

A spec holds everything that determines a run's numbers, plus the experiment that planned it and
its id. It is frozen: its id is a hash of its serialisation (runner.plan.run_id), so a spec that
changed after planning would be stored under the id of another. The two kinds of run share the
base fields and differ in their model's: an autoencoder names its latent and output activations
and its loss, a VAE its beta and KL warm-up. ``spec.model_dump(mode="json")`` is run.json, field
for field (a field left out of it when it takes its neutral value says so).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

from runner import datasets


class _Frozen(BaseModel):
    # forbid: a run.json with a field this version does not know is not a run it can redo
    model_config = ConfigDict(frozen=True, extra="forbid")


class SGD(_Frozen):
    name: Literal["sgd"]
    learning_rate: float = Field(description="this run's step size")
    momentum: float = Field(description="share of the last step kept in the next")


class Adam(_Frozen):
    name: Literal["adam"]
    learning_rate: float = Field(description="this run's step size")
    beta1: float = Field(description="decay of the gradient mean")
    beta2: float = Field(description="decay of the squared-gradient mean")
    eps: float = Field(description="added to the denominator")


Optimizer = Annotated[SGD | Adam, Field(discriminator="name")]


class StepSchedule(_Frozen):
    kind: Literal["step"]
    every: int = Field(description="epochs between two cuts of the rate")
    factor: float = Field(description="what each cut multiplies the rate by")


class CosineSchedule(_Frozen):
    kind: Literal["cosine"]
    final: float = Field(description="the last epoch's rate as a share of the first's")


Schedule = Annotated[StepSchedule | CosineSchedule, Field(discriminator="kind")]


class EarlyStop(_Frozen):
    patience: int = Field(description="epochs without a lower validation loss before it stops")


def _unset(value) -> bool:
    """A training control left out of run.json when unset, so that the runs planned before it
    existed keep their ids."""
    return value is None


class Noise(_Frozen):
    kind: str = Field(description="bitflip, salt_and_pepper, masking or gaussian")
    level: float = Field(description="this run's p or sigma; 0: trained on clean inputs")
    eval_draws: int = Field(description="noisy copies of each sample that denoising is measured on")
    test_levels: tuple[float, ...] = Field(
        (),
        exclude_if=lambda levels: not levels,
        description="levels it is also measured at; none (left out of run.json, so a run "
        "that has none keeps its id): only its own level",
    )


#: Fields of run.json files written by older versions that no longer describe a run: "engine"
#: named the code that trained it, which no longer decides a number (nets.fused's compiled
#: update gives NumPy's numbers bit for bit).
RETIRED = ("engine",)


class _Run(_Frozen):
    @model_validator(mode="before")
    @classmethod
    def _drop_retired(cls, data):
        """An older run.json still reads: its retired fields are left out."""
        if isinstance(data, dict) and any(key in data for key in RETIRED):
            return {k: v for k, v in data.items() if k not in RETIRED}
        return data

    tp5_version: str = Field(description="version of tp5 that planned the run (part of its id)")
    experiment: str = Field(description="the experiment that planned it (not part of its id)")
    dataset: str = Field(description="the dataset's name: font, mnist, images, ...")
    dataset_path: str | None = Field(
        description="file or folder the data was read from; None: embedded or downloaded"
    )
    dataset_options: dict[str, Any] | None = Field(
        None,
        exclude_if=lambda options: options is None,
        description="the options the YAML gave the dataset (an image folder's size, colour, "
        "...); None (and absent from run.json): none",
    )
    dataset_limit: int | None = Field(description="training samples kept, None: all")
    epochs: int
    batch_size: int | Literal["full"]
    shuffle: bool = Field(
        True,
        description="minibatches in a fresh random order every epoch, else the data's "
        "(True in run.json files written before tp5 recorded it: that was the only order)",
    )
    dtype: str = Field(description="float32 or float64")
    snapshots: tuple[int, ...] = Field(description="epochs at which latent codes are kept")
    architecture: tuple[int, ...] = Field(description="layer widths, input to output")
    activation: str = Field(description="activation of the hidden layers")
    optimizer: Optimizer
    init: str = Field(description="weight initialisation")
    normalize: bool = Field(description="whether each input pixel was standardised")
    noise: Noise | None = Field(description="the noise trained on, None: clean inputs")
    weight_decay: float | None = Field(
        None,
        exclude_if=_unset,
        description="coupled L2 penalty lambda: lambda * w added to "
        "every parameter's gradient (nets.optimizers); None (absent): none",
    )
    schedule: Schedule | None = Field(
        None,
        exclude_if=_unset,
        description="the learning rate's schedule by epoch "
        "(nets.optimizers.Step, Cosine); None (absent): constant",
    )
    validation: int | float | None = Field(
        None,
        exclude_if=_unset,
        description="training samples held out, evenly spaced, for the "
        "validation loss: a count, or a share of the training set; None (absent): none",
    )
    early_stop: EarlyStop | None = Field(
        None,
        exclude_if=_unset,
        description="patience on the validation loss, the best epoch's "
        "weights kept; None (absent): every epoch is trained",
    )
    seed: int
    blas_threads: int | None = Field(
        None,
        description="BLAS threads of its matrix products, fixed by the plan because "
        "OpenBLAS sums in another order on another count; None: planned before tp5 recorded it",
    )
    parts: int | None = Field(
        None,
        ge=1,
        description="the fixed parts each training step's batch is cut into, "
        "trained on as many threads as are free (nets.split); None: one part, one thread",
    )
    fingerprint: str | None = Field(
        None,
        description="hash of the code that computes a run and of the dataset's bytes "
        "(runner.fingerprint); None: planned before tp5 recorded it",
    )
    id: str = Field(description="hash of the other fields but experiment (runner.plan.run_id)")

    @property
    def source(self) -> datasets.Source:
        """The data the run trains on, as runner.datasets reads it."""
        path = Path(self.dataset_path) if self.dataset_path else None
        return datasets.Source(self.dataset, path, self.dataset_options or {}, self.dataset_limit)


class AutoencoderRun(_Run):
    kind: Literal["autoencoder"]
    latent_activation: str
    output_activation: str
    loss: str = Field(description="mse, sse or bce")
    pixels: tuple[int, int] = Field(
        (0, 1), description="the values pixels 0 and 1 took in training, (0, 1) or (-1, 1)"
    )


class VAERun(_Run):
    kind: Literal["vae"]
    beta: float = Field(description="weight of the KL term")
    # 0 is left out of run.json: a run without warm-up asks the question (runner.plan.question)
    # it asked before tp5 knew of warm-ups
    kl_warmup: int = Field(
        0,
        ge=0,
        exclude_if=lambda warmup: warmup == 0,
        description="epochs over which the KL weight rises linearly from 0 to beta: "
        "beta * min(1, (e - 1) / kl_warmup) in epoch e = 1, 2, ... (nets.vae.kl_scale); 0: "
        "beta throughout (0 in run.json files written before tp5 recorded it)",
    )


RunSpec = Annotated[AutoencoderRun | VAERun, Field(discriminator="kind")]

_ADAPTER = TypeAdapter(RunSpec)


def parse(data: dict) -> RunSpec:
    """A spec from its serialisation (run.json, plan.json's entries)."""
    return _ADAPTER.validate_python(data)


def parse_json(text: str) -> RunSpec:
    return _ADAPTER.validate_json(text)


def schema() -> dict:
    """JSON Schema of run.json."""
    return _ADAPTER.json_schema()
