"""The latent explorer's data file: a run's decoder and its latent plane, as a script.

A page cannot ``fetch`` a file next to it when opened from disk, but it can load a
``<script src>``, so each explored run is written as one small script that defines its data::

    (window.tp5Decoders = window.tp5Decoders || {})["<run id>"] = {...};

static/explorer.js adds that script only when the slide comes into view, and runs the decoder
in the browser (static/decoder.js). The weights travel as little-endian float32 in base64: the
MNIST decoder 2-256-512-784 is 534,544 numbers, 2.1 MB raw, 2.9 MB as text. float32 keeps a
decoded pixel within a few 1e-6 of NumPy's (of a float64 model too); float16 would not.

A slide asks for the explorer with ``section`` (in the main process, naming the runs); the site
then writes each run's data file with ``export_decoder`` (in a worker process).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
from matplotlib.ticker import MaxNLocator

from report.figures.latent import class_colours, labelled
from report.figures.style import ACCENT
from report.metrics import WORDS
from report.slides import runs
from runner.files import atomic_write
from runner.spec import RunSpec

GLOBAL = "tp5Decoders"  # the window property each data file adds its run to
STEPS = 9  # images in the interpolation strip, both ends included (as on the static slide)
POINTS = 2000  # training codes drawn on the plane (the font has 32)


def output_activation(spec: RunSpec) -> str:
    """What decode applies after the last Dense layer: the sigmoid when that layer gives logits
    (a VAE, or an autoencoder trained with cross-entropy), else nothing."""
    return "sigmoid" if spec.kind == "vae" or spec.loss == "bce" else "identity"


def pixels(spec: RunSpec) -> list[int]:
    """The range [low, high] the output activation's values are in, which decode maps back to
    [0, 1] as nets/autoencoder.py does for every measure and picture: [-1, 1] for an
    autoencoder trained on {-1, 1} pixels (tanh outputs), else [0, 1], where it changes
    nothing."""
    return list(spec.pixels) if spec.kind == "autoencoder" else [0, 1]


def decoder_layers(model) -> list[tuple[np.ndarray, np.ndarray, str]]:
    """(W (n_in, n_out), b (n_out,), activation name) of each decoder layer of member 0."""
    return [
        (layer.params["W"][0], layer.params["b"][0, 0], layer.activation.name)
        for layer in model.decoder
    ]


def float32_text(arrays: list[np.ndarray]) -> str:
    """The arrays flattened in C order, one after the other, as base64 of little-endian float32."""
    flat = np.concatenate([np.ravel(a) for a in arrays]).astype("<f4")
    return base64.b64encode(flat.tobytes()).decode("ascii")


def ticks(low: float, high: float, n: int = 5) -> list[float]:
    """Round values to label an axis of the plane, as the static figures choose them."""
    values = MaxNLocator(n).tick_values(low, high)
    return [round(float(v), 10) for v in values if low <= v <= high]


def payload(model, spec: RunSpec, plane: dict) -> dict:
    """What the page needs to decode and draw one run: the decoder, then ``plane`` as given
    (extent, ticks, training points and labels, marks, classes and colours, whether the data
    has labels, the picture's shape (h, w, c))."""
    layers = decoder_layers(model)
    return {
        "layers": [
            {"n_in": int(W.shape[0]), "n_out": int(W.shape[1]), "activation": act}
            for W, _, act in layers
        ],
        "output": output_activation(spec),
        "pixels": pixels(spec),
        "weights": float32_text([a for W, b, _ in layers for a in (W, b)]),
        "steps": STEPS,
        **plane,
    }


def script(key: str, data: dict) -> str:
    """The data file's text; ``key`` is the name the page asks for (the run id)."""
    text = json.dumps(data, separators=(",", ":"))  # ASCII: whatever charset the page assumes
    return f"(window.{GLOBAL} = window.{GLOBAL} || {{}})[{json.dumps(key)}] = {text};\n"


def save(path: Path, key: str, data: dict) -> None:
    """Write the data file atomically (a page open meanwhile never loads half of it)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, script(key, data))


# ------------------------------------------------------------------------------ slides and jobs


def section(pairs: list, many: bool, heading: str, selected=None) -> dict | None:
    """The explorer under a slide's figure, for the (configuration, run) pairs with a 2-D latent,
    opening on the run ``selected`` (default: the first).

    Each run's decoder becomes a data file: a job whose ``decoder`` is the run's reference, which
    the site hands to ``export_decoder``; the page loads only the runs a reader picks.
    """
    shown = [
        {
            "id": run.id,
            "title": runs.panel_title(config, run, many),
            "export": {"decoder": runs.ref(config, run, many), "file": f"decoder-{run.id}.js"},
        }
        for config, run in pairs
        if min(run.spec.architecture) == 2
    ]
    if not shown:
        return None
    info = runs.info(pairs[0][1].spec)
    ids = [r["id"] for r in shown]
    return {
        "heading": heading,
        "runs": shown,
        "image": list(info.image_shape),
        "selected": ids.index(selected.id) if selected and selected.id in ids else 0,
        "what": WORDS[info.kind],
    }


def export_decoder(ref: dict, path: Path) -> None:
    """The data file of one run: its final decoder, and its plane as the generated grid shows
    it (the same box, the training codes, the same marks; a colour per class where the data
    has classes, one colour where it has none)."""
    stored = runs.load(ref)
    spec, latent = stored.spec, stored.latent
    codes, labels = latent["train"][:, :2], latent["labels"]  # (N, 2), (N,)
    classes = runs.classes_of(spec)
    extent = runs.extent(codes, spec)
    marks, mark_labels = runs.marks(codes, labels, classes)
    keep = np.arange(len(codes))
    if len(codes) > POINTS:  # a fixed sample: enough to show the classes' shapes
        keep = np.sort(np.random.default_rng(0).choice(len(codes), POINTS, replace=False))
    info = runs.info(spec)
    coloured = labelled(classes) and info.kind != "glyphs"
    plane = {
        "kind": info.kind,
        "image": list(info.shape),
        "labelled": labelled(classes),
        "extent": [float(v) for v in extent],
        "ticks": [ticks(*extent[:2]), ticks(*extent[2:])],
        "points": np.round(codes[keep].astype(float), 4).tolist(),
        "labels": labels[keep].astype(int).tolist(),
        "classes": list(classes),
        "colours": class_colours(len(classes)) if coloured else [ACCENT],
        "marks": [
            [round(float(x), 4), round(float(y), 4), label]
            for (x, y), label in zip(marks, mark_labels)
        ],
    }
    save(path, stored.id, payload(runs.model_of(stored), spec, plane))
