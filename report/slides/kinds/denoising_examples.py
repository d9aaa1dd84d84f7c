"""Characters clean, with noise, and denoised, one row per noise level."""

from __future__ import annotations

import numpy as np

from nets import noise as noise_models
from report import summary as sm
from report.slides import SlideKind, needs_noise, runs

EXAMPLES = 8  # characters per row


def build(s: sm.Summary) -> dict:
    return {"lede": "Per noise level: each character clean, with noise, and denoised (wrong "
                    "pixels against the clean character in red).",
            "note": runs.chooser_note(s) + " One fixed noise draw.",
            **runs.choices(s, "Clean, noisy and denoised characters", apart="noise")}


def prepare(refs: list[dict]):
    from report.figures import pictures  # matplotlib only where figures are drawn

    rows = []
    for ref in refs:
        run = runs.load(ref)
        clean = runs.spread(runs.data_of(run.spec).x_train, EXAMPLES)  # (K, D)
        noise = noise_models.make(run.spec.noise.kind, run.spec.noise.level)
        noisy = noise.apply(clean, [np.random.default_rng(0)])[0]  # (K, D), one fixed draw
        denoised = runs.model_of(run).reconstruct(noisy)[0]
        blank = np.ones_like(pictures.ink(clean))
        triplets = np.stack([pictures.ink(clean), pictures.ink(noisy),
                             pictures.marked(denoised, clean), blank], axis=1)  # (K, 4, D, 3)
        rows.append({"title": ref["title"],
                     "images": triplets.reshape(-1, *triplets.shape[2:])[:-1]})
    return pictures.strips(rows, runs.info(run.spec).image_shape)


SLIDE = SlideKind(name="denoising_examples", title="Denoising examples", position=130,
                  build=build, why_not=needs_noise, prepare=prepare)
