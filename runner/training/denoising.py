"""The denoising evaluation: fresh noisy copies of the characters, decoded by the model and by
the baselines, measured against the clean glyph."""

from __future__ import annotations

import numpy as np

from nets import noise as noise_models
from nets import seeds
from runner import baselines
from runner.metrics import Denoise
from runner.plan import Pack
from runner.training.measures import draw_summary, wrong_pixels


def noisy_draws(model, pack: Pack, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """Clean characters repeated (M, D) (M = N x eval_draws, glyph-major), fresh noisy copies of
    them (S, M, D) and the model's outputs (S, M, D)."""
    noise = pack.spec.noise
    draws = np.repeat(x, noise.eval_draws, axis=0)
    rngs = seeds.generators(pack.seeds, "eval", pack.noise_levels)
    noisy = noise_models.make(noise.kind, pack.noise_levels).apply(draws, rngs)
    return draws, noisy, model.reconstruct(noisy)


def denoise_metrics(pack: Pack, x: np.ndarray, draws: np.ndarray, noisy: np.ndarray,
                    denoised: np.ndarray) -> list[Denoise]:
    """Wrong pixels against the clean glyph on the noisy draws, for the model and baselines."""
    noise = pack.spec.noise
    results = []
    for k, run in enumerate(pack.runs):
        decoded = {"model": denoised[k],
                   **baselines.decode_all(x, noisy[k], noise.kind, run.noise.level)}
        results.append(Denoise(**{name: draw_summary(wrong_pixels(out, draws).reshape(len(x), -1))
                                  for name, out in decoded.items()}))
    return results
