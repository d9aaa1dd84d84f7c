"""mnist-5k: 5,000 MNIST training digits shipped with the package (mnist5k.npz), no test set.

MNIST experiments run offline and fast on it; the digits are stored as MNIST stores them (uint8,
28x28) and scaled exactly like mnist's.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from runner import fingerprint as fingerprints
from runner.datasets.dataset import Data, DatasetInfo
from runner.datasets.mnist import DIGITS, pixels

INFO = DatasetInfo("mnist-5k", 784, (28, 28), "digits", has_test=False, n_train=5_000)

_SAMPLE = Path(__file__).with_name("mnist5k.npz")


def load(path: None, dtype: np.dtype) -> Data:
    with np.load(_SAMPLE) as npz:
        images, labels = npz["images"], npz["labels"]
    return Data("mnist-5k", x_train=pixels(images, dtype), y_train=labels.astype(np.int64),
                x_test=None, y_test=None, classes=list(DIGITS), image_shape=INFO.image_shape)


def fingerprint(path: None) -> str:
    """Hash of the sample's bytes (part of every mnist-5k run's id)."""
    return fingerprints.data([_SAMPLE])
