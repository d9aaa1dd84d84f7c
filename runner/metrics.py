"""What a run measured: the models metrics.json is the serialisation of.

An autoencoder's metrics count wrong pixels, give a small set of common error measures (and, when
it was trained on noise, how well it denoises beside the reference decoders; on clean inputs, how
many epochs it took to get every character right); a VAE's give the terms of its ELBO. Losses
that went NaN or inf are held as None, as metrics.json stores them: strict JSON readers
(browsers) reject NaN.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field


def _none_unless_finite(value):
    return None if isinstance(value, float) and not math.isfinite(value) else value


#: A loss, or None where it went NaN or inf (training diverged).
Loss = Annotated[float | None, BeforeValidator(_none_unless_finite)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Timing(_Frozen):
    seconds: float = Field(description="the pack's wall time shared equally among its members")
    pack_seconds: float
    pack_size: int


class PixelSummary(_Frozen):
    """Wrong pixels per character (output and character on either side of 0.5)."""

    max: int
    mean: float
    chars_le1: int = Field(description="characters with at most 1 wrong pixel")
    share_le1: float
    per_char: tuple[int, ...]


class DrawSummary(PixelSummary):
    """Wrong pixels per character averaged over noisy draws, so counts become fractions."""

    max: float
    per_char: tuple[float, ...]
    draws_le1: float = Field(description="share of single draws with at most 1 wrong pixel")


class Denoise(_Frozen):
    """The model against the clean characters, beside the decoders of runner.baselines."""

    model: DrawSummary
    noisy: DrawSummary
    nearest: DrawSummary
    bayes: DrawSummary


class DenoiseAt(Denoise):
    """The same at another noise level than the run trained at (noise.test_levels)."""

    level: float = Field(description="the noise level of the evaluation draws (p or sigma)")


class Convergence(_Frozen):
    """The first epochs (and seconds) at which the worst character reached 0 or at most 1
    wrong pixels; None: never."""

    epochs_to_zero: int | None
    seconds_to_zero: float | None
    epochs_to_le1: int | None
    seconds_to_le1: float | None
    per_char_epochs_to_zero: tuple[int | None, ...]


def _absent(value) -> bool:
    return value is None


class ErrorMeasures(_Frozen):
    """A run's outputs against the characters in one pixel range, every way an "error" is
    commonly reported (README, "What we measure"). Denoising runs are measured on their noisy
    evaluation draws against the clean characters, per character the mean over its draws."""

    wrong_pixels: float = Field(
        description="pixels on the wrong side of the range's middle, per character (mean)"
    )
    worst_character: float = Field(description="wrong pixels of the worst character")
    mse: Loss = Field(description="squared error, mean over pixels and characters")
    mae: Loss = Field(description="absolute error, mean over pixels and characters")
    sse: Loss = Field(
        description="squared error summed over a character's pixels, mean over characters "
        "(twice the loss 'sse', which halves it)"
    )


class Errors(_Frozen):
    zero_one: ErrorMeasures = Field(description="pixels in {0, 1}")
    plus_minus_one: ErrorMeasures | None = Field(
        None, exclude_if=_absent, description="pixels in {-1, 1}: runs trained on them only"
    )


class EarlyStopping(_Frozen):
    """Early stopping on the validation loss (runner.training.validation): the pack trains every
    epoch and each run's best weights are the ones measured and stored."""

    best_epoch: int = Field(
        description="the epoch (from 1) of the lowest validation loss, whose "
        "weights the run keeps; 0: never finite"
    )
    validation_loss: Loss = Field(description="the validation loss at that epoch")
    stopped_epoch: int | None = Field(
        description="the epoch after which patience ran out; None: it never did"
    )


class AutoencoderMetrics(_Frozen):
    status: Literal["ok", "diverged"]
    final_loss: Loss
    mse: Loss
    wrong_pixels: PixelSummary
    timing: Timing
    errors: Errors | None = Field(
        None, exclude_if=_absent, description="None: stored before tp5 measured them"
    )
    # a run measures one of the two, and metrics.json holds only that one
    denoise: Denoise | None = Field(None, exclude_if=_absent)
    test_levels: tuple[DenoiseAt, ...] | None = Field(
        None,
        exclude_if=_absent,
        description="the denoising measured at each of "
        "noise.test_levels, on the draws a run trained at that level is measured on",
    )
    convergence: Convergence | None = Field(None, exclude_if=_absent)
    early_stop: EarlyStopping | None = Field(
        None, exclude_if=_absent, description="runs with training.early_stop only"
    )


class Elbo(_Frozen):
    """Negative ELBO and its terms, in nats per image."""

    recon: Loss
    kl: Loss
    neg_elbo: Loss


class VAEMetrics(_Frozen):
    status: Literal["ok", "diverged"]
    final_loss: Loss
    train: Elbo
    test: Elbo | None = Field(description="None: the dataset has no test set")
    timing: Timing
    early_stop: EarlyStopping | None = Field(
        None, exclude_if=_absent, description="runs with training.early_stop only"
    )


Metrics = AutoencoderMetrics | VAEMetrics

_BY_KIND = {"autoencoder": AutoencoderMetrics, "vae": VAEMetrics}


def parse_json(kind: str, text: str) -> Metrics:
    """The metrics of a run of ``kind`` from metrics.json."""
    return _BY_KIND[kind].model_validate_json(text)
