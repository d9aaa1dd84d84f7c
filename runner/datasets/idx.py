"""The IDX file format of MNIST, read strictly.

An IDX file is a 4-byte magic number (two zero bytes, a type byte, 0x08 for unsigned bytes, and
the number of dimensions), one big-endian uint32 per dimension, then the values in row-major order.
The files come from mirrors, caches and users' folders, so every claim of the header is checked
against the payload before an array is made: a truncated download must fail here, loudly, and not
later as a reshape error or as silently wrong digits. Files may be gzip-compressed.

    images, labels = read_labelled(Path("t10k-images-idx3-ubyte.gz"), Path("t10k-labels.idx"))
"""

from __future__ import annotations

import gzip
import math
import zlib
from pathlib import Path

import numpy as np

LABELS = 0x00000801  # unsigned bytes, 1 dimension: (N,)
IMAGES = 0x00000803  # unsigned bytes, 3 dimensions: (N, rows, columns)
_KIND = {LABELS: "label", IMAGES: "image"}
_GZIP_MAGIC = b"\x1f\x8b"


class FormatError(ValueError):
    """A file is not the IDX file it should be; the message names the file and the problem."""


def read_bytes(path: Path) -> bytes:
    """The file's content, decompressed when it is gzip (by its magic bytes or its .gz name).

    Also what a download's checksum is taken over, so that any mirror's compression passes.
    """
    data = path.read_bytes()
    if data[:2] != _GZIP_MAGIC and path.suffix != ".gz":
        return data
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as err:  # bad header, truncated stream, bad deflate data
        raise FormatError(f"{path} is not a readable gzip file ({err}).") from None


def parse(data: bytes, magic: int, source: str) -> np.ndarray:
    """The uint8 array an IDX payload holds, of the shape its header gives (read-only, no copy).

    magic is IMAGES or LABELS, the kind of file the caller expects; source names it in errors.
    """
    kind = _KIND[magic]
    ndim = magic & 0xFF
    header = 4 + 4 * ndim
    found = int.from_bytes(data[:4], "big")
    if len(data) >= 4 and found != magic:
        raise FormatError(
            f"{source} is not an IDX {kind} file: "
            f"its magic number is 0x{found:08x}, not 0x{magic:08x}."
        )
    if len(data) < header:
        raise FormatError(f"{source} is too short to be an IDX {kind} file ({len(data)} bytes).")
    shape = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    payload = len(data) - header
    if payload != math.prod(shape):
        dims = " x ".join(map(str, shape))
        raise FormatError(
            f"{source} holds {payload} data bytes "
            f"but its header announces {dims} = {math.prod(shape)}."
        )
    return np.frombuffer(data, dtype=np.uint8, offset=header).reshape(shape)


def read(path: Path, magic: int) -> np.ndarray:
    """The array of one IDX file, raw or gzip; see parse."""
    return parse(read_bytes(path), magic, str(path))


def read_labelled(images_path: Path, labels_path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Images (N, rows, columns) and their labels (N,), checked to be equally many."""
    images = read(images_path, IMAGES)
    labels = read(labels_path, LABELS)
    if len(images) != len(labels):
        raise FormatError(
            f"{labels_path} holds {len(labels)} labels "
            f"but {images_path} holds {len(images)} images."
        )
    return images, labels
