"""The datasets an experiment can name, as float arrays in [0, 1] with their labels.

- font: the 32 characters of the assignment's 5x7 bitmap font (runner/datasets/font3.tsv), 35 pixels
  each, row-major (7 rows of 5 columns); the label of character i is i.
- mnist-5k: 5,000 MNIST training digits shipped with the package (runner/datasets/mnist5k.npz), so
  MNIST experiments run offline and fast; no test set.
- mnist: the full MNIST (60,000 training and 10,000 test digits) from its four IDX files, taken
  from dataset.path when given, otherwise from the cache folder $TP5_DATA/mnist, where missing files
  are downloaded once, verified by checksum.

    data = load("font")  # data.x_train (32, 35), data.y_train (32,), data.classes[1] == "a"
    data = load("mnist", dtype=np.float32)
"""

from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import platformdirs

from runner.datasets import download, idx

_DATA = Path(__file__).parent


class DatasetError(Exception):
    """A dataset cannot be loaded; the message is one sentence saying what to do about it."""


@dataclass(frozen=True)
class DatasetInfo:
    """What a config needs to know about a dataset before loading it (e.g. to check layer sizes)."""

    name: str
    n_features: int  # D, pixels per image
    image_shape: tuple[int, int]  # (rows, columns); rows * columns == n_features
    kind: str  # "glyphs" | "digits"
    has_test: bool
    n_train: int  # training samples, before any dataset.limit


INFO: dict[str, DatasetInfo] = {
    "font": DatasetInfo("font", 35, (7, 5), "glyphs", has_test=False, n_train=32),
    "mnist": DatasetInfo("mnist", 784, (28, 28), "digits", has_test=True, n_train=60_000),
    "mnist-5k": DatasetInfo("mnist-5k", 784, (28, 28), "digits", has_test=False, n_train=5_000),
}


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


def load(name: str, path: str | os.PathLike | None = None, dtype=np.float64) -> Data:
    """Load dataset name; path is a folder holding the MNIST files (mnist only)."""
    if name not in INFO:
        raise DatasetError(f"There is no dataset {name!r}; choose one of {', '.join(INFO)}.")
    if path is not None and name != "mnist":
        raise DatasetError(f"Dataset {name} is built in and takes no path; remove dataset.path.")
    return _LOADERS[name](path, np.dtype(dtype))


_DIGITS = tuple(str(d) for d in range(10))  # class names of both MNIST datasets


def _pixels(images: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """uint8 images (N, rows, columns) -> (N, D) in [0, 1], a new array."""
    x = images.reshape(len(images), -1).astype(dtype)
    x /= 255
    return x


# ---------------------------------------------------------------------------------------- font


def _font(path: None, dtype: np.dtype) -> Data:
    """Parse the font table: each row byte holds 5 pixels, 0x10 the leftmost."""
    labels, rows = [], []
    for line in (_DATA / "font3.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            _, label, row_bytes = line.split("\t")
            labels.append(label)
            rows.append([int(b, 16) for b in row_bytes.split()])
    table = np.array(rows, dtype=np.uint8)  # (32, 7)
    bits = np.unpackbits(table[..., None], axis=-1)  # (32, 7, 8), most significant bit first
    x = bits[..., 3:].reshape(len(table), -1).astype(dtype)  # (32, 35): the 5 low bits of each row
    return Data("font", x_train=x, y_train=np.arange(len(table)), x_test=None, y_test=None,
                classes=labels, image_shape=INFO["font"].image_shape)


# ------------------------------------------------------------------------------------ mnist-5k


def _mnist_5k(path: None, dtype: np.dtype) -> Data:
    """The sample is stored as MNIST stores it (uint8, 28x28) and scaled exactly like mnist."""
    with np.load(_DATA / "mnist5k.npz") as npz:
        images, labels = npz["images"], npz["labels"]
    return Data("mnist-5k", x_train=_pixels(images, dtype), y_train=labels.astype(np.int64),
                x_test=None, y_test=None, classes=list(_DIGITS),
                image_shape=INFO["mnist-5k"].image_shape)


# --------------------------------------------------------------------------------------- mnist

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


def _mnist(path: str | os.PathLike | None, dtype: np.dtype) -> Data:
    """A user's folder is only read; the cache folder is filled from the mirrors when needed."""
    if path is None:
        folder, may_download = _cache_folder(), True
    else:
        folder, may_download = Path(path).resolve(), False
        if not folder.is_dir():
            raise DatasetError(f"dataset.path {folder} is not a folder; "
                               f"it must hold {_FILES_HINT}.")
    x_train, y_train, x_test, y_test = _read_mnist(folder, may_download)
    return Data("mnist", x_train=_pixels(x_train, dtype), y_train=y_train.astype(np.int64),
                x_test=_pixels(x_test, dtype), y_test=y_test.astype(np.int64),
                classes=list(_DIGITS), image_shape=INFO["mnist"].image_shape)


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
        if pair[0].shape[1:] != INFO["mnist"].image_shape:
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


def _content_sha256(path: Path) -> str:
    """sha256 of the decompressed content; path is a temporary file, so errors do not name it."""
    try:
        return hashlib.sha256(idx.read_bytes(path)).hexdigest()
    except idx.FormatError:
        raise ValueError("the file served is not a readable gzip file") from None


_LOADERS = {"font": _font, "mnist": _mnist, "mnist-5k": _mnist_5k}
