"""Training samples above what the model makes of them."""

from __future__ import annotations

from report import summary as sm
from report.slides import SlideKind, figure, runs

DIGIT_EXAMPLES = 32  # reconstructions of digits: 32 training images spread over the set


def build(s: sm.Summary) -> dict:
    lede = ("Each original above its reconstruction, thresholded at 0.5; wrong pixels in red."
            if runs.glyphs(s.spec) else
            f"{DIGIT_EXAMPLES} training images, spread over the set, above their "
            "reconstructions.")
    return {"lede": lede, "note": runs.representative_note(s),
            "figure": figure(".png", "Originals and reconstructions", refs=runs.refs(s))}


def prepare(refs: list[dict]):
    from report.figures import pictures  # matplotlib only where figures are drawn

    panels = []
    for ref in refs:
        run = runs.load(ref)
        x = runs.data_of(run.spec).x_train
        if not runs.glyphs(run.spec):
            x = runs.spread(x, DIGIT_EXAMPLES)
        panels.append({"title": ref["title"], "originals": x,
                       "outputs": runs.model_of(run).reconstruct(x)[0]})
    glyphs = runs.glyphs(run.spec)
    return pictures.reconstructions(panels, runs.info(run.spec).image_shape,
                                    per_row=32 if glyphs else 16, mark=glyphs)


SLIDE = SlideKind(name="reconstructions", title="Reconstructions", position=80, build=build,
                  prepare=prepare, card=6, cost=1)
