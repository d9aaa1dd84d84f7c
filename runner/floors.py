"""The reference decoders' expected errors, estimated on a large draw of their own.

A denoising table sets the model beside the noisy input, the nearest glyph and the Bayes-optimal
decoder (runner.baselines). Measured on the model's own evaluation draws (a few thousand noisy
characters) those references carry sampling noise as large as the gaps they are there to show:
at p = 0.05 the nearest glyph could "beat" the Bayes floor. So each reference's expected wrong
pixels per character is estimated here on its own draw of at least 10^6 characters, with its
standard error.

The estimate is Rao-Blackwellised: for each noisy input x the posterior over glyphs is known
exactly, so instead of counting the wrong pixels against the one glyph that made x, we take
their expectation over every glyph that could have made it,

    E[wrong | x] = sum_d  y_d (1 - q_d) + (1 - y_d) q_d,   q_d = P(pixel d is on | x),

where y is the decoder's output. Its mean over draws has the same expectation as the plain count
and a far smaller variance (for the Bayes decoder it is sum_d min(q_d, 1 - q_d)).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from nets import noise as noise_models
from nets import seeds
from runner import baselines, datasets, files, fingerprint

DRAWS = 2**22  # noisy characters per (noise kind, level): about 4 million
#: Samples x pixels the floors are computed over: each noisy draw's posterior is over every
#: sample, so the time grows with both (the font's 32 x 35 is 1,120; at the limit a level
#: takes some 30 times the font's few seconds).
MAX_SIZE = 2**15
CHUNK = 2**15  # characters decoded at once: (CHUNK, glyphs) posteriors stay small
SEED = 20_240_917  # the floors' own stream: no run draws from it


def why_not(info: datasets.DatasetInfo) -> str | None:
    """Why a denoising experiment on this data has no floors, as a sentence's end ("the 28x28
    grey images are not binary"), or None where they apply: on binary data (the reference
    decoders threshold pixels and know every sample), of at most MAX_SIZE samples x pixels."""
    words = {"glyphs": "characters", "digits": "digits", "images": "images"}
    if info.color != "binary":
        return f"the {info.describe()} {words[info.kind]} are not binary"
    if info.n_train * info.n_features > MAX_SIZE:
        return (
            f"{info.n_train:,} samples of {info.n_features:,} pixels are more than the "
            f"{MAX_SIZE:,} samples x pixels they are computed over"
        )
    return None


def _chunk_values(glyphs: np.ndarray, noisy: np.ndarray, kind: str, level: float) -> dict:
    """Each reference decoder's expected wrong pixels on one chunk of noisy inputs: (M,) each.

    A decoded pixel y in {0, 1} is wrong with probability q if off and 1 - q if on, so a
    character's expectation is sum(q) + y . (1 - 2q): one dot product per decoder."""
    q = baselines.pixel_on(glyphs, noisy, kind, level)  # (M, D)
    decoded = baselines.decode_all(glyphs, noisy, kind, level, on=q)
    off_sum, flip = q.sum(axis=1), 1 - 2 * q
    return {
        name: off_sum + np.vecdot((out > 0.5).astype(q.dtype), flip)
        for name, out in decoded.items()
    }


def expected_errors(
    glyphs: np.ndarray, kind: str, level: float, draws: int = DRAWS, seed: int = SEED
) -> dict[str, dict]:
    """{decoder: {"mean", "se", "draws"}}: expected wrong pixels per character of each reference
    decoder under ``kind`` noise at ``level``, every glyph drawn equally often."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(seeds.level_key(level),)))
    noise = noise_models.make(kind, level)
    per_glyph = max(1, min(CHUNK, draws) // len(glyphs))
    sums: dict[str, np.ndarray] = {}
    done = 0
    while done < draws:
        clean = np.repeat(glyphs, per_glyph, axis=0)  # (M, D), glyph-major
        noisy = noise.apply(clean, [rng])[0]
        for name, values in _chunk_values(glyphs, noisy, kind, level).items():
            total = sums.setdefault(name, np.zeros(2))
            total += (values.sum(), (values**2).sum())
        done += len(clean)
    return {name: _mean_and_se(total, done) | {"draws": done} for name, total in sums.items()}


def _mean_and_se(total: np.ndarray, n: int) -> dict:
    mean = total[0] / n
    variance = max(total[1] / n - mean**2, 0.0) * n / max(n - 1, 1)
    return {"mean": float(mean), "se": float(np.sqrt(variance / n))}


# ---------------------------------------------------------------------------------------------
# stored beside an experiment's runs

FILE = "floors.json"  # in the experiment's results folder


def _source() -> list[Path]:
    """The code the floors come from: a change to it recomputes them."""
    return [Path(__file__), Path(baselines.__file__), Path(noise_models.__file__)]


def update(
    folder: Path, dataset: str, kind: str, levels: list[float], draws: int = DRAWS
) -> list[dict]:
    """The floors of each noise level of a denoising experiment on glyphs, from ``folder``'s
    floors.json where it holds them for this code and data, else computed and stored there.

    Returns one entry per level: {"kind", "level", "draws", "key", "decoders": {name: {"mean",
    "se", "draws"}}}. A few seconds per level, once: a rerun reads them back.
    """
    key = fingerprint.digest(
        [
            fingerprint.data(_source()).encode(),
            datasets.fingerprint(dataset).encode(),
            str(draws).encode(),
        ]
    )
    path = Path(folder) / FILE
    stored = json.loads(path.read_text()) if path.exists() else []
    known = {(e["kind"], e["level"]): e for e in stored if e.get("key") == key}
    missing = [level for level in levels if (kind, level) not in known]
    if missing:  # the glyphs are loaded only when something is to be computed
        glyphs = datasets.load(dataset).x_train
        known |= {
            (kind, level): {
                "kind": kind,
                "level": level,
                "draws": draws,
                "key": key,
                "decoders": expected_errors(glyphs, kind, level, draws),
            }
            for level in missing
        }
    entries = [known[(kind, level)] for level in levels]
    if entries != stored:
        files.atomic_write(path, json.dumps(entries, indent=1) + "\n")
    return entries


def read(folder: Path) -> dict[tuple[str, float], dict]:
    """The stored floors of an experiment, by (noise kind, level); empty if none."""
    path = Path(folder) / FILE
    entries = json.loads(path.read_text()) if path.exists() else []
    return {(e["kind"], e["level"]): e["decoders"] for e in entries}
