"""The site's figure files kept up to date: each drawn again only when what it shows changed.

A figure job's key hashes its arguments, the experiment's runs (``fingerprint``: ids and write
times) and the drawing code (``CODE``); each experiment's folder keeps a manifest (MANIFEST) of
the key and CSS size each file was drawn with. ``draw`` draws the jobs whose key or file is
missing, in worker processes, and deletes the files no slide uses any more.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sys
from pathlib import Path

import matplotlib
from joblib import Parallel, cpu_count, delayed

from report import explorer, slides
from report.figures.style import save
from report.summary import Summary
from runner import store
from runner.parallel import no_false_leak_warning

MANIFEST = "figures.json"  # per experiment folder: figure file -> input key and CSS size
# Drawing code whose change must redraw every figure (glob patterns, from the repository root).
CODE = (
    "report/figures/*.py",
    "report/slides/**/*.py",
    "report/summary.py",
    "report/axes.py",
    "report/metrics.py",
    "report/stats.py",
    "report/formatting.py",
    "report/explorer.py",
    "runner/models.py",
)


def fingerprint(s: Summary) -> str:
    """Changes when any run of the experiment is added, removed or rewritten (--force)."""
    stamps = sorted((r.id, (r.path / "metrics.json").stat().st_mtime_ns) for r in s.runs)
    return _sha(json.dumps(stamps))


@functools.cache
def _code_version() -> str:
    root = Path(__file__).parent.parent
    sources = "".join(
        path.read_text(encoding="utf-8") for pattern in CODE for path in sorted(root.glob(pattern))
    )
    return _sha(sources + matplotlib.__version__)


def key(job: dict, fingerprint: str) -> str:
    return _sha(json.dumps(job, sort_keys=True, default=str) + fingerprint + _code_version())


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def draw(experiments: list[dict], site_dir: Path, n_jobs: int | None) -> None:
    """Draw each stale figure once, in parallel; attach sizes (or the error) to each job."""
    manifests = {e["name"]: read_manifest(site_dir / e["name"]) for e in experiments}
    stale = []
    for exp in experiments:
        for job in exp["jobs"]:
            old = manifests[exp["name"]].get(job["file"], {})
            path = site_dir / exp["name"] / job["file"]
            if old.get("key") == job["key"] and path.exists():
                job.update(
                    width=old["width"], height=old["height"], caption=old.get("caption"), error=None
                )
            else:
                stale.append((job, path))
    for (job, _), outcome in zip(stale, _run_jobs(stale, n_jobs)):
        job.update(outcome)
    for exp in experiments:
        _write_manifest(site_dir / exp["name"], exp, manifests[exp["name"]])


def _run_jobs(stale: list[tuple[dict, Path]], n_jobs: int | None) -> list[dict]:
    """Draw in worker processes when there are several figures (each worker starts matplotlib
    once, about a second, so a handful of figures is drawn faster here)."""
    n_jobs = min(n_jobs or cpu_count(), len(stale))
    if n_jobs <= 1 or len(stale) < 4:
        return [_draw_one(job, path) for job, path in stale]
    order = sorted(range(len(stale)), key=lambda i: -_cost(stale[i][0]))  # costliest first
    with no_false_leak_warning():  # figure workers that decoded MNIST keep it
        drawn = Parallel(n_jobs=n_jobs)(delayed(_draw_one)(*stale[i]) for i in order)
    outcomes = [None] * len(stale)
    for i, outcome in zip(order, drawn):
        outcomes[i] = outcome
    return outcomes


def _cost(job: dict) -> int:
    """A figure's drawing cost rank (its slide kind's); an explorer data file is quick."""
    return slides.get(job["slide"]).cost if "slide" in job else 0


def _make(job: dict, path: Path) -> tuple:
    """Write one job's file: a slide's figure, or an explorer's data file (which has no size).
    Returns its CSS width, height and the caption a Captioned figure comes with."""
    if "slide" not in job:
        explorer.export_decoder(job["decoder"], path)
        return None, None, None
    drawn = slides.get(job["slide"]).prepare(**job["args"])
    if isinstance(drawn, slides.Captioned):
        return (*save(drawn.figure, path), drawn.caption)
    return (*save(drawn, path), None)


def _draw_one(job: dict, path: Path) -> dict:
    """Draw one figure; a failure becomes a note on its slide instead of stopping the site."""
    try:
        width, height, caption = _make(job, path)
        return {"width": width, "height": height, "caption": caption, "error": None}
    except Exception as exc:  # noqa: BLE001 - one broken run must not hide the other slides
        message = f"{type(exc).__name__}: {exc}"
        print(f"tp5 site: {path.name}: {message}", file=sys.stderr)
        return {"width": None, "height": None, "caption": None, "error": message}


def read_manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    return json.loads(path.read_text()) if path.exists() else {}


def _write_manifest(folder: Path, exp: dict, old: dict) -> None:
    """Record what each figure was drawn from; delete figures no slide uses any more."""
    manifest = {
        job["file"]: {
            "key": job["key"],
            "width": job["width"],
            "height": job["height"],
            "alt": job.get("alt"),
            "caption": job["caption"],
            "card": job["file"] == exp["card_figure"],
        }
        for job in exp["jobs"]
        if not job["error"]
    }
    for file in set(old) - set(manifest):
        (folder / file).unlink(missing_ok=True)
    folder.mkdir(parents=True, exist_ok=True)
    store.write_json(folder / MANIFEST, manifest)
