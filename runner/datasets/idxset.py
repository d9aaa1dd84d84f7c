"""What MNIST, Fashion-MNIST and KMNIST share: four IDX files, downloaded once, verified.

Each is an IdxSet: 60,000 training and 10,000 test 28x28 grey images of 10 classes, in the
files train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and
t10k-labels-idx1-ubyte (raw or .gz). The files are taken from dataset.path when given,
otherwise from the cache folder $TP5_DATA/<name>, where missing files are downloaded once from
the set's mirrors (or from $TP5_<NAME>_URL, e.g. TP5_FASHION_MNIST_URL) and verified by their
official checksum. A dataset module of this kind is a few lines (fashion_mnist.py):

    SET = IdxSet("fashion-mnist", classes=(...), checksums={...}, over="file", mirrors=(...))
    INFO, load, fingerprint = SET.info, SET.load, SET.fingerprint
"""

from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import platformdirs

from runner import fingerprint as fingerprints
from runner.datasets import download, idx
from runner.datasets.dataset import Data, DatasetError, DatasetInfo, Source

FILES = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)


def pixels(images: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """uint8 images (N, rows, columns) -> (N, D) in [0, 1], a new array."""
    x = images.reshape(len(images), -1).astype(dtype)
    x /= 255
    return x


@dataclass(eq=False)  # eq=False: hashed by identity, for the caches below
class IdxSet:
    """One dataset published as MNIST's four IDX files.

    checksums: "algorithm:hex" of each file, over its decompressed content (over="content",
    MNIST's own sha256, so that a mirror's gzip settings do not matter) or over the .gz file as
    published (over="file", the MD5s Fashion-MNIST and KMNIST publish).
    """

    name: str
    classes: tuple[str, ...]
    checksums: dict[str, str]  # file name (without .gz) -> "algorithm:hex"
    over: Literal["content", "file"]
    mirrors: tuple[str, ...]  # base URLs, tried in order
    kind: str = "images"

    @property
    def info(self) -> DatasetInfo:
        return DatasetInfo(
            self.name,
            (28, 28, 1),
            "grey",
            self.kind,
            has_test=True,
            n_train=60_000,
            takes_path=True,
        )

    @property
    def _hint(self) -> str:
        return f"the four {self.name} files ({', '.join(FILES)}, raw or .gz)"

    def load(self, source: Source, dtype: np.dtype) -> Data:
        """A user's folder is only read; the cache folder is filled from the mirrors when needed."""
        if source.path is None:
            folder, may_download = self._cache_folder(), True
        else:
            folder, may_download = Path(source.path).resolve(), False
            if not folder.is_dir():
                raise DatasetError(
                    f"dataset.path {folder} is not a folder; it must hold {self._hint}."
                )
        x_train, y_train, x_test, y_test = _read_idx(self, folder, may_download)
        return Data(
            self.name,
            x_train=pixels(x_train, dtype),
            y_train=y_train.astype(np.int64),
            x_test=pixels(x_test, dtype),
            y_test=y_test.astype(np.int64),
            classes=list(self.classes),
            shape=(28, 28, 1),
            color="grey",
        )

    def _cache_folder(self) -> Path:
        """$TP5_DATA/<name>, with TP5_DATA defaulting to the user's cache folder for tp5."""
        return Path(os.environ.get("TP5_DATA") or platformdirs.user_cache_dir("tp5")) / self.name

    def _file(self, folder: Path, name: str, may_download: bool) -> Path:
        """The file name or name.gz in folder, downloaded into it first if allowed and missing."""
        for candidate in (folder / name, folder / f"{name}.gz"):
            if candidate.is_file():
                return candidate
        if not may_download:
            raise DatasetError(
                f"{folder} has no {name} (raw or .gz); dataset.path must be a "
                f"folder holding {self._hint}."
            )
        return self._download(folder, name)

    def _download(self, folder: Path, name: str) -> Path:
        """Fetch name.gz from the mirrors into folder, verified against its checksum."""
        dest = folder / f"{name}.gz"
        override = os.environ.get(f"TP5_{self.name.upper().replace('-', '_')}_URL")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            download.fetch(
                [override] if override else self.mirrors,
                dest,
                self.checksums[name],
                self._served_checksum,
            )
        except (OSError, download.DownloadError) as err:
            raise DatasetError(
                f"{err}; put {self._hint} in {folder}, or set dataset.path to a "
                "folder that holds them."
            ) from None
        return dest

    def _served_checksum(self, path: Path) -> str:
        """The checksum of a file just downloaded (a temporary file: errors do not name it)."""
        try:
            return self._checksum(path)
        except idx.FormatError:
            raise ValueError("the file served is not a readable gzip file") from None

    def _checksum(self, path: Path) -> str:
        algorithm = self.checksums[FILES[0]].split(":")[0]
        data = idx.read_bytes(path) if self.over == "content" else path.read_bytes()
        return f"{algorithm}:{hashlib.new(algorithm, data).hexdigest()}"

    def fingerprint(self, source: Source) -> str:
        """Hash of the four files' checksums (part of every run's id).

        A file not downloaded yet counts as its official checksum, which the download verifies,
        so a run's id is the same before and after the download; files that cannot be found or
        read make "unavailable" (such runs are skipped before training, with the loader's
        reason).
        """
        folder = self._cache_folder() if source.path is None else Path(source.path).resolve()
        try:
            sums = [
                self._stored_checksum(folder, name, may_be_missing=source.path is None)
                for name in FILES
            ]
        except (DatasetError, ValueError, OSError):  # ValueError: not a readable gzip file
            return "unavailable"
        return fingerprints.digest(s.split(":")[-1].encode() for s in sums)

    def _stored_checksum(self, folder: Path, name: str, may_be_missing: bool) -> str:
        present = [c for c in (folder / name, folder / f"{name}.gz") if c.is_file()]
        if not present and may_be_missing:
            return self.checksums[name]
        file = self._file(folder, name, may_download=False)
        stat = file.stat()
        return _cached_checksum(self, file, stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=4)
def _read_idx(dataset: IdxSet, folder: Path, may_download: bool) -> tuple[np.ndarray, ...]:
    """uint8 train images, train labels, test images, test labels, parsed once per process.

    Several packs of one process load the set; parsing 55 MB each time would dominate small
    runs. The arrays are read-only views of the file bytes, and load() hands out converted
    copies.
    """
    arrays = []
    for split in ("train", "t10k"):
        images = dataset._file(folder, f"{split}-images-idx3-ubyte", may_download)
        labels = dataset._file(folder, f"{split}-labels-idx1-ubyte", may_download)
        try:
            pair = idx.read_labelled(images, labels)
        except idx.FormatError as err:
            raise DatasetError(str(err)) from None
        except OSError as err:
            raise DatasetError(f"{err.filename} cannot be read ({err.strerror}).") from None
        if pair[0].shape[1:] != (28, 28):
            rows, cols = pair[0].shape[1:]
            raise DatasetError(
                f"{images} holds {rows}x{cols} images; {dataset.name} images are 28x28."
            )
        arrays.extend(pair)
    return tuple(arrays)


@functools.lru_cache(maxsize=16)
def _cached_checksum(dataset: IdxSet, path: Path, size: int, mtime_ns: int) -> str:
    """Decompressing 55 MB takes a moment: once per file and version of it per process."""
    return dataset._checksum(path)
