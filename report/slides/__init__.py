"""The slides of an experiment's page: one definition per kind, found in ``report/slides/kinds/``.

Each module of ``kinds/`` defines one ``SlideKind`` named ``SLIDE``: its title, its place in the
default report, when it applies (``why_not``), what it says (``build``, in the main process: text,
tables, and the figure job it needs) and how its figure is drawn (``prepare``, in a worker process:
it reads the stored arrays and calls a drawing function of ``report.figures``). The registry here
finds the modules with pkgutil, so adding a slide kind is adding one module (and a template only if
the shared slide partial cannot show it). ``runs`` holds what the kinds share: which runs a slide
shows and how a worker loads a run, its data and its model.

One rule says whether a slide applies: its kind's ``why_not``. It reads a ``Setup``, the facts
of an experiment that the rules read, built from what each side holds: from the experiment being
validated (``Setup.of_experiment``), through ``CATALOGUE``, which tp5-run passes to
``runner.config.load_experiment``, so a ``report:`` entry that cannot apply is refused at load
time with its file, line and column; and from the stored runs the site shows (``Setup.of_runs``),
so a page built from a store that an older tp5 wrote still renders and a refused slide says why
instead of showing nothing.

The names are the module names of ``kinds/``, read without importing them; the kind modules
(which import report.summary, and matplotlib only inside the functions that draw) load on the
first question asked of the registry.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from report.slides import kinds as _kinds_package
from runner import datasets
from runner.config import SlideCatalogue

if TYPE_CHECKING:
    from report.summary import Summary
    from runner.config import Experiment
    from runner.spec import RunSpec

#: Every slide kind, by name (the module names of kinds/, sorted).
NAMES = tuple(sorted(m.name for m in pkgutil.iter_modules(_kinds_package.__path__)))


class Setup:
    """What decides whether a slide applies: the facts of an experiment that the rules read.

    Each side reads them from what it holds: ``of_experiment`` from the experiment runner.config
    validates, ``of_runs`` from the runs the site shows. A fact is read when a rule asks for it,
    so a file with an unrelated mistake still has the slides checked that do not depend on it
    (reading a value that is wrong on its own raises AttributeError; see runner.config.strict).
    """

    model: str  # "autoencoder" or "vae"
    dataset: str  # "font", "mnist" or "mnist-5k"
    noise: bool  # a denoising experiment
    test_levels: bool  # its denoisers also measured at other noise levels (noise.test_levels)
    latent_sizes: tuple[int, ...]  # of each architecture
    architectures: tuple[tuple[int, ...], ...]  # each one's widths, input to output
    learning_rates: int  # distinct learning rates over every optimiser
    snapshots: bool  # latent codes (and weights) kept at some epochs
    configurations: int  # distinct configurations: the runs of one seed
    reference: bool  # figures from elsewhere to compare with (the YAML's reference:)

    @property
    def glyphs(self) -> bool:
        """The font (characters, counted pixel by pixel) rather than digit images."""
        return datasets.kind(self.dataset) == "glyphs"

    @staticmethod
    def of_experiment(exp: Experiment) -> Setup:
        return _ExperimentSetup(exp)

    @staticmethod
    def of_runs(specs: list[RunSpec], config: dict | None = None) -> Setup:
        """From the specs of an experiment's stored runs (at least one) and its stored YAML."""
        return _RunsSetup(specs, config or {})


class _ExperimentSetup(Setup):
    def __init__(self, exp: Experiment):
        self._exp = exp

    model = property(lambda self: self._exp.model.kind)
    dataset = property(lambda self: self._exp.dataset.name)
    noise = property(lambda self: self._exp.noise is not None)
    test_levels = property(lambda self: bool(self._exp.noise and self._exp.noise.test_levels))
    latent_sizes = property(lambda self: tuple(self._exp.model.latent_sizes))
    architectures = property(lambda self: tuple(map(tuple, self._exp.model.architectures)))
    learning_rates = property(lambda self: len(self._exp.learning_rates))
    snapshots = property(lambda self: bool(self._exp.snapshots))

    @property
    def configurations(self) -> int:
        exp, training = self._exp, self._exp.training
        vae = exp.model.kind == "vae"
        return (
            len(exp.model.architectures)
            * len(training.inits)
            * len(training.normalizes)
            * sum(len(o.learning_rates) for o in training.optimizers)
            * (len(exp.noise.levels) if exp.noise else 1)
            * (len(exp.model.betas) * len(training.kl_warmups) if vae else 1)
        )

    reference = property(lambda self: self._exp.reference is not None)


class _RunsSetup(Setup):
    def __init__(self, specs: list[RunSpec], config: dict):
        self._specs = specs
        self._config = config

    model = property(lambda self: self._specs[0].kind)
    dataset = property(lambda self: self._specs[0].dataset)
    noise = property(lambda self: self._specs[0].noise is not None)
    test_levels = property(
        lambda self: bool(self._specs[0].noise and self._specs[0].noise.test_levels)
    )
    latent_sizes = property(
        lambda self: tuple(dict.fromkeys(min(s.architecture) for s in self._specs))
    )
    architectures = property(lambda self: tuple(dict.fromkeys(s.architecture for s in self._specs)))
    learning_rates = property(lambda self: len({s.optimizer.learning_rate for s in self._specs}))
    snapshots = property(lambda self: bool(self._specs[0].snapshots))
    configurations = property(
        lambda self: len(
            {
                (
                    s.architecture,
                    s.optimizer,
                    s.init,
                    s.normalize,
                    s.noise,
                    getattr(s, "beta", None),
                    getattr(s, "kl_warmup", 0),
                )
                for s in self._specs
            }
        )
    )
    reference = property(lambda self: bool(self._config.get("reference")))


# ------------------------------------------------------------------------------ shared rules
# Each returns why a slide cannot apply, as the end of a sentence ("'x' needs ..."), or None.


def always(setup: Setup) -> None:
    return None


def needs_noise(setup: Setup) -> str | None:
    return None if setup.noise else "needs noise (add a noise: section)"


def needs_vae(setup: Setup) -> str | None:
    return None if setup.model == "vae" else "needs model.kind: vae"


def needs_plane(setup: Setup) -> str | None:
    """The slides that draw the latent plane itself."""
    flat = [(i, z) for i, z in enumerate(setup.latent_sizes) if z != 2]
    if flat:
        i, z = flat[0]
        return f"needs a 2-D latent, but model.architectures[{i}] has a {z}-D one"
    return None


def counts_font_pixels(setup: Setup) -> str | None:
    """The slides that count wrong pixels per character: an autoencoder on the font."""
    if setup.model == "vae":
        return "counts wrong pixels of an autoencoder, not a VAE"
    if not setup.glyphs:
        return f"counts wrong pixels per character of the font, not of {setup.dataset} images"
    return None


@dataclass(frozen=True)
class SlideKind:
    """One kind of slide, from when it applies to how its figure is drawn."""

    name: str  # its module's name, and what a report: list says
    title: str
    position: int  # its place in the default report (kinds are shown in increasing position)
    build: Callable[[Summary], dict]  # the slide's lede, facts, tables, note, figure job
    why_not: Callable[[Setup], str | None] = always  # why it cannot apply (a sentence's end)
    prepare: Callable[..., Any] | None = None  # the figure job's arguments -> a Figure, or
    # a Captioned one
    card: int | None = None  # rank of its figure for the index card (1 first; None: never)
    highlights: Callable[[Summary], list[dict]] | None = None  # big numbers: a card shows one
    cost: int = 0  # drawing time rank: costlier figures start first, so workers end together


@dataclass(frozen=True)
class Captioned:
    """What a ``prepare`` returns when its figure comes with words that only the drawing knows
    (numbers measured on a run's model in the worker): the page shows them under the figure."""

    figure: Any  # a matplotlib Figure
    caption: str


@functools.cache
def _by_name() -> dict[str, SlideKind]:
    """Import every kind module; each must define the kind it is named after."""
    found = {}
    for name in NAMES:
        kind = importlib.import_module(f"{_kinds_package.__name__}.{name}").SLIDE
        if kind.name != name:
            raise ImportError(f"report/slides/kinds/{name}.py defines the slide '{kind.name}'")
        found[name] = kind
    return found


def kinds() -> list[SlideKind]:
    """Every slide kind, in the order of the default report."""
    return sorted(_by_name().values(), key=lambda k: k.position)


def get(name: str) -> SlideKind:
    return _by_name()[name]


def why_not(name: str, setup: Setup) -> str | None:
    return get(name).why_not(setup)


def default_report(setup: Setup) -> list[str]:
    """The report when the YAML gives none: every kind that applies, in order."""
    return [k.name for k in kinds() if k.why_not(setup) is None]


#: The slide rules as validation asks for them: load_experiment(path, slides=CATALOGUE).
CATALOGUE = SlideCatalogue(
    names=NAMES,
    why_not=lambda name, exp: why_not(name, Setup.of_experiment(exp)),
    default_report=lambda exp: default_report(Setup.of_experiment(exp)),
)


def figure(ext: str, alt: str, **args) -> dict:
    """A slide's figure job: the file type, its alt text, and the JSON-able arguments of its
    kind's ``prepare``; ``build`` adds the kind's name."""
    return {"ext": ext, "alt": alt, "args": args}


def figures_of(slide: dict) -> list[tuple[str, dict]]:
    """(file name, job) of each figure of a built slide, the one the page opens on first: its
    figure, or one per option of its chooser (numbered in the chooser's order)."""
    if slide["figure"]:
        return [(f"{slide['id']}{slide['figure']['ext']}", slide["figure"])]
    if not slide["chooser"]:
        return []
    named = [
        (f"{slide['id']}-{k + 1}{o['figure']['ext']}", o["figure"])
        for k, o in enumerate(slide["chooser"]["options"])
    ]
    first = slide["chooser"]["selected"]
    return [named[first], *named[:first], *named[first + 1 :]]


def build(name: str, s: Summary) -> dict:
    """The context of one slide; a slide that cannot apply says why instead of failing."""
    known = name in NAMES
    slide = {
        "kind": name,
        "id": name.replace("_", "-"),
        "title": get(name).title if known else name,
        "lede": "",
        "figure": None,
        "chooser": None,
        "tables": [],
        "facts": [],
        "highlights": [],
        "note": None,
        "empty": None,
        "explorer": None,
        "paragraphs": [],
        "diagrams": [],
    }
    if not s.runs:
        return {**slide, "empty": "No run of this experiment is stored yet."}
    if not known:
        return {**slide, "empty": f"There is no slide called “{name}”."}
    why = why_not(name, Setup.of_runs([r.spec for r in s.runs], s.config))
    if why:
        return {**slide, "empty": f"This slide {why}."}
    built = {**slide, **get(name).build(s)}
    for _, job in figures_of(built):
        job["slide"] = name
    return built
