"""mnist-5k: 5,000 MNIST training digits shipped with the package (mnist5k.npz), no test set.

MNIST experiments run offline and fast on it; the digits are stored as MNIST stores them (uint8,
28x28) and scaled exactly like mnist's.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from runner import fingerprint as fingerprints
from runner.datasets.dataset import Data, DatasetInfo, Source
from runner.datasets.idxset import pixels
from runner.datasets.mnist import DIGITS

INFO = DatasetInfo("mnist-5k", (28, 28, 1), "grey", "digits", has_test=False, n_train=5_000)

_SAMPLE = Path(__file__).with_name("mnist5k.npz")


def load(source: Source, dtype: np.dtype) -> Data:
    with np.load(_SAMPLE) as npz:
        images, labels = npz["images"], npz["labels"]
    return Data(
        "mnist-5k",
        x_train=pixels(images, dtype),
        y_train=labels.astype(np.int64),
        x_test=None,
        y_test=None,
        classes=list(DIGITS),
        shape=INFO.shape,
        color=INFO.color,
    )


def fingerprint(source: Source) -> str:
    """Hash of the sample's bytes (part of every mnist-5k run's id)."""
    return fingerprints.data([_SAMPLE])
