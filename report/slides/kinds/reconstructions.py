"""Training samples above what the model makes of them."""

from __future__ import annotations

from report import summary as sm
from report.slides import SlideKind, figure, runs

EXAMPLES = 32  # reconstructions of a large set: 32 training samples spread over it


def build(s: sm.Summary) -> dict:
    marked = "thresholded at 0.5; wrong pixels in red" if _marked(s.spec) else "as decoded"
    lede = (
        f"Each original above its reconstruction, {marked}."
        if runs.glyphs(s.spec) or runs.n_train(s.spec) <= EXAMPLES
        else f"{EXAMPLES} training {runs.noun(s.spec)}s, spread over the set, above their "
        f"reconstructions, {marked}."
    )
    return {
        "lede": lede,
        "note": runs.representative_note(s),
        "figure": figure(".png", "Originals and reconstructions", refs=runs.refs(s)),
    }


def prepare(refs: list[dict]):
    from report.figures import pictures  # matplotlib only where figures are drawn

    panels = []
    for ref in refs:
        run = runs.load(ref)
        x = runs.data_of(run.spec).x_train
        if not runs.glyphs(run.spec) and len(x) > EXAMPLES:
            x = runs.spread(x, EXAMPLES)
        panels.append(
            {"title": ref["title"], "originals": x, "outputs": runs.model_of(run).reconstruct(x)[0]}
        )
    return pictures.reconstructions(
        panels,
        runs.info(run.spec).shape,
        per_row=32 if runs.glyphs(run.spec) else 16,
        mark=_marked(run.spec),
    )


def _marked(spec) -> bool:
    """Binary data: outputs thresholded, wrong pixels marked; others are shown as decoded."""
    return runs.info(spec).color == "binary"


SLIDE = SlideKind(
    name="reconstructions",
    title="Reconstructions",
    position=80,
    build=build,
    prepare=prepare,
    card=6,
    cost=1,
)
