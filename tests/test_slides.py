"""Slide kinds: one rule says when each applies, asked by validation and by rendering alike.

Every kind is walked against every dataset and kind of model: validation accepts exactly the
kinds whose rule lets them apply (refusing the others at their file, line and column), the default
report is those kinds in order, and a page rendered from stored runs shows each accepted kind
with something on it, never an empty slide: on the built-in sets and on the dataset forms
(binary, grey and RGB pictures, square and not, with labels and without), whose pages also say
what their data is.
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from report import site, slides
from report import summary as sm
from runner.config import ConfigError, load_experiment
from support import FORMS, TINY, idx_bytes, mnist_arrays, train

PIXELS = {"font": 35, "mnist-5k": 784, "mnist": 784}


class Facts(slides.Setup):
    """A setup stated directly, to ask the rules without going through a YAML file."""

    def __init__(self, **facts):
        self.__dict__.update(facts)


def architectures(dataset: str, latents: tuple[int, ...]) -> tuple[tuple[int, ...], ...]:
    """One architecture per code width, alike in every other layer."""
    pixels = PIXELS[dataset]
    return tuple((pixels, 8, latent, 8, pixels) for latent in latents)


def experiment_yaml(
    dataset: str,
    model: str,
    latents: tuple[int, ...],
    rates: int,
    snapshots: bool,
    report: list[str] | None = None,
) -> str:
    listed = ", ".join(str(list(a)) for a in architectures(dataset, latents))
    lines = [
        "name: x",
        f"dataset: {{name: {dataset}}}",
        f"model: {{kind: {'vae' if model == 'vae' else 'autoencoder'}, architectures: [{listed}]}}",
        f"training: {{epochs: 5, optimizers: [{{name: adam, learning_rate: "
        f"{[0.01, 0.001][:rates]}}}]}}",
    ]
    if model == "denoising":
        lines.append("noise: {kind: bitflip, levels: [0.1], floor_draws: 4096}")
    if snapshots:
        lines.append("snapshots: [1, 5]")
    if report is not None:
        lines.append(f"report: [{', '.join(report)}]")
    return "\n".join(lines) + "\n"


GRID = list(
    itertools.product(
        PIXELS, ("autoencoder", "denoising", "vae"), ((2,), (3,), (2, 3)), (1, 2), (False, True)
    )
)


@pytest.mark.parametrize("dataset, model, latents, rates, snapshots", GRID)
def test_validation_accepts_exactly_the_kinds_that_apply(
    tmp_path, dataset, model, latents, rates, snapshots
):
    facts = Facts(
        model="vae" if model == "vae" else "autoencoder",
        dataset=dataset,
        noise=model == "denoising",
        test_levels=False,
        latent_sizes=latents,
        architectures=architectures(dataset, latents),
        learning_rates=rates,
        snapshots=snapshots,
        reference=False,
        configurations=rates * len(latents),
    )
    applies = [k.name for k in slides.kinds() if k.why_not(facts) is None]
    path = tmp_path / "x.yaml"
    path.write_text(experiment_yaml(dataset, model, latents, rates, snapshots))
    # the default report: all that apply, in order
    assert load_experiment(path, slides=slides.CATALOGUE).report == applies

    every = [k.name for k in slides.kinds()]
    path.write_text(experiment_yaml(dataset, model, latents, rates, snapshots, every))
    refused = [k for k in every if k not in applies]
    if not refused:
        assert load_experiment(path, slides=slides.CATALOGUE).report == every
        return
    with pytest.raises(ConfigError) as caught:
        load_experiment(path, slides=slides.CATALOGUE)
    line = len(path.read_text().splitlines())  # report: [a, b, ...] is the last line
    expected = [
        f"{path}:{line}:{10 + sum(len(n) + 2 for n in every[:i])}: report[{i}]: "
        f"'{name}' {slides.get(name).why_not(facts)}"
        for i, name in enumerate(every)
        if name in refused
    ]
    assert caught.value.problems == expected


def test_an_autoencoder_on_digits_has_no_per_character_slides(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text(experiment_yaml("mnist-5k", "autoencoder", (2,), 1, False, ["pixel_errors"]))
    with pytest.raises(ConfigError) as caught:
        load_experiment(path, slides=slides.CATALOGUE)
    assert caught.value.problems == [
        f"{path}:5:10: report[0]: 'pixel_errors' counts wrong pixels per character of the font, "
        "not of mnist-5k images"
    ]


def test_validating_a_file_does_not_load_matplotlib(tmp_path):
    """Validation with the catalogue asks the registry about every kind; only drawing needs
    matplotlib."""
    path = tmp_path / "x.yaml"
    path.write_text(experiment_yaml("font", "autoencoder", (2,), 2, False))
    code = (
        "import sys; from runner.config import load_experiment; "
        "from report.slides import CATALOGUE; "
        f"load_experiment({str(path)!r}, slides=CATALOGUE); "
        "print('matplotlib' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_every_kind_is_one_module_named_after_it():
    assert sorted(k.name for k in slides.kinds()) == list(slides.NAMES)
    positions = [k.position for k in slides.kinds()]
    assert len(set(positions)) == len(positions)


# ------------------------------------------------------------------------------ rendered pages

#: Experiments beside TINY, with the default report, so that every dataset, model kind, latent
#: width, number of learning rates, snapshots or not, swept betas and warm-ups, and
#: architectures that differ only in their code's width is rendered.
MORE = {
    "digits-ae": """\
name: digits-ae
dataset: {name: mnist-5k, limit: 300}
model: {kind: autoencoder, architectures: [[784, 16, 2, 16, 784]]}
training: {epochs: 3, batch_size: 100, optimizers: [{name: adam, learning_rate: [0.01, 0.003]}]}
seeds: 2
""",
    "font-denoise-3d": """\
name: font-denoise-3d
dataset: {name: font}
model: {kind: autoencoder, architectures: [[35, 10, 3, 10, 35]]}
training: {epochs: 50, optimizers: [{name: adam, learning_rate: [0.01, 0.003]}]}
noise: {kind: bitflip, levels: [0.1], eval_draws: 2, floor_draws: 4096}
seeds: 2
""",
    "font-noise-matrix": """\
name: font-noise-matrix
dataset: {name: font}
model: {kind: autoencoder, architectures: [[35, 10, 35]]}
training: {epochs: 50}
noise: {kind: salt_and_pepper, levels: [0, 0.1], test_levels: [0.05, 0.2], eval_draws: 2,
        floor_draws: 4096}
seeds: 2
""",
    "font-vae": """\
name: font-vae
dataset: {name: font}
model: {kind: vae, architectures: [[35, 16, 2, 16, 35]]}
training: {epochs: 20, batch_size: 8}
seeds: 2
snapshots: [1, 10]
""",
    "font-vae-betas": """\
name: font-vae-betas
dataset: {name: font}
model: {kind: vae, architectures: [[35, 16, 2, 16, 35]], beta: [0.5, 4]}
training: {epochs: 20, batch_size: 8, kl_warmup: [0, 5]}
seeds: 2
""",
    "font-code-size": """\
name: font-code-size
dataset: {name: font}
model: {kind: autoencoder, architectures: [[35, 10, 1, 10, 35], [35, 10, 2, 10, 35],
                                           [35, 10, 4, 10, 35]]}
training: {epochs: 60, optimizers: [{name: adam, learning_rate: [0.02, 0.005]}]}
seeds: 2
""",
    "digits-vae-3d": """\
name: digits-vae-3d
dataset: {name: mnist-5k, limit: 300}
model: {kind: vae, architectures: [[784, 16, 3, 16, 784]]}
training: {epochs: 2, batch_size: 100}
seeds: 2
""",
    "mnist-denoise": """\
name: mnist-denoise
dataset: {name: mnist, path: mnist}
model: {kind: autoencoder, architectures: [[784, 16, 2, 16, 784]]}
training: {epochs: 3}
noise: {kind: gaussian, levels: [0.2], eval_draws: 2, floor_draws: 4096}
seeds: 2
""",
}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, tiny_results, forms_results) -> Path:
    """A store holding the TINY, MORE and FORMS experiments, trained by the pipeline, and its
    site."""
    root = tmp_path_factory.mktemp("kinds")
    (root / "mnist").mkdir()
    for name, array in mnist_arrays(n_train=40, n_test=10).items():
        (root / "mnist" / name).write_bytes(idx_bytes(array))
    for name, text in MORE.items():
        (root / f"{name}.yaml").write_text(text)
    train([root / f"{name}.yaml" for name in MORE], root / "results")
    for results, names in ((tiny_results, TINY), (forms_results, FORMS)):  # trained already
        for name in names:
            shutil.copytree(results / name, root / "results" / name)
    site.render(root / "results", root / "site")
    return root


def sections(page: Path) -> dict[str, str]:
    """Each slide of a page, by kind, in page order: the HTML of its section."""
    parts = re.split(r'(?=<section class="slide slide-)', page.read_text(encoding="utf-8"))
    found = [re.match(r'<section class="slide slide-([a-z-]+)"', p) for p in parts]
    return {
        m.group(1).replace("-", "_"): p for m, p in zip(found, parts) if m and m.group(1) != "title"
    }


@pytest.mark.parametrize("name", [*TINY, *MORE, *FORMS])
def test_every_accepted_slide_shows_something(rendered, name):
    summary = sm.load(rendered / "results", name)
    shown = sections(rendered / "site" / name / "index.html")
    assert list(shown) == summary.report
    if name not in TINY:  # the default report: what the stored runs' setup lets apply, in order
        setup = slides.Setup.of_runs([r.spec for r in summary.runs])
        assert summary.report == [k.name for k in slides.kinds() if k.why_not(setup) is None]
    for kind, html in shown.items():
        assert "lede empty" not in html and "could not be drawn" not in html, f"{name}: {kind}"
        assert re.search(r"<img |<table|<dl |<svg |highlight-value", html), f"{name}: {kind}"


#: The slides that draw the data's pictures, and name its samples in their titles and ledes.
PICTURE_KINDS = (
    "latent_scatter",
    "vae_progression",
    "reconstructions",
    "vae_samples",
    "generated_grid",
    "interpolation",
    "denoising_examples",
)
#: Each form's data: (h, w, c) of a picture, and whether its samples have labels.
SHAPES = {
    "rgb-vae": ((12, 16, 3), False),
    "grey-ae": ((10, 10, 1), True),
    "binary-denoise": ((8, 6, 1), True),
    "rgb-denoise": ((8, 8, 3), True),
    "grey-vae": ((5, 7, 1), False),
}


def _named(section: str) -> str:
    """A slide's title and lede: where it names what the data's samples are."""
    title = re.search(r"<h2[^>]*>(.*?)</h2>", section, re.DOTALL).group(1)
    lede = re.search(r'<p class="lede">(.*?)</p>', section, re.DOTALL)
    return f"{title} {lede.group(1) if lede else ''}"


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("name", FORMS)
def test_a_forms_page_says_what_its_data_is(rendered, name):
    """The latent plane says whether it is coloured by label; the explorer decodes pictures of
    the data's shape; the slides call a sample an image; floors only on binary data."""
    shape, labelled = SHAPES[name]
    html = sections(rendered / "site" / name / "index.html")
    shown = {kind: _text(section) for kind, section in html.items()}
    pictures = {kind: section for kind, section in html.items() if kind in PICTURE_KINDS}
    scatter = shown["latent_scatter"]
    assert ("coloured by its class" in scatter) == labelled
    assert ("the images have no labels" in scatter) == (not labelled)
    assert "New images from the latent plane" in shown["generated_grid"]
    words = " ".join(_named(section) for section in pictures.values())
    assert "image" in words and "digit" not in words and "character" not in words
    data_files = list((rendered / "site" / name).glob("decoder-*.js"))
    assert data_files
    for data_file in data_files:
        assert f'"image":{list(shape)}'.replace(" ", "") in data_file.read_text()
        assert f'"labelled":{str(labelled).lower()}' in data_file.read_text()
    floors = (rendered / "results" / name / "floors.json").exists()
    assert floors == (name == "binary-denoise")
    if "denoising_baselines" in shown:
        assert ("not binary" in shown["denoising_baselines"]) == (not floors)


def _saturated(path: Path) -> float:
    """The share of a picture's opaque pixels that are strongly coloured (not grey)."""
    with Image.open(path) as image:
        rgba = np.asarray(image.convert("RGBA"), dtype=int)
    opaque = rgba[..., 3] > 0
    spread = rgba[..., :3].max(axis=-1) - rgba[..., :3].min(axis=-1)
    return float((spread[opaque] > 60).mean())


@pytest.mark.parametrize("name", ["rgb-vae", "grey-ae", "rgb-denoise", "grey-vae"])
def test_rgb_pictures_are_drawn_in_colour_and_grey_ones_in_ink(rendered, name):
    """The originals of the reconstructions slide: the random RGB samples' colours show, grey
    samples are ink on paper."""
    share = _saturated(rendered / "site" / name / "reconstructions.png")
    assert share > 0.1 if SHAPES[name][0][2] == 3 else share < 0.001


def test_the_ends_of_an_unlabelled_interpolation_are_two_codes_far_apart():
    """Thousands of codes without labels (one class): the farthest pair of 200 codes spread over
    the set, not one code twice as the class means would give."""
    from report.slides.kinds.interpolation import farthest_pair

    codes = np.random.default_rng(0).normal(size=(5000, 2))
    i, j = farthest_pair(codes, np.zeros(5000, dtype=int))
    assert np.linalg.norm(codes[i] - codes[j]) > 0.5 * np.ptp(codes, axis=0).max()


def test_code_size_needs_architectures_that_differ_only_in_the_code():
    code_size = slides.get("code_size")
    assert code_size.why_not(Facts(architectures=((35, 8, 1, 8, 35), (35, 8, 5, 8, 35)))) is None
    assert code_size.why_not(Facts(architectures=((35, 8, 2, 8, 35), (35, 16, 3, 16, 35)))) == (
        "needs architectures that differ only in the width of the code (the narrowest layer)"
    )
    assert code_size.why_not(Facts(architectures=((35, 8, 2, 8, 35),))) == (
        "needs at least 2 architectures that differ only in the width of the code, got 1"
    )


def test_a_sweep_of_betas_and_warmups_names_its_configurations(rendered):
    summary = sm.load(rendered / "results", "font-vae-betas")
    labels = [
        "β = 0.5 · no warm-up",
        "β = 0.5 · warm-up 5",
        "β = 4 · no warm-up",
        "β = 4 · warm-up 5",
    ]
    assert [c.label for c in summary.configurations] == labels
    shown = sections(rendered / "site" / "font-vae-betas" / "index.html")
    # the terms' table has a row per beta and warm-up, headed by the axes' names
    rows = re.findall(
        r'<tr>\s*<th scope="row">([^<]*)</th><th scope="row">([^<]*)</th>', shown["elbo_terms"]
    )
    assert [" · ".join(row) for row in rows] == labels
    assert '<th scope="col">β</th><th scope="col">KL warm-up</th>' in shown["elbo_terms"]


# ------------------------------------------------------------------------------ novelty

FONT_PLANE = """\
name: font-plane
dataset: {name: font}
model: {kind: autoencoder, architectures: [[35, 10, 2, 10, 35]]}
training: {epochs: 30, optimizers: [{name: adam, learning_rate: 0.01}]}
report: [novelty]
"""


def test_the_font_planes_new_characters_are_judged(tmp_path):
    """Binary pictures and a decoded plane without prior samples: the novelty slide's one
    combination that the pages above leave out (their font autoencoders have a 3-D code or a
    report of their own)."""
    (tmp_path / "font-plane.yaml").write_text(FONT_PLANE)
    train([tmp_path / "font-plane.yaml"], tmp_path / "results")
    for _ in range(2):  # drawn, then read from the figure cache: the counts stay on the page
        site.render(tmp_path / "results", tmp_path / "site")
        html = sections(tmp_path / "site" / "font-plane" / "index.html")["novelty"]
        assert "<img " in html and "could not be drawn" not in html
        assert re.search(
            r"Seed 0: 32 training pictures are \d+ px from their nearest other one", html
        )
        assert re.search(
            r"New characters: \d+ of 225 points of the plane decode at least 3 "
            "pixels from every training picture",
            html,
        )


def test_denoising_examples_name_every_row(tiny_results):
    """The clean characters once, then each noise level's noisy and denoised rows, each row
    named at its left."""
    from report.slides.kinds import denoising_examples

    s = sm.load(tiny_results, "font-denoise")
    [(_, job)] = slides.figures_of({"id": "x", **denoising_examples.build(s)})
    fig = denoising_examples.prepare(**job["args"])
    seeds = [c.representative(s.headline).spec.seed for c in s.configurations]
    assert [t.get_text() for ax in fig.axes for t in ax.texts] == [
        "clean",
        "noisy, p = 0.05",
        f"denoised, seed {seeds[0]}",
        "noisy, p = 0.2",
        f"denoised, seed {seeds[1]}",
    ]
