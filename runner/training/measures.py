"""An autoencoder's measures: wrong pixels, error measures, convergence and denoising."""

from __future__ import annotations

import numpy as np

from runner.metrics import Convergence, DrawSummary, ErrorMeasures, Errors


def wrong_pixels(output: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Pixels on the wrong side of 0.5, per sample: (..., N, D) -> (..., N)."""
    return ((output > 0.5) != (target > 0.5)).sum(axis=-1)


def pixel_fields(per_char: np.ndarray) -> dict:
    """Statistics of wrong pixels per character (per_char: (N,)) as plain numbers; counts stay
    integers, means over noise draws stay fractions."""
    return {
        "max": per_char.max().item(),
        "mean": float(per_char.mean()),
        "chars_le1": int((per_char <= 1).sum()),
        "share_le1": float((per_char <= 1).mean()),
        "per_char": per_char.tolist(),
    }


def draw_summary(wrong: np.ndarray) -> DrawSummary:
    """Statistics of wrong pixels per draw (wrong: (N, draws)): those of the per-character
    means, and ``draws_le1``, the share of single draws denoised to at most 1 wrong pixel."""
    return DrawSummary(**pixel_fields(wrong.mean(axis=1)), draws_le1=float((wrong <= 1).mean()))


def _first_epoch(trace: np.ndarray, bound: int) -> int | None:
    """First epoch (1-based) whose max wrong pixels is at most ``bound``, or None."""
    hits = np.flatnonzero(trace <= bound)
    return int(hits[0]) + 1 if hits.size else None


def convergence(trace: np.ndarray, first_zero: np.ndarray, seconds_per_epoch: float) -> Convergence:
    """Epochs and seconds to the bars, from one member's trace (epochs,) and first_zero (N,).

    ``per_char_epochs_to_zero`` says which characters come right last, which the final wrong
    pixels cannot tell once every character is right.
    """
    zero, le1 = _first_epoch(trace, 0), _first_epoch(trace, 1)

    def seconds(epoch: int | None) -> float | None:
        return None if epoch is None else epoch * seconds_per_epoch

    return Convergence(
        epochs_to_zero=zero,
        seconds_to_zero=seconds(zero),
        epochs_to_le1=le1,
        seconds_to_le1=seconds(le1),
        per_char_epochs_to_zero=[int(e) if e else None for e in first_zero],
    )


def error_measures(
    output: np.ndarray, target: np.ndarray, n_chars: int, span: float = 1.0
) -> ErrorMeasures:
    """The error measures of outputs (M, D) against their characters (M, D), both in [0, 1], the
    rows grouped by character (M = n_chars x draws, glyph-major). ``span`` 2 measures them in
    {-1, 1}: every difference doubles, while wrong pixels (the middle moves with the range)
    stay."""
    per_char = wrong_pixels(output, target).reshape(n_chars, -1).mean(axis=1)
    diff = (output - target) * span
    square = np.square(diff)
    return ErrorMeasures(
        wrong_pixels=float(per_char.mean()),
        worst_character=float(per_char.max()),
        mse=float(square.mean()),
        mae=float(np.abs(diff).mean()),
        sse=float(square.sum(axis=-1).mean()),
    )


def errors(output: np.ndarray, target: np.ndarray, n_chars: int, pixels: tuple) -> Errors:
    """The measures in {0, 1}, and in {-1, 1} as well when the run trained on those pixels."""
    in_pm1 = error_measures(output, target, n_chars, span=2.0) if pixels[0] < 0 else None
    return Errors(zero_one=error_measures(output, target, n_chars), plus_minus_one=in_pm1)
