"""Check that .ci/floors.txt pins every dependency of pyproject.toml at its declared floor.

    python .ci/floors.py        # exit 1, naming each mismatch, when a floor moved on one side only

A dependency added without a floor pin, or a floor raised in one file and not the other, would
let the floors' smoke sweep prove something other than what pyproject.toml promises.
"""

import sys
from pathlib import Path

import tomllib  # Python 3.11, the version CI runs
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent


def declared() -> dict[str, Version | None]:
    """Each dependency's floor (its >= bound), None where it has none."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    floors = {}
    for line in project["dependencies"]:
        req = Requirement(line)
        lower = [Version(s.version) for s in req.specifier if s.operator == ">="]
        floors[canonicalize_name(req.name)] = lower[0] if lower else None
    return floors


def pinned() -> dict[str, Version]:
    pins = {}
    for line in (ROOT / ".ci" / "floors.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[canonicalize_name(name)] = Version(version)
    return pins


def mismatches(floors: dict[str, Version | None], pins: dict[str, Version]) -> list[str]:
    found = []
    for name, floor in floors.items():
        if floor is None:
            found.append(f"{name}: no floor (>=) in pyproject.toml")
        elif name not in pins:
            found.append(f"{name}: not pinned in .ci/floors.txt")
        elif pins[name] != floor:
            found.append(f"{name}: pyproject.toml says >={floor}, .ci/floors.txt pins {pins[name]}")
    found += [
        f"{name}: pinned in .ci/floors.txt, not a dependency" for name in pins if name not in floors
    ]
    return found


if __name__ == "__main__":
    problems = mismatches(declared(), pinned())
    print(*problems, sep="\n", file=sys.stderr)
    sys.exit(1 if problems else 0)
