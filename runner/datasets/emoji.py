"""emoji: 297 Twemoji faces, 20x20 RGB on white, shipped with the package (emoji.npz), no test set.

Built by scripts/build_emoji.py from the npm package emoji-datasource-twitter (which faces and
why: that script's docstring); labels are the emoji's Unicode subcategories ("face-smiling",
"cat-face", "person", ...). A sample is its pixels row by row, each pixel's red, green and blue
next to each other.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from runner import fingerprint as fingerprints
from runner.datasets.dataset import Data, DatasetInfo, Source
from runner.datasets.idxset import pixels

#: White (1, 1, 1) is the background: x.reshape(-1, 20, 20, 3) gives the pictures.
INFO = DatasetInfo("emoji", (20, 20, 3), "rgb", "images", has_test=False, n_train=297)

_FILE = Path(__file__).with_name("emoji.npz")


def load(source: Source, dtype: np.dtype) -> Data:
    with np.load(_FILE) as npz:
        images, labels, classes = npz["images"], npz["labels"], npz["classes"]
    return Data(
        "emoji",
        x_train=pixels(images, dtype),
        y_train=labels.astype(np.int64),
        x_test=None,
        y_test=None,
        classes=[str(c) for c in classes],
        shape=INFO.shape,
        color=INFO.color,
    )


def fingerprint(source: Source) -> str:
    """Hash of the file's bytes (part of every emoji run's id)."""
    return fingerprints.data([_FILE])
