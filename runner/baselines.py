"""Denoisers that need no training, to tell how good a denoising autoencoder really is.

On a font of G glyphs with known noise, three reference decoders bracket what a model can do:

- ``noisy``: keep the noisy input (thresholded at 0.5): what doing nothing costs;
- ``nearest``: replace the input by the glyph closest to it (Hamming distance after
  thresholding): a classifier's answer, perfect until the noise makes glyphs confusable;
- ``bayes``: set each pixel by its posterior probability under the true noise model with a
  uniform prior over the glyphs. No denoiser can have a lower expected number of wrong pixels,
  so it is the floor a model is measured against.

The posterior is exact for every noise kind of nets.noise, the pixels being independent given
the glyph: bit flips; salt and pepper, which on binary glyphs is bit flips at p/2; masking, one-
sided (an on pixel where the glyph is off rules the glyph out); and Gaussian noise clipped to
[0, 1], with the normal's density inside the range and its tail masses at the two bounds.

Shapes: glyphs (G, D) binary; noisy inputs (M, D); every decoder returns (M, D) in {0, 1}.
"""

from __future__ import annotations

import math

import numpy as np

NAMES = ("noisy", "nearest", "bayes")


def noisy(inputs: np.ndarray) -> np.ndarray:
    return (inputs > 0.5).astype(inputs.dtype)


def hamming(inputs: np.ndarray, glyphs: np.ndarray) -> np.ndarray:
    """Pixels on the other side of 0.5 between each input and each glyph: (M, G) integers.

    Each character's pixels are packed into 64-bit words, so a distance is a popcount of their
    XOR per word: a font character is one word, and 32,768 inputs against 32 glyphs take about
    a tenth of the time of the two float32 matrix products that counted them before.
    """
    x, g = _words(inputs), _words(glyphs)  # (M, W), (G, W)
    return np.bitwise_count(x[:, None, :] ^ g[None, :, :]).sum(axis=-1, dtype=np.int32)


def _words(images: np.ndarray) -> np.ndarray:
    """(N, D) images as (N, ceil(D / 64)) uint64 words of their pixels above 0.5."""
    packed = np.packbits(images > 0.5, axis=1)  # (N, ceil(D / 8)) bytes
    words = np.zeros((len(images), -(-packed.shape[1] // 8) * 8), np.uint8)
    words[:, : packed.shape[1]] = packed
    return words.view(np.uint64)


def nearest(glyphs: np.ndarray, inputs: np.ndarray) -> np.ndarray:
    """The closest glyph to each input; ties go to the glyph listed first."""
    return glyphs[hamming(inputs, glyphs).argmin(axis=1)].astype(inputs.dtype)


def _log_likelihood_bitflip(glyphs: np.ndarray, inputs: np.ndarray, p: float) -> np.ndarray:
    """log P(input | glyph) when each pixel flips independently with probability p: (M, G)."""
    p = min(max(p, 1e-12), 1 - 1e-12)  # p = 0 or 1 would make log(0); the limit is the same
    flips = hamming(inputs, glyphs).astype(np.float64)
    return flips * np.log(p) + (glyphs.shape[1] - flips) * np.log1p(-p)


def _log_likelihood_gaussian(glyphs: np.ndarray, inputs: np.ndarray, sigma: float) -> np.ndarray:
    """log P(input | glyph) for binary glyph + N(0, sigma^2) clipped to [0, 1]: (M, G).

    Clipping puts probability mass on exactly 0 and exactly 1, so those pixels take the
    normal's tail mass and the others its density.
    """
    sigma = max(sigma, 1e-12)
    tail = 0.5 * math.erfc(1 / (sigma * math.sqrt(2)))  # P(noise > 1) = P(noise < -1)
    log_far = math.log(max(tail, 1e-300))  # clipped to the bound opposite the glyph's pixel
    log_near = math.log(0.5)  # clipped to the glyph's own bound: half the normal's mass
    x = inputs[:, None, :]  # (M, 1, D)
    on = glyphs[None, :, :] > 0.5  # (1, G, D)
    density = -0.5 * ((x - on) / sigma) ** 2 - math.log(sigma * math.sqrt(2 * math.pi))
    at_zero = np.where(on, log_far, log_near)
    at_one = np.where(on, log_near, log_far)
    per_pixel = np.where(x <= 0, at_zero, np.where(x >= 1, at_one, density))
    return per_pixel.sum(-1)


def _log_likelihood_masking(glyphs: np.ndarray, inputs: np.ndarray, p: float) -> np.ndarray:
    """log P(input | glyph) when each pixel is set to 0 with probability p: (M, G).

    A glyph's on pixel stays on with probability 1 - p and goes off with probability p; its
    off pixels stay off. So an input with a pixel on where the glyph is off cannot come from
    that glyph (likelihood 0, held as a log of 1e-300 per such pixel to keep the softmax
    defined), and otherwise log P = kept log(1 - p) + masked log(p), counted by two products.
    """
    p = min(max(p, 1e-12), 1 - 1e-12)  # as for bit flips: the limits are the same
    x = (inputs > 0.5).astype(np.float64)  # (M, D)
    g = (glyphs > 0.5).astype(np.float64)  # (G, D)
    kept = x @ g.T  # (M, G): on in both
    masked = g.sum(axis=1) - kept  # on in the glyph, off in the input
    impossible = x.sum(axis=1, keepdims=True) - kept  # on in the input only
    return kept * np.log1p(-p) + masked * np.log(p) + impossible * math.log(1e-300)


def _log_likelihood(glyphs: np.ndarray, inputs: np.ndarray, kind: str, level: float) -> np.ndarray:
    """log P(input | glyph) under ``kind`` noise at ``level``: (M, G), up to a constant.

    Salt and pepper on a binary glyph leaves a pixel as it was with probability 1 - p/2 (not
    hit, or hit and forced to its own value) and turns it over with probability p/2,
    independently per pixel: exactly bit flips at p/2, so it shares their likelihood.
    """
    if kind == "bitflip":
        return _log_likelihood_bitflip(glyphs, inputs, level)
    if kind == "salt_and_pepper":
        return _log_likelihood_bitflip(glyphs, inputs, level / 2)
    if kind == "masking":
        return _log_likelihood_masking(glyphs, inputs, level)
    return _log_likelihood_gaussian(glyphs, inputs, level)


def posterior(glyphs: np.ndarray, inputs: np.ndarray, kind: str, level: float) -> np.ndarray:
    """P(glyph | input) under the true noise model and a uniform prior over glyphs: (M, G)."""
    log_lik = _log_likelihood(glyphs, inputs, kind, level)
    log_lik -= log_lik.max(axis=1, keepdims=True)  # stable softmax over glyphs
    weights = np.exp(log_lik)
    return weights / weights.sum(axis=1, keepdims=True)


def pixel_on(glyphs: np.ndarray, inputs: np.ndarray, kind: str, level: float) -> np.ndarray:
    """P(pixel = 1 | input) for every pixel: (M, D)."""
    weights = posterior(glyphs, inputs, kind, level)
    return weights @ (glyphs > 0.5).astype(weights.dtype)  # a BLAS product, not a bool one


def bayes(
    glyphs: np.ndarray, inputs: np.ndarray, kind: str, level: float, on: np.ndarray | None = None
) -> np.ndarray:
    """Pixel-wise maximum a posteriori decoding under the true noise model (uniform prior);
    ``on`` is pixel_on's result where the caller has it already (the posterior is the costly
    part)."""
    on = pixel_on(glyphs, inputs, kind, level) if on is None else on
    return (on > 0.5).astype(inputs.dtype)


def decode_all(
    glyphs: np.ndarray, inputs: np.ndarray, kind: str, level: float, on: np.ndarray | None = None
) -> dict:
    """Every reference decoder's output on the same inputs, keyed by NAMES (``on`` as for
    bayes)."""
    return {
        "noisy": noisy(inputs),
        "nearest": nearest(glyphs, inputs),
        "bayes": bayes(glyphs, inputs, kind, level, on),
    }
