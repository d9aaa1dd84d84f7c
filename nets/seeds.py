"""Per-member random streams: every member draws from generators derived from its own seed.

A member's seed becomes ``np.random.SeedSequence(seed)``; its spawned children are independent
streams, one per purpose. Because no generator is shared between members, member k of an ensemble
draws exactly what it would draw trained alone, whatever the ensemble's size or order.
"""
import numpy as np

STREAMS = ("init", "shuffle", "noise", "eval")  # child k of a member's SeedSequence is STREAMS[k]


def generators(seeds, stream):
    """One fresh ``np.random.Generator`` per seed for ``stream`` (a name in STREAMS)."""
    child = STREAMS.index(stream)
    return [np.random.default_rng(np.random.SeedSequence(int(s)).spawn(len(STREAMS))[child])
            for s in seeds]
