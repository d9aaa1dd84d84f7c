"""The datasets an experiment can name, as float arrays in [0, 1] with their labels.

    data = load("font")  # data.x_train (32, 35), data.y_train (32,), data.classes[1] == "a"
    data = load("mnist", dtype=np.float32)
    INFO["mnist-5k"].n_features  # 784, known without loading anything

Each dataset is one module of this package that defines its INFO and its load (font.py,
mnist.py, mnist5k.py; see dataset.py), next to its data file; the package finds them, so adding
a dataset is adding a module. idx.py reads MNIST's file format and download.py fetches files.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from types import ModuleType

import numpy as np

from runner.datasets.dataset import Data, DatasetError, DatasetInfo

__all__ = ["INFO", "Data", "DatasetError", "DatasetInfo", "fingerprint", "load"]


def _dataset_modules() -> dict[str, ModuleType]:
    """The modules of this package that define a dataset, by dataset name, in module order."""
    found = {}
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        candidate = importlib.import_module(f"{__name__}.{module.name}")
        if isinstance(getattr(candidate, "INFO", None), DatasetInfo):
            found[candidate.INFO.name] = candidate
    return found


_MODULES = _dataset_modules()

#: What each dataset is, by the name an experiment gives it.
INFO: dict[str, DatasetInfo] = {name: module.INFO for name, module in _MODULES.items()}


def load(name: str, path: str | os.PathLike | None = None, dtype=np.float64) -> Data:
    """Load dataset name; path is a folder holding its files (only for those that take one)."""
    if name not in INFO:
        raise DatasetError(f"There is no dataset {name!r}; choose one of {', '.join(INFO)}.")
    if path is not None and not INFO[name].takes_path:
        raise DatasetError(f"Dataset {name} is built in and takes no path; remove dataset.path.")
    return _MODULES[name].load(path, np.dtype(dtype))


def fingerprint(name: str, path: str | os.PathLike | None = None) -> str:
    """A hash of the bytes the dataset is read from, without loading it (runner.fingerprint)."""
    return _MODULES[name].fingerprint(path)
