"""New images decoded from a regular grid over the latent plane, with the explorer below."""

from __future__ import annotations

from report import explorer, figures
from report import summary as sm
from report.slides import SlideKind, figure, needs_plane, runs

GRID_STEPS = 15  # decoded grid over the latent plane: 15 x 15 images
PANELS = 4  # configurations shown


def build(s: sm.Summary) -> dict:
    glyphs = runs.glyphs(s.spec)
    what = "characters" if glyphs else "digits"
    marked = "the training codes" if glyphs else "the mean code of each digit"
    pairs = runs.representatives(s)[:PANELS]
    return {"lede": f"{what.capitalize()} decoded from a regular {GRID_STEPS} × {GRID_STEPS} grid "
                    f"over the latent plane, {marked} marked. Between the known {what}, the "
                    "decoder draws new ones.",
            "note": runs.representative_note(s),
            "figure": figure(".png", "Decoded latent grid", refs=runs.refs(s, PANELS)),
            "explorer": explorer.section(pairs, len(s.configurations) > 1,
                                         "Explore the latent plane")}


def prepare(refs: list[dict]):
    panels = []
    for ref in refs:
        run = runs.load(ref)
        codes = run.latent["train"][:, :2]  # (N, 2)
        extent = runs.extent(codes, run.spec)
        images = runs.model_of(run).decode(figures.latent_grid(extent, GRID_STEPS))[0]  # (G*G, D)
        marks, labels = runs.marks(codes, run.latent["labels"], runs.classes_of(run.spec.dataset))
        panels.append({"title": ref["title"], "images": images, "extent": extent,
                       "codes": marks, "labels": labels})
    return figures.generated_grid(panels, runs.info(run.spec).image_shape)


SLIDE = SlideKind(name="generated_grid", title="New characters from the latent plane",
                  position=110, build=build, why_not=needs_plane, prepare=prepare, card=3,
                  cost=2)
