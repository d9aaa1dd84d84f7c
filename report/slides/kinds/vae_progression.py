"""A VAE's latent plane at each snapshot epoch, above what its decoder draws there."""

from __future__ import annotations

import numpy as np

from report import summary as sm
from report.formatting import seeds_phrase
from report.slides import Setup, SlideKind, figure, needs_vae, runs
from report.slides.kinds.generated_grid import GRID_STEPS


def why_not(setup: Setup) -> str | None:
    no_snapshots = None if setup.snapshots else "needs snapshots (the epochs to show)"
    return needs_vae(setup) or no_snapshots


def build(s: sm.Summary) -> dict:
    from report import explorer  # it loads matplotlib: not when a YAML is validated

    config, run = runs.best_pair(s)
    marked = (
        "each labelled with its character"
        if runs.glyphs(s.spec)
        else "coloured by class"
        if runs.labelled(s)
        else f"in one colour (the {runs.noun(s.spec)}s have no labels)"
    )
    return {
        "lede": f"The latent codes of the training set at each snapshot epoch, {marked}, "
        "above what the decoder draws over the same square of the plane at that "
        "epoch.",
        "note": (
            f"Seed {run.spec.seed}"
            + (
                f", the median of its {seeds_phrase(s)} by {s.headline.label}"
                if len(config.runs) > 1
                else ", its configuration's one run"
            )
            + (
                f", of {runs.opens_on(s)}"
                if len(s.configurations) > 1 and runs.opening(s) is config
                else ""
            )
            + "."
        ),
        "figure": figure(
            ".png", "Latent space at snapshot epochs", ref=runs.ref(config, run, False)
        ),
        "explorer": explorer.section(
            [(config, run)], False, f"Explore the plane at the end, epoch {run.spec.epochs}"
        ),
    }


def snapshot_params(params: dict, epoch: int) -> dict | None:
    """Weights stored for a snapshot epoch (keys "epoch_<k>.<name>"), if the run kept them."""
    prefix = runs.SNAPSHOT_KEY.format(epoch) + "."
    found = {k[len(prefix) :]: v for k, v in params.items() if k.startswith(prefix)}
    return found or None


def final_params(params: dict) -> dict:
    return {k: v for k, v in params.items() if not k.startswith("epoch_")}


def prepare(ref: dict):
    from report.figures.latent import latent_grid, vae_progression  # matplotlib only here

    stored = runs.load(ref)
    spec, latent, params = stored.spec, stored.latent, stored.params
    epochs = [e for e in spec.snapshots if runs.SNAPSHOT_KEY.format(e) in latent]
    # one plane for every epoch: the scatters' view is the box the manifolds decode
    every_code = np.concatenate(
        [latent[runs.SNAPSHOT_KEY.format(e)][:, :2] for e in epochs] + [latent["train"][:, :2]]
    )
    extent = runs.extent(every_code, spec)
    grid = latent_grid(extent, GRID_STEPS)
    rows = []
    for epoch in epochs + ([] if spec.epochs in epochs else [spec.epochs]):
        final = epoch == spec.epochs
        weights = final_params(params) if final else snapshot_params(params, epoch)
        codes = (
            latent["train"]
            if final and epoch not in epochs
            else latent[runs.SNAPSHOT_KEY.format(epoch)]
        )
        manifold = None if weights is None else runs.model_of(stored, weights).decode(grid)[0]
        rows.append(
            {
                "title": f"epoch {epoch}",
                "codes": codes,
                "labels": latent["labels"],
                "manifold": manifold,
            }
        )
    return vae_progression(
        rows, runs.classes_of(spec), runs.glyphs(spec), runs.info(spec).shape, extent
    )


SLIDE = SlideKind(
    name="vae_progression",
    title="Latent space during training",
    position=70,
    build=build,
    why_not=why_not,
    prepare=prepare,
    cost=5,
)
