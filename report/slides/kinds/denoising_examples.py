"""Samples clean, with noise, and denoised, one row per noise level."""

from __future__ import annotations

import numpy as np

from nets import noise as noise_models
from report import summary as sm
from report.slides import SlideKind, needs_noise, runs

EXAMPLES = 8  # samples per row


def build(s: sm.Summary) -> dict:
    noun = runs.noun(s.spec)
    marked = (
        f" (wrong pixels against the clean {noun} in red)"
        if runs.info(s.spec).color == "binary"
        else ""
    )
    return {
        "lede": f"Per noise level: each {noun} clean, with noise, and denoised{marked}.",
        "note": runs.chooser_note(s) + " One fixed noise draw.",
        **runs.choices(s, f"Clean, noisy and denoised {noun}s", apart="noise"),
    }


def prepare(refs: list[dict]):
    from report.figures import pictures  # matplotlib only where figures are drawn

    rows = []
    for ref in refs:
        run = runs.load(ref)
        shape, binary = runs.info(run.spec).shape, runs.info(run.spec).color == "binary"
        clean = runs.spread(runs.data_of(run.spec).x_train, EXAMPLES)  # (K, D)
        noise = noise_models.make(run.spec.noise.kind, run.spec.noise.level)
        noisy = noise.apply(clean, [np.random.default_rng(0)])[0]  # (K, D), one fixed draw
        denoised = runs.model_of(run).reconstruct(noisy)[0]
        shown = pictures.marked(denoised, clean, shape) if binary else pictures.rgb(denoised, shape)
        blank = np.ones_like(shown)
        triplets = np.stack(
            [pictures.rgb(clean, shape), pictures.rgb(noisy, shape), shown, blank], axis=1
        )  # (K, 4, h, w, 3)
        rows.append(
            {"title": ref["title"], "images": triplets.reshape(-1, *triplets.shape[2:])[:-1]}
        )
    return pictures.strips(rows)


SLIDE = SlideKind(
    name="denoising_examples",
    title="Denoising examples",
    position=130,
    build=build,
    why_not=needs_noise,
    prepare=prepare,
)
