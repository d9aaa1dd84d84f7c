"""The experiment YAML as typed Pydantic models: the contract for what a YAML file may say.

    exp.model.architectures, exp.training.optimizers[0].learning_rates, exp.seed_list

`tp5-run --schema` prints the models as JSON Schema for editors. Every mapping is strict: an
unknown key is an error, not silently ignored. Each model's `checks` say how its values must fit
together (a bottleneck that is the one narrowest layer, widths that fit the dataset, slides
that apply); they blame the value to fix, so `runner.config.errors` words their problems
like any other, and they run even when an unrelated value is wrong (see `runner.config.strict`).
The slides a `report:` may name are the report's: validation checks them only against the
catalogue its caller passes (see `runner.config.catalogue`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    Field,
    NonNegativeFloat,
    NonNegativeInt,
    PositiveFloat,
    PositiveInt,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails

from runner import datasets
from runner.config.catalogue import SlideCatalogue
from runner.config.dataset import Dataset
from runner.config.reference import Reference, ReferenceValue
from runner.config.strict import Problem, Strict
from runner.config.types import (
    Activation,
    BatchSize,
    Init,
    Layers,
    LearningRates,
    Level,
    Seeds,
    distinct,
    one_or_list,
)
from runner.config.yamlfile import show_value

SLUG = r"^[a-z0-9][a-z0-9-]{0,63}$"


def _catalogue(context: dict | None) -> SlideCatalogue | None:
    """The slide catalogue the caller of the validation passed, if any."""
    return (context or {}).get("slides")


def _known_slides(names: list[str], info: ValidationInfo) -> list[str]:
    """With a catalogue, each entry must be one of its slides (worded as a choice, like any
    Literal's)."""
    catalogue = _catalogue(info.context)
    if catalogue is None:
        return names
    expected = ", ".join(f"'{name}'" for name in catalogue.names)
    unknown = [
        InitErrorDetails(type="literal_error", loc=(i,), input=name, ctx={"expected": expected})
        for i, name in enumerate(names)
        if name not in catalogue.names
    ]
    if unknown:
        raise ValidationError.from_exception_data("report", unknown)
    return names


# ---- the models ---------------------------------------------------------------------------------


class _Network(Strict):
    kind: str  # each network narrows it to its Literal; declared here so it comes first
    architectures: list[Layers] = Field(
        min_length=1, description="layer sizes of each network to train, input to output"
    )  # e.g. [[35, 20, 2, 20, 35]]; the narrowest layer is the latent
    latent_size: PositiveInt | None = Field(
        None, description="if given, every architecture's narrowest layer must have this size"
    )  # guards a sweep of architectures against a typo

    def _one_bottleneck(self) -> list[Problem]:
        """The networks read the latent off the narrowest layer, so it must be unambiguous."""
        return [
            problem
            for i, layers in enumerate(self.architectures)
            if (problem := self._bottleneck_problem(i, layers))
        ]

    checks = (_one_bottleneck,)

    def _bottleneck_problem(self, i: int, layers: list[int]) -> tuple | None:
        z = min(layers)
        where = [j for j, n in enumerate(layers) if n == z]
        if where[0] == 0 or where[-1] == len(layers) - 1:
            return (
                ("architectures", i),
                f"the narrowest layer ({z}) must be an inner layer "
                "(the latent), not the input or output",
                layers,
            )
        if len(where) > 1:
            return (
                ("architectures", i, where[1]),
                f"{z} is the narrowest size and occurs "
                f"{len(where)} times; the latent must be the one narrowest layer",
                z,
            )
        if self.latent_size is not None and z != self.latent_size:
            return (
                ("architectures", i, where[0]),
                f"the latent (narrowest) layer has {z} "
                f"units, but latent_size is {self.latent_size}",
                z,
            )
        return None

    @property
    def latent_sizes(self) -> list[int]:
        """Z of each architecture: its narrowest layer."""
        return [min(layers) for layers in self.architectures]


class AutoencoderModel(_Network):
    kind: Literal["autoencoder"] = Field(
        description="autoencoder (a denoising one when noise is given)"
    )
    activation: Activation = Field(
        "sigmoid", description="activation of the hidden layers"
    )  # the study's choice
    latent_activation: Activation | None = Field(
        None, description="activation of the latent layer"
    )  # None: same as activation
    output_activation: Literal["sigmoid", "identity", "tanh"] = Field(
        "sigmoid", description="activation of the output layer"
    )  # sigmoid: pixels in [0, 1]
    loss: Literal["mse", "bce", "sse"] = Field(
        "mse",
        description="reconstruction loss: mse, the squared error averaged over pixels and "
        "samples; sse, half the squared error summed over a sample's pixels, 1/2 sum (y - t)^2, "
        "averaged over the batch (with batch_size 1, the textbook's per-character update); bce, "
        "cross-entropy",
    )  # bce: pixels as coin flips
    pixels: tuple[Literal[0, -1], Literal[1]] = Field(
        (0, 1),
        description="the values the data's pixels 0 and 1 take in training, as inputs "
        "and targets: [0, 1], or [-1, 1] (for a tanh output); outputs are mapped back to [0, 1] "
        "for every measure and picture",
    )

    def _bce_needs_sigmoid(self) -> list[Problem]:
        """Binary cross-entropy is computed from the logits of a sigmoid output."""
        if self.loss == "bce" and self.output_activation != "sigmoid":
            return [
                (
                    ("loss",),
                    f"'bce' needs output_activation: sigmoid, got '{self.output_activation}'",
                    self.loss,
                )
            ]
        return []

    def _pixels_in_reach(self) -> list[Problem]:
        """A sigmoid output never reaches a target of -1."""
        if self.pixels[0] < 0 and self.output_activation == "sigmoid":
            return [
                (
                    ("pixels",),
                    "pixels [-1, 1] need output_activation tanh or identity "
                    "(a sigmoid stays in (0, 1))",
                    list(self.pixels),
                )
            ]
        return []

    checks = _Network.checks + (_bce_needs_sigmoid, _pixels_in_reach)


class VAEModel(_Network):
    kind: Literal["vae"] = Field(description="variational autoencoder")
    activation: Activation = Field(
        "relu", description="activation of the hidden layers"
    )  # relu: the usual VAE choice
    beta: one_or_list(PositiveFloat) = Field(
        1.0, description="weight of the KL term, or a list to sweep"
    )  # 1: the plain ELBO

    @property
    def betas(self) -> list[float]:
        return _as_list(self.beta)


class SGD(Strict):
    name: Literal["sgd"] = Field(description="stochastic gradient descent")
    learning_rate: LearningRates = Field(
        description="step size, or a list to sweep"
    )  # the font study: 0.0005
    momentum: float = Field(
        0.0, ge=0, lt=1, description="share of the last step kept in the next"
    )  # 0.9 is usual

    @property
    def learning_rates(self) -> list[float]:
        return _as_list(self.learning_rate)


class Adam(Strict):
    name: Literal["adam"] = Field(description="Adam")
    learning_rate: LearningRates = Field(
        0.001, description="step size, or a list to sweep"
    )  # Adam's published default
    beta1: float = Field(0.9, ge=0, lt=1, description="decay of the gradient mean")
    beta2: float = Field(0.999, ge=0, lt=1, description="decay of the squared-gradient mean")
    eps: PositiveFloat = Field(1e-8, description="added to the denominator")  # guards only 0

    @property
    def learning_rates(self) -> list[float]:
        return _as_list(self.learning_rate)


Optimizer = Annotated[SGD | Adam, Field(discriminator="name")]


class StepSchedule(Strict):
    kind: Literal["step"]
    every: PositiveInt = Field(description="epochs between two cuts of the rate")
    factor: Annotated[float, Field(gt=0, le=1)] = Field(
        description="what each cut multiplies the rate by"
    )


class CosineSchedule(Strict):
    kind: Literal["cosine"]
    final: Annotated[float, Field(ge=0, le=1)] = Field(
        description="the last epoch's rate as a share of the first's"
    )


Schedule = Annotated[StepSchedule | CosineSchedule, Field(discriminator="kind")]
Share = Annotated[float, Field(gt=0, lt=1)]


class EarlyStop(Strict):
    patience: PositiveInt = Field(
        description="epochs without a lower validation loss before a run stops"
    )


class Training(Strict):
    epochs: PositiveInt = Field(description="passes over the training data")  # font study: 1000
    batch_size: BatchSize = Field(
        "full", description="samples per step, or 'full' for the whole training set"
    )  # full: deterministic steps, and the font is only 32 samples
    shuffle: bool = Field(
        True,
        description="minibatches in a fresh random order every epoch, each run drawing "
        "from its own seed (true), or in the data's order (false); a full batch has no "
        "order",
    )  # true: the usual online/minibatch training
    optimizers: list[Optimizer] = Field(
        default_factory=lambda: [Adam(name="adam")],
        min_length=1,
        description="optimizers to compare (default: adam with its defaults)",
    )  # each one is a sweep point
    init: one_or_list(Init) = Field(
        "xavier", description="weight initialisation, or a list to sweep"
    )  # suits sigmoid
    normalize: one_or_list(bool) = Field(
        False, description="standardise each input pixel, or a list to sweep"
    )  # the targets stay the raw pixels
    dtype: Literal["float32", "float64"] | None = Field(
        None, description="float precision"
    )  # None: float64 for the font, float32 for mnist
    kl_warmup: one_or_list(NonNegativeInt) = Field(
        0,
        description="VAE only: epochs over which the KL term's weight rises linearly from 0 "
        "to beta, or a list to sweep. In epoch e (1, 2, ...) the weight is "
        "beta * min(1, (e - 1) / kl_warmup): 0 in the first epoch, beta from epoch "
        "kl_warmup + 1 on (with 4: 0, 1/4, 1/2, 3/4, 1, 1, ... of beta); 0: beta "
        "throughout",
    )  # 0: the plain ELBO from the start
    weight_decay: one_or_list(NonNegativeFloat) | None = Field(
        None,
        description="L2 penalty lambda, coupled: lambda * w is added to every parameter's "
        "gradient (biases too) before the optimizer's update, the gradient of loss + lambda/2 "
        "* sum(w^2) (not AdamW's decoupled decay); a list sweeps it, runs that differ only in "
        "it training in one pack like the learning rate's; none: no decay",
    )
    schedule: Schedule | None = Field(
        None,
        description="the learning rate by epoch e (0-based) of E: step: rate * factor ** "
        "(e // every); cosine: rate * (final + (1 - final) * (1 + cos(pi e / (E - 1))) / 2), "
        "the first epoch at the rate, the last at final * rate; none: constant",
    )
    validation: PositiveInt | Share | None = Field(
        None,
        description="training samples held out to measure the validation loss on after "
        "every epoch: a count, or a share (0 < share < 1, rounded to the nearest count, at "
        "least 1); evenly spaced through the data (the same samples for every run, so runs "
        "still share packs); a run trains on the others and is measured on all; none: train on "
        "all",
    )
    early_stop: EarlyStop | None = Field(
        None,
        description="a run stops counting once its validation loss has not improved for "
        "`patience` epochs: it keeps its best epoch's weights, which are measured and stored, "
        "and metrics.json records that epoch and the one it stopped at (its pack trains on to "
        "the last epoch, so a run's numbers never depend on its pack); needs validation",
    )

    @property
    def inits(self) -> list[str]:
        return _as_list(self.init)

    @property
    def kl_warmups(self) -> list[int]:
        return _as_list(self.kl_warmup)

    @property
    def weight_decays(self) -> list[float | None]:
        return _as_list(self.weight_decay)

    def _early_stop_needs_validation(self) -> list[Problem]:
        """Early stopping watches the loss on held-out samples."""
        if self.early_stop is not None and self.validation is None:
            return [
                (
                    ("early_stop",),
                    "early_stop needs validation: the held-out samples whose loss it watches",
                    self.early_stop.model_dump(),
                )
            ]
        return []

    checks = (_early_stop_needs_validation,)

    @property
    def normalizes(self) -> list[bool]:
        return _as_list(self.normalize)


class Noise(Strict):
    kind: Literal["bitflip", "salt_and_pepper", "masking", "gaussian"] = Field(
        description="bitflip: flip each pixel with probability p; salt_and_pepper: force each "
        "pixel with probability p to 0 or 1 (equal chance); masking: set each pixel to 0 with "
        "probability p; gaussian: add sigma * N(0, 1), clipped to [0, 1]"
    )
    levels: Annotated[list[Level], Field(min_length=1), AfterValidator(distinct)] = Field(
        description="p or sigma of each sweep point; 0 trains a plain autoencoder on clean "
        "inputs, measured on noisy ones like the denoisers"
    )  # the study: [0.05, 0.2]
    test_levels: Annotated[list[Level], AfterValidator(distinct)] = Field(
        default_factory=list,
        description="levels every run is also measured at, whatever "
        "level it trained at (the slide 'noise_matrix'); empty: only its own",
    )
    eval_draws: PositiveInt = Field(
        30, description="noisy copies of each sample to measure denoising on"
    )  # 30 draws x 32 characters: a stable mean
    floor_draws: PositiveInt = Field(
        2**22,
        description="noisy characters drawn to estimate the reference decoders' "
        "expected errors (the floor)",
    )  # 4 million: standard errors near 0.001 pixel

    @property
    def measured_levels(self) -> list[float]:
        """Every level some run is measured at: the training levels, then the test levels."""
        return list(dict.fromkeys(self.levels + self.test_levels))


class Experiment(Strict):
    name: str = Field(pattern=SLUG, description="names the results folder and the page URL")
    title: str | None = Field(None, description="heading of the page")  # None: the name
    description: str = Field("", description="text under the title")
    order: int | None = Field(
        None,
        description="place of the experiment's card on the site's index (lowest first; "
        "without one, after those that have one, in the order the files were given)",
    )
    dataset: Dataset = Field(description="what to train on: its name, and its options")
    model: Annotated[AutoencoderModel | VAEModel, Field(discriminator="kind")] = Field(
        description="the networks to train"
    )
    training: Training = Field(description="how to train")
    noise: Noise | None = Field(
        None, description="noise on the inputs: present means a denoising autoencoder"
    )
    seeds: Seeds = Field(
        1, description="n (seeds 0..n-1) or a list of seeds"
    )  # 10+ for a mean +- std
    snapshots: Annotated[list[PositiveInt], AfterValidator(distinct)] = Field(
        default_factory=list,
        description="epochs at which to keep the latent codes (those "
        "after the last epoch are left out, with a note)",
    )  # for vae_progression
    report: Annotated[list[str], AfterValidator(distinct), AfterValidator(_known_slides)] | None = (
        Field(None, description="slides of the page, in order (left out: every slide that applies)")
    )  # None: resolved with the report's catalogue
    reference: Reference | None = Field(
        None, description="figures from elsewhere to compare with (the slide 'reference')"
    )
    conclusions: list[str] = Field(
        default_factory=list,
        description="paragraphs of prose for the page's conclusions "
        "slide, under the findings computed from the runs",
    )

    #: The command line's KEY=VALUE changes the file was read with (from the validation
    #: context): the file's own prose (description, conclusions) was written without them.
    _overrides: tuple[str, ...] = PrivateAttr(default=())

    @property
    def overrides(self) -> tuple[str, ...]:
        return self._overrides

    @model_validator(mode="after")
    def _defaults(self, info: ValidationInfo) -> Experiment:
        """The title and report the file leaves out, once the values are known to fit (the
        report only when the caller gave the slide catalogue), and the overrides applied."""
        self.title = self.title or self.name
        self._overrides = tuple((info.context or {}).get("overrides", ()))
        catalogue = _catalogue(info.context)
        if self.report is None and catalogue is not None:
            self.report = catalogue.default_report(self)
        return self

    @field_validator("snapshots")
    @classmethod
    def _within_epochs(cls, snapshots: list[int], info: ValidationInfo) -> list[int]:
        """A snapshot after the last epoch would never be taken: leave it out, and say so (in
        the context's notes), so that a shortened run (`training.epochs=5`) of a file needs no
        other change. Before the checks, so the slide rules see the snapshots kept."""
        training = info.data.get("training")  # None when wrong on its own
        late = [e for e in snapshots if training and e > training.epochs]
        if late and "notes" in (info.context or {}):
            many = len(late) > 1
            info.context["notes"].append(
                f"snapshot{'s' * many} {', '.join(map(str, late))} {'are' if many else 'is'} "
                f"after the last epoch ({training.epochs}): not kept"
            )
        return [e for e in snapshots if e not in late]

    def _width_problems(self) -> list[Problem]:
        """The first and last layers are one sample's values: h * w * c of the dataset."""
        try:
            info = self.dataset.info
        except datasets.DatasetError:  # the dataset's own problem, reported at its path
            return []
        subject = {"glyphs": f"the {info.name} is", "images": "the images are"}
        what = subject.get(info.kind, f"{info.name} images are")
        return [
            (
                ("model", "architectures", i, j),
                f"{what} {info.describe()}: {info.n_features} inputs, got {layers[j]}",
                layers[j],
            )
            for i, layers in enumerate(self.model.architectures)
            for j in (0, len(layers) - 1)
            if layers[j] != info.n_features
        ]

    def _noise_problems(self) -> list[Problem]:
        if self.noise is None or self.model.kind == "autoencoder":
            return []
        return [
            (
                ("noise",),
                "only an autoencoder is trained with noise, but model.kind is "
                f"'{self.model.kind}' (remove noise)",
                None,
            )
        ]

    def _warmup_problems(self) -> list[Problem]:
        """Only a VAE has a KL term to warm up."""
        if self.model.kind == "vae" or self.training.kl_warmups == [0]:
            return []
        return [
            (
                ("training", "kl_warmup"),
                "only a VAE has a KL term to warm up, but "
                f"model.kind is '{self.model.kind}' (remove kl_warmup)",
                self.training.kl_warmup,
            )
        ]

    def _slide_problems(self, context: dict) -> list[Problem]:
        """Each report entry the catalogue knows must apply to the experiment."""
        catalogue = _catalogue(context)
        if catalogue is None:
            return []
        return [
            (("report", i), f"'{slide}' {why}", slide)
            for i, slide in enumerate(self.report or [])
            if slide in catalogue.names and (why := catalogue.why_not(slide, self))
        ]

    def _reference_problems(self) -> list[Problem]:
        """A reference entry that names no configuration of the experiment would compare with
        nothing: blame the first value of it that the experiment does not have."""
        if self.reference is None:
            return []
        found = []
        for i, entry in enumerate(self.reference.values):
            missing = next(
                (
                    (name, options)
                    for name, options in self._options(entry).items()
                    if name in entry.axes and entry.axes[name] not in options
                ),
                None,
            )
            if missing:
                name, options = missing
                found.append(
                    (
                        ("reference", "values", i, name),
                        "no configuration of the "
                        f"experiment has {_shown(entry.axes[name])} (it has "
                        f"{', '.join(map(_shown, options)) or 'none'})",
                        entry.axes[name],
                    )
                )
        return found

    def _options(self, entry: ReferenceValue) -> dict[str, list]:
        """The values each axis takes in the experiment; learning rates those of the entry's
        optimizer when it names one."""
        optimizers = [o for o in self.training.optimizers if entry.optimizer in (None, o.name)]
        return {
            "architecture": self.model.architectures,
            "optimizer": [o.name for o in self.training.optimizers],
            "learning_rate": list(dict.fromkeys(lr for o in optimizers for lr in o.learning_rates)),
            "noise": self.noise.levels if self.noise else [],
            "init": self.training.inits,
            "normalize": self.training.normalizes,
        }

    checks = (_width_problems, _noise_problems, _warmup_problems, _reference_problems)
    context_checks = (_slide_problems,)

    @property
    def seed_list(self) -> list[int]:
        """The seeds to train: `seeds: 3` means [0, 1, 2]."""
        return list(range(self.seeds)) if isinstance(self.seeds, int) else list(self.seeds)

    @property
    def learning_rates(self) -> list[float]:
        """Every distinct learning rate of every optimizer, in order of appearance."""
        rates = [lr for opt in self.training.optimizers for lr in opt.learning_rates]
        return list(dict.fromkeys(rates))


def _shown(value: Any) -> str:
    """A value as the YAML writes it: an architecture as [35, 2, 35], not "a list"."""
    return f"[{', '.join(map(str, value))}]" if isinstance(value, list) else show_value(value)


def _as_list(value: Any) -> list:
    return list(value) if isinstance(value, list) else [value]


def schema(slides: Sequence[str] = ()) -> dict:
    """JSON Schema of the experiment YAML, for editors (`tp5-run --schema`); `slides` (the
    report's kinds) become the choices of a `report:` entry."""
    found = Experiment.model_json_schema()
    if slides:
        listed = next(s for s in found["properties"]["report"]["anyOf"] if s["type"] == "array")
        listed["items"]["enum"] = list(slides)
    return found
