"""The site: pages from stored results, links that resolve, numbers that come from the runs,
user text escaped, unchanged figures not redrawn, and the whole study rendered with every link
resolving (its rendering time is measured by benchmarks/site_render.py)."""

from __future__ import annotations

import csv
import gzip
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import numpy as np
import pytest
import scipy.stats
import yaml

import support
from report import formatting, metrics, site, stats, tables
from report import summary as sm
from report.slides.runs import data_of, model_of
from runner import floors, gitinfo, store
from runner.metrics import AutoencoderMetrics, Denoise, DrawSummary
from support import TINY, XSS_EXPERIMENT, train

REPO = Path(__file__).resolve().parent.parent


class Page(HTMLParser):
    """What a test needs of a page: its references, its ids, its tables' rows as text."""

    def __init__(self, path: Path):
        super().__init__()
        self.path = path
        self.refs: list[str] = []
        self.ids: list[str] = []
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.refs += [attrs[k] for k in ("href", "src") if attrs.get(k) is not None]
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def pages(site_dir: Path) -> list[Path]:
    return sorted(site_dir.rglob("*.html"))


def broken_references(site_dir: Path) -> list[str]:
    """Every reference that is absolute, leaves the site, or names a missing file or anchor."""
    problems = []
    for path in pages(site_dir):
        for ref in Page(path).refs:
            parts = urlsplit(ref)
            if parts.scheme or parts.netloc or ref.startswith("/"):
                problems.append(f"{path.name}: not relative: {ref}")
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if not target.is_file() or site_dir.resolve() not in target.parents:
                problems.append(f"{path.relative_to(site_dir)}: missing: {ref}")
            elif (
                parts.fragment
                and target.suffix == ".html"
                and (parts.fragment not in Page(target).ids)
            ):
                problems.append(f"{path.relative_to(site_dir)}: no anchor: {ref}")
    return problems


# ------------------------------------------------------------------------------ whole site


def test_the_site_has_every_page(tiny_site):
    for name in (
        "index.html",
        "provenance.html",
        ".nojekyll",
        "static/style.css",
        "static/slides.js",
        *(f"{exp}/index.html" for exp in TINY),
    ):
        assert (tiny_site / name).is_file(), name


def test_every_reference_resolves_and_is_relative(tiny_site):
    assert broken_references(tiny_site) == []
    for path in pages(tiny_site):
        html = path.read_text()
        assert "file://" not in html and str(tiny_site) not in html, path


def test_no_figure_failed_to_draw(tiny_site):
    for path in pages(tiny_site):
        assert "could not be drawn" not in path.read_text(), path


def test_user_text_is_escaped(tiny_site):
    for path in (
        tiny_site / "index.html",
        tiny_site / XSS_EXPERIMENT / "index.html",
        tiny_site / "provenance.html",
    ):
        html = path.read_text()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path
        assert "<script>alert" not in html, path
    assert "Two architectures &amp; two" in (tiny_site / "index.html").read_text()


def test_slides_follow_the_report(tiny_site, tiny_results):
    for name in TINY:
        report = sm.load(tiny_results, name).report
        ids = [
            i for i in Page(tiny_site / name / "index.html").ids if i.replace("-", "_") in report
        ]
        assert ids == [kind.replace("_", "-") for kind in report]


def test_provenance_shows_versions_and_yaml(tiny_site, tiny_results):
    page = (tiny_site / "provenance.html").read_text()
    provenance = json.loads((tiny_results / "font-denoise" / "provenance.json").read_text())
    for key in ("tp5", "numpy", "python", "machine"):
        assert str(provenance[key]) in page
    assert "eval_draws: 5" in page  # the resolved YAML of font-denoise


# ------------------------------------------------------------------------------ numbers


def _metric_of_runs(results: Path, experiment: str, where, path: tuple[str, ...]) -> list:
    """The number at ``path`` in the metrics.json of each healthy run that ``where`` picks."""
    values = []
    for run in store.load_runs(results, experiment):
        if where(run.spec) and run.metrics.status == "ok":
            value = json.loads((run.path / "metrics.json").read_text())
            for key in path:
                value = value[key]
            values.append(value)
    return values


def _cell(stat: dict) -> str:
    """A table cell as the pages write it: mean ± spread."""
    return f"{formatting.format_mean(stat)} ± {formatting.format_sd(stat)}"


def t_interval(values) -> dict:
    """Mean and 95 % half-width of Student's t over the values, recomputed here."""
    n = len(values)
    half = scipy.stats.t.ppf(0.975, n - 1) * np.std(values, ddof=1) / np.sqrt(n)
    return {"mean": float(np.mean(values)), "ci": float(half), "spread": "ci"}


def test_error_table_shows_mean_and_ci_of_the_stored_runs(tiny_site, tiny_results):
    """Cell of (35-2-35, raw inputs, lr 0.02): recomputed here from metrics.json, found in the
    page's row (rows: architecture x inputs, columns: learning rate), its caption saying what
    the ± is and over how many seeds."""
    values = _metric_of_runs(
        tiny_results,
        "font-ae",
        lambda s: (
            s.architecture == (35, 2, 35) and not s.normalize and s.optimizer.learning_rate == 0.02
        ),
        ("wrong_pixels", "mean"),
    )
    assert len(values) == 2
    stat = t_interval(values)
    expected = _cell(stat)
    assert (
        "wrong pixels per character: mean ± 95 % t-interval over 2 seeds"
        in (tiny_site / "font-ae" / "index.html").read_text()
    )
    rows = Page(tiny_site / "font-ae" / "index.html").rows
    header = next(r for r in rows if r[:2] == ["architecture", "inputs"])
    row = next(r for r in rows if r[:2] == ["35-2-35", "raw inputs"])
    assert row[header.index("0.02")] == expected


@pytest.mark.parametrize("statistic, table", [("mean", 0), ("draws_le1", 1)])
def test_denoising_tables_compare_model_and_baselines(tiny_site, tiny_results, statistic, table):
    """Mean wrong pixels, then the share of draws within 1 pixel, for the model and each
    baseline (a share of exactly 0, as the noisy input can have, is a number, not a gap)."""
    rows = Page(tiny_site / "font-denoise" / "index.html").rows
    start = [i for i, r in enumerate(rows) if "Bayes-optimal" in r][table + 1]  # floors first
    header = rows[start]
    row = next(r for r in rows[start:] if r[:1] == ["p = 0.2"])
    for decoder, label in (
        ("model", "model"),
        ("noisy", "noisy input"),
        ("bayes", "Bayes-optimal"),
    ):
        values = _metric_of_runs(
            tiny_results,
            "font-denoise",
            lambda s: s.noise.level == 0.2,
            ("denoise", decoder, statistic),
        )
        stat = t_interval(values)
        assert row[header.index(label)] == _cell(stat)


def test_denoising_floors_are_shown_as_stored(tiny_site, tiny_results):
    """The references' expected errors from their own large draw, ± standard error."""
    rows = Page(tiny_site / "font-denoise" / "index.html").rows
    header = next(r for r in rows if "Bayes-optimal" in r)
    row = next(r for r in rows if r[:1] == ["0.2"])
    floor = floors.read(tiny_results / "font-denoise")[("bitflip", 0.2)]["bayes"]
    stat = {"mean": floor["mean"], "std": floor["se"]}
    assert row[header.index("Bayes-optimal")] == _cell(stat)


def test_the_worst_denoised_character_is_a_mean_over_draws(tiny_results):
    for run in store.load_runs(tiny_results, "font-denoise"):
        model = run.metrics.denoise.model
        assert model.max == max(model.per_char)


def test_index_headline_is_the_best_configuration(tiny_site, tiny_results):
    summary = sm.load(tiny_results, "vae-digits")
    values = [r.metrics.train.neg_elbo for r in summary.runs]
    shown = formatting.format_number(float(np.mean(values)))
    assert shown in (tiny_site / "index.html").read_text()


def test_pictures_decode_the_model_as_it_was_trained(tiny_results):
    """The site rebuilds each run's model from model.npz (and its input standardisation):
    its reconstructions give exactly the wrong pixels that training measured."""
    for run in store.load_runs(tiny_results, "font-ae"):
        x = data_of(run.spec).x_train
        output = model_of(run).reconstruct(x)[0]
        wrong = ((output > 0.5) != (x > 0.5)).sum(axis=-1)
        assert tuple(wrong.tolist()) == run.metrics.wrong_pixels.per_char, run.spec.normalize


# ------------------------------------------------------------------------------ re-rendering


def _figure_times(site_dir: Path) -> dict[str, int]:
    return {
        str(p.relative_to(site_dir)): p.stat().st_mtime_ns
        for p in site_dir.glob("*/*")
        if p.suffix in (".svg", ".png") and p.parent.name != "static"
    }


def test_unchanged_figures_are_not_redrawn(tiny_results, tmp_path):
    site.render(tiny_results, tmp_path, ["font-denoise"])
    first = _figure_times(tmp_path)
    site.render(tiny_results, tmp_path, ["font-denoise"])
    assert _figure_times(tmp_path) == first

    run = store.load_runs(tiny_results, "font-denoise")[0]
    stamp = (run.path / "metrics.json").stat()
    os.utime(run.path / "metrics.json", ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 10**9))
    try:
        site.render(tiny_results, tmp_path, ["font-denoise"])
        again = _figure_times(tmp_path)
        assert all(again[name] != first[name] for name in first)  # a run changed: all redrawn
    finally:
        os.utime(run.path / "metrics.json", ns=(stamp.st_atime_ns, stamp.st_mtime_ns))


def test_rendering_some_experiments_still_lists_all(tiny_results, tmp_path):
    index = site.render(tiny_results, tmp_path, ["vae-digits"])
    html = index.read_text()
    assert all(f">{name}" in html or name in html for name in TINY)
    assert (tmp_path / "vae-digits" / "index.html").exists()
    assert not (tmp_path / "font-ae" / "index.html").exists()
    assert broken_references(tmp_path) == []  # no link to a page that was not rendered


def test_only_runs_of_the_current_plan_are_shown(tiny_results, tmp_path):
    """Runs stored by an earlier version of the YAML (not in plan.json) are left out."""
    results = tmp_path / "results"
    shutil.copytree(tiny_results / "font-denoise", results / "font-denoise")
    plan = json.loads((results / "font-denoise" / "plan.json").read_text())
    (results / "font-denoise" / "plan.json").write_text(json.dumps(plan[1:]))
    summary = sm.load(results, "font-denoise")
    assert [r.id for r in summary.runs] == [entry["id"] for entry in plan[1:]]


def test_an_unknown_experiment_is_refused(tiny_results, tmp_path):
    with pytest.raises(ValueError, match="no stored results for nope"):
        site.render(tiny_results, tmp_path, ["nope"])


# ------------------------------------------------------------------------------ summaries


def _run(arch, level, seed, value, status="ok"):
    """A stored run with only what the summaries read: its spec, status and denoising mean."""
    spec = support.autoencoder(
        id=f"{arch}-{level}-{seed}",
        architecture=arch,
        seed=seed,
        noise={"kind": "bitflip", "level": level, "eval_draws": 3},
    )
    denoised = DrawSummary.model_construct(mean=value, max=2)
    metrics = AutoencoderMetrics.model_construct(
        status=status, denoise=Denoise.model_construct(model=denoised)
    )
    return store.StoredRun(Path("."), spec, metrics)


def _summary(runs):
    varying, configurations = sm.group(runs, {r.id: i for i, r in enumerate(runs)})
    return sm.Summary("x", Path("."), {}, "", {}, runs, varying, configurations)


def test_swept_axes_become_rows_and_columns():
    runs = [
        _run(a, lv, s, 10 * len(a) + lv + s)
        for a in ([35, 2, 35], [35, 9, 2, 9, 35])
        for lv in (0.2, 0.05)
        for s in range(3)
    ]
    runs.append(_run([35, 2, 35], 0.2, 3, 1e9, status="diverged"))
    table = tables.pivot(_summary(runs), metrics.DENOISED_MEAN)
    assert table["row_headings"] == ["architecture"]
    assert table["columns"] == ["p = 0.2", "p = 0.05"]
    assert [r["labels"] for r in table["rows"]] == [["35-2-35"], ["35-9-2-9-35"]]
    cell = table["rows"][0]["cells"][0]  # 35-2-35 at 0.2: seeds 0..2, the diverged one left out
    values = [30 + 0.2 + s for s in range(3)]
    assert cell["mean"] == pytest.approx(np.mean(values))
    assert cell["std"] == pytest.approx(np.std(values, ddof=1))
    assert (cell["n"], cell["dropped"]) == (3, 1)


def test_the_representative_run_is_the_median_seed():
    runs = [_run([35, 2, 35], 0.2, seed, value) for seed, value in enumerate([5, 1, 3, 9, 4])]
    [config] = _summary(runs).configurations
    assert config.representative(metrics.DENOISED_MEAN).spec.seed == 4  # values 1 3 [4] 5 9


# ------------------------------------------------------------------------------ speed


#: The study's sweeps as in experiments/*.yaml (their axes and seeds, only 20 epochs), used
#: when experiments/ holds no YAML files yet.
STUDY_SHAPES = {
    "learning-rate": """\
name: learning-rate
dataset: {name: font}
model: {kind: autoencoder, architectures: [[35, 20, 2, 20, 35]]}
training:
  epochs: 20
  optimizers: [{name: sgd, learning_rate: [0.05, 0.005, 0.0005, 0.00005], momentum: 0.9}]
seeds: 100
report: [summary, lr_analysis, learning_curves, error_table, convergence]
""",
    "architectures": """\
name: architectures
dataset: {name: font}
model:
  kind: autoencoder
  architectures: [[35, 2, 35], [35, 20, 2, 20, 35], [35, 20, 10, 2, 10, 20, 35]]
training: {epochs: 20, optimizers: [{name: sgd, learning_rate: 0.0005, momentum: 0.9}]}
seeds: 10
""",
    "denoising": """\
name: denoising
dataset: {name: font}
model:
  kind: autoencoder
  architectures: [[35, 20, 10, 2, 10, 20, 35], [35, 20, 2, 20, 35],
                  [35, 20, 10, 5, 2, 5, 10, 20, 35]]
training: {epochs: 20, optimizers: [{name: sgd, learning_rate: 0.0005, momentum: 0.9}]}
noise: {kind: bitflip, levels: [0.2, 0.05], floor_draws: 4096}
seeds: 10
""",
    "vae-font": """\
name: vae-font
dataset: {name: font}
model: {kind: vae, architectures: [[35, 20, 2, 20, 35]]}
training: {epochs: 20, batch_size: 8, optimizers: [{name: adam, learning_rate: 0.001}]}
seeds: 3
snapshots: [1, 5, 10, 20]
""",
    "vae-mnist": """\
name: vae-mnist
dataset: {name: mnist-5k}
model: {kind: vae, architectures: [[784, 512, 256, 2, 256, 512, 784]]}
training: {epochs: 3, batch_size: 128, optimizers: [{name: adam, learning_rate: 0.001}]}
seeds: 2
snapshots: [1, 2, 3]
""",
}


def _study_files(folder: Path) -> tuple[list[Path], list[Path], bool]:
    """The study's YAML files (font ones, MNIST ones), or stand-ins of the same shape."""
    study = sorted((REPO / "experiments").glob("*.yaml"))
    if not study:
        folder.mkdir()
        for name, text in STUDY_SHAPES.items():
            (folder / f"{name}.yaml").write_text(text)
        study = sorted(folder.glob("*.yaml"))
    return (
        [p for p in study if "mnist" not in p.name],
        [p for p in study if "mnist" in p.name],
        study[0].parent == folder,
    )


@pytest.mark.slow
def test_the_study_renders_with_every_reference_resolved(tmp_path):
    """The study's experiment files, trained briefly (sweep shapes and run counts kept), then
    rendered from scratch on at most 2 cores."""
    font, mnist, stand_ins = _study_files(tmp_path / "study")
    results = tmp_path / "results"
    if font:
        train(font, results, *([] if stand_ins else ["training.epochs=20", "snapshots=[1,10,20]"]))
    if mnist:  # offline: the 5,000 digits shipped with the package stand in for MNIST
        train(
            mnist,
            results,
            *(
                []
                if stand_ins
                else [
                    "training.epochs=3",
                    "snapshots=[1,2,3]",
                    "dataset.name=mnist-5k",
                    "dataset.path=null",
                ]
            ),
        )
    site.render(results, tmp_path / "site", n_jobs=2)
    assert broken_references(tmp_path / "site") == []


# ------------------------------------------------------------------------------ study beside us

REFERENCED = {
    "referenced": """\
name: referenced
dataset: {name: font}
model: {kind: autoencoder, architectures: [[35, 2, 35], [35, 10, 2, 10, 35]]}
training: {epochs: 60, optimizers: [{name: adam, learning_rate: [0.02, 0.005]}]}
seeds: 3
reference:
  source: the slides
  metric: an error they do not define
  values:
    - {architecture: [35, 2, 35], value: 0.5}
    - {architecture: [35, 10, 2, 10, 35], value: 0.25}
conclusions: ["Deeper <b>is</b> not better here."]
""",
    "one-seed": """\
name: one-seed
description: Like `referenced.yaml`, with <b>one</b> seed.
dataset: {name: font}
model: {kind: autoencoder, architectures: [[35, 2, 35]]}
training: {epochs: 20}
""",
}


@pytest.fixture(scope="module")
def referenced(tmp_path_factory) -> Path:
    """A store with a reference: block and a one-seed experiment, trained, and its site."""
    root = tmp_path_factory.mktemp("referenced")
    for name, text in REFERENCED.items():
        (root / f"{name}.yaml").write_text(text)
    train([root / f"{name}.yaml" for name in REFERENCED], root / "results")
    site.render(root / "results", root / "site")
    return root


def _slide(page: Path, kind: str) -> str:
    html = page.read_text(encoding="utf-8")
    start = html.index(f'<section class="slide slide-{kind}"')
    return html[start : html.index("</section>", start)]


@pytest.mark.slow
def test_the_reference_is_set_beside_each_configuration_it_names(referenced):
    """An entry that leaves the learning rate out names a configuration per rate: each row has
    the reference's figure and ours (mean ± t-interval over the seeds) under the experiment's
    measures, and a second table ours under the others (one table of all would not fit)."""
    summary = sm.load(referenced / "results", "referenced")
    rows = Page(referenced / "site" / "referenced" / "index.html").rows
    header = next(r for r in rows if r[:2] == ["configuration", "the slides"])
    assert header[2:] == [m.short for m in summary.metrics]
    others = [m.short for m in summary.measures if m not in summary.metrics]  # split by measure
    assert ["configuration", *others] in rows
    for c in summary.configurations:
        row = next(r for r in rows if r[0] == c.label and len(r) == len(header))
        assert row[1] == ("0.5" if c.values["architecture"] == "35-2-35" else "0.25")
        stat = t_interval(c.metric(metrics.WRONG_MEAN))
        assert row[2] == _cell(stat)
    html = _slide(referenced / "site" / "referenced" / "index.html", "reference")
    # the reference's order, and ours, per learning rate (which the entries leave out)
    facts = _reference_facts(referenced / "site" / "referenced" / "index.html")
    assert facts["order by the slides at learning rate 0.02"] == "35-10-2-10-35 &lt; 35-2-35"
    assert "our order by wrong pixels per character at learning rate 0.005" in facts
    assert '<img src="reference.svg"' in html


@pytest.mark.slow
def test_the_order_sentences_change_with_the_stored_numbers(referenced, tmp_path):
    """The same store made to say otherwise: the course's figures swapped, then one
    architecture's errors made far lower on every seed. The page's sentences and ranks follow."""
    results = tmp_path / "results"
    shutil.copytree(referenced / "results" / "referenced", results / "referenced")
    before = _reference_facts(referenced / "site" / "referenced" / "index.html")
    config = results / "referenced" / "experiment.yaml"
    stored = yaml.safe_load(config.read_text())
    for entry in stored["reference"]["values"]:  # the course's order reversed
        entry["value"] = 0.1 if entry["architecture"] == [35, 2, 35] else 0.9
    config.write_text(yaml.safe_dump(stored))
    for run in sm.load(results, "referenced").runs:
        if list(run.spec.architecture) == [35, 2, 35]:  # far below the rest, on every seed
            path = run.path / "metrics.json"
            metrics = json.loads(path.read_text())
            slower = run.spec.optimizer.learning_rate != 0.02
            metrics["wrong_pixels"]["mean"] = 0.01 * (1 + run.spec.seed) + slower
            metrics["mse"] = 1e-4 * (1 + run.spec.seed + 100 * slower)
            path.write_text(json.dumps(metrics))
    site.render(results, tmp_path / "site", ["referenced"])
    page = tmp_path / "site" / "referenced" / "index.html"
    after = _reference_facts(page)
    key = "our order by wrong pixels per character at learning rate 0.02"
    assert after[key] != before[key]
    assert after["order by the slides at learning rate 0.02"] == "35-2-35 &lt; 35-10-2-10-35"
    assert after[key] == (
        "35-2-35 &lt; 35-10-2-10-35. On the one pair ours is in the order of the slides."
    )
    conclusions = _slide(page, "conclusions")
    assert "35-2-35 · 0.02, ahead of the next beyond the 95 % interval" in conclusions
    assert "ours is in the order of the slides" in conclusions


def _reference_facts(page: Path) -> dict[str, str]:
    """The reference slide's facts, label -> sentence, as the page writes them."""
    html = _slide(page, "reference")
    return dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", html))


def test_runs_on_plus_minus_one_show_their_error_measures_in_both_ranges(tiny_site, tiny_results):
    """Runs trained on {-1, 1} pixels: the reference slide's table of the other measures sets the
    MSE, MAE and summed squared error in {-1, 1}, as the runs stored them, beside those in
    {0, 1}; runs trained on {0, 1} have none."""
    summary = sm.load(tiny_results, "font-tanh")
    in_pm1 = [metrics.MSE_PM1, metrics.MAE_PM1, metrics.SSE_PM1]
    assert summary.measures == [
        metrics.WRONG_MEAN,
        metrics.WRONG_MAX,
        metrics.MSE,
        metrics.MAE,
        metrics.SSE,
        *in_pm1,
    ]
    rows = Page(tiny_site / "font-tanh" / "index.html").rows
    header = next(r for r in rows if r[:1] == ["configuration"] and "MSE in {-1, 1}" in r)
    assert header[-3:] == [
        "MSE in {-1, 1}",
        "MAE in {-1, 1}",
        "squared error per character in {-1, 1}",
    ]
    for c in summary.configurations:
        row = next(r for r in rows if r[0] == c.label and len(r) == len(header))
        for column, key in zip(header[-3:], ("mse", "mae", "sse")):
            stat = t_interval(
                _metric_of_runs(
                    tiny_results,
                    "font-tanh",
                    lambda s: s.architecture == c.runs[0].spec.architecture,  # noqa: B023
                    ("errors", "plus_minus_one", key),
                )
            )
            cell = _cell(stat)
            assert row[header.index(column)] == cell
    assert not set(in_pm1) & set(sm.load(tiny_results, "font-ae").measures)


@pytest.mark.slow
def test_conclusions_rank_with_welch_and_show_the_yaml_prose(referenced):
    """Ranks shared where Welch's interval does not tell neighbours apart, the bar's count,
    and the file's prose, escaped."""
    summary = sm.load(referenced / "results", "referenced")
    html = _slide(referenced / "site" / "referenced" / "index.html", "conclusions")
    assert "Deeper &lt;b&gt;is&lt;/b&gt; not better here." in html
    ranked = stats.ranking([(c, c.metric(summary.headline)) for c in summary.configurations])
    rows = [
        r
        for r in Page(referenced / "site" / "referenced" / "index.html").rows
        if r and r[0] in {c.label for c in summary.configurations} and len(r) == 5
    ]
    assert [r[0] for r in rows][-4:] == [e["item"].label for e in ranked]
    for row, entry, rank in zip(rows[-4:], ranked, stats.ranks(ranked)):
        assert row[1] == rank
        reached = sum(metrics.WRONG_MAX.of(r.metrics) <= 1 for r in entry["item"].runs)
        assert row[4] == f"{reached} / 3"


@pytest.mark.slow
def test_one_run_is_a_value_and_counts_are_singular(referenced):
    page = referenced / "site" / "one-seed" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "1 run · 1 configuration ·" in html
    assert "the value of 1 seed" in html and "±" not in _slide(page, "error-table")
    assert "1 run ·" in (referenced / "site" / "index.html").read_text(encoding="utf-8")


#: Words of a spread over seeds, which one seed does not have.
SPREAD_WORDS = re.compile(r"quartile|percentile|median|interval|Student|over seeds|the seeds")
#: Slides left out: novelty's medians and percentiles are of distances between pictures, not of
#: seeds.
NOT_OURS = {"novelty"}


@pytest.mark.slow
def test_one_seed_is_worded_without_spreads(referenced):
    """No lede, note, caption or column heading of a one-seed page speaks of what needs several
    seeds: quartiles, medians, intervals, means over seeds."""
    html = (referenced / "site" / "one-seed" / "index.html").read_text(encoding="utf-8")
    shown = re.split(r'(?=<section class="slide slide-)', html)[1:]
    assert len(shown) > 10
    for section in shown:
        kind = re.match(r'<section class="slide slide-([a-z-]+)"', section).group(1)
        text = re.sub(r"<script.*?</script>|<svg.*?</svg>|<[^>]+>", " ", section, flags=re.S)
        if kind not in NOT_OURS:
            assert not SPREAD_WORDS.search(text), (kind, SPREAD_WORDS.findall(text))


@pytest.mark.slow
def test_a_description_shows_its_code_spans_and_no_markup_of_its_own(referenced):
    shown = "Like <code>referenced.yaml</code>, with &lt;b&gt;one&lt;/b&gt; seed."
    site = referenced / "site"
    for page in (site / "index.html", site / "one-seed" / "index.html"):
        assert shown in page.read_text(encoding="utf-8"), page


@pytest.mark.slow
def test_every_architecture_is_drawn_with_its_widths(referenced):
    html = _slide(referenced / "site" / "referenced" / "index.html", "architecture")
    for way in ("wide", "tall"):  # across the page, and down it for a phone
        assert html.count(f'<svg class="hourglass-{way}"') == 2
    # 35-2-35 and 35-10-2-10-35, each drawn twice
    assert [html.count(f">{width}</text>") for width in (35, 10, 2)] == [8, 4, 4]


@pytest.mark.slow
def test_downloads_hold_every_run_epoch_config_and_provenance(referenced):
    summary = sm.load(referenced / "results", "referenced")
    folder = referenced / "site" / "referenced" / "downloads"
    with open(folder / "runs.csv", newline="") as f:
        runs = list(csv.DictReader(f))
    assert [r["id"] for r in runs] == [r.id for r in summary.runs]
    first = summary.runs[0]
    assert float(runs[0]["mse"]) == first.metrics.mse
    assert (runs[0]["seed"], runs[0]["learning_rate"]) == (
        str(first.spec.seed),
        repr(first.spec.optimizer.learning_rate),
    )
    with gzip.open(folder / "history.csv.gz", "rt", newline="") as f:
        history = list(csv.DictReader(f))
    assert len(history) == sum(r.spec.epochs for r in summary.runs)
    last = [h for h in history if h["id"] == first.id][-1]
    assert (int(last["epoch"]), float(last["loss"])) == (60, float(first.history["loss"][-1]))
    assert (folder / "experiment.yaml").read_text() == summary.config_text
    assert json.loads((folder / "provenance.json").read_text()) == summary.provenance
    assert broken_references(referenced / "site") == []


def test_provenance_names_the_commit_of_a_checkout_only(tmp_path):
    def git(*args):
        return subprocess.run(
            ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@t", *args],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()

    git("init", "-q")
    (tmp_path / "a.txt").write_text("a")
    git("add", "a.txt")
    git("commit", "-qm", "a")
    assert gitinfo.checkout(tmp_path) == {"commit": git("rev-parse", "HEAD"), "modified": False}
    (tmp_path / "a.txt").write_text("b")
    assert gitinfo.checkout(tmp_path)["modified"] is True
    (tmp_path / "inner").mkdir()
    assert gitinfo.checkout(tmp_path / "inner") == {}  # another project's commit is not ours


def test_headlines_stand_beside_their_baselines(tiny_site, tiny_results):
    """A font autoencoder's headline beside the mean character's error (drawing the mean
    training image for every input: 11.3 wrong pixels on the font) and the exact PCA code of
    its width, a denoiser's beside the noisy input and the floor at each noise level (never a
    "best" across levels), a VAE's beside the VAE whose code carries nothing; the index's cards
    say the same."""
    from report import references

    x = data_of(sm.load(tiny_results, "font-ae").runs[0].spec).x_train
    assert references.mean_character(x) == pytest.approx(11.34375)
    pca = formatting.format_number(references.linear_code(x, 2))
    index = (tiny_site / "index.html").read_text()
    for html in (index, (tiny_site / "font-ae" / "index.html").read_text()):
        assert "the mean character drawn for every input: 11.3" in html
        assert f"the best linear 2-number code (PCA): {pca}" in html
    floor = sm.load(tiny_results, "font-denoise").floors[("bitflip", 0.05)]
    page = (tiny_site / "font-denoise" / "index.html").read_text()
    for html in (index, page):
        assert f"the noisy input: {formatting.format_number(floor['noisy']['mean'])}" in html
        assert "the Bayes-optimal floor" in html
    assert "at p = 0.05" in page and "at p = 0.2" in page
    vae = references.code_free(data_of(sm.load(tiny_results, "vae-digits").runs[0].spec).x_train)
    for html in (index, (tiny_site / "vae-digits" / "index.html").read_text()):
        assert "whose code carries nothing (KL 0, each pixel its training mean): " in html
        assert formatting.format_number(vae) in html


def test_every_spread_is_titled_and_downloads_give_their_size(tiny_site):
    html = (tiny_site / "font-ae" / "index.html").read_text()
    assert 'title="± 95 % t-interval of the mean over 2 seeds"> ± ' in html
    assert "Student's t" not in html
    sizes = re.findall(r'download>[^<]+</a> <span class="size">\(([^)]+)\)</span>', html)
    assert len(sizes) == 4 and all(re.fullmatch(r"[\d.,]+ (B|kB|MB)", s) for s in sizes)


def test_a_file_read_with_overrides_says_so_before_its_own_prose(tmp_path):
    """The YAML's conclusions were written for the file as it stands: a sweep that changed it on
    the command line records the changes, the page names them, and the conclusions warn that
    the prose's figures need not be these runs'. Without overrides, no warning."""
    (tmp_path / "p.yaml").write_text(
        "name: p\ndataset: {name: font}\nmodel: {kind: autoencoder, architectures: [[35, 2, 35]]}\n"
        "training: {epochs: 4}\nseeds: 1\nreport: [summary, conclusions]\n"
        "conclusions: [After 4 epochs the code is still blurry.]\n"
    )
    pages = {}
    for results, overrides in (("plain", ()), ("changed", ("training.epochs=3", "seeds=2"))):
        train([tmp_path / "p.yaml"], tmp_path / results, *overrides)
        provenance = sm.load(tmp_path / results, "p").provenance
        assert provenance.get("overrides", []) == list(overrides)
        site.render(tmp_path / results, tmp_path / f"{results}-site")
        pages[results] = (tmp_path / f"{results}-site" / "p" / "index.html").read_text()
    warning = "These runs read the experiment file with training.epochs=3 seeds=2"
    assert (
        warning in pages["changed"] and "<code>training.epochs=3 seeds=2</code>" in pages["changed"]
    )
    assert "read it with" not in pages["plain"] and "<code>training" not in pages["plain"]
    assert pages["changed"].index(warning) < pages["changed"].index("still blurry")
