"""The datasets an experiment can name, as float arrays in [0, 1] with their labels.

    data = load("font")  # data.x_train (32, 35), data.y_train (32,), data.classes[1] == "a"
    data = load(Source("images", Path("faces"), {"size": (16, 16), "color": "rgb"}), np.float32)
    info(Source("images", Path("faces"), ...)).n_features  # 768, read from the files' headers

Each dataset is one module of this package that defines its info and its load (font.py,
mnist.py, images.py, ...; see dataset.py), next to its data file if it has one; the package
finds them, so adding a dataset is adding a module. idxset.py is what MNIST, Fashion-MNIST and
KMNIST share, idx.py reads their file format and download.py fetches files.
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
from types import ModuleType

import numpy as np

from runner.datasets.dataset import Data, DatasetError, DatasetInfo, Source, kept

__all__ = [
    "NAMES",
    "Data",
    "DatasetError",
    "DatasetInfo",
    "Source",
    "fingerprint",
    "info",
    "kind",
    "load",
    "takes_path",
]


def _dataset_modules() -> dict[str, ModuleType]:
    """The modules of this package that define a dataset, by dataset name, in module order."""
    found = {}
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        candidate = importlib.import_module(f"{__name__}.{module.name}")
        info = getattr(candidate, "INFO", None)
        if isinstance(info, DatasetInfo):
            found[info.name] = candidate
        elif callable(getattr(candidate, "info", None)):
            found[candidate.NAME] = candidate
    return found


_MODULES = _dataset_modules()

#: Every name an experiment's dataset.name can take.
NAMES: tuple[str, ...] = tuple(_MODULES)


def _module(name: str) -> ModuleType:
    if name not in _MODULES:
        raise DatasetError(f"There is no dataset {name!r}; choose one of {', '.join(NAMES)}.")
    return _MODULES[name]


def takes_path(name: str) -> bool:
    """Whether the dataset reads files from dataset.path (else it is built in)."""
    module = _module(name)
    return hasattr(module, "info") or module.INFO.takes_path


def info(source: Source | str) -> DatasetInfo:
    """What the dataset is (shape, colour, samples), from its files' headers at most.

    Raises DatasetError, naming the file, when the files cannot make a dataset.
    """
    source = _checked(source)
    module = _module(source.name)
    return module.info(source) if hasattr(module, "info") else module.INFO


def _checked(source: Source | str) -> Source:
    """source as a Source, refused when it names no dataset or a path that is not read."""
    source = Source(source) if isinstance(source, str) else source
    if source.path is not None and not takes_path(source.name):
        raise DatasetError(f"{source.name} is built in and reads no files; remove dataset.path.")
    return source


def kind(name: str) -> str:
    """'glyphs', 'digits' or 'images': what the report calls a sample (glyphs: characters whose
    wrong pixels it counts). A property of the dataset's name, whatever its files."""
    module = _module(name)
    return module.INFO.kind if hasattr(module, "INFO") else module.KIND


def load(source: Source | str, dtype=np.float64) -> Data:
    """Load a dataset (a name alone for the built-in ones), cut to source.limit training samples.

    The samples a limit keeps are evenly spaced through the set (dataset.kept).
    """
    source = _checked(source)
    data = _module(source.name).load(source, np.dtype(dtype))
    keep = kept(len(data.x_train), source.limit)
    if len(keep) == len(data.x_train):
        return data
    return dataclasses.replace(data, x_train=data.x_train[keep], y_train=data.y_train[keep])


def fingerprint(source: Source | str) -> str:
    """A hash of the bytes the dataset is read from, without loading it (runner.fingerprint)."""
    source = _checked(source)
    return _module(source.name).fingerprint(source)
