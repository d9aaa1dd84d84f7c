"""array: samples from one NumPy or CSV file (dataset.path), one sample a row.

    .npy   an array (N, h, w), (N, h, w, 3), or (N, D) with dataset.shape
    .npz   the same, under dataset.key (the file's only array by default); labels, if any,
           under dataset.labels_key
    .csv   one sample a line, comma-separated, an optional header line; dataset.label_column
           (first or last) holds each sample's label

dataset.shape is [h, w] (grey) or [h, w, 3] (RGB) of one sample. Values in [0, 1] are taken as
they are, whole numbers 0..255 are divided by 255; anything else, NaN included, is an error
naming the first row (of a CSV: its line) that has it.
"""

from __future__ import annotations

import functools
import math
import zipfile
from pathlib import Path

import numpy as np

from runner import fingerprint as fingerprints
from runner.datasets.dataset import Data, DatasetError, DatasetInfo, Source

NAME = "array"
KIND = "images"
SUFFIXES = (".npy", ".npz", ".csv")


def info(source: Source) -> DatasetInfo:
    path = Path(source.path)
    if not path.is_file():
        raise DatasetError(f"dataset.path {path} is not a file.")
    stat = path.stat()
    return _info(source, stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _info(source: Source, size: int, mtime_ns: int) -> DatasetInfo:
    """Once per file version: the plan asks for it for every pack, and a CSV is counted."""
    path = Path(source.path)
    n, sample = _header(path, source)
    shape = _shape(path, source, sample)
    return DatasetInfo(
        NAME,
        shape,
        "rgb" if shape[2] == 3 else "grey",
        KIND,
        has_test=False,
        n_train=n,
        takes_path=True,
    )


def load(source: Source, dtype: np.dtype) -> Data:
    path = Path(source.path)
    shape = info(source).shape
    values, labels, row_name = _read(path, source)
    x = _scaled(values.reshape(len(values), -1), path, row_name).astype(dtype)
    if labels is None:
        classes, y = [path.stem], np.zeros(len(x), dtype=np.int64)
    else:
        names = np.array([str(v) for v in labels])
        classes = sorted(set(names.tolist()))
        y = np.searchsorted(np.array(classes), names).astype(np.int64)
    return Data(
        NAME,
        x_train=x,
        y_train=y,
        x_test=None,
        y_test=None,
        classes=classes,
        shape=shape,
        color="rgb" if shape[2] == 3 else "grey",
    )


def fingerprint(source: Source) -> str:
    """Hash of the file's bytes; "unavailable" when it cannot be read (the loader says why)."""
    try:
        return fingerprints.data([Path(source.path)])
    except OSError:
        return "unavailable"


# ---- what the file holds, from its header ---------------------------------------------------------


def _header(path: Path, source: Source) -> tuple[int, tuple[int, ...]]:
    """(N, the shape of one sample as stored), reading no values (a CSV is counted)."""
    try:
        if path.suffix == ".npy":
            shape = np.load(path, mmap_mode="r").shape
        elif path.suffix == ".npz":
            with zipfile.ZipFile(path) as npz, npz.open(_key(path, source) + ".npy") as f:
                fmt = np.lib.format
                read = (
                    fmt.read_array_header_1_0
                    if fmt.read_magic(f) == (1, 0)
                    else fmt.read_array_header_2_0
                )
                shape = read(f)[0]
        elif path.suffix == ".csv":
            rows = _csv_rows(path, source)
            return len(rows), (len(rows[0][1]),) if rows else (0,)
        else:
            raise DatasetError(f"{path} is not a .npy, .npz or .csv file.")
    except (OSError, ValueError, zipfile.BadZipFile) as err:
        raise DatasetError(f"{path} is not a readable {path.suffix} file ({err}).") from None
    if len(shape) < 2:
        raise DatasetError(
            f"{path} holds an array of shape {shape}; one sample a row needs "
            "at least two dimensions."
        )
    return shape[0], tuple(shape[1:])


def _key(path: Path, source: Source) -> str:
    """The .npz member holding the samples: dataset.key, else the file's only other array."""
    with zipfile.ZipFile(path) as npz:
        names = [n.removesuffix(".npy") for n in npz.namelist()]
    key = source.options.get("key")
    if key is not None and key not in names:
        raise DatasetError(f"{path} has no array {key!r}; it has {', '.join(names)}.")
    if key is None:
        others = [n for n in names if n != source.options.get("labels_key")]
        if len(others) != 1:
            raise DatasetError(
                f"{path} holds the arrays {', '.join(names)}; name the samples' "
                "one with dataset.key."
            )
        key = others[0]
    return key


def _shape(path: Path, source: Source, sample: tuple[int, ...]) -> tuple[int, int, int]:
    """(h, w, c): dataset.shape, checked against the values a sample has, else the array's."""
    given = source.options.get("shape")
    if given is None:
        if len(sample) == 2 or (len(sample) == 3 and sample[2] in (1, 3)):
            return (sample[0], sample[1], sample[2] if len(sample) == 3 else 1)
        raise DatasetError(
            f"{path}: samples of shape {list(sample)}; give dataset.shape: [h, w] or [h, w, 3]."
        )
    shape = (given[0], given[1], given[2] if len(given) == 3 else 1)
    if math.prod(sample) != math.prod(shape):
        raise DatasetError(
            f"{path}: each sample has {math.prod(sample)} values, but "
            f"dataset.shape {list(given)} needs {math.prod(shape)}."
        )
    return shape


# ---- the values ---------------------------------------------------------------------------------


def _read(path: Path, source: Source):
    """(values (N, ...), labels (N,) or None, the name of row i in errors)."""
    if path.suffix == ".csv":
        rows = _csv_rows(path, source)
        width = len(rows[0][1]) if rows else 0
        for line, values, _ in rows:
            if len(values) != width:
                raise DatasetError(
                    f"{path} line {line}: {len(values)} values, the first row has {width}."
                )
        try:
            x = np.array([values for _, values, _ in rows], dtype=np.float64)
        except ValueError:
            line, bad = next(
                (line, v) for line, values, _ in rows for v in values if not _is_number(v)
            )
            raise DatasetError(f"{path} line {line}: {bad!r} is not a number.") from None
        has_labels = source.options.get("label_column") is not None
        labels = [label for _, _, label in rows] if has_labels else None
        lines = [line for line, _, _ in rows]
        return x, labels, lambda i: f"line {lines[i]}"
    if path.suffix == ".npy":
        return np.load(path), None, lambda i: f"row {i}"
    with np.load(path) as npz:
        x = npz[_key(path, source)]
        labels_key = source.options.get("labels_key")
        labels = npz[labels_key] if labels_key else None
    if labels is not None and len(labels) != len(x):
        raise DatasetError(f"{path}: {labels_key} holds {len(labels)} labels for {len(x)} samples.")
    return x, labels, lambda i: f"row {i}"


def _csv_rows(path: Path, source: Source) -> list[tuple[int, list[str], str | None]]:
    """(line number, the values, the label) of each sample line; a first line that is not
    numbers is a header."""
    column = source.options.get("label_column")
    rows = []
    for line, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        cells = [c.strip() for c in text.split(",")]
        if not text.strip() or (line == 1 and not all(map(_is_number, cells))):
            continue
        label = None
        if column == "first":
            label, cells = cells[0], cells[1:]
        elif column == "last":
            label, cells = cells[-1], cells[:-1]
        rows.append((line, cells, label))
    return rows


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def _scaled(x: np.ndarray, path: Path, row_name) -> np.ndarray:
    """(N, D) in [0, 1]: as it is, or whole numbers 0..255 divided by 255."""
    x = x.astype(np.float64)
    bad = ~np.isfinite(x)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise DatasetError(
            f"{path} {row_name(i)}: {x[i, j]} at value {j}; values must be "
            "numbers in [0, 1] or whole numbers 0..255."
        )
    if x.size == 0 or (x.min() >= 0 and x.max() <= 1):
        return x
    if x.max() <= 1:
        bad, rule = x < 0, "in [0, 1]"
    else:
        bad, rule = (x < 0) | (x > 255) | (x != np.round(x)), "whole numbers 0..255"
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise DatasetError(
            f"{path} {row_name(i)}: {x[i, j]:g} at value {j}; the values must be "
            f"{rule} (or all in [0, 1], or all whole numbers 0..255)."
        )
    return x / 255
