"""Minibatches for an ensemble: member k visits the samples in its own random order, or every
member in the data's order.

With a batch size below N and ``shuffle`` (the default), every epoch each member draws a
permutation of the N samples from its own shuffling generator; batch j is slice j of it (the
last one may be smaller), gathered into reused buffers. Without ``shuffle`` every epoch visits
the samples in the data's order, so batch j is slice j of the arrays themselves: views, and a
shared (N, D) array stays shared (b, D), which spares a gather per step. With no batch size (or
one >= N) there is one full batch in the data's order: arrays pass through untouched.
"""
import numpy as np


class Batches:
    def __init__(self, n_samples, batch_size, rngs, shuffle=True):
        self.n = n_samples
        self.size = None if batch_size is None or batch_size >= n_samples else int(batch_size)
        self.rngs = rngs
        self.shuffle = shuffle
        self._buffers = {}  # (which array, batch length) -> (S, b, D) buffer

    def __call__(self, *arrays):
        """Yield one tuple of batch arrays per step, from arrays that are each (N, D) shared by
        every member or (S, N, D) per member: each (S, b, D), or (b, D) for a shared array
        when the order is the data's."""
        if self.size is None:
            yield arrays
            return
        if not self.shuffle:
            for start in range(0, self.n, self.size):
                yield tuple(a[..., start:start + self.size, :] for a in arrays)
            return
        yield from self._shuffled(arrays)

    def _shuffled(self, arrays):
        S = len(self.rngs)
        order = np.stack([rng.permutation(self.n) for rng in self.rngs])  # (S, N)
        # rows of a per-member array (S, N, D) seen as (S*N, D): member k's sample i is k*N + i
        offset_order = order + self.n * np.arange(S)[:, None]
        for start in range(0, self.n, self.size):
            stop = min(start + self.size, self.n)
            batch = []
            for i, a in enumerate(arrays):
                same = next((j for j in range(i) if arrays[j] is a), None)  # input is target
                batch.append(batch[same] if same is not None else
                             self._gather(i, a, order[:, start:stop], offset_order[:, start:stop]))
            yield tuple(batch)

    def _gather(self, i, a, idx, offset_idx):
        S, b = idx.shape
        out = self._buffers.get((i, b))
        if out is None:
            out = self._buffers[(i, b)] = np.empty((S, b, a.shape[-1]), a.dtype)
        if a.ndim == 2:
            return np.take(a, idx, axis=0, out=out)  # (S, b, D)
        return np.take(a.reshape(-1, a.shape[-1]), offset_idx, axis=0, out=out)  # (S, b, D)
