"""A fingerprint of everything besides the spec that decides a run's numbers.

A run's id hashes its spec and this fingerprint, so a stored result can never stand for what the
current code would compute: change a line of the networks, of training or of a dataset loader, or
a byte of the data, and every affected run gets a new id and is trained again (`tp5-run
--dry-run` counts the old ones as stale).

The code part hashes the source files that compute a run (NUMBERS_CODE, relative to the package
root), not the package version, which does not change with every edit. The data part hashes the
bytes a dataset is read from. Report code (figures, pages) is left out on purpose: it draws
stored numbers and never changes them.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the folder holding nets/ and runner/

#: Source files whose change can change a stored number: globs relative to ROOT.
NUMBERS_CODE = (
    "nets/*.py",
    "nets/fused/*.py",
    "runner/training/*.py",
    "runner/models.py",
    "runner/baselines.py",
    "runner/datasets/*.py",
)


def digest(chunks: Iterable[bytes]) -> str:
    """A short hash of a sequence of byte strings."""
    sha = hashlib.sha256()
    for chunk in chunks:
        sha.update(len(chunk).to_bytes(8, "little"))  # so that ("ab", "c") != ("a", "bc")
        sha.update(chunk)
    return sha.hexdigest()[:16]


def _sources() -> list[Path]:
    return sorted({path for pattern in NUMBERS_CODE for path in ROOT.glob(pattern)})


@functools.cache
def code() -> str:
    """Hash of the source that computes a run: file names and contents."""
    return digest(
        part
        for path in _sources()
        for part in (path.relative_to(ROOT).as_posix().encode(), path.read_bytes())
    )


@functools.lru_cache(maxsize=16)
def _file_sha256(path: Path, size: int, mtime_ns: int) -> str:
    """One file's SHA-256, cached per (path, size, mtime): MNIST's files are hashed once."""
    sha = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def data(files: Iterable[Path]) -> str:
    """Hash of the bytes of a dataset's files, in the order given."""
    digests = []
    for path in files:
        stat = Path(path).stat()
        digests.append(_file_sha256(Path(path).resolve(), stat.st_size, stat.st_mtime_ns))
    return digest(d.encode() for d in digests)


def of_run(dataset: str) -> str:
    """The fingerprint a run records: the code's and its dataset's, in one short string."""
    return f"{code()}-{dataset}"
