"""Shared fixtures: results of the real pipeline on tiny experiments, trained once per session.

The site tests read what ``tp5-run`` stores, never hand-made numbers, so a change in what the
runner writes shows up as a failing site test.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

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
    import numpy as np
    from pictures import write_pngs

    write_pngs(root / "rgb", n=24, size=(12, 16), mode="RGB")
    for k, label in enumerate(("a", "b", "c")):
        write_pngs(root / "grey" / label, n=8, size=(10, 10), seed=k)
    for k, label in enumerate(("ring", "bar")):
        write_pngs(root / "binary" / label, n=10, size=(8, 6), seed=10 + k)
    rng = np.random.default_rng(0)
    np.savez(root / "rgb.npz", x=rng.random((30, 8, 8, 3)),
             y=np.repeat(["red", "green", "blue"], 10))
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

    code = cli.main([*map(str, files), *overrides, "--results", str(results), "--no-site",
                     "-q", "-j", "2"])
    assert code == 0, f"tp5-run failed with exit code {code}"


@pytest.fixture(scope="session")
def tiny_results(tmp_path_factory) -> Path:
    """A result store holding the TINY experiments, trained by the real pipeline."""
    root = tmp_path_factory.mktemp("tiny")
    files = []
    for name, text in TINY.items():
        path = root / f"{name}.yaml"
        path.write_text(text)
        files.append(path)
    train(files, root / "results")
    return root / "results"


@pytest.fixture(scope="session")
def forms_results(tmp_path_factory) -> Path:
    """A result store holding the FORMS experiments, trained by the real pipeline."""
    root = tmp_path_factory.mktemp("forms")
    write_forms(root)
    for name, text in FORMS.items():
        (root / f"{name}.yaml").write_text(text)
    train([root / f"{name}.yaml" for name in FORMS], root / "results")
    return root / "results"


@pytest.fixture(scope="session")
def tiny_site(tiny_results, tmp_path_factory) -> Path:
    """The site rendered from ``tiny_results``."""
    from report import site

    site_dir = tmp_path_factory.mktemp("site")
    site.render(tiny_results, site_dir)
    return site_dir


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where tests leave files for people to look at (screenshots); git-ignored."""
    folder = Path(os.environ.get("TP5_TEST_ARTIFACTS", Path(__file__).parent / "artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder
