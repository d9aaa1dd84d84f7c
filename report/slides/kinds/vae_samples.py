"""New images decoded from draws of the prior."""

from __future__ import annotations

import numpy as np

from report import summary as sm
from report.slides import SlideKind, figure, needs_vae, runs

SAMPLES = 100  # 10 x 10 draws from the prior
PANELS = 3  # configurations shown


def build(s: sm.Summary) -> dict:
    return {
        "lede": f"{SAMPLES} new {runs.noun(s.spec)}s decoded from z drawn from N(0, I).",
        "note": runs.representative_note(s),
        "figure": figure(".png", "Samples decoded from the prior", refs=runs.refs(s, PANELS)),
    }


def prepare(refs: list[dict]):
    from report.figures import pictures  # matplotlib only where figures are drawn

    panels = []
    for ref in refs:
        run = runs.load(ref)
        z = np.random.default_rng(0).standard_normal(  # the same draws each time
            (SAMPLES, min(run.spec.architecture))
        )
        panels.append({"title": ref["title"], "images": runs.model_of(run).decode(z)[0]})
    return pictures.image_grids(panels, runs.info(run.spec).shape)


SLIDE = SlideKind(
    name="vae_samples",
    title="Samples from the prior",
    position=90,
    build=build,
    why_not=needs_vae,
    prepare=prepare,
    card=5,
)
