"""What every dataset module defines and returns, and how it fails.

A dataset is one module of this package with an `INFO` (a DatasetInfo: what a config needs to
know before loading anything), a `load(path, dtype) -> Data` and a `fingerprint(path) -> str`
(a hash of the bytes it reads, without loading them: part of every run's id); the package finds
it by itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


class DatasetError(Exception):
    """A dataset cannot be loaded; the message is one sentence saying what to do about it."""


@dataclass(frozen=True)
class DatasetInfo:
    """What a config needs to know about a dataset before loading it (e.g. to check layer sizes)."""

    name: str  # what an experiment's dataset.name says
    n_features: int  # D, pixels per image
    image_shape: tuple[int, int]  # (rows, columns); rows * columns == n_features
    kind: str  # "glyphs" | "digits"
    has_test: bool
    n_train: int  # training samples, before any dataset.limit
    takes_path: bool = False  # reads its files from dataset.path when given; else built in


@dataclass(frozen=True, eq=False)  # eq=False: == on arrays has no single truth value
class Data:
    """A loaded dataset; the arrays are the caller's own (changing them changes no later load)."""

    name: str
    x_train: np.ndarray  # (N, D) in [0, 1]
    y_train: np.ndarray  # (N,) int, index into classes
    x_test: np.ndarray | None  # (N_test, D) in [0, 1], or None without a test set
    y_test: np.ndarray | None  # (N_test,)
    classes: list[str]  # label text of each class
    image_shape: tuple[int, int]
