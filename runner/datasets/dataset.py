"""What every dataset module defines and returns, and how it fails.

A dataset is one module of this package with a `load(source, dtype) -> Data` and a
`fingerprint(source) -> str` (a hash of the bytes it reads, without loading them: part of every
run's id), and what a config needs to know before loading anything: either `INFO`, a
DatasetInfo, when its shape is fixed (the font, MNIST), or `info(source) -> DatasetInfo` read
from the headers of its files when the shape is the files' (a folder of images). The package
finds it by itself.

    Source("images", Path("faces"), options={"size": (16, 16), "color": "grey"}, limit=500)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

Color = Literal["binary", "grey", "rgb"]
_COLOR_WORDS = {"binary": "binary", "grey": "grey", "rgb": "RGB"}


class DatasetError(Exception):
    """A dataset cannot be loaded; the message is one sentence saying what to do about it."""


def _frozen(value: Any) -> Any:
    """Lists as tuples, so that a Source (and any cache keyed by it) can be hashed."""
    return tuple(_frozen(v) for v in value) if isinstance(value, (list, tuple)) else value


@dataclass(frozen=True)
class Source:
    """Where a dataset is read from and how: what an experiment's `dataset:` says.

    options are the form's own keys (an image folder's size, colour, ...), complete with their
    defaults as runner.config.schema resolves them; limit keeps that many training samples,
    evenly spaced through the set (see kept).
    """

    name: str
    path: Path | None = None
    options: dict[str, Any] = field(default_factory=dict)
    limit: int | None = None

    def __post_init__(self):
        frozen = tuple(sorted((k, _frozen(v)) for k, v in self.options.items()))
        object.__setattr__(self, "_key", (self.name, self.path, frozen, self.limit))

    def __hash__(self) -> int:
        return hash(self._key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Source) and self._key == other._key


@dataclass(frozen=True)
class DatasetInfo:
    """What a config needs to know about a dataset before loading it (e.g. to check layer sizes)."""

    name: str  # what an experiment's dataset.name says
    shape: tuple[int, int, int]  # (h, w, c) of one sample, c 1 or 3
    color: Color  # binary (0 or 1), grey or rgb
    kind: str  # "glyphs" (characters, wrong pixels counted), "digits" or "images"
    has_test: bool
    n_train: int  # training samples, before any dataset.limit
    takes_path: bool = False  # reads its files from dataset.path when given; else built in

    @property
    def n_features(self) -> int:
        """D, the values of one sample: h * w * c, the width of the first and last layers."""
        h, w, c = self.shape
        return h * w * c

    @property
    def image_shape(self) -> tuple[int, int]:
        """(rows, columns) of one picture."""
        return self.shape[:2]

    def describe(self) -> str:
        """'16x16 RGB', '7x5 binary': how the width check words the data."""
        h, w, _ = self.shape
        return f"{h}x{w} {_COLOR_WORDS[self.color]}"


@dataclass(frozen=True, eq=False)  # eq=False: == on arrays has no single truth value
class Data:
    """A loaded dataset; the arrays are the caller's own (changing them changes no later load).

    A sample is its picture's values row by row, and within a pixel channel by channel: an RGB
    sample reshapes to (h, w, 3) with x.reshape(-1, *data.shape).
    """

    name: str
    x_train: np.ndarray  # (N, D) in [0, 1], D = h * w * c
    y_train: np.ndarray  # (N,) int, index into classes
    x_test: np.ndarray | None  # (N_test, D) in [0, 1], or None without a test set
    y_test: np.ndarray | None  # (N_test,)
    classes: list[str]  # label text of each class
    shape: tuple[int, int, int]  # (h, w, c) of one sample
    color: Color

    @property
    def image_shape(self) -> tuple[int, int]:
        """(rows, columns) of one picture."""
        return self.shape[:2]


def kept(n: int, limit: int | None) -> np.ndarray:
    """Indices of the samples a limit keeps: evenly spaced through the set, so that every class
    stays where the data is sorted by label (mnist-5k is, and so is a folder of subfolders)."""
    if limit is None or limit >= n:
        return np.arange(n)
    return np.linspace(0, n - 1, limit).round().astype(int)
