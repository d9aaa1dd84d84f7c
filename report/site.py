"""The static site: stored results in, HTML pages and figure files out.

    index = render(Path("results"), Path("site"))   # site/index.html

Two phases, as in pelican. ``gather`` reads every experiment of the store into plain dicts
(configurations, tables, slide texts, and the figure jobs the slides need). ``output`` then draws
the figures that changed (in parallel worker processes) and a single ``Writer`` renders each
Jinja2 template into its file. Templates only loop, test and filter; every number they show was
computed here from the stored runs.

Layout of the output, all links relative so the folder works from disk and on any static host::

    site/index.html                     the experiments as cards
    site/provenance.html                each experiment's YAML, versions and machine
    site/<experiment>/index.html        the experiment's slides; its figures sit next to it
    site/<experiment>/decoder-<run>.js  a run's decoder and latent codes, for the explorer
    site/static/                        style.css, slides.js, decoder.js, explorer.js
    site/.nojekyll                      GitHub Pages: serve the folder as it is
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import shutil
import sys
from datetime import datetime
from pathlib import Path

import jinja2
import matplotlib
from joblib import Parallel, cpu_count, delayed

from report import downloads, explorer, figures, slides
from report import summary as sm
from report.slides.kinds import summary as summary_slide
from runner import __version__, store
from runner.files import atomic_write
from runner.parallel import no_false_leak_warning

TEMPLATES = Path(__file__).parent / "templates"
MANIFEST = "figures.json"  # per experiment folder: figure file -> input key and CSS size
PROVENANCE_FIELDS = (("tp5", "tp5"), ("numpy", "NumPy"), ("python", "Python"),
                     ("platform", "platform"), ("machine", "machine"), ("processor", "processor"),
                     ("cpus", "CPUs"), ("finished", "finished"), ("commit", "git commit"),
                     ("modified", "files changed since the commit"))
# Drawing code whose change must redraw every figure (glob patterns, from the repository root).
_CODE = ("report/figures.py", "report/slides/**/*.py", "report/summary.py", "report/explorer.py",
         "runner/models.py")


def render(results_dir: Path, site_dir: Path, experiments: list[str] | None = None, *,
           n_jobs: int | None = None, given: list[str] | None = None) -> Path:
    """Render the site for ``experiments`` (default: all in the store); returns index.html.

    The index and the provenance page always list every experiment found in ``results_dir``,
    in the order of ``index_order`` (``given``: the names as the command line gave them,
    default ``experiments``). A figure whose inputs have not changed since the last render is
    not drawn again.
    """
    results_dir, site_dir = Path(results_dir), Path(site_dir)
    context = gather(results_dir, experiments, given or experiments or [])
    return output(context, site_dir, n_jobs)


# ------------------------------------------------------------------------------ phase 1: gather


def gather(results_dir: Path, names: list[str] | None, given: list[str] = ()) -> dict:
    """Everything the pages show, as plain data; figure jobs are listed, not yet drawn."""
    found = store.experiments(results_dir)
    unknown = sorted(set(names or []) - set(found))
    if unknown:
        raise ValueError(f"no stored results for {', '.join(unknown)} in {results_dir}")
    to_render = set(found if names is None else names)
    summaries = index_order([sm.load(results_dir, name) for name in found], list(given))
    return {"experiments": [_experiment(s, s.name in to_render) for s in summaries],
            "version": __version__, "provenance_fields": PROVENANCE_FIELDS}


def index_order(summaries: list[sm.Summary], given: list[str]) -> list[sm.Summary]:
    """Experiments as a course presents them: by their YAML's ``order:`` (those without one
    after), then as given on the command line, then as found (by name)."""
    def key(s: sm.Summary) -> tuple:
        order = s.config.get("order")
        position = given.index(s.name) if s.name in given else len(given)
        return (order is None, order or 0, position)
    return sorted(summaries, key=key)  # stable: ties keep the store's order


def _experiment(s: sm.Summary, rendered: bool) -> dict:
    page_slides = [slides.build(kind, s) for kind in s.report] if rendered else []
    jobs = _jobs(page_slides)
    fingerprint = _fingerprint(s)
    for job in jobs:
        job["key"] = _key(job, fingerprint)
    return {
        "name": s.name, "title": s.title, "description": s.config.get("description") or "",
        "url": f"{s.name}/index.html", "rendered": rendered, "slides": page_slides,
        "jobs": jobs, "config_text": s.config_text, "provenance": s.provenance,
        "runs": len(s.runs), "configurations": len(s.configurations),
        "highlight": summary_slide.highlights(s)[0] if s.runs else None,
        "card_figure": _card_figure(page_slides),
        "finished": s.provenance.get("finished"),
        "downloads": downloads.LINKS, "summary": s, "fingerprint": fingerprint,
    }


def _jobs(page_slides: list[dict]) -> list[dict]:
    """The files the slides need: each figure, and each explorer's decoder data file (once per
    run, when two slides explore the same run)."""
    jobs: dict[str, dict] = {}
    for slide in page_slides:
        for file, job in slides.figures_of(slide):
            job["file"] = file
            jobs[file] = job
        for run in (slide["explorer"] or {}).get("runs", []):
            run["export"] = jobs.setdefault(run["export"]["file"], run["export"])
    return list(jobs.values())


def _card_figure(page_slides: list[dict]) -> str | None:
    """The figure that stands for the experiment on its index card: the one of the slide kind
    ranked first for cards, else the page's first figure (of a chooser, the one it opens on)."""
    figured = [s for s in page_slides if slides.figures_of(s)]
    ranked = [s for s in figured if slides.get(s["kind"]).card is not None]
    chosen = min(ranked, key=lambda s: slides.get(s["kind"]).card, default=None)
    chosen = chosen or next(iter(figured), None)
    return slides.figures_of(chosen)[0][1]["file"] if chosen else None


def _fingerprint(s: sm.Summary) -> str:
    """Changes when any run of the experiment is added, removed or rewritten (--force)."""
    stamps = sorted((r.id, (r.path / "metrics.json").stat().st_mtime_ns) for r in s.runs)
    return _sha(json.dumps(stamps))


@functools.cache
def _code_version() -> str:
    root = Path(__file__).parent.parent
    sources = "".join(path.read_text(encoding="utf-8") for pattern in _CODE
                      for path in sorted(root.glob(pattern)))
    return _sha(sources + matplotlib.__version__)


def _key(job: dict, fingerprint: str) -> str:
    return _sha(json.dumps(job, sort_keys=True, default=str) + fingerprint + _code_version())


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# ------------------------------------------------------------------------------ phase 2: output


def output(context: dict, site_dir: Path, n_jobs: int | None = None) -> Path:
    """Draw the figures that changed, then write every page."""
    site_dir.mkdir(parents=True, exist_ok=True)
    rendered = [e for e in context["experiments"] if e["rendered"]]
    _draw_figures(rendered, site_dir, n_jobs)
    for exp in context["experiments"]:
        exp["card"] = _card(exp, site_dir)
    writer = Writer(site_dir, environment())
    for exp in rendered:
        downloads.write(exp["summary"], site_dir / exp["name"], exp["fingerprint"])
        writer.write_file(f"{exp['name']}/index.html", "experiment.html",
                          {**context, "experiment": exp, "root": "../"})
    writer.write_file("provenance.html", "provenance.html", {**context, "root": ""})
    index = writer.write_file("index.html", "index.html", {**context, "root": ""})
    _copy_static(site_dir)
    (site_dir / ".nojekyll").touch()
    return index


def _draw_figures(experiments: list[dict], site_dir: Path, n_jobs: int | None) -> None:
    """Draw each stale figure once, in parallel; attach sizes (or the error) to each job."""
    manifests = {e["name"]: _read_manifest(site_dir / e["name"]) for e in experiments}
    stale = []
    for exp in experiments:
        for job in exp["jobs"]:
            old = manifests[exp["name"]].get(job["file"], {})
            path = site_dir / exp["name"] / job["file"]
            if old.get("key") == job["key"] and path.exists():
                job.update(width=old["width"], height=old["height"], error=None)
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


def _make(job: dict, path: Path) -> tuple[int, int] | tuple[None, None]:
    """Write one job's file: a slide's figure, or an explorer's data file (which has no size)."""
    if "slide" in job:
        return figures.save(slides.get(job["slide"]).prepare(**job["args"]), path)
    explorer.export_decoder(job["decoder"], path)
    return None, None


def _draw_one(job: dict, path: Path) -> dict:
    """Draw one figure; a failure becomes a note on its slide instead of stopping the site."""
    try:
        width, height = _make(job, path)
        return {"width": width, "height": height, "error": None}
    except Exception as exc:  # noqa: BLE001 - one broken run must not hide the other slides
        message = f"{type(exc).__name__}: {exc}"
        print(f"tp5 site: {path.name}: {message}", file=sys.stderr)
        return {"width": None, "height": None, "error": message}


def _card(exp: dict, site_dir: Path) -> dict:
    """The index card's link and key figure; for an experiment not rendered now, what an earlier
    render left (so the index never points at a file that is not there)."""
    folder = site_dir / exp["name"]
    href = exp["url"] if exp["rendered"] or (folder / "index.html").exists() else None
    drawn = {j["file"]: j for j in exp["jobs"] if not j["error"]} if exp["rendered"] else {
        file: entry for file, entry in _read_manifest(folder).items() if entry.get("card")}
    file = exp["card_figure"] if exp["rendered"] else next(iter(drawn), None)
    entry = drawn.get(file)
    if not entry or not (folder / file).exists():
        return {"href": href, "figure": None}
    return {"href": href, "figure": {"src": f"{exp['name']}/{file}", "width": entry["width"],
                                     "height": entry["height"],
                                     "alt": entry.get("alt") or exp["title"]}}


def _read_manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    return json.loads(path.read_text()) if path.exists() else {}


def _write_manifest(folder: Path, exp: dict, old: dict) -> None:
    """Record what each figure was drawn from; delete figures no slide uses any more."""
    manifest = {job["file"]: {"key": job["key"], "width": job["width"], "height": job["height"],
                              "alt": job.get("alt"), "card": job["file"] == exp["card_figure"]}
                for job in exp["jobs"] if not job["error"]}
    for file in set(old) - set(manifest):
        (folder / file).unlink(missing_ok=True)
    folder.mkdir(parents=True, exist_ok=True)
    store.write_json(folder / MANIFEST, manifest)


def _copy_static(site_dir: Path) -> None:
    target = site_dir / "static"
    target.mkdir(exist_ok=True)
    for source in (TEMPLATES / "static").iterdir():
        shutil.copyfile(source, target / source.name)


# ------------------------------------------------------------------------------ Jinja


def environment() -> jinja2.Environment:
    """The one Jinja environment: autoescaped, whitespace-tidy, strict about missing names."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True,
        lstrip_blocks=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    env.filters.update(num=format_number, mean=format_mean, sd=format_sd, when=format_when,
                       counted=sm.plural)
    return env


def format_number(value, digits: int = 3) -> str:
    """Numbers for tables: ``digits`` significant digits (below 0.0001 in scientific notation,
    so 3.8e-05 keeps its digits), integers as integers, nothing for missing."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return f"{value:,}"
    if value and abs(value) < 1e-4:
        return f"{value:.{digits - 1}e}"
    return f"{value:,.{_decimals(value, digits)}f}"


def _decimals(value: float, digits: int) -> int:
    """Decimals that show ``digits`` significant digits of value (none for whole hundreds)."""
    magnitude = math.floor(math.log10(abs(value))) if value else 0
    return max(0, digits - 1 - magnitude)


def _spread(stat: dict) -> float | None:
    """The number a cell shows after ±: the one its ``spread`` names (summary.stats: the 95 %
    confidence half-width), else its ``std`` (a slide's standard error or deviation)."""
    return stat.get(stat.get("spread", "std"))


def format_mean(stat: dict | None) -> str:
    """The mean of a cell, to 3 significant digits or to the last digit of its spread if finer
    (0.2044 ± 3.8e-05 shows as 0.204044), so that the ± speaks of digits that are shown."""
    if not stat or stat.get("mean") is None:
        return "–"
    mean, spread = stat["mean"], _spread(stat)
    if not spread or (mean and abs(mean) < 1e-4):
        return format_number(mean)
    decimals = max(_decimals(mean, 3), _decimals(spread, 2))
    return f"{mean:,.{min(decimals, 8)}f}"


def format_sd(stat: dict | None) -> str:
    """The spread of a mean ± spread cell, to 2 significant digits (0 when every seed agreed)."""
    if not stat or stat.get("mean") is None:
        return ""
    spread = _spread(stat)
    return "0" if spread == 0 else format_number(spread, 2)


def format_when(iso: str | None) -> str:
    if not iso:
        return "–"
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return moment.strftime("%d %b %Y, %H:%M") + (" UTC" if moment.utcoffset() is not None
                                                 and not moment.utcoffset() else "")


class Writer:
    """Renders a template with its context into a file under the site folder, atomically."""

    def __init__(self, site_dir: Path, env: jinja2.Environment):
        self.site_dir = site_dir
        self.env = env

    def write_file(self, name: str, template: str, context: dict) -> Path:
        path = self.site_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, self.env.get_template(template).render(context))
        return path
