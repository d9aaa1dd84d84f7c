"""font: the 32 characters of the assignment's 5x7 bitmap font (font3.tsv), 35 pixels each.

Pixels are row-major (7 rows of 5 columns); the label of character i is i, its class the
character itself.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from runner import fingerprint as fingerprints
from runner.datasets.dataset import Data, DatasetInfo

INFO = DatasetInfo("font", 35, (7, 5), "glyphs", has_test=False, n_train=32)

_TABLE = Path(__file__).with_name("font3.tsv")


def load(path: None, dtype: np.dtype) -> Data:
    """Parse the font table: each row byte holds 5 pixels, 0x10 the leftmost."""
    labels, rows = [], []
    for line in _TABLE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            _, label, row_bytes = line.split("\t")
            labels.append(label)
            rows.append([int(b, 16) for b in row_bytes.split()])
    table = np.array(rows, dtype=np.uint8)  # (32, 7)
    bits = np.unpackbits(table[..., None], axis=-1)  # (32, 7, 8), most significant bit first
    x = bits[..., 3:].reshape(len(table), -1).astype(dtype)  # (32, 35): the 5 low bits of each row
    return Data("font", x_train=x, y_train=np.arange(len(table)), x_test=None, y_test=None,
                classes=labels, image_shape=INFO.image_shape)


def fingerprint(path: None) -> str:
    """Hash of the font table's bytes (part of every font run's id)."""
    return fingerprints.data([_TABLE])
