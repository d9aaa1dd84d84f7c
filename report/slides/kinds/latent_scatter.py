"""The training set encoded into the 2-D latent plane."""

from __future__ import annotations

from report import summary as sm
from report.slides import SlideKind, figure, needs_plane, runs


def build(s: sm.Summary) -> dict:
    glyphs = runs.glyphs(s.spec)  # else perhaps thousands of points: a PNG, not an SVG of each
    noun = runs.noun(s.spec)
    if glyphs:
        what = "each point labelled with its character"
    elif runs.labelled(s):
        what = "each point coloured by its class (the legend names them)"
    else:
        what = f"all in one colour: the {noun}s have no labels"
    return {
        "lede": f"The training set encoded into the 2-D latent plane, {what}.",
        "note": runs.representative_note(s),
        "figure": figure(
            ".svg" if glyphs else ".png", "Latent codes of the training set", refs=runs.refs(s)
        ),
    }


def prepare(refs: list[dict]):
    from report.figures import latent  # matplotlib only where figures are drawn

    stored = [runs.load(ref) for ref in refs]
    panels = [
        {"title": ref["title"], "codes": run.latent["train"], "labels": run.latent["labels"]}
        for ref, run in zip(refs, stored)
    ]
    spec = stored[0].spec
    return latent.latent_scatter(panels, runs.classes_of(spec), text=runs.glyphs(spec))


SLIDE = SlideKind(
    name="latent_scatter",
    title="Latent space",
    position=60,
    build=build,
    why_not=needs_plane,
    prepare=prepare,
    card=4,
    cost=4,
)
