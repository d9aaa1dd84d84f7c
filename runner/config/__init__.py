"""The experiment YAML as typed Pydantic models, and loading it with errors a student can act on.

    exp = load_experiment("experiments/denoising.yaml", ["training.epochs=5", "seeds=2"])
    exp.model.architectures, exp.training.optimizers[0].learning_rates, exp.seed_list

The models are the contract for what a YAML file may say (`tp5-run --schema` prints them as JSON
Schema for editors). Every mapping is strict: an unknown key is an error, not silently ignored.

`load_experiment` never lets a traceback or pydantic's wording reach the user: it raises
`ConfigError`, whose `problems` are lines like

    experiments/x.yaml:12:7: model.architectures[1][0]: the font has 35 pixels, got 36

one per problem, sorted by line, each pointing at the value to fix (or, for a missing key, at the
mapping that lacks it). Problems are found in two passes, as a compiler does: first the YAML and
each value on its own, then (once those are right) how the values fit together.
"""

from __future__ import annotations

import difflib
import os
import re
import types
import typing
from pathlib import Path
from typing import Annotated, Any, Literal, Union

from pydantic import (AfterValidator, BaseModel, ConfigDict, Discriminator, Field, NonNegativeInt,
                      PositiveFloat, PositiveInt, Tag, ValidationError, ValidationInfo,
                      field_validator, model_validator)
from pydantic_core import InitErrorDetails, PydanticCustomError

from runner.config import yamlfile
from runner.datasets import INFO

#: Every slide the site can render, in the order the site knows them.
SLIDES = (
    "summary",  # what was trained: the experiment's axes and run count
    "error_table",  # final error per configuration, mean +- std over seeds
    "learning_curves",  # loss against epochs
    "lr_analysis",  # spread of the final error per learning rate
    "latent_scatter",  # training set in the 2-D latent plane
    "reconstructions",  # inputs next to their reconstructions
    "pixel_errors",  # wrong pixels per character
    "generated_grid",  # decoded points of a grid over the latent plane
    "interpolation",  # decoded points on a line between two codes
    "denoising_examples",  # noisy input, output, clean target
    "denoising_baselines",  # the model against noisy / nearest-glyph / Bayes denoisers
    "vae_progression",  # latent plane at each snapshot epoch
    "vae_samples",  # decoded draws from the prior
    "convergence",  # epochs and seconds to 0 and <= 1 wrong pixel, per-character failures
)

#: The report when the YAML gives none: these slides, minus those that cannot apply.
DEFAULT_REPORT = {
    "autoencoder": ("summary", "error_table", "learning_curves", "lr_analysis", "convergence",
                    "latent_scatter", "reconstructions", "pixel_errors", "generated_grid",
                    "interpolation", "denoising_examples", "denoising_baselines"),
    "vae": ("summary", "error_table", "learning_curves", "latent_scatter", "vae_progression",
            "reconstructions", "vae_samples", "generated_grid", "interpolation"),
}

SLUG = r"^[a-z0-9][a-z0-9-]{0,63}$"
_PATTERN_WORDS = {SLUG: "a short name of lowercase letters, digits and '-' (e.g. 'vae-mnist')"}


# ---- problems found by our own checks -----------------------------------------------------------


def _raise(title: str, problems: list[tuple[tuple, str, Any]]) -> None:
    """Raise (loc, message, value) problems as one ValidationError, each at its own loc.

    Pydantic keeps the locs of a ValidationError raised inside a validator (relative to the
    value being validated), so a check on the whole model can still blame one list entry.
    """
    if problems:
        raise ValidationError.from_exception_data(title, [
            InitErrorDetails(type=PydanticCustomError("tp5", message), loc=loc, input=value)
            for loc, message, value in problems
        ])


def _distinct(values: list) -> list:
    """A value listed twice would train (or show) the same thing twice: name the second one."""
    _raise("distinct", [
        ((i,), f"{_shown(v)} is already listed (as entry [{values.index(v)}])", v)
        for i, v in enumerate(values) if values.index(v) < i
    ])
    return values


def _one_or_list_tag(value: Any) -> str:
    return "list" if isinstance(value, list) else "one"


def _one_or_list(one: Any, item: Any = None) -> Any:
    """A field that takes one value or a non-empty list of distinct ones (`item`, default `one`).

    Dispatching on the input's shape, instead of trying both branches, keeps the errors to the
    one branch the user meant.
    """
    many = Annotated[list[item or one], Field(min_length=1), AfterValidator(_distinct)]
    return Annotated[Union[Annotated[one, Tag("one")], Annotated[many, Tag("list")]],
                     Discriminator(_one_or_list_tag)]


def _batch_size_tag(value: Any) -> str:
    return "full" if isinstance(value, str) else "size"


Activation = Literal["identity", "sigmoid", "tanh", "relu"]
Init = Literal["uniform", "xavier", "he", "lecun"]
Slide = Literal[SLIDES]
Layers = Annotated[list[PositiveInt], Field(min_length=3)]  # input, latent, output at least
BatchSize = Annotated[
    Union[Annotated[PositiveInt, Tag("size")], Annotated[Literal["full"], Tag("full")]],
    Discriminator(_batch_size_tag)]
LearningRates = _one_or_list(PositiveFloat)
Seeds = _one_or_list(PositiveInt, NonNegativeInt)
Level = Annotated[float, Field(ge=0, le=1)]  # a probability p, or sigma of pixels in [0, 1]


class _Strict(BaseModel):
    # forbid: a typo such as `epoch:` must fail, not leave the default in place;
    # coerce_numbers_to_str: `name: 2024` is meant as text; no inf or nan where numbers go
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, allow_inf_nan=False)


# ---- the models ---------------------------------------------------------------------------------


class Dataset(_Strict):
    name: Literal["font", "mnist", "mnist-5k"] = Field(
        description="which data to train on")  # mnist-5k: 5,000 digits shipped, no download
    path: Path | None = Field(
        None, description="mnist only: folder with the four MNIST IDX files, relative to the "
        "YAML file")  # None: downloaded once into the cache
    limit: PositiveInt | None = Field(
        None, description="train on the first N training samples only")  # for quick trial runs

    @field_validator("path")
    @classmethod
    def _relative_to_yaml(cls, path: Path | None, info: ValidationInfo) -> Path | None:
        """Like pelican's settings: a relative path means the same thing from any working folder."""
        folder = (info.context or {}).get("folder")
        if path is None or folder is None:
            return path
        return Path(os.path.abspath(Path(folder) / path.expanduser()))

    @model_validator(mode="after")
    def _path_only_for_mnist(self) -> Dataset:
        if self.path is not None and self.name != "mnist":
            _raise("Dataset", [(("path",), f"only mnist reads files; {self.name} is built in "
                                "(remove path)", str(self.path))])
        return self


class _Network(_Strict):
    kind: str  # each network narrows it to its Literal; declared here so it comes first
    architectures: list[Layers] = Field(
        min_length=1, description="layer sizes of each network to train, input to "
        "output")  # e.g. [[35, 20, 2, 20, 35]]; the narrowest layer is the latent
    latent_size: PositiveInt | None = Field(
        None, description="if given, every architecture's narrowest layer must have this "
        "size")  # guards a sweep of architectures against a typo

    @model_validator(mode="after")
    def _one_bottleneck(self) -> _Network:
        """The networks read the latent off the narrowest layer, so it must be unambiguous."""
        _raise(type(self).__name__, [
            problem for i, layers in enumerate(self.architectures)
            if (problem := self._bottleneck_problem(i, layers))
        ])
        return self

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
    output_activation: Literal["sigmoid", "identity"] = Field(
        "sigmoid", description="activation of the output layer")  # sigmoid: pixels in [0, 1]
    loss: Literal["mse", "bce"] = Field(
        "mse", description="reconstruction loss")  # bce: cross-entropy, pixels as coin flips

    @model_validator(mode="after")
    def _bce_needs_sigmoid(self) -> AutoencoderModel:
        """Binary cross-entropy is computed from the logits of a sigmoid output."""
        if self.loss == "bce" and self.output_activation != "sigmoid":
            _raise("AutoencoderModel", [(("loss",), "'bce' needs output_activation: sigmoid, "
                                         f"got '{self.output_activation}'", self.loss)])
        return self


class VAEModel(_Network):
    kind: Literal["vae"] = Field(description="variational autoencoder")
    activation: Activation = Field(
        "relu", description="activation of the hidden layers")  # relu: the usual VAE choice
    beta: PositiveFloat = Field(1.0, description="weight of the KL term")  # 1: the plain ELBO


class SGD(_Strict):
    name: Literal["sgd"] = Field(description="stochastic gradient descent")
    learning_rate: LearningRates = Field(
        description="step size, or a list to sweep")  # the font study: 0.0005
    momentum: float = Field(
        0.0, ge=0, lt=1, description="share of the last step kept in the next")  # 0.9 is usual

    @property
    def learning_rates(self) -> list[float]:
        return _as_list(self.learning_rate)


class Adam(_Strict):
    name: Literal["adam"] = Field(description="Adam")
    learning_rate: LearningRates = Field(
        0.001, description="step size, or a list to sweep")  # Adam's published default
    beta1: float = Field(0.9, ge=0, lt=1, description="decay of the gradient mean")
    beta2: float = Field(0.999, ge=0, lt=1, description="decay of the squared-gradient mean")
    eps: PositiveFloat = Field(1e-8, description="added to the denominator")  # guards only 0

    @property
    def learning_rates(self) -> list[float]:
        return _as_list(self.learning_rate)


Optimizer = Annotated[Union[SGD, Adam], Field(discriminator="name")]


class Training(_Strict):
    epochs: PositiveInt = Field(description="passes over the training data")  # font study: 1000
    batch_size: BatchSize = Field(
        "full", description="samples per step, or 'full' for the whole training "
        "set")  # full: deterministic steps, and the font is only 32 samples
    optimizers: list[Optimizer] = Field(
        default_factory=lambda: [Adam(name="adam")], min_length=1,
        description="optimizers to compare")  # each one is a sweep point
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


class Noise(_Strict):
    kind: Literal["bitflip", "gaussian"] = Field(
        description="bitflip: flip each pixel with probability p; gaussian: add sigma * N(0, 1)")
    levels: Annotated[list[Level], Field(min_length=1), AfterValidator(_distinct)] = Field(
        description="p or sigma of each sweep point")  # the study: [0.05, 0.2]
    eval_draws: PositiveInt = Field(
        30, description="noisy copies of each sample to measure denoising "
        "on")  # 30 draws x 32 characters: a stable mean


class Experiment(_Strict):
    name: str = Field(
        pattern=SLUG, description="names the results folder and the page URL")
    title: str | None = Field(None, description="heading of the page")  # None: the name
    description: str = Field("", description="text under the title")
    dataset: Dataset = Field(description="what to train on")
    model: Annotated[Union[AutoencoderModel, VAEModel], Field(discriminator="kind")] = Field(
        description="the networks to train")
    training: Training = Field(description="how to train")
    noise: Noise | None = Field(
        None, description="noise on the inputs: present means a denoising autoencoder")
    seeds: Seeds = Field(
        1, description="n (seeds 0..n-1) or a list of seeds")  # 10+ for a mean +- std
    snapshots: Annotated[list[PositiveInt], AfterValidator(_distinct)] = Field(
        default_factory=list,
        description="epochs at which to keep the latent codes")  # for vae_progression
    report: Annotated[list[Slide], AfterValidator(_distinct)] | None = Field(
        None, description="slides of the page, in order")  # None: all that apply

    @model_validator(mode="after")
    def _consistent(self) -> Experiment:
        _raise("Experiment", self._width_problems() + self._noise_problems()
               + self._snapshot_problems() + self._slide_problems())
        self.title = self.title or self.name
        if self.report is None:
            self.report = [s for s in DEFAULT_REPORT[self.model.kind] if not _why_not(s, self)]
        return self

    def _width_problems(self) -> list[tuple]:
        info = INFO[self.dataset.name]
        what = f"the {info.name} has" if info.kind == "glyphs" else f"{info.name} images have"
        return [
            (("model", "architectures", i, j), f"{what} {info.n_features} pixels, got {layers[j]}",
             layers[j])
            for i, layers in enumerate(self.model.architectures)
            for j in (0, len(layers) - 1) if layers[j] != info.n_features
        ]

    def _noise_problems(self) -> list[tuple]:
        if self.noise is None or self.model.kind == "autoencoder":
            return []
        return [(("noise",), "only an autoencoder is trained with noise, but model.kind is "
                 f"'{self.model.kind}' (remove noise)", None)]

    def _snapshot_problems(self) -> list[tuple]:
        last = self.training.epochs
        return [(("snapshots", i), f"epoch {e} is after the last epoch ({last})", e)
                for i, e in enumerate(self.snapshots) if e > last]

    def _slide_problems(self) -> list[tuple]:
        return [(("report", i), f"'{slide}' {why}", slide)
                for i, slide in enumerate(self.report or []) if (why := _why_not(slide, self))]

    @property
    def seed_list(self) -> list[int]:
        """The seeds to train: `seeds: 3` means [0, 1, 2]."""
        return list(range(self.seeds)) if isinstance(self.seeds, int) else list(self.seeds)

    @property
    def learning_rates(self) -> list[float]:
        """Every distinct learning rate of every optimizer, in order of appearance."""
        rates = [lr for opt in self.training.optimizers for lr in opt.learning_rates]
        return list(dict.fromkeys(rates))


def _why_not(slide: str, exp: Experiment) -> str | None:
    """Why a slide cannot be shown for this experiment (the end of a sentence), or None."""
    vae = exp.model.kind == "vae"
    flat = [(i, z) for i, z in enumerate(exp.model.latent_sizes) if z != 2]
    if slide.startswith("denoising_") and exp.noise is None:
        return "needs noise (add a noise: section)"
    if slide in ("vae_progression", "vae_samples") and not vae:
        return "needs model.kind: vae"
    if slide == "vae_progression" and not exp.snapshots:
        return "needs snapshots (the epochs to show)"
    if slide in ("pixel_errors", "convergence") and vae:
        return "counts wrong pixels of an autoencoder, not a VAE"
    if slide == "convergence" and exp.noise is not None:
        return "is tracked only without noise"
    if slide in ("latent_scatter", "generated_grid", "interpolation") and flat:
        i, z = flat[0]
        return f"needs a 2-D latent, but model.architectures[{i}] has a {z}-D one"
    if slide == "lr_analysis" and len(exp.learning_rates) < 2:
        return f"needs at least 2 learning rates to compare, got {len(exp.learning_rates)}"
    return None


def _as_list(value: Any) -> list:
    return list(value) if isinstance(value, list) else [value]


def schema() -> dict:
    """JSON Schema of the experiment YAML, for editors (`tp5-run --schema`)."""
    return Experiment.model_json_schema()


# ---- loading ------------------------------------------------------------------------------------


class ConfigError(Exception):
    """An experiment file that cannot be used; `problems` holds one printable line each."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def load_experiment(path: str | os.PathLike, overrides: typing.Sequence[str] = ()) -> Experiment:
    """Read, override and validate one experiment file; raises ConfigError with every problem.

    overrides are "key.path=value" strings (e.g. "training.epochs=5"), applied in order before
    validation; a relative dataset.path is relative to the YAML file's folder.
    """
    source = str(path)
    try:
        doc = yamlfile.load(path)
    except yamlfile.YamlError as exc:
        lines = [_line(source, mark, message) for mark, message in exc.problems]
        raise ConfigError(lines) from None
    if doc.data is None:
        raise ConfigError([_line(source, yamlfile.Mark(1, 1), "the file is empty; an "
                                 f"experiment needs at least {_keys(Experiment, required=True)}")])
    origins, problems = _apply_overrides(doc, overrides, source)
    try:
        experiment = Experiment.model_validate(doc.data, context={"folder": Path(path).parent})
    except ValidationError as exc:
        problems += _render(exc, doc, origins, source)
    if problems:
        raise ConfigError(problems)
    return experiment


def _apply_overrides(doc: yamlfile.Document, overrides: typing.Sequence[str],
                     source: str) -> tuple[dict, list[str]]:
    """Apply overrides onto doc.data; returns {path set: override text} and the bad ones' lines."""
    origins, problems = {}, []
    for text in overrides:
        try:
            if not isinstance(doc.data, dict):
                raise yamlfile.OverrideError("the file's top level is not a mapping")
            parts, value = yamlfile.split_override(text)
            origins[yamlfile.apply_override(doc.data, parts, value)] = text
        except yamlfile.OverrideError as exc:
            problems.append(f"{source}: override '{text}': {exc}")
    return origins, problems


def _render(exc: ValidationError, doc: yamlfile.Document, origins: dict, source: str) -> list[str]:
    """One line per pydantic error: file lines sorted by position, then the overrides' lines."""
    in_file, from_overrides = [], []
    for error in exc.errors():
        found = _explain(error)
        text, where = _located(found.path, found.message), found.where or found.path
        prefixes = [where[:n] for n in range(len(where), -1, -1)]
        origin = next((origins[p] for p in prefixes if p in origins), None)  # the deepest
        if origin is None:
            mark = doc.mark(where, found.at_key)
            in_file.append(((mark.line, mark.column), _line(source, mark, text)))
        else:
            from_overrides.append(f"{source}: override '{origin}': {text}")
    return [line for _, line in sorted(in_file)] + list(dict.fromkeys(from_overrides))


def _line(source: str, mark: yamlfile.Mark | None, text: str) -> str:
    """"x.yaml:12:7: text", or "x.yaml: text" when there is no position (a missing file)."""
    where = f"{source}:{mark.line}:{mark.column}" if mark else source
    return f"{where}: {text}"


def _located(path: tuple, message: str) -> str:
    return f"{yamlfile.show_path(path)}: {message}" if path else message


# ---- pydantic's errors in plain words -----------------------------------------------------------

_EXPECTED = {  # error type -> what was expected, for errors about the kind of value
    "int_type": "a whole number", "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number", "float_parsing": "a number", "finite_number": "a finite number",
    "bool_type": "true or false", "bool_parsing": "true or false", "string_type": "text",
    "list_type": "a list", "path_type": "a folder path",
}
_ALSO = {"one": " or a list of them", "size": " or 'full'", "full": " or a whole number >= 1"}
_BOUNDS = {"greater_than": ("gt", "greater than"), "greater_than_equal": ("ge", "at least"),
           "less_than": ("lt", "less than"), "less_than_equal": ("le", "at most")}


class _Found(typing.NamedTuple):
    """A pydantic error explained."""

    path: tuple  # the field the message is about
    message: str
    where: tuple = ()  # the value to point at, when not path itself
    at_key: bool = False  # point at where's key (`epoch:`) rather than its value


def _explain(error: dict) -> _Found:
    """A pydantic error in plain words, about a path of the YAML data."""
    loc, kind, ctx, value = error["loc"], error["type"], error.get("ctx", {}), error["input"]
    path, tp = _walk(loc)
    also = _ALSO.get(loc[-1], "") if loc else ""  # the value failed one branch of a union
    if kind == "missing":
        described = _describe(_walk(loc[:-1])[1], loc[-1])
        return _Found(path[:-1], f"missing key '{path[-1]}'{described}", at_key=True)
    if kind == "extra_forbidden":
        allowed = list(_walk(loc[:-1])[1].model_fields)
        return _Found(path[:-1], _unknown_key(path[-1], allowed), where=path, at_key=True)
    if kind == "union_tag_not_found":
        tags = [_tag_of(m) for m in typing.get_args(tp)]
        return _Found(path, f"missing key {ctx['discriminator']} (one of: {', '.join(tags)})",
                      at_key=True)
    if kind == "union_tag_invalid":
        tags = [_tag_of(m) for m in typing.get_args(tp)]
        return _Found(path + (ctx["discriminator"].strip("'"),), _choice(tags, ctx["tag"]))
    if kind == "literal_error":
        return _Found(path, _choice(re.findall(r"'([^']*)'", ctx["expected"]), value, also))
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        keys = f" with keys {_keys(tp)}" if _is_model(tp) else ""
        return _Found(path, f"expected a mapping{keys}, got {_shown(value)}")
    if kind in _EXPECTED:
        return _Found(path, f"expected {_EXPECTED[kind]}{also}, got {_shown(value)}")
    return _Found(path, _constraint(kind, ctx, value, error["msg"]))


def _constraint(kind: str, ctx: dict, value: Any, fallback: str) -> str:
    """Errors about a value of the right kind that is out of bounds, or our own checks."""
    if kind in _BOUNDS:
        key, words = _BOUNDS[kind]
        if kind == "greater_than" and isinstance(ctx[key], int):
            return f"must be at least {ctx[key] + 1}, got {_shown(value)}"  # plainer for counts
        return f"must be {words} {ctx[key]:g}, got {_shown(value)}"
    if kind == "too_short":
        n = ctx["min_length"]
        return f"needs at least {n} {'entry' if n == 1 else 'entries'}, got {ctx['actual_length']}"
    if kind == "string_pattern_mismatch":
        return f"expected {_PATTERN_WORDS.get(ctx['pattern'], ctx['pattern'])}, got {_shown(value)}"
    return re.sub(r"^Input should be ", "expected ", fallback)  # "tp5": our own sentence as is


def _walk(loc: tuple) -> tuple[tuple, Any]:
    """Follow pydantic's loc through the model types.

    Returns the path in the YAML data (loc without the union tags pydantic inserts, such as
    'autoencoder' or 'list') and the type that validates the value there (None if unknown).
    """
    tp, path = Experiment, ()
    for part in loc:
        tp = _resolve(tp)
        member = _union_member(tp, part)
        if member is not None:
            tp = member
            continue
        if _is_model(tp):
            field = tp.model_fields.get(part)
            tp = field.annotation if field else None
        else:
            tp = typing.get_args(tp)[0] if typing.get_origin(tp) is list else None
        path += (part,)
    return path, _resolve(tp)


def _resolve(tp: Any) -> Any:
    """Strip Annotated and Optional: `Annotated[Noise | None, ...]` -> Noise."""
    while True:
        if typing.get_origin(tp) is Annotated:
            tp = typing.get_args(tp)[0]
        elif _is_union(tp) and type(None) in typing.get_args(tp) and len(typing.get_args(tp)) == 2:
            tp = next(a for a in typing.get_args(tp) if a is not type(None))
        else:
            return tp


def _union_member(tp: Any, tag: Any) -> Any:
    """The member of a tagged union that pydantic names `tag` in a loc, else None."""
    if not _is_union(tp):
        return None
    return next((m for m in typing.get_args(tp) if _tag_of(m) == tag), None)


def _tag_of(tp: Any) -> Any:
    """A union member's tag: its Tag(...) marker, or its discriminator Literal (e.g. 'sgd')."""
    if typing.get_origin(tp) is Annotated:
        return next((m.tag for m in tp.__metadata__ if isinstance(m, Tag)), None)
    if _is_model(tp):
        for field in tp.model_fields.values():
            args = typing.get_args(field.annotation)
            if typing.get_origin(field.annotation) is Literal and len(args) == 1:
                return args[0]
    return None


def _is_union(tp: Any) -> bool:
    return typing.get_origin(tp) in (Union, types.UnionType)


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _describe(model: Any, key: str) -> str:
    """' (passes over the training data)' for a missing key, from the field's description."""
    field = model.model_fields.get(key) if _is_model(model) else None
    return f" ({field.description})" if field and field.description else ""


def _unknown_key(key: str, allowed: list[str]) -> str:
    near = difflib.get_close_matches(key, allowed, n=1)
    hint = f"; did you mean '{near[0]}'?" if near else ""
    return f"unknown key '{key}'{hint} (allowed: {', '.join(allowed)})"


def _choice(choices: list[str], value: Any, also: str = "") -> str:
    """"expected one of: sgd, adam, got 'sdg'; did you mean 'sgd'?"."""
    wanted = f"'{choices[0]}'" if len(choices) == 1 else f"one of: {', '.join(choices)}"
    near = difflib.get_close_matches(str(value), choices, n=1) if isinstance(value, str) else []
    hint = f"; did you mean '{near[0]}'?" if near and near[0] != value else ""
    return f"expected {wanted}{also}, got {_shown(value)}{hint}"


def _keys(model: type[BaseModel], required: bool = False) -> str:
    fields = model.model_fields.items()
    return ", ".join(name for name, f in fields if f.is_required() or not required)


def _shown(value: Any) -> str:
    """A value as the user wrote it in YAML, short: 'abc', 5, true, nothing, a list."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    return str(value)
