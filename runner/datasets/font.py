"""font: the 32 characters of the assignment's 5x7 bitmap font (font3.tsv), 35 pixels each, or
a font of the course's C header format read from dataset.path (fontfile.py; dataset.font names
the array when the file holds several).

Pixels are row-major (7 rows of 5 columns); the label of character i is i, its class the
character itself. The embedded font written as a font.h reads as the same pixels.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from runner import fingerprint as fingerprints
from runner.datasets import fontfile
from runner.datasets.dataset import Data, DatasetInfo, Source

INFO = DatasetInfo("font", (7, 5, 1), "binary", "glyphs", has_test=False, n_train=32)

_TABLE = Path(__file__).with_name("font3.tsv")


def info(source: Source) -> DatasetInfo:
    if source.path is None:
        return INFO
    font = _from_file(source)
    return DatasetInfo(
        "font",
        (font.rows.shape[1], font.width, 1),
        "binary",
        "glyphs",
        has_test=False,
        n_train=len(font.rows),
        takes_path=True,
    )


def load(source: Source, dtype: np.dtype) -> Data:
    font = _embedded() if source.path is None else _from_file(source)
    h = font.rows.shape[1]
    return Data(
        "font",
        x_train=font.pixels(dtype),
        y_train=np.arange(len(font.rows)),
        x_test=None,
        y_test=None,
        classes=font.labels,
        shape=(h, font.width, 1),
        color="binary",
    )


def _embedded() -> fontfile.Font:
    """The font table: each row byte holds 5 pixels, 0x10 the leftmost."""
    labels, rows = [], []
    for line in _TABLE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            _, label, row_bytes = line.split("\t")
            labels.append(label)
            rows.append([int(b, 16) for b in row_bytes.split()])
    return fontfile.Font(np.array(rows, dtype=np.int64), labels, width=5)  # (32, 7)


def _from_file(source: Source) -> fontfile.Font:
    path = Path(source.path)
    return fontfile.choose(path, fontfile.read(path), source.options.get("font"))[1]


def fingerprint(source: Source) -> str:
    """Hash of the font's bytes (part of every font run's id)."""
    return fingerprints.data([_TABLE if source.path is None else Path(source.path)])
