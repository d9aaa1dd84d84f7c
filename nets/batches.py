"""Minibatches for an ensemble: member k visits the samples in its own random order, or every
member in the data's order.

With a batch size below N and ``shuffle`` (the default), every epoch each member draws a
permutation of the N samples from its own shuffling generator; batch j is slice j of it (the
last one may be smaller). The samples of many steps are gathered by one call into a reused
buffer (the whole epoch's, on the font), and each step's batch is a view of it: at batch 1 a
gather per step cost as much as a layer's product. Without ``shuffle`` every epoch visits
the samples in the data's order, so batch j is slice j of the arrays themselves: views, and a
shared (N, D) array stays shared (b, D), which spares a gather per step. With no batch size (or
one >= N) there is one full batch in the data's order: arrays pass through untouched.
"""

import numpy as np

#: The most elements a gather buffer holds: a font epoch of a pack of 100 (112,000) is one gather;
#: an MNIST batch of 128 (100,352 per member) is gathered step by step, as before.
GATHER_ELEMENTS = 1 << 18


class Batches:
    def __init__(self, n_samples, batch_size, rngs, shuffle=True):
        self.n = n_samples
        self.size = None if batch_size is None or batch_size >= n_samples else int(batch_size)
        self.rngs = rngs
        self.shuffle = shuffle
        self._buffers = {}  # (which array, rows) -> (S, rows, D) buffer

    def __call__(self, *arrays):
        """Yield one tuple of batch arrays per step, from arrays that are each (N, D) shared by
        every member or (S, N, D) per member: each (S, b, D), or (b, D) for a shared array
        when the order is the data's."""
        if self.size is None:
            yield arrays
            return
        if not self.shuffle:
            for start in range(0, self.n, self.size):
                yield tuple(a[..., start : start + self.size, :] for a in arrays)
            return
        yield from self._shuffled(arrays)

    def _shuffled(self, arrays):
        S = len(self.rngs)
        order = np.stack([rng.permutation(self.n) for rng in self.rngs])  # (S, N)
        # rows of a per-member array (S, N, D) seen as (S*N, D): member k's sample i is k*N + i
        offset_order = order + self.n * np.arange(S)[:, None]
        # a chunk: as many whole steps as GATHER_ELEMENTS allows, gathered at once
        width = max(a.shape[-1] for a in arrays)
        rows = self.size * max(1, GATHER_ELEMENTS // (S * self.size * width))
        for first in range(0, self.n, rows):
            last = min(first + rows, self.n)
            chunk = []
            for i, a in enumerate(arrays):
                same = next((j for j in range(i) if arrays[j] is a), None)  # input is target
                chunk.append(
                    chunk[same]
                    if same is not None
                    else self._gather(i, a, order[:, first:last], offset_order[:, first:last])
                )
            for start in range(0, last - first, self.size):
                yield tuple(c[:, start : start + self.size] for c in chunk)

    def _gather(self, i, a, idx, offset_idx):
        S, b = idx.shape
        out = self._buffers.get((i, b))
        if out is None:
            out = self._buffers[(i, b)] = np.empty((S, b, a.shape[-1]), a.dtype)
        if a.ndim == 2:
            return np.take(a, idx, axis=0, out=out)  # (S, b, D)
        return np.take(a.reshape(-1, a.shape[-1]), offset_idx, axis=0, out=out)  # (S, b, D)
