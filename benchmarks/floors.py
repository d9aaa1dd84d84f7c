"""Are the denoising floors right to the digits the site prints? Against a plain Monte Carlo.

    python benchmarks/floors.py            # bit flips at p = 0.05, 0.1, 0.2, 0.3

For each level it computes the reference decoders' expected wrong pixels per character as tp5
stores them (runner.floors: 4 million draws, Rao-Blackwellised) and, independently, by counting
the wrong pixels of 10^6 noisy characters against the glyphs that made them, from another seed.
It prints both, their difference, and that difference in units of its standard error (z): the
plain count's own standard error grows with the noise (about 0.003 pixel at p = 0.2 and 0.006 at
p = 0.3 for 10^6 characters), so at high noise "within 0.002 of the plain count" measures the
plain count's noise, and z says whether the two agree.
"""

from __future__ import annotations

import time

import numpy as np

from nets import noise as noise_models
from runner import baselines, datasets, floors

LEVELS = (0.05, 0.1, 0.2, 0.3)
PLAIN_DRAWS = 10**6
CHUNK = 2**15


def plain_count(glyphs: np.ndarray, level: float, draws: int, seed: int = 1) -> dict:
    """Wrong pixels counted against the true glyph: mean and standard error per decoder."""
    rng = np.random.default_rng(seed)
    noise = noise_models.make("bitflip", level)
    clean = np.repeat(glyphs, CHUNK // len(glyphs), axis=0)
    sums: dict[str, np.ndarray] = {}
    n = 0
    while n < draws:
        noisy = noise.apply(clean, [rng])[0]
        for name, out in baselines.decode_all(glyphs, noisy, "bitflip", level).items():
            wrong = ((out > 0.5) != (clean > 0.5)).sum(axis=1)
            sums.setdefault(name, np.zeros(2))
            sums[name] += (wrong.sum(), (wrong.astype(float) ** 2).sum())
        n += len(clean)
    return {
        name: {"mean": s[0] / n, "se": np.sqrt((s[1] / n - (s[0] / n) ** 2) / n)}
        for name, s in sums.items()
    }


def main() -> None:
    glyphs = datasets.load("font").x_train
    print(
        f"{'p':>5} {'decoder':<8} {'tp5 floor':>10} {'+-se':>8} {'plain 1e6':>10} {'+-se':>8} "
        f"{'difference':>11} {'z':>6} {'within 0.002':>13} {'seconds':>8}"
    )
    for level in LEVELS:
        start = time.perf_counter()
        ours = floors.expected_errors(glyphs, "bitflip", level)
        seconds = time.perf_counter() - start
        plain = plain_count(glyphs, level, PLAIN_DRAWS)
        for name in ("nearest", "bayes"):
            a, b = ours[name], plain[name]
            difference = a["mean"] - b["mean"]
            z = difference / np.hypot(a["se"], b["se"])
            print(
                f"{level:>5} {name:<8} {a['mean']:>10.4f} {a['se']:>8.4f} {b['mean']:>10.4f} "
                f"{b['se']:>8.4f} {difference:>+11.4f} {z:>+6.2f} "
                f"{str(abs(difference) < 0.002):>13} {seconds:>8.1f}"
            )


if __name__ == "__main__":
    main()
