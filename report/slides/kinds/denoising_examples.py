"""Samples clean, then with noise and denoised at each noise level, every row named."""

from __future__ import annotations

import numpy as np

from nets import noise as noise_models
from report import summary as sm
from report.axes import axis
from report.slides import SlideKind, needs_noise, runs

EXAMPLES = 8  # samples per row


def build(s: sm.Summary) -> dict:
    noun = runs.noun(s.spec)
    marked = (
        f" (wrong pixels against the clean {noun} in red)"
        if runs.info(s.spec).color == "binary"
        else ""
    )
    shown = runs.choices(s, f"Clean, noisy and denoised {noun}s", apart="noise")
    return {
        "lede": f"The same {noun}s clean, then at each noise level with noise and "
        f"denoised{marked}.",
        "note": runs.chooser_note(s, shown) + " One fixed noise draw.",
        **shown,
    }


def prepare(refs: list[dict]):
    from report.figures import pictures  # matplotlib only where figures are drawn

    stored = [runs.load(ref) for ref in refs]  # a run per noise level, same samples
    shape = runs.info(stored[0].spec).shape
    binary = runs.info(stored[0].spec).color == "binary"
    clean = runs.spread(runs.data_of(stored[0].spec).x_train, EXAMPLES)  # (K, D)
    groups = [[{"label": "clean", "images": pictures.rgb(clean, shape)}]]
    for run in stored:
        noise = noise_models.make(run.spec.noise.kind, run.spec.noise.level)
        noisy = noise.apply(clean, [np.random.default_rng(0)])[0]  # (K, D), one fixed draw
        denoised = runs.model_of(run).reconstruct(noisy)[0]
        shown = pictures.marked(denoised, clean, shape) if binary else pictures.rgb(denoised, shape)
        groups.append(
            [
                {
                    "label": f"noisy, {axis('noise').value(run.spec)}",
                    "images": pictures.rgb(noisy, shape),
                },
                {"label": f"denoised, seed {run.spec.seed}", "images": shown},
            ]
        )
    return pictures.labelled_rows(groups)


SLIDE = SlideKind(
    name="denoising_examples",
    title="Denoising examples",
    position=130,
    build=build,
    why_not=needs_noise,
    prepare=prepare,
)
