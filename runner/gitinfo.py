"""The git commit of the code a sweep ran, for its provenance.json.

Results are only as reproducible as the code that computed them is known: when tp5 runs from a
git checkout, provenance records the commit and whether tracked files differed from it (then the
commit alone does not give the code back). An installed copy, or a checkout inside some other
repository, records nothing rather than another project's commit.
"""

from __future__ import annotations

import subprocess
from pathlib import Path


def _git(root: Path, *args: str) -> str | None:
    """A git command's output in root, or None when git is missing, fails or hangs."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def checkout(root: Path) -> dict:
    """{"commit", "modified"} when root is the top of a git checkout, else {}."""
    found = _git(root, "rev-parse", "--show-toplevel", "HEAD")
    if not found or len(found.splitlines()) != 2:
        return {}
    top, commit = found.splitlines()
    if Path(top).resolve() != root.resolve():
        return {}
    status = _git(root, "status", "--porcelain", "--untracked-files=no")
    if status is None:
        return {"commit": commit}
    return {"commit": commit, "modified": bool(status)}
