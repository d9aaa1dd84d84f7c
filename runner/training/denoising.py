"""The denoising evaluation: fresh noisy copies of the characters, decoded by the model and by
the baselines, measured against the clean glyph.

A member's draws at a level come from its evaluation stream keyed by its seed and that level
(nets.seeds), whatever level it trained at: measured at the level it trained at, or at any of
``noise.test_levels``, every run of a sweep sees the same noisy characters at a seed and level.
"""

from __future__ import annotations

import numpy as np

from nets import noise as noise_models
from nets import seeds
from runner import baselines
from runner.metrics import Denoise, DenoiseAt
from runner.plan import Pack
from runner.training.measures import draw_summary, wrong_pixels


def noisy_draws(
    model, pack: Pack, x: np.ndarray, levels: np.ndarray | None = None
) -> tuple[np.ndarray, ...]:
    """Clean characters repeated (M, D) (M = N x eval_draws, glyph-major), fresh noisy copies of
    them (S, M, D) at ``levels`` (S,) (default: each member's own) and the model's outputs
    (S, M, D)."""
    noise = pack.spec.noise
    levels = pack.noise_levels if levels is None else levels
    draws = np.repeat(x, noise.eval_draws, axis=0)
    rngs = seeds.generators(pack.seeds, "eval", levels)
    noisy = noise_models.make(noise.kind, levels).apply(draws, rngs)
    return draws, noisy, model.reconstruct(noisy)


def denoise_metrics(
    pack: Pack,
    x: np.ndarray,
    draws: np.ndarray,
    noisy: np.ndarray,
    denoised: np.ndarray,
    levels: np.ndarray | None = None,
) -> list[Denoise]:
    """Wrong pixels against the clean glyph on the noisy draws, for the model and baselines
    (the baselines decode knowing the draws' ``levels``, default: each member's own)."""
    kind = pack.spec.noise.kind
    levels = pack.noise_levels if levels is None else levels
    results = []
    for k in range(len(pack.runs)):
        decoded = {
            "model": denoised[k],
            **baselines.decode_all(x, noisy[k], kind, float(levels[k])),
        }
        results.append(
            Denoise(
                **{
                    name: draw_summary(wrong_pixels(out, draws).reshape(len(x), -1))
                    for name, out in decoded.items()
                }
            )
        )
    return results


def at_test_levels(model, pack: Pack, x: np.ndarray) -> list[tuple[DenoiseAt, ...]] | None:
    """Each member's denoising at every level of ``noise.test_levels``; None: it has none."""
    test_levels = pack.spec.noise.test_levels
    if not test_levels:
        return None
    per_level = []
    for level in test_levels:
        levels = np.full(len(pack.runs), level)
        found = denoise_metrics(pack, x, *noisy_draws(model, pack, x, levels), levels)
        per_level.append([DenoiseAt(level=level, **d.model_dump()) for d in found])
    return [tuple(member) for member in zip(*per_level)]
