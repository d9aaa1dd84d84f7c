"""What several test modules share: the tiny experiments and the pipeline that trains them, run
specs as run.json holds them, the finite-difference oracle of the gradient tests, MNIST-like IDX
files, the font's pixels and a browser page that records its errors.

Fixtures live in conftest.py; this module holds plain values and functions, imported by name.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from pictures import write_pngs
from runner import spec

# ---------------------------------------------------------------------------------- the pipeline

#: Tiny experiments covering every slide kind; the first title tests escaping of user text.
TINY = {
    "font-ae": """\
name: font-ae
title: "Tiny <script>alert(1)</script> autoencoder"
description: Two architectures & two learning rates, raw and standardised inputs.
dataset: {name: font}
model:
  kind: autoencoder
  architectures: [[35, 2, 35], [35, 10, 2, 10, 35]]
training:
  epochs: 300
  normalize: [false, true]
  optimizers: [{name: adam, learning_rate: [0.02, 0.005]}]
seeds: 2
report: [summary, error_table, learning_curves, lr_analysis, convergence, latent_scatter,
         reconstructions, pixel_errors, generated_grid, interpolation]
""",
    "font-denoise": """\
name: font-denoise
title: Tiny denoising autoencoder
dataset: {name: font}
model:
  kind: autoencoder
  architectures: [[35, 10, 2, 10, 35]]
training:
  epochs: 300
  optimizers: [{name: adam, learning_rate: 0.01}]
noise: {kind: bitflip, levels: [0.05, 0.2], eval_draws: 5, floor_draws: 4096}
seeds: 2
report: [summary, error_table, denoising_baselines, denoising_examples, learning_curves,
         pixel_errors]
""",
    "vae-digits": """\
name: vae-digits
title: Tiny VAE on digits
dataset: {name: mnist-5k, limit: 500}
model:
  kind: vae
  architectures: [[784, 32, 2, 32, 784]]
training:
  epochs: 3
  batch_size: 100
  optimizers: [{name: adam, learning_rate: 0.001}]
seeds: 2
snapshots: [1, 3]
report: [summary, error_table, learning_curves, latent_scatter, vae_progression,
         reconstructions, vae_samples, generated_grid, interpolation]
""",
    "font-tanh": """\
name: font-tanh
title: Tiny tanh autoencoder on {-1, 1} pixels
dataset: {name: font}
model:
  kind: autoencoder
  architectures: [[35, 2, 35], [35, 10, 2, 10, 35]]
  activation: tanh
  output_activation: tanh
  pixels: [-1, 1]
  loss: sse
training:
  epochs: 100
  optimizers: [{name: adam, learning_rate: 0.01}]
seeds: 2
report: [summary, reference, error_table, learning_curves, generated_grid]
reference:
  source: the study
  metric: an error it does not define
  values:
    - {architecture: [35, 2, 35], value: 0.5}
    - {architecture: [35, 10, 2, 10, 35], value: 0.25}
""",
}
XSS_EXPERIMENT = "font-ae"

#: The dataset forms beside the built-in sets, trained on files written by ``write_forms``:
#: binary, grey and RGB pictures, square and not, with labels and without, autoencoders,
#: denoisers and VAEs. Default reports: every slide that applies.
FORMS = {
    "rgb-vae": """\
name: rgb-vae
dataset: {name: images, path: rgb}
model: {kind: vae, architectures: [[576, 16, 2, 16, 576]]}
training: {epochs: 4, batch_size: 8}
seeds: 2
snapshots: [1, 4]
""",
    "grey-ae": """\
name: grey-ae
dataset: {name: images, path: grey}
model: {kind: autoencoder, architectures: [[100, 16, 2, 16, 100]]}
training: {epochs: 10, batch_size: 8, optimizers: [{name: adam, learning_rate: [0.01, 0.003]}]}
seeds: 2
""",
    "binary-denoise": """\
name: binary-denoise
dataset: {name: images, path: binary, color: binary}
model: {kind: autoencoder, architectures: [[48, 16, 2, 16, 48]]}
training: {epochs: 10, batch_size: 8}
noise: {kind: bitflip, levels: [0.1], eval_draws: 2, floor_draws: 4096}
seeds: 2
""",
    "rgb-denoise": """\
name: rgb-denoise
dataset: {name: array, path: rgb.npz, key: x, labels_key: y}
model: {kind: autoencoder, architectures: [[192, 16, 2, 16, 192]]}
training: {epochs: 5, batch_size: 10}
noise: {kind: gaussian, levels: [0.2], eval_draws: 2, floor_draws: 4096}
seeds: 2
""",
    "grey-vae": """\
name: grey-vae
dataset: {name: array, path: grey.npy}
model: {kind: vae, architectures: [[35, 16, 2, 16, 35]]}
training: {epochs: 5, batch_size: 10}
seeds: 2
""",
}


def write_forms(root: Path) -> None:
    """The files FORMS read: RGB 12x16 PNGs without labels, grey 10x10 PNGs in three labelled
    folders, 8x6 PNGs cut to binary in two, an RGB 8x8 .npz with labels, a grey 5x7 .npy."""
    write_pngs(root / "rgb", n=24, size=(12, 16), mode="RGB")
    for k, label in enumerate(("a", "b", "c")):
        write_pngs(root / "grey" / label, n=8, size=(10, 10), seed=k)
    for k, label in enumerate(("ring", "bar")):
        write_pngs(root / "binary" / label, n=10, size=(8, 6), seed=10 + k)
    rng = np.random.default_rng(0)
    np.savez(
        root / "rgb.npz", x=rng.random((30, 8, 8, 3)), y=np.repeat(["red", "green", "blue"], 10)
    )
    np.save(root / "grey.npy", rng.random((30, 5, 7)))


def wait_for(condition, seconds: float) -> bool:
    """Poll ``condition`` until it holds or ``seconds`` pass (a bound, not a measurement)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def train(files: list[Path], results: Path, *overrides: str) -> None:
    """Run the pipeline as a user would (tp5-run), storing results only."""
    from runner import cli

    code = cli.main(
        [*map(str, files), *overrides, "--results", str(results), "--no-site", "-q", "-j", "2"]
    )
    assert code == 0, f"tp5-run failed with exit code {code}"


# ------------------------------------------------------------------------------------ run specs

# Run specs as run.json holds them, for tests that need a run without planning one.
_RUN = {
    "tp5_version": "0.1.0",
    "experiment": "demo",
    "id": "abc123def456",
    "dataset": "font",
    "dataset_path": None,
    "dataset_limit": None,
    "epochs": 2,
    "batch_size": "full",
    "dtype": "float64",
    "snapshots": [],
    "architecture": [35, 2, 35],
    "normalize": False,
    "noise": None,
    "seed": 0,
    "optimizer": {"name": "adam", "learning_rate": 0.01, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
}
VAE = spec.parse({**_RUN, "kind": "vae", "activation": "relu", "init": "he", "beta": 1.0})
AUTOENCODER = spec.parse(
    {
        **_RUN,
        "kind": "autoencoder",
        "activation": "sigmoid",
        "init": "xavier",
        "latent_activation": "sigmoid",
        "output_activation": "sigmoid",
        "loss": "mse",
    }
)


def _changed(base: spec.RunSpec, fields: dict) -> spec.RunSpec:
    return spec.parse({**base.model_dump(mode="json"), **fields})


def vae(**fields) -> spec.RunSpec:
    """The VAE spec with ``fields`` changed (validated, so plain lists and dicts do)."""
    return _changed(VAE, fields)


def autoencoder(**fields) -> spec.RunSpec:
    """The autoencoder spec with ``fields`` changed (validated, so plain lists and dicts do)."""
    return _changed(AUTOENCODER, fields)


# ------------------------------------------------------------------------------------ gradients

# Central finite differences, the oracle of the gradient tests.
#
#     numeric_grad(lambda: loss(w), w)                   # f() is one number
#     numeric_grad(lambda: losses(w), w, of=member)      # f() is (S,), one value per member
#     numeric_grad(lambda: act.fn(z), z, of=own_entry)   # f is elementwise
#     numeric_grads(model, x)                            # each member's loss, each parameter


def whole(i: tuple) -> tuple:
    """f() is one number, moved by every entry."""
    return ()


def member(i: tuple) -> tuple:
    """f() holds one value per member (S,); entry i of a (S, ...) moves only member i[0]'s."""
    return i[:1]


def own_entry(i: tuple) -> tuple:
    """f() has a's shape; entry i moves only entry i (an elementwise function)."""
    return i


def numeric_grad(f, a, h=1e-6, of=whole):
    """Central differences of f() with respect to every entry of a, which f reads.

    a is changed in place, one entry at a time, and restored. Only the value of f() that the
    entry moves (at index of(i)) is differenced, so the other values' round-off cannot blur a
    small derivative.
    """
    g = np.zeros_like(a)
    for i in np.ndindex(a.shape):
        old = a[i]
        a[i] = old + h
        up = np.asarray(f())[of(i)]
        a[i] = old - h
        down = np.asarray(f())[of(i)]
        a[i] = old
        g[i] = (up - down) / (2 * h)
    return g


def numeric_grads(model, x, h=1e-6):
    """Central differences of each member's loss with respect to each of its parameters."""
    return numeric_grad(lambda: model._step(x, x)[0], model._flat, h, of=member)


# ----------------------------------------------------------------------------------------- data

# Small generated MNIST-like IDX files for the idx and datasets tests.
MNIST_FILES = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)


def idx_bytes(array: np.ndarray) -> bytes:
    """Encode a uint8 array as IDX: magic 0x08 0x<ndim>, one big-endian uint32 per dimension."""
    header = (0x0800 | array.ndim).to_bytes(4, "big")
    header += b"".join(n.to_bytes(4, "big") for n in array.shape)
    return header + array.astype(np.uint8).tobytes()


def mnist_arrays(n_train: int = 6, n_test: int = 4, seed: int = 0) -> dict[str, np.ndarray]:
    """The four MNIST arrays, tiny: random 28x28 images and digit labels, by file name."""
    rng = np.random.default_rng(seed)
    arrays = {}
    for split, n in (("train", n_train), ("t10k", n_test)):
        arrays[f"{split}-images-idx3-ubyte"] = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
        arrays[f"{split}-labels-idx1-ubyte"] = rng.integers(0, 10, n, dtype=np.uint8)
    return arrays


FONT = Path(__file__).resolve().parents[1] / "runner" / "datasets" / "font3.tsv"


def load_font():
    """The 32 characters as (32, 35) pixels in {0, 1}: row-major 7x5, 0x10 the leftmost column."""
    rows = [
        line.split("\t")
        for line in FONT.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    bits = [
        [(int(byte, 16) >> (4 - col)) & 1 for byte in row[2].split() for col in range(5)]
        for row in rows
    ]
    return np.array(bits, dtype=np.float64)


# ---------------------------------------------------------------------------------- the browser


class Visit:
    """A page that records console errors, failed requests and dialogs while it is open."""

    def __init__(self, browser, url: str, **context):
        self.context = browser.new_context(
            viewport={"width": 1280, "height": 800}, reduced_motion="reduce", **context
        )
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url}"))
        self.page.on(
            "response", lambda r: r.status >= 400 and self.errors.append(f"{r.status}: {r.url}")
        )
        self.page.on("dialog", lambda d: (self.errors.append(f"dialog: {d.message}"), d.dismiss()))
        self.page.goto(url, wait_until="load")

    def broken_images(self) -> list[str]:
        """Images that fail to load once loaded eagerly (lazy ones below the fold included)."""
        return self.page.evaluate("""async () => {
            const images = Array.from(document.images);
            images.forEach(img => { img.loading = "eager"; });
            await Promise.all(images.map(img => img.decode().catch(() => null)));
            return images.filter(img => !img.complete || img.naturalWidth === 0)
                         .map(img => img.src);
        }""")

    def links(self) -> list[str]:
        return self.page.evaluate("() => Array.from(document.links).map(a => a.href)")

    def close(self):
        self.context.close()
