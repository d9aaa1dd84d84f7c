"""Writing a file or a folder whole or not at all: through a temporary name and one rename.

A reader (a page open in a browser, a sweep resumed after a kill, another worker) sees the old
content or the new, never half of it, because os.replace is atomic within a folder. Temporaries
are hidden names starting with TEMP_PREFIX next to their destination, so that what a killed
process leaves behind is easy to recognise and remove.

    atomic_write(site / "index.html", html)
    with atomic_folder(results / run_id) as tmp:
        (tmp / "run.json").write_text(text)  # results/<run_id> appears when the block ends
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TEMP_PREFIX = ".tmp-"


def atomic_write(path: Path, content: str | bytes) -> None:
    """Write content (text as UTF-8) to path, replacing what was there in one rename."""
    tmp = _temporary(path)
    try:
        tmp.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_folder(path: Path) -> Iterator[Path]:
    """A new temporary folder to fill; when the block succeeds it replaces path in one rename."""
    tmp = _temporary(path)
    tmp.mkdir()
    try:
        yield tmp
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if path.exists():  # move the old copy aside first, so the swap is one rename
        old = _temporary(path)
        os.replace(path, old)
        os.replace(tmp, path)
        shutil.rmtree(old)
    else:
        os.replace(tmp, path)


def _temporary(path: Path) -> Path:
    """A fresh hidden name next to path (unique across processes writing the same path)."""
    return path.with_name(f"{TEMP_PREFIX}{uuid.uuid4().hex}-{path.name}")
