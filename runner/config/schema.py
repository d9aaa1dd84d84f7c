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

import functools
import os
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import (
    AfterValidator,
    Discriminator,
    Field,
    NonNegativeInt,
    PositiveFloat,
    PositiveInt,
    Tag,
    ValidationError,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails

from runner import datasets
from runner.config.catalogue import SlideCatalogue
from runner.config.strict import Problem, Strict, raise_problems
from runner.config.yamlfile import show_value
from runner.datasets import images

SLUG = r"^[a-z0-9][a-z0-9-]{0,63}$"


def _distinct(values: list) -> list:
    """A value listed twice would train (or show) the same thing twice: name the second one."""
    raise_problems("distinct", [
        ((i,), f"{show_value(v)} is already listed (as entry [{values.index(v)}])", v)
        for i, v in enumerate(values) if values.index(v) < i
    ])
    return values


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
    unknown = [InitErrorDetails(type="literal_error", loc=(i,), input=name,
                                ctx={"expected": expected})
               for i, name in enumerate(names) if name not in catalogue.names]
    if unknown:
        raise ValidationError.from_exception_data("report", unknown)
    return names


def _one_or_list_tag(value: Any) -> str:
    return "list" if isinstance(value, list) else "one"


def _one_or_list(one: Any, item: Any = None) -> Any:
    """A field that takes one value or a non-empty list of distinct ones (`item`, default `one`).

    Dispatching on the input's shape, instead of trying both branches, keeps the errors to the
    one branch the user meant.
    """
    many = Annotated[list[item or one], Field(min_length=1), AfterValidator(_distinct)]
    return Annotated[Annotated[one, Tag("one")] | Annotated[many, Tag("list")],
                     Discriminator(_one_or_list_tag)]


def _batch_size_tag(value: Any) -> str:
    return "full" if isinstance(value, str) else "size"


Activation = Literal["identity", "sigmoid", "tanh", "relu"]
Init = Literal["uniform", "xavier", "he", "lecun"]
Layers = Annotated[list[PositiveInt], Field(min_length=3)]  # input, latent, output at least
BatchSize = Annotated[
    Annotated[PositiveInt, Tag("size")] | Annotated[Literal["full"], Tag("full")],
    Discriminator(_batch_size_tag)]
LearningRates = _one_or_list(PositiveFloat)
Seeds = _one_or_list(PositiveInt, NonNegativeInt)
Level = Annotated[float, Field(ge=0, le=1)]  # a probability p, or sigma of pixels in [0, 1]


# ---- the models ---------------------------------------------------------------------------------


class _Dataset(Strict):
    """What every form of `dataset:` has; a form's own keys are its options (Source.options)."""

    name: str
    path: Path | None = Field(
        None, description="the dataset's files, relative to the YAML file")
    limit: PositiveInt | None = Field(
        None, description="train on N training samples only, evenly spaced through the "
        "set")  # for quick trial runs

    @field_validator("path")
    @classmethod
    def _relative_to_yaml(cls, path: Path | None, info: ValidationInfo) -> Path | None:
        """Like pelican's settings: a relative path means the same thing from any working folder."""
        folder = (info.context or {}).get("folder")
        if path is None or folder is None:
            return path
        return Path(os.path.abspath(Path(folder) / path.expanduser()))

    @property
    def source(self) -> datasets.Source:
        """What runner.datasets reads: the options are the form's keys that the YAML gives."""
        return datasets.Source(self.name, self.path, self._options(), self.limit)

    @property
    def whole(self) -> datasets.Source:
        """The source without the limit: every sample (what the denoising floors are of)."""
        return datasets.Source(self.name, self.path, self._options())

    def _options(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in type(self).model_fields
                if key not in ("name", "path", "limit") and getattr(self, key) is not None}

    @functools.cached_property
    def info(self) -> datasets.DatasetInfo:
        """The dataset's shape and size, from its files' headers (read once per config)."""
        return datasets.info(self.whole)

    def _readable(self) -> list[Problem]:
        """Files that cannot make the dataset are the path's problem, in the loader's words."""
        try:
            self.info  # noqa: B018 - reading it reads the headers
        except datasets.DatasetError as err:
            blame = "path" if self.path is not None else "name"
            return [((blame,), str(err).rstrip("."), str(getattr(self, blame)))]
        return []

    checks = (_readable,)


def _builtin(name: str) -> type[_Dataset]:
    """The form of a dataset that has no options of its own: its name, a path if it reads one."""
    info = datasets.info(name)
    reads = datasets.takes_path(name)
    where = ("a folder holding its files; default: downloaded once into the cache" if reads
             else "none: it is built in")
    return create_model(
        f"{name.title().replace('-', '')}Dataset", __base__=_Dataset,
        name=(Literal[name], Field(description=f"{info.describe()} {info.kind}")),
        path=(Path | None, Field(None, description=where)))


class FontDataset(_Dataset):
    name: Literal["font"] = Field(
        description="the course's 5x7 font (embedded), or a font of a font.h")
    path: Path | None = Field(
        None, description="a C header of fonts in the course's font.h format; default: the "
        "embedded font")
    font: str | None = Field(
        None, description="the array of the file to read, e.g. Font3 (default: the file's "
        "only one)")

    def _font_needs_path(self) -> list[Problem]:
        if self.font is not None and self.path is None:
            return [(("font",), "names an array of a font.h; give its path too", self.font)]
        return []

    checks = _Dataset.checks + (_font_needs_path,)


Color = Literal["grey", "rgb", "binary"]
Byte = Annotated[int, Field(ge=0, le=255)]


class ImagesDataset(_Dataset):
    name: Literal["images"] = Field(
        description="every PNG, JPEG, GIF, BMP or WebP file of a folder, in sorted order; "
        "subfolders, if any, hold them and name their labels")
    path: Path = Field(description="the folder, relative to the YAML file")
    size: tuple[PositiveInt, PositiveInt] | None = Field(
        None, description="[h, w] to resize every image to (default: the files' own size, "
        "the same for all)")
    color: Color | None = Field(
        None, description="grey, rgb, or binary (grey cut at threshold); default: grey "
        "when every file is grey, else rgb")
    threshold: Level | None = Field(
        None, description=f"binary only: the grey level from which a pixel is 1 (default "
        f"{images.THRESHOLD})")
    alpha: Literal["composite", "mask"] | None = Field(
        None, description="composite: transparent pixels show the background (default); "
        "mask: the alpha channel is the picture, opaque = 1 (silhouettes)")
    background: Literal["white", "black"] | tuple[Byte, Byte, Byte] | None = Field(
        None, description="the colour under transparent pixels: white (default), black or "
        "[r, g, b] of 0..255")

    def _options_fit(self) -> list[Problem]:
        found = []
        if self.threshold is not None and self.color != "binary":
            found.append((("threshold",), "applies to color: binary only", self.threshold))
        if self.alpha == "mask" and self.color == "rgb":
            found.append((("color",), "alpha: mask makes a grey picture, not rgb", self.color))
        if self.alpha == "mask" and self.background is not None:
            found.append((("background",), "alpha: mask shows no background; remove it",
                          self.background))
        return found

    checks = _Dataset.checks + (_options_fit,)


class ArrayDataset(_Dataset):
    name: Literal["array"] = Field(
        description="samples from a .npy, .npz or .csv file, one a row, values in [0, 1] "
        "or whole numbers 0..255")
    path: Path = Field(description="the file, relative to the YAML file")
    shape: Annotated[list[PositiveInt], Field(min_length=2, max_length=3)] | None = Field(
        None, description="[h, w] (grey) or [h, w, 3] (RGB) of one sample (default: the "
        "array's own, from (N, h, w) or (N, h, w, 3))")
    key: str | None = Field(
        None, description=".npz: the array of samples (default: the file's only one)")
    labels_key: str | None = Field(None, description=".npz: the array of labels, if any")
    label_column: Literal["first", "last"] | None = Field(
        None, description=".csv: the column of labels, if any")

    def _options_fit(self) -> list[Problem]:
        found = []
        if self.shape is not None and len(self.shape) == 3 and self.shape[2] != 3:
            found.append((("shape", 2), "must be 3 (RGB) or left out (grey)", self.shape[2]))
        suffix = self.path.suffix
        for key, wants in (("key", ".npz"), ("labels_key", ".npz"), ("label_column", ".csv")):
            if getattr(self, key) is not None and suffix != wants:
                found.append(((key,), f"applies to {wants} files only", getattr(self, key)))
        return found

    checks = _Dataset.checks + (_options_fit,)


_FORMS = (FontDataset, ImagesDataset, ArrayDataset)
_OWN = [typing.get_args(form.model_fields["name"].annotation)[0] for form in _FORMS]
Dataset = Annotated[
    Union[(FontDataset, *(_builtin(n) for n in datasets.NAMES if n not in _OWN),
           ImagesDataset, ArrayDataset)],
    Field(discriminator="name")]


class _Network(Strict):
    kind: str  # each network narrows it to its Literal; declared here so it comes first
    architectures: list[Layers] = Field(
        min_length=1, description="layer sizes of each network to train, input to "
        "output")  # e.g. [[35, 20, 2, 20, 35]]; the narrowest layer is the latent
    latent_size: PositiveInt | None = Field(
        None, description="if given, every architecture's narrowest layer must have this "
        "size")  # guards a sweep of architectures against a typo

    def _one_bottleneck(self) -> list[Problem]:
        """The networks read the latent off the narrowest layer, so it must be unambiguous."""
        return [problem for i, layers in enumerate(self.architectures)
                if (problem := self._bottleneck_problem(i, layers))]

    checks = (_one_bottleneck,)

    def _bottleneck_problem(self, i: int, layers: list[int]) -> tuple | None:
        z = min(layers)
        where = [j for j, n in enumerate(layers) if n == z]
        if where[0] == 0 or where[-1] == len(layers) - 1:
            return (("architectures", i), f"the narrowest layer ({z}) must be an inner layer "
                    "(the latent), not the input or output", layers)
        if len(where) > 1:
            return (("architectures", i, where[1]), f"{z} is the narrowest size and occurs "
                    f"{len(where)} times; the latent must be the one narrowest layer", z)
        if self.latent_size is not None and z != self.latent_size:
            return (("architectures", i, where[0]), f"the latent (narrowest) layer has {z} "
                    f"units, but latent_size is {self.latent_size}", z)
        return None

    @property
    def latent_sizes(self) -> list[int]:
        """Z of each architecture: its narrowest layer."""
        return [min(layers) for layers in self.architectures]


class AutoencoderModel(_Network):
    kind: Literal["autoencoder"] = Field(
        description="autoencoder (a denoising one when noise is given)")
    activation: Activation = Field(
        "sigmoid", description="activation of the hidden layers")  # the study's choice
    latent_activation: Activation | None = Field(
        None, description="activation of the latent layer")  # None: same as activation
    output_activation: Literal["sigmoid", "identity", "tanh"] = Field(
        "sigmoid", description="activation of the output layer")  # sigmoid: pixels in [0, 1]
    loss: Literal["mse", "bce", "sse"] = Field(
        "mse", description="reconstruction loss: mse, the squared error averaged over pixels and "
        "samples; sse, half the squared error summed over a sample's pixels, 1/2 sum (y - t)^2, "
        "averaged over the batch (with batch_size 1, the textbook's per-character update); bce, "
        "cross-entropy")  # bce: pixels as coin flips
    pixels: tuple[Literal[0, -1], Literal[1]] = Field(
        (0, 1), description="the values the data's pixels 0 and 1 take in training, as inputs "
        "and targets: [0, 1], or [-1, 1] (for a tanh output); outputs are mapped back to [0, 1] "
        "for every measure and picture")

    def _bce_needs_sigmoid(self) -> list[Problem]:
        """Binary cross-entropy is computed from the logits of a sigmoid output."""
        if self.loss == "bce" and self.output_activation != "sigmoid":
            return [(("loss",), "'bce' needs output_activation: sigmoid, "
                     f"got '{self.output_activation}'", self.loss)]
        return []

    def _pixels_in_reach(self) -> list[Problem]:
        """A sigmoid output never reaches a target of -1."""
        if self.pixels[0] < 0 and self.output_activation == "sigmoid":
            return [(("pixels",), "pixels [-1, 1] need output_activation tanh or identity "
                     "(a sigmoid stays in (0, 1))", list(self.pixels))]
        return []

    checks = _Network.checks + (_bce_needs_sigmoid, _pixels_in_reach)


class VAEModel(_Network):
    kind: Literal["vae"] = Field(description="variational autoencoder")
    activation: Activation = Field(
        "relu", description="activation of the hidden layers")  # relu: the usual VAE choice
    beta: PositiveFloat = Field(1.0, description="weight of the KL term")  # 1: the plain ELBO


class SGD(Strict):
    name: Literal["sgd"] = Field(description="stochastic gradient descent")
    learning_rate: LearningRates = Field(
        description="step size, or a list to sweep")  # the font study: 0.0005
    momentum: float = Field(
        0.0, ge=0, lt=1, description="share of the last step kept in the next")  # 0.9 is usual

    @property
    def learning_rates(self) -> list[float]:
        return _as_list(self.learning_rate)


class Adam(Strict):
    name: Literal["adam"] = Field(description="Adam")
    learning_rate: LearningRates = Field(
        0.001, description="step size, or a list to sweep")  # Adam's published default
    beta1: float = Field(0.9, ge=0, lt=1, description="decay of the gradient mean")
    beta2: float = Field(0.999, ge=0, lt=1, description="decay of the squared-gradient mean")
    eps: PositiveFloat = Field(1e-8, description="added to the denominator")  # guards only 0

    @property
    def learning_rates(self) -> list[float]:
        return _as_list(self.learning_rate)


Optimizer = Annotated[SGD | Adam, Field(discriminator="name")]


class Training(Strict):
    epochs: PositiveInt = Field(description="passes over the training data")  # font study: 1000
    batch_size: BatchSize = Field(
        "full", description="samples per step, or 'full' for the whole training "
        "set")  # full: deterministic steps, and the font is only 32 samples
    shuffle: bool = Field(
        True, description="minibatches in a fresh random order every epoch, each run drawing "
        "from its own seed (true), or in the data's order (false); a full batch has no "
        "order")  # true: the usual online/minibatch training
    optimizers: list[Optimizer] = Field(
        default_factory=lambda: [Adam(name="adam")], min_length=1,
        description="optimizers to compare (default: adam with its "
        "defaults)")  # each one is a sweep point
    init: _one_or_list(Init) = Field(
        "xavier", description="weight initialisation, or a list to sweep")  # suits sigmoid
    normalize: _one_or_list(bool) = Field(
        False, description="standardise each input pixel, or a list to "
        "sweep")  # the targets stay the raw pixels
    dtype: Literal["float32", "float64"] | None = Field(
        None, description="float precision")  # None: float64 for the font, float32 for mnist

    @property
    def inits(self) -> list[str]:
        return _as_list(self.init)

    @property
    def normalizes(self) -> list[bool]:
        return _as_list(self.normalize)


class Noise(Strict):
    kind: Literal["bitflip", "salt_and_pepper", "masking", "gaussian"] = Field(
        description="bitflip: flip each pixel with probability p; salt_and_pepper: force each "
        "pixel with probability p to 0 or 1 (equal chance); masking: set each pixel to 0 with "
        "probability p; gaussian: add sigma * N(0, 1), clipped to [0, 1]")
    levels: Annotated[list[Level], Field(min_length=1), AfterValidator(_distinct)] = Field(
        description="p or sigma of each sweep point; 0 trains a plain autoencoder on clean "
        "inputs, measured on noisy ones like the denoisers")  # the study: [0.05, 0.2]
    test_levels: Annotated[list[Level], AfterValidator(_distinct)] = Field(
        default_factory=list, description="levels every run is also measured at, whatever "
        "level it trained at (the slide 'noise_matrix'); empty: only its own")
    eval_draws: PositiveInt = Field(
        30, description="noisy copies of each sample to measure denoising "
        "on")  # 30 draws x 32 characters: a stable mean
    floor_draws: PositiveInt = Field(
        2**22, description="noisy characters drawn to estimate the reference decoders' "
        "expected errors (the floor)")  # 4 million: standard errors near 0.001 pixel

    @property
    def measured_levels(self) -> list[float]:
        """Every level some run is measured at: the training levels, then the test levels."""
        return list(dict.fromkeys(self.levels + self.test_levels))


class ReferenceValue(Strict):
    """One of a reference's figures, and the configuration of ours it is set beside."""

    architecture: Layers | None = Field(
        None, description="the configuration's layer sizes, input to output")  # [35, 2, 35]
    learning_rate: PositiveFloat | None = Field(None, description="its learning rate")
    noise: Level | None = Field(None, description="its noise level (p or sigma)")
    optimizer: Literal["sgd", "adam"] | None = Field(None, description="its optimizer's name")
    init: Init | None = Field(None, description="its weight initialisation")
    normalize: bool | None = Field(None, description="whether its inputs are standardised")
    value: float = Field(description="the reference's figure for that configuration")

    @property
    def axes(self) -> dict[str, Any]:
        """The axis values the entry names (those it leaves out match any configuration)."""
        return {name: value for name, value in self if name != "value" and value is not None}


class Reference(Strict):
    """Figures published elsewhere for some configurations of the experiment, to set beside
    ours on the page (the slide 'reference')."""

    source: str = Field(description="where the figures come from")  # "the course's slides"
    metric: str = Field(
        description="what the figures measure, in the source's words")  # undefined error
    statistic: Literal["mean", "std"] = Field(
        "mean", description="what each figure summarises over seeds: their mean, or their "
        "spread (standard deviation)")
    values: list[ReferenceValue] = Field(
        min_length=1, description="each figure, with the axis values of the configuration it "
        "is for")


class Experiment(Strict):
    name: str = Field(
        pattern=SLUG, description="names the results folder and the page URL")
    title: str | None = Field(None, description="heading of the page")  # None: the name
    description: str = Field("", description="text under the title")
    order: int | None = Field(
        None, description="place of the experiment's card on the site's index (lowest first; "
        "without one, after those that have one, in the order the files were given)")
    dataset: Dataset = Field(description="what to train on: its name, and its options")
    model: Annotated[AutoencoderModel | VAEModel, Field(discriminator="kind")] = Field(
        description="the networks to train")
    training: Training = Field(description="how to train")
    noise: Noise | None = Field(
        None, description="noise on the inputs: present means a denoising autoencoder")
    seeds: Seeds = Field(
        1, description="n (seeds 0..n-1) or a list of seeds")  # 10+ for a mean +- std
    snapshots: Annotated[list[PositiveInt], AfterValidator(_distinct)] = Field(
        default_factory=list, description="epochs at which to keep the latent codes (those "
        "after the last epoch are left out, with a note)")  # for vae_progression
    report: Annotated[list[str], AfterValidator(_distinct),
                      AfterValidator(_known_slides)] | None = Field(
        None, description="slides of the page, in order (left out: every slide that "
        "applies)")  # None: resolved with the report's catalogue
    reference: Reference | None = Field(
        None, description="figures from elsewhere to compare with (the slide 'reference')")
    conclusions: list[str] = Field(
        default_factory=list, description="paragraphs of prose for the page's conclusions "
        "slide, under the findings computed from the runs")

    @model_validator(mode="after")
    def _defaults(self, info: ValidationInfo) -> Experiment:
        """The title and report the file leaves out, once the values are known to fit (the
        report only when the caller gave the slide catalogue)."""
        self.title = self.title or self.name
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
                f"after the last epoch ({training.epochs}): not kept")
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
            (("model", "architectures", i, j),
             f"{what} {info.describe()}: {info.n_features} inputs, got {layers[j]}", layers[j])
            for i, layers in enumerate(self.model.architectures)
            for j in (0, len(layers) - 1) if layers[j] != info.n_features
        ]

    def _noise_problems(self) -> list[Problem]:
        if self.noise is None or self.model.kind == "autoencoder":
            return []
        return [(("noise",), "only an autoencoder is trained with noise, but model.kind is "
                 f"'{self.model.kind}' (remove noise)", None)]

    def _slide_problems(self, context: dict) -> list[Problem]:
        """Each report entry the catalogue knows must apply to the experiment."""
        catalogue = _catalogue(context)
        if catalogue is None:
            return []
        return [(("report", i), f"'{slide}' {why}", slide)
                for i, slide in enumerate(self.report or [])
                if slide in catalogue.names and (why := catalogue.why_not(slide, self))]

    def _reference_problems(self) -> list[Problem]:
        """A reference entry that names no configuration of the experiment would compare with
        nothing: blame the first value of it that the experiment does not have."""
        if self.reference is None:
            return []
        found = []
        for i, entry in enumerate(self.reference.values):
            missing = next(((name, options) for name, options in self._options(entry).items()
                            if name in entry.axes and entry.axes[name] not in options), None)
            if missing:
                name, options = missing
                found.append((("reference", "values", i, name), "no configuration of the "
                              f"experiment has {_shown(entry.axes[name])} (it has "
                              f"{', '.join(map(_shown, options)) or 'none'})",
                              entry.axes[name]))
        return found

    def _options(self, entry: ReferenceValue) -> dict[str, list]:
        """The values each axis takes in the experiment; learning rates those of the entry's
        optimizer when it names one."""
        optimizers = [o for o in self.training.optimizers
                      if entry.optimizer in (None, o.name)]
        return {"architecture": self.model.architectures,
                "optimizer": [o.name for o in self.training.optimizers],
                "learning_rate": list(dict.fromkeys(lr for o in optimizers
                                                    for lr in o.learning_rates)),
                "noise": self.noise.levels if self.noise else [],
                "init": self.training.inits, "normalize": self.training.normalizes}

    checks = (_width_problems, _noise_problems, _reference_problems)
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
