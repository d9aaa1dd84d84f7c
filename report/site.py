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

import math
import shutil
from datetime import datetime
from pathlib import Path

import jinja2

from report import downloads, figure_cache, formatting, slides
from report import summary as sm
from report.figures.style import MIN_SCALE
from report.prose import prose
from runner import __version__, store
from runner.files import atomic_write

TEMPLATES = Path(__file__).parent / "templates"
PROVENANCE_FIELDS = (
    ("tp5", "tp5"),
    ("numpy", "NumPy"),
    ("python", "Python"),
    ("platform", "platform"),
    ("machine", "machine"),
    ("processor", "processor"),
    ("cpus", "CPUs"),
    ("finished", "finished"),
    ("commit", "git commit"),
    ("modified", "files changed since the commit"),
    ("overrides", "changed on the command line"),
)


def render(
    results_dir: Path,
    site_dir: Path,
    experiments: list[str] | None = None,
    *,
    n_jobs: int | None = None,
    given: list[str] | None = None,
    training: dict[str, dict] | None = None,
) -> Path:
    """Render the site for ``experiments`` (default: all in the store); returns index.html.

    The index and the provenance page always list every experiment found in ``results_dir``,
    in the order of ``index_order`` (``given``: the names as the command line gave them,
    default ``experiments``). A figure whose inputs have not changed since the last render is
    not drawn again. ``training``, while a sweep runs, holds each experiment still training:
    {"stored": runs stored, "runs": its runs, "share": of the sweep's work done, "left":
    seconds, or None}; its card says so in place of a headline from a part of its runs.
    """
    results_dir, site_dir = Path(results_dir), Path(site_dir)
    context = gather(results_dir, experiments, given or experiments or [], training or {})
    return output(context, site_dir, n_jobs)


# ------------------------------------------------------------------------------ phase 1: gather


def gather(
    results_dir: Path,
    names: list[str] | None,
    given: list[str] = (),
    training: dict[str, dict] | None = None,
) -> dict:
    """Everything the pages show, as plain data; figure jobs are listed, not yet drawn."""
    found = store.experiments(results_dir)
    unknown = sorted(set(names or []) - set(found))
    if unknown:
        raise ValueError(f"no stored results for {', '.join(unknown)} in {results_dir}")
    to_render = set(found if names is None else names)
    summaries = index_order([sm.load(results_dir, name) for name in found], list(given))
    training = training or {}
    experiments = [_experiment(s, s.name in to_render) for s in summaries]
    for exp in experiments:
        exp["training"] = _training(training[exp["name"]]) if exp["name"] in training else None
    return {
        "experiments": experiments,
        "version": __version__,
        "provenance_fields": PROVENANCE_FIELDS,
    }


def _training(state: dict) -> dict:
    """An index card's line for an experiment still training, with the sweep's progress as
    of now (the page is written again as the next experiment finishes)."""
    left = state["left"]
    return {
        "stored": state["stored"],
        "runs": state["runs"],
        "share": f"{100 * state['share']:.0f} %",
        "left": None if left is None else f"{math.ceil(left / 60):,} min",
        "at": datetime.now().strftime("%H:%M"),
    }


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
    fingerprint = figure_cache.fingerprint(s)
    for job in jobs:
        job["key"] = figure_cache.key(job, fingerprint)
    return {
        "name": s.name,
        "title": s.title,
        "description": s.config.get("description") or "",
        "url": f"{s.name}/index.html",
        "rendered": rendered,
        "slides": page_slides,
        "jobs": jobs,
        "config_text": s.config_text,
        "provenance": s.provenance,
        "runs": len(s.runs),
        "configurations": len(s.configurations),
        "highlight": _highlight(s),
        "card_figure": _card_figure(page_slides),
        "finished": s.provenance.get("finished"),
        "downloads": downloads.LINKS,
        "summary": s,
    }


def _highlight(s: sm.Summary) -> dict | None:
    """The number an index card shows in large type: the first highlight of the first slide
    kind (in the default report's order) that has highlights, whether the page shows it or not."""
    kind = next((k for k in slides.kinds() if k.highlights), None)
    return kind.highlights(s)[0] if kind and s.runs else None


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


# ------------------------------------------------------------------------------ phase 2: output


def output(context: dict, site_dir: Path, n_jobs: int | None = None) -> Path:
    """Draw the figures that changed, then write every page."""
    site_dir.mkdir(parents=True, exist_ok=True)
    rendered = [e for e in context["experiments"] if e["rendered"]]
    figure_cache.draw(rendered, site_dir, n_jobs)
    for exp in context["experiments"]:
        exp["card"] = _card(exp, site_dir)
    writer = Writer(site_dir, environment())
    for exp in rendered:
        downloads.write(exp["summary"], site_dir / exp["name"])
        exp["downloads"] = downloads.sized(site_dir / exp["name"])
        writer.write_file(
            f"{exp['name']}/index.html",
            "experiment.html",
            {**context, "experiment": exp, "root": "../"},
        )
    writer.write_file("provenance.html", "provenance.html", {**context, "root": ""})
    index = writer.write_file("index.html", "index.html", {**context, "root": ""})
    _copy_static(site_dir)
    (site_dir / ".nojekyll").touch()
    return index


def _card(exp: dict, site_dir: Path) -> dict:
    """The index card's link and key figure; for an experiment not rendered now, what an earlier
    render left (so the index never points at a file that is not there)."""
    folder = site_dir / exp["name"]
    href = exp["url"] if exp["rendered"] or (folder / "index.html").exists() else None
    earlier = {} if exp["rendered"] else figure_cache.read_manifest(folder)
    drawn = (
        {j["file"]: j for j in exp["jobs"] if not j["error"]}
        if exp["rendered"]
        else {file: entry for file, entry in earlier.items() if entry.get("card")}
    )
    file = exp["card_figure"] if exp["rendered"] else next(iter(drawn), None)
    entry = drawn.get(file)
    if not entry or not (folder / file).exists():
        return {"href": href, "figure": None}
    return {
        "href": href,
        "figure": {
            "src": f"{exp['name']}/{file}",
            "width": entry["width"],
            "height": entry["height"],
            "alt": entry.get("alt") or exp["title"],
        },
    }


def _copy_static(site_dir: Path) -> None:
    target = site_dir / "static"
    target.mkdir(exist_ok=True)
    for source in (TEMPLATES / "static").iterdir():
        shutil.copyfile(source, target / source.name)


# ------------------------------------------------------------------------------ Jinja


def environment() -> jinja2.Environment:
    """The one Jinja environment: autoescaped, whitespace-tidy, strict about missing names."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters.update(formatting.FILTERS)
    env.filters["prose"] = prose  # the YAML's description and conclusions
    env.globals["min_scale"] = MIN_SCALE  # a figure shrinks no further on a phone
    return env


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
