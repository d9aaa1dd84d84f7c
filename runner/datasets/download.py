"""Download one file into a folder, verified, all or nothing.

The file is written under a temporary name next to its destination, its checksum is checked, and
only then is it renamed into place (os.replace, atomic within a folder). So the destination either
does not exist or holds verified content, whatever happens: a dead mirror, a timeout, a wrong
file, Ctrl-C, or several worker processes fetching the same file at once. Mirrors are tried in
order, and the reasons they failed are all reported.

    fetch(["https://a.example/data/", "https://b.example/d/"], Path("cache/f.gz"), sha256, digest)
"""

from __future__ import annotations

import http.client
import os
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path

from tqdm import tqdm

TIMEOUT = 30.0  # seconds without a byte from the server before a mirror counts as dead
_CHUNK = 1 << 16


class DownloadError(Exception):
    """No mirror gave the file; the message lists each mirror with what went wrong."""


def fetch(bases: Sequence[str], dest: Path, sha256: str, digest: Callable[[Path], str]) -> None:
    """Download dest.name from the first base URL that serves it with the expected checksum.

    digest(path) gives the hex sha256 the file is judged by; the caller chooses what it covers
    (e.g. the decompressed content) and may raise ValueError for a file it cannot read.
    """
    timeout = TIMEOUT  # read at call time, so that tests can shorten it
    failures = []
    for base in bases:
        url = base.rstrip("/") + "/" + dest.name
        try:
            _fetch_one(url, dest, sha256, digest, timeout)
            return
        except (OSError, http.client.HTTPException, ValueError) as err:
            failures.append(f"{url}: {_describe(err, timeout)}")
    raise DownloadError(f"{dest.name} could not be downloaded ({'; '.join(failures)})")


def _fetch_one(url: str, dest: Path, sha256: str, digest: Callable[[Path], str],
               timeout: float) -> None:
    """Download url to a temporary file beside dest, check it, rename it to dest."""
    # same folder, so the rename is atomic; same extension, so digest sees what will be read later
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=f".part{dest.suffix}",
                                dir=dest.parent)
    part = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            _copy(url, out, timeout, dest.name)
        found = digest(part)
        if found != sha256:
            raise ValueError(f"sha256 {found} is not the expected {sha256}")
        os.replace(part, dest)
    finally:
        part.unlink(missing_ok=True)  # gone already after a successful rename


def _copy(url: str, out, timeout: float, label: str) -> None:
    """Stream url into out, with a progress bar when someone is watching stderr.

    A server that hangs up early looks like a normal end of file to urllib, so the byte count is
    checked against Content-Length here, where the reason is still known.
    """
    with urllib.request.urlopen(url, timeout=timeout) as response:
        total = int(response.headers.get("Content-Length") or 0) or None
        received = 0
        with tqdm(
            total=total, unit="B", unit_scale=True, desc=label, leave=False,
            disable=not sys.stderr.isatty(),
        ) as bar:
            while chunk := response.read(_CHUNK):
                out.write(chunk)
                received += len(chunk)
                bar.update(len(chunk))
        if total is not None and received != total:
            raise ConnectionError(f"the connection closed after {received} of {total} bytes")


def _describe(err: Exception, timeout: float) -> str:
    """A short reason for a failed mirror, without urllib's '<urlopen error ...>' wrapping."""
    if isinstance(err, urllib.error.HTTPError):
        return f"HTTP {err.code} {err.reason}"
    if isinstance(err, urllib.error.URLError):
        if not isinstance(err.reason, Exception):
            return str(err.reason)
        err = err.reason  # e.g. a refused connection or a name that does not resolve
    if isinstance(err, TimeoutError):
        return f"no answer within {timeout:g} s"
    return str(err) or type(err).__name__
