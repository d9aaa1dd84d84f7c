"""New images decoded from a regular grid over the latent plane, with the explorer below."""

from __future__ import annotations

from report import summary as sm
from report.slides import SlideKind, needs_plane, runs

GRID_STEPS = 15  # decoded grid over the latent plane: 15 x 15 images


def build(s: sm.Summary) -> dict:
    """One grid per configuration, chosen on the page; the explorer follows the choice."""
    from report import explorer  # it loads matplotlib: not when a YAML is validated

    noun = runs.noun(s.spec)
    if runs.glyphs(s.spec):
        marked = "the training codes marked"
    elif runs.labelled(s):
        marked = f"the mean code of each class of {noun}s marked"
    else:
        marked = f"training codes marked (the {noun}s have no labels)"
    shown = runs.choices(s, "Decoded latent grid")
    return {
        "title": f"New {noun}s from the latent plane",
        "lede": f"{noun.capitalize()}s decoded from a regular {GRID_STEPS} × {GRID_STEPS} "
        f"grid over the latent plane, {marked}. Between the known {noun}s, the "
        "decoder draws new ones.",
        "note": runs.chooser_note(s, shown),
        **shown,
        "explorer": explorer.section(
            runs.representatives(s, None),
            len(s.configurations) > 1,
            "Explore the latent plane",
            selected=runs.best_pair(s)[1],
        ),
    }


def prepare(refs: list[dict]):
    from report.figures import latent  # matplotlib only where figures are drawn

    panels = []
    for ref in refs:
        run = runs.load(ref)
        codes = run.latent["train"][:, :2]  # (N, 2)
        extent = runs.extent(codes, run.spec)
        images = runs.model_of(run).decode(latent.latent_grid(extent, GRID_STEPS))[0]  # (G*G, D)
        marks, labels = runs.marks(codes, run.latent["labels"], runs.classes_of(run.spec))
        panels.append(
            {
                "title": ref["title"],
                "images": images,
                "extent": extent,
                "codes": marks,
                "labels": labels,
            }
        )
    return latent.generated_grid(panels, runs.info(run.spec).shape)


SLIDE = SlideKind(
    name="generated_grid",
    title="New characters from the latent plane",
    position=110,
    build=build,
    why_not=needs_plane,
    prepare=prepare,
    card=3,
    cost=2,
)
