"""The IDX reader: good files parse (raw and gzip), each kind of damage is a clear FormatError."""

import gzip

import numpy as np
import pytest

from runner.datasets import idx
from support import idx_bytes

IMAGES = np.arange(3 * 4 * 2, dtype=np.uint8).reshape(3, 4, 2)
LABELS = np.array([7, 0, 9], dtype=np.uint8)


def write(path, data: bytes):
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "name, compress",
    [
        ("images", False),
        ("images.gz", True),
        ("images-gzip-without-suffix", True),  # found by the gzip magic bytes
    ],
)
def test_good_files_parse(tmp_path, name, compress):
    data = idx_bytes(IMAGES)
    images = idx.read(write(tmp_path / name, gzip.compress(data) if compress else data), idx.IMAGES)
    assert images.dtype == np.uint8
    np.testing.assert_array_equal(images, IMAGES)


def test_labelled_pair(tmp_path):
    images, labels = idx.read_labelled(
        write(tmp_path / "i", idx_bytes(IMAGES)), write(tmp_path / "l", idx_bytes(LABELS))
    )
    np.testing.assert_array_equal(labels, LABELS)
    assert images.shape == (3, 4, 2)


@pytest.mark.parametrize(
    "data, magic, message",
    [
        (
            idx_bytes(LABELS),
            idx.IMAGES,
            "not an IDX image file: its magic number is 0x00000801, not 0x00000803",
        ),
        (b"GIF89a" + bytes(100), idx.LABELS, "not an IDX label file"),
        (
            idx_bytes(IMAGES)[:-1],
            idx.IMAGES,
            "holds 23 data bytes but its header announces 3 x 4 x 2 = 24",
        ),
        (idx_bytes(IMAGES) + b"\0", idx.IMAGES, "holds 25 data bytes"),
        (idx_bytes(IMAGES)[:10], idx.IMAGES, "too short to be an IDX image file (10 bytes)"),
        (b"", idx.LABELS, "too short"),
    ],
    ids=["labels-as-images", "not-idx", "truncated", "trailing-byte", "short-header", "empty"],
)
def test_damaged_file(tmp_path, data, magic, message):
    path = write(tmp_path / "damaged", data)
    with pytest.raises(idx.FormatError) as err:
        idx.read(path, magic)
    assert str(path) in str(err.value) and message in str(err.value)


@pytest.mark.parametrize(
    "data",
    [
        gzip.compress(idx_bytes(IMAGES))[:-12],  # truncated download
        b"not gzip at all",  # named .gz but is not
    ],
    ids=["truncated", "not-gzip"],
)
def test_unreadable_gzip(tmp_path, data):
    path = write(tmp_path / "images.gz", data)
    with pytest.raises(idx.FormatError, match="is not a readable gzip file"):
        idx.read(path, idx.IMAGES)


def test_labels_must_match_images(tmp_path):
    images = write(tmp_path / "images", idx_bytes(IMAGES))
    labels = write(tmp_path / "labels", idx_bytes(LABELS[:2]))
    with pytest.raises(idx.FormatError) as err:
        idx.read_labelled(images, labels)
    assert str(err.value) == f"{labels} holds 2 labels but {images} holds 3 images."
