"""Download one file into a folder, verified, all or nothing, through pooch.

pooch streams the file (with a progress bar when someone is watching stderr) into a private
folder beside the destination, under the destination's own name; there the caller's checksum is
checked, and only then is the file renamed into place (os.replace, atomic within a file system).
So the destination either does not exist or holds verified content, whatever happens: a dead
mirror, a timeout, a transfer cut short, a wrong file, Ctrl-C, or several worker processes
fetching the same file at once. Mirrors are tried in order, and the reasons they failed are all
reported, one short phrase each.

pooch's own ``known_hash`` is not used: it is the hash of the file as served, and the caller's
checksum may cover something else (for MNIST, the decompressed content, so that a mirror's own
gzip settings do not matter). Nor is pooch's cache: the caller decides when a file is missing.

    fetch(["https://a.example/data/", "https://b.example/d/"], Path("cache/f.gz"), "md5:...", digest)
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import pooch
import requests

TIMEOUT = 30.0  # seconds without a byte from the server before a mirror counts as dead


class DownloadError(Exception):
    """No mirror gave the file; the message lists each mirror with what went wrong."""


def fetch(bases: Sequence[str], dest: Path, checksum: str, digest: Callable[[Path], str]) -> None:
    """Download dest.name from the first base URL that serves it with the expected checksum.

    digest(path) gives the checksum the file is judged by, in checksum's form (e.g.
    "sha256:<hex>"); the caller chooses what it covers (e.g. the decompressed content) and may
    raise ValueError for a file it cannot read. The path it is given has dest's name, in
    another folder.
    """
    timeout = TIMEOUT  # read at call time, so that tests can shorten it
    failures = []
    for base in bases:
        url = base.rstrip("/") + "/" + dest.name
        try:
            _fetch_one(url, dest, checksum, digest, timeout)
            return
        except (OSError, ValueError) as err:  # requests' errors are OSErrors
            failures.append(f"{url}: {_describe(err, timeout)}")
    raise DownloadError(f"{dest.name} could not be downloaded ({'; '.join(failures)})")


def _fetch_one(
    url: str, dest: Path, checksum: str, digest: Callable[[Path], str], timeout: float
) -> None:
    """Download url into a fresh folder beside dest, check it there, rename it to dest."""
    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".part", dir=dest.parent))
    try:
        downloader = pooch.HTTPDownloader(progressbar=sys.stderr.isatty(), timeout=timeout)
        with _quiet(pooch.get_logger()):
            part = Path(
                pooch.retrieve(
                    url, known_hash=None, fname=dest.name, path=staging, downloader=downloader
                )
            )
        found = digest(part)
        if found != checksum:
            raise ValueError(f"checksum {found} is not the expected {checksum}")
        os.replace(part, dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


@contextlib.contextmanager
def _quiet(logger: logging.Logger):
    """pooch logs each download and the hash to pin it with: noise to a tp5 user."""
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def _describe(err: Exception, timeout: float) -> str:
    """A short reason for a failed mirror, without the layers requests and urllib3 wrap it in."""
    if isinstance(err, requests.HTTPError) and err.response is not None:
        return f"HTTP {err.response.status_code} {err.response.reason}"
    if isinstance(err, requests.Timeout):
        return f"no answer within {timeout:g} s"
    if isinstance(err, ValueError):  # the checksum, or the caller's digest
        return str(err)
    cause = _innermost(err)
    if hasattr(cause, "partial") and hasattr(cause, "expected"):  # an IncompleteRead
        received = cause.partial if isinstance(cause.partial, int) else len(cause.partial)
        return f"the connection closed after {received} of {received + cause.expected} bytes"
    if isinstance(cause, OSError) and cause.strerror:  # e.g. a refused connection
        return cause.strerror
    return str(cause) or type(cause).__name__


def _innermost(err: BaseException) -> BaseException:
    """The exception at the bottom of a chain of causes (requests -> urllib3 -> socket)."""
    while True:
        below = err.__cause__ or err.__context__
        if below is None and err.args and isinstance(err.args[-1], BaseException):
            below = err.args[-1]  # urllib3 passes causes as arguments, too
        if below is None:
            return err
        err = below
