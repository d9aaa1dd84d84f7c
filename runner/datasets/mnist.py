"""mnist: the full MNIST, 60,000 training and 10,000 test digits, from its four IDX files.

The files are taken from dataset.path when given, otherwise from the cache folder
$TP5_DATA/mnist, where missing files are downloaded once, verified by checksum.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

import numpy as np
import platformdirs

from runner import fingerprint as fingerprints
from runner.datasets import download, idx
from runner.datasets.dataset import Data, DatasetError, DatasetInfo

INFO = DatasetInfo("mnist", 784, (28, 28), "digits", has_test=True, n_train=60_000,
                   takes_path=True)

DIGITS = tuple(str(d) for d in range(10))  # the class names, of mnist-5k's digits too


def pixels(images: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """uint8 images (N, rows, columns) -> (N, D) in [0, 1], a new array."""
    x = images.reshape(len(images), -1).astype(dtype)
    x /= 255
    return x


# sha256 of each file's DECOMPRESSED content, so that a mirror's own gzip settings do not matter.
MNIST_SHA256 = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}
# Tried in order; TP5_MNIST_URL, when set, replaces them with one base URL.
MNIST_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)
_FILES_HINT = "the four MNIST files (" + ", ".join(MNIST_SHA256) + ", raw or .gz)"


def load(path: str | os.PathLike | None, dtype: np.dtype) -> Data:
    """A user's folder is only read; the cache folder is filled from the mirrors when needed."""
    if path is None:
        folder, may_download = _cache_folder(), True
    else:
        folder, may_download = Path(path).resolve(), False
        if not folder.is_dir():
            raise DatasetError(f"dataset.path {folder} is not a folder; "
                               f"it must hold {_FILES_HINT}.")
    x_train, y_train, x_test, y_test = _read_mnist(folder, may_download)
    return Data("mnist", x_train=pixels(x_train, dtype), y_train=y_train.astype(np.int64),
                x_test=pixels(x_test, dtype), y_test=y_test.astype(np.int64),
                classes=list(DIGITS), image_shape=INFO.image_shape)


def _cache_folder() -> Path:
    """$TP5_DATA/mnist, with TP5_DATA defaulting to the user's cache folder for tp5."""
    return Path(os.environ.get("TP5_DATA") or platformdirs.user_cache_dir("tp5")) / "mnist"


@functools.lru_cache(maxsize=2)
def _read_mnist(folder: Path, may_download: bool) -> tuple[np.ndarray, ...]:
    """uint8 train images, train labels, test images, test labels, parsed once per process.

    Several packs of one process load MNIST; parsing 55 MB each time would dominate small runs.
    The arrays are read-only views of the file bytes, and load() hands out converted copies.
    """
    arrays = []
    for split in ("train", "t10k"):
        images = _mnist_file(folder, f"{split}-images-idx3-ubyte", may_download)
        labels = _mnist_file(folder, f"{split}-labels-idx1-ubyte", may_download)
        try:
            pair = idx.read_labelled(images, labels)
        except idx.FormatError as err:
            raise DatasetError(str(err)) from None
        except OSError as err:
            raise DatasetError(f"{err.filename} cannot be read ({err.strerror}).") from None
        if pair[0].shape[1:] != INFO.image_shape:
            rows, cols = pair[0].shape[1:]
            raise DatasetError(f"{images} holds {rows}x{cols} images; MNIST images are 28x28.")
        arrays.extend(pair)
    return tuple(arrays)


def _mnist_file(folder: Path, name: str, may_download: bool) -> Path:
    """The file name or name.gz in folder, downloaded into it first if allowed and missing."""
    for candidate in (folder / name, folder / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    if not may_download:
        raise DatasetError(f"{folder} has no {name} (raw or .gz); dataset.path must be a folder "
                           f"holding {_FILES_HINT}.")
    return _download(folder, name)


def _download(folder: Path, name: str) -> Path:
    """Fetch name.gz from the mirrors into folder, verified against MNIST_SHA256[name]."""
    dest = folder / f"{name}.gz"
    override = os.environ.get("TP5_MNIST_URL")
    mirrors = [override] if override else MNIST_MIRRORS
    try:
        folder.mkdir(parents=True, exist_ok=True)
        download.fetch(mirrors, dest, MNIST_SHA256[name], _content_sha256)
    except (OSError, download.DownloadError) as err:
        raise DatasetError(f"{err}; put {_FILES_HINT} in {folder}, or set dataset.path to a folder "
                           f"that holds them.") from None
    return dest


def fingerprint(path: str | os.PathLike | None) -> str:
    """Hash of the four files' decompressed content (part of every mnist run's id).

    A file not downloaded yet counts as its official checksum, which the download verifies, so
    a run's id is the same before and after the download; files that cannot be found or read
    make "unavailable" (such runs are skipped before training, with the loader's reason).
    """
    folder = _cache_folder() if path is None else Path(path).resolve()
    try:
        contents = [_stored_sha256(folder, name, may_be_missing=path is None)
                    for name in MNIST_SHA256]
    except (DatasetError, ValueError, OSError):  # ValueError: not a readable gzip file
        return "unavailable"
    return fingerprints.digest(sha.encode() for sha in contents)


def _stored_sha256(folder: Path, name: str, may_be_missing: bool) -> str:
    present = [c for c in (folder / name, folder / f"{name}.gz") if c.is_file()]
    if not present and may_be_missing:
        return MNIST_SHA256[name]
    file = _mnist_file(folder, name, may_download=False)
    stat = file.stat()
    return _cached_content_sha256(file, stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _cached_content_sha256(path: Path, size: int, mtime_ns: int) -> str:
    """Decompressing 55 MB takes a moment: once per file and version of it per process."""
    return _content_sha256(path)


def _content_sha256(path: Path) -> str:
    """sha256 of the decompressed content; path is a temporary file, so errors do not name it."""
    try:
        return hashlib.sha256(idx.read_bytes(path)).hexdigest()
    except idx.FormatError:
        raise ValueError("the file served is not a readable gzip file") from None
