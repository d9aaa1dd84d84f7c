"""Generation judged: each generated picture beside its nearest training picture, and how far it
is, against how far training pictures are from each other (is it new, does it look like the
data?). On binary data it also answers the study's "generate a new character": which decoded
points of the latent plane are at least K_PIXELS pixels from every training picture.

The measure needs the model and the data, so it is computed where the figure is drawn, in a
worker (``prepare``), which returns the figure captioned with its run's counts; the slide's text
says the rules.
"""

from __future__ import annotations

import numpy as np

from report import novelty
from report import summary as sm
from report.formatting import plural
from report.slides import Captioned, Setup, SlideKind, needs_plane, runs
from report.slides.kinds.generated_grid import GRID_STEPS
from report.slides.kinds.vae_samples import SAMPLES

SEED = 0  # the prior's draws: the same samples as the "Samples from the prior" slide
SHOWN = 16  # pairs shown per set, evenly spaced from the nearest to the farthest
PRIOR = f"{SAMPLES} samples of the prior"  # the sets of generated pictures, as headings name them
PLANE = f"{GRID_STEPS} × {GRID_STEPS} points of the latent plane"
BLUR = (
    "A distance in pixels cannot tell invention from blur: a blurred picture is far from "
    "every sharp training picture too, so on grey and colour pictures “new” counts both; "
    "the pairs show which it is."
)


def why_not(setup: Setup) -> str | None:
    """A VAE's samples, or the decoded latent plane of an autoencoder with a 2-D code."""
    if setup.model == "vae":
        return None
    plane = needs_plane(setup)
    return None if plane is None else f"{plane} (or model.kind: vae)"


def build(s: sm.Summary) -> dict:
    info = runs.info(s.spec)
    binary = novelty.metric_of(info.color) == "hamming"
    n_train = min(info.n_train, s.spec.source.limit or info.n_train)
    sets = []
    if s.spec.kind == "vae":
        sets.append(
            f"the {SAMPLES} samples of the prior (z drawn from N(0, I), seed {SEED}: "
            "those of the samples slide)"
        )
    if 2 in {min(r.spec.architecture) for r in s.runs}:
        sets.append(f"the {GRID_STEPS} × {GRID_STEPS} points decoded from the latent plane")
    distance = (
        f"pixels that differ, both pictures thresholded at {novelty.THRESHOLD}"
        if binary
        else "RMS of the value differences (0: the same picture, 1: black against white everywhere)"
    )
    measured = min(n_train, novelty.REFERENCE)
    reference = (
        f"each of the {plural(n_train, 'training picture')} against all the others"
        if measured == n_train
        else f"{plural(measured, 'training picture')} evenly spaced through the set, each "
        f"against the whole set of {n_train:,}"
    )
    reference += ": the distance to its nearest other one"
    new = "farther from its nearest training picture than the median of those distances"
    facts = [
        ("distance", distance),
        ("reference", reference),
        ("new", new),
        ("like the data", f"no farther than their {novelty.LIKE_QUANTILE}th percentile"),
    ]
    if binary:
        far = f"a decoded point at least {novelty.K_PIXELS} pixels from every training picture"
        facts.append((f"a new {s.sample}", far))
    shown = runs.choices(s, "Generated pictures beside their nearest training pictures")
    return {
        "lede": f"Judged here: {' and '.join(sets)}. Each is shown beside its nearest "
        "training picture, with the distance between them: is it new, and does it "
        "look like the data?",
        "facts": facts,
        "note": runs.chooser_note(s, shown),
        "paragraphs": [] if binary else [BLUR],
        **shown,
    }


def prepare(refs: list[dict]):
    from report.figures import novelty as drawn  # matplotlib only where figures are drawn

    blocks, captions = zip(*(_block(ref) for ref in refs))
    info = runs.info(runs.load(refs[0]).spec)
    fig = drawn.nearest_pairs(list(blocks), info.shape, novelty.metric_of(info.color) == "hamming")
    return Captioned(fig, " ".join(captions))


def _generated(run) -> dict[str, np.ndarray]:
    """The run's generated pictures by set: PRIOR samples (a VAE), the decoded PLANE (2-D)."""
    from report.figures import latent  # matplotlib only where figures are drawn

    model, z_size = runs.model_of(run), min(run.spec.architecture)
    sets = {}
    if run.spec.kind == "vae":
        z = np.random.default_rng(SEED).standard_normal((SAMPLES, z_size))  # (S, Z)
        sets[PRIOR] = model.decode(z)[0]
    if z_size == 2:
        extent = runs.extent(run.latent["train"][:, :2], run.spec)
        grid = latent.latent_grid(extent, GRID_STEPS)  # (G*G, 2)
        sets[PLANE] = model.decode(grid)[0]
    return sets


def _distance(value: float, metric: str) -> str:
    return f"{value:g} px" if metric == "hamming" else f"{value:.3f}"


def _block(ref: dict) -> tuple[dict, str]:
    """One run's figure block (its sets' nearest pairs and counts, and the histogram) and the
    caption that gives its counts on the page."""
    run = runs.load(ref)
    train = runs.data_of(run.spec).x_train  # (N, D)
    metric = novelty.metric_of(runs.info(run.spec).color)
    reference = novelty.reference(train, metric)
    spread = " to ".join(_distance(v, metric) for v in (reference.low, reference.high))
    title = ref["title"][:1].upper() + ref["title"][1:]  # "seed 0" or a configuration's label
    caption = [
        (
            f"{title}: {reference.measured} training pictures are "
            f"{_distance(reference.median, metric)} from their nearest other one (median; "
            f"5th to 95th percentile {spread})."
        )
    ]
    generated, rows, found = _generated(run), [], {}
    for label, x in generated.items():
        distances, index = novelty.nearest(x, train, metric)
        rows.append(_row(label, x, train, distances, index, reference, metric))
        found[label] = distances
        caption.append(f"{rows[-1]['counts']}.")
    far_map = None
    if metric == "hamming" and PLANE in found:
        far_map = _far_map(generated[PLANE], found[PLANE], runs.noun(run.spec))
        caption.append(f"{far_map['found']}.")
    block = {
        "title": ref["title"],
        "rows": rows,
        "map": far_map,
        "histogram": _histogram(reference, found, metric, runs.noun(run.spec)),
    }
    return block, " ".join(caption)


def _row(
    label: str,
    x: np.ndarray,
    train: np.ndarray,
    distances: np.ndarray,
    index: np.ndarray,
    reference: novelty.Reference,
    metric: str,
) -> dict:
    """A set's counts, and SHOWN of its pictures beside their nearest training ones."""
    verdict = novelty.verdict(distances, reference)
    new, like = verdict["new"], verdict["like"]
    counts = (
        f"{label}: {new.sum()} of {len(x)} new, {like.sum()} like the data, "
        f"{(new & like).sum()} both"
    )
    shown = np.argsort(distances, kind="stable")[novelty.spaced(len(x), SHOWN)]
    return {
        "counts": counts,
        "heading": f"{counts}. Each beside its nearest training picture (underlined), from "
        "the nearest to the farthest:",
        "samples": novelty.measured(x[shown], metric),
        "neighbours": novelty.measured(train[index[shown]], metric),
        "distances": distances[shown],
        "new": new[shown],
    }


def _far_map(x: np.ndarray, distances: np.ndarray, noun: str) -> dict:
    """Binary data: the decoded plane, marking the points at least K_PIXELS from every
    training picture (the study's new characters, on the font)."""
    far = distances >= novelty.K_PIXELS
    found = (
        f"New {noun}s: {far.sum()} of {len(x)} points of the plane decode at least "
        f"{novelty.K_PIXELS} pixels from every training picture"
    )
    return {
        "found": found,
        "heading": f"{found} (in full ink; the others faded).",
        "images": novelty.measured(x, "hamming"),
        "marked": far,
    }


def _histogram(
    reference: novelty.Reference, found: dict[str, np.ndarray], metric: str, noun: str
) -> dict:
    """Each set's distances against the training ones, with the rules' thresholds."""
    lines = [
        {"label": "median: new beyond", "at": reference.median},
        {
            "label": f"{novelty.LIKE_QUANTILE}th percentile: like the data within",
            "at": reference.high,
        },
    ]
    if metric == "hamming":
        lines.append({"label": f"{novelty.K_PIXELS} pixels: a new {noun}", "at": novelty.K_PIXELS})
    unit = "pixels that differ" if metric == "hamming" else "RMS of value differences"
    return {
        "reference": reference.distances,
        "lines": lines,
        "sets": [{"label": label, "distances": d} for label, d in found.items()],
        "reference_label": f"{reference.measured} training pictures to their nearest other one",
        "xlabel": f"distance to the nearest training picture ({unit})",
    }


SLIDE = SlideKind(
    name="novelty",
    title="New, and like the data?",
    position=115,
    build=build,
    why_not=why_not,
    prepare=prepare,
    cost=2,
)
