"""Is a generated picture new, and does it look like the data? Its distance to the nearest
training picture, read against how far each training picture is from its nearest other one.

    metric = metric_of("binary")                              # "hamming"
    ref = reference(x_train, metric)                          # NN distances inside the set
    dist, index = nearest(samples, x_train, metric)          # (S,), (S,)
    verdict(dist, ref)                                        # {"new": (S,) bool, "like": ...}

Distances read in the data's own units whatever its size: for grey and RGB pictures the RMS
of the value differences (0 the same picture, 1 black against white everywhere); for binary
ones the pixels that differ once both are thresholded at 0.5 (Hamming), which is how the course
counts a character's wrong pixels. Distances are computed a block of training rows at a time,
so 60,000 MNIST digits against a few hundred samples stay within a few tens of megabytes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CHUNK = 4096  # training rows per block: (S, CHUNK) distances in memory at a time
REFERENCE = 300  # training pictures whose nearest other one is measured (all of a smaller set)
K_PIXELS = 3  # binary data: a picture this many pixels from every training one is a new one
THRESHOLD = 0.5  # binary data: a value above this is a dark pixel
LIKE_QUANTILE = 95  # like the data: no farther than this percentile of the training distances


def metric_of(color: str) -> str:
    """'hamming' for binary pictures, 'rms' for grey and RGB ones."""
    return "hamming" if color == "binary" else "rms"


def measured(x: np.ndarray, metric: str, dtype=np.float64) -> np.ndarray:
    """The values a metric compares: thresholded 0/1 for Hamming, as they are for RMS."""
    x = np.asarray(x)
    return (x > THRESHOLD).astype(dtype) if metric == "hamming" else x.astype(dtype, copy=False)


def nearest(
    queries: np.ndarray,
    train: np.ndarray,
    metric: str,
    exclude: np.ndarray | None = None,
    chunk: int = CHUNK,
) -> tuple[np.ndarray, np.ndarray]:
    """Each query's nearest training picture: (distances (S,), training indices (S,)).

    queries (S, D), train (N, D); exclude (S,) a training index each query may not pick (itself,
    for the training set's own distances), -1 for none. The search ranks by squared distance
    expanded as |q|^2 - 2 q.t + |t|^2 in float32, one matrix product per block; the distance
    returned is then computed directly in float64, so a copy of a training picture is exactly 0.
    """
    q = measured(queries, metric)  # (S, D)
    q32 = measured(queries, metric, np.float32)
    q_sq = np.einsum("sd,sd->s", q32, q32)  # (S,)
    best = np.full(len(q), np.inf)
    index = np.zeros(len(q), dtype=int)
    rows = np.arange(len(q))
    for start in range(0, len(train), chunk):
        t = measured(train[start : start + chunk], metric, np.float32)  # (C, D)
        d = q_sq[:, None] - 2 * q32 @ t.T + np.einsum("cd,cd->c", t, t)[None]  # (S, C)
        if exclude is not None:
            d[exclude[:, None] == np.arange(start, start + len(t))[None]] = np.inf
        k = d.argmin(axis=1)  # (S,)
        closer = d[rows, k] < best
        best[closer] = d[rows, k][closer]
        index[closer] = start + k[closer]
    diff = q - measured(train[index], metric)  # (S, D)
    if metric == "hamming":
        return np.abs(diff).sum(axis=1), index
    return np.sqrt(np.mean(diff**2, axis=1)), index


def spaced(n: int, count: int = REFERENCE) -> np.ndarray:
    """``count`` indices evenly spaced through n (all of them when n is smaller), so that every
    class is measured where the set is sorted by label."""
    return np.unique(np.linspace(0, n - 1, min(n, count)).round().astype(int))


@dataclass(frozen=True)
class Reference:
    """The distance from training pictures to their nearest other training picture."""

    distances: np.ndarray  # (M,) one per measured training picture
    measured: int  # M, the training pictures measured (evenly spaced)
    of: int  # N, the training pictures each was compared with

    @property
    def median(self) -> float:
        """A sample farther than this from every training picture is new."""
        return float(np.median(self.distances))

    @property
    def low(self) -> float:
        return float(np.percentile(self.distances, 5))

    @property
    def high(self) -> float:
        """A sample no farther than this from a training picture looks like the data."""
        return float(np.percentile(self.distances, LIKE_QUANTILE))


def reference(train: np.ndarray, metric: str, count: int = REFERENCE) -> Reference:
    """Nearest-neighbour distances inside the training set, for ``count`` evenly spaced training
    pictures against all the others (a set of one picture has no such distance)."""
    if len(train) < 2:
        raise ValueError("the training set needs two pictures to measure how far apart they are")
    picked = spaced(len(train), count)
    distances, _ = nearest(train[picked], train, metric, exclude=picked)
    return Reference(distances, len(picked), len(train))


def verdict(distances: np.ndarray, ref: Reference) -> dict[str, np.ndarray]:
    """Per sample: new (farther from its nearest training picture than the median training
    picture is from its nearest other one) and like the data (no farther than the 95th
    percentile of those training distances)."""
    return {"new": distances > ref.median, "like": distances <= ref.high}
