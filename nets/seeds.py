"""Per-member random streams: every member draws from generators derived from its own seed.

A member's seed becomes ``np.random.SeedSequence(seed)``; its children are independent streams,
one per purpose (STREAMS). Because no generator is shared between members, member k of an
ensemble draws exactly what it would draw trained alone, whatever the ensemble's size or order.

The "eval" stream is never touched by training. A VAE draws its evaluation samples from it; a
denoising evaluation draws its noisy inputs from the child of it that its noise level keys, so
every architecture of a sweep is measured on the same noisy draws at the same seed and level.
"""

import numpy as np

STREAMS = ("init", "shuffle", "noise", "eval")  # child k of a member's SeedSequence is STREAMS[k]


def level_key(level: float) -> int:
    """A noise level as an integer that keys a random stream (levels 1e-9 apart differ)."""
    return int(round(float(level) * 1e9))


def generators(seeds, stream, levels=None):
    """One fresh ``np.random.Generator`` per seed for ``stream`` (a name in STREAMS); with
    ``levels`` (one per seed), each member's child of that stream for its noise level."""
    key = (STREAMS.index(stream),)
    keys = [key] * len(seeds) if levels is None else [key + (level_key(v),) for v in levels]
    return [
        np.random.default_rng(np.random.SeedSequence(int(s), spawn_key=k))
        for s, k in zip(seeds, keys)
    ]
