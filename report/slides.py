"""One builder per slide kind: what a slide says (title, lede, tables) and which figure it needs.

A builder reads only the experiment's ``Summary`` (specs and metrics) and returns a plain dict
for the templates. A slide that needs a figure names a *figure job*: a ``prepare`` function and
its JSON-able arguments. Jobs run later, in worker processes (``draw``), where the prepare
function reads the arrays it needs (histories, codes, weights), decodes latent points with the
stored model, and hands arrays to a drawing function of ``report.figures``.

Per-run pictures (scatter, reconstructions, grids) show one representative run per
configuration: the seed with the median headline metric. Slides say so.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from runner import datasets, models, store
from report import explorer, figures
from report import summary as sm

MAX_PANELS = 6  # per-run pictures: beyond this many configurations a slide shows the first ones
GRID_STEPS = 15  # decoded grid over the latent plane: 15 x 15 images
SAMPLES = 100  # vae_samples: 10 x 10 draws from the prior
EXAMPLES = 8  # denoising_examples: characters per row
SNAPSHOT_KEY = "epoch_{}"  # latent.npz codes (and optional model.npz weights) at a snapshot
EXPLORER_POINTS = 2000  # training codes drawn on the explorer's plane (the font has 32)


TITLES = {
    "summary": "Summary",
    "error_table": "Error over seeds",
    "learning_curves": "Learning curves",
    "lr_analysis": "Learning-rate analysis",
    "latent_scatter": "Latent space",
    "reconstructions": "Reconstructions",
    "pixel_errors": "Wrong pixels per character",
    "generated_grid": "New characters from the latent plane",
    "interpolation": "Between two characters",
    "denoising_examples": "Denoising examples",
    "denoising_baselines": "Denoising against reference decoders",
    "vae_progression": "Latent space during training",
    "vae_samples": "Samples from the prior",
    "convergence": "Convergence",
}


def build(kind: str, s: sm.Summary) -> dict:
    """The context of one slide; a slide that cannot apply says why instead of failing."""
    slide = {"kind": kind, "id": kind.replace("_", "-"), "title": TITLES.get(kind, kind),
             "lede": "", "figure": None, "tables": [], "facts": [], "highlights": [],
             "note": None, "empty": None, "explorer": None}
    if not s.runs:
        return {**slide, "empty": "No run of this experiment is stored yet."}
    builder = BUILDERS.get(kind)
    if builder is None:
        return {**slide, "empty": f"There is no slide called “{kind}”."}
    why = _why_not(kind, s)
    if why:
        return {**slide, "empty": why}
    return {**slide, **builder(s)}


def _why_not(kind: str, s: sm.Summary) -> str | None:
    glyphs = _info(s).kind == "glyphs"
    if kind in ("pixel_errors", "convergence") and (s.kind == "vae" or not glyphs):
        return "This slide counts wrong pixels per character of an autoencoder on the font."
    if kind == "convergence" and s.denoising:
        return "Convergence is tracked only for training without noise."
    if kind.startswith("denoising") and not s.denoising:
        return "This slide needs a denoising experiment (a noise section)."
    if kind.startswith("vae_") and s.kind != "vae":
        return "This slide needs a variational autoencoder."
    return None


# ------------------------------------------------------------------------------ helpers


def _info(s: sm.Summary) -> datasets.DatasetInfo:
    return datasets.INFO[s.spec["dataset"]]


@functools.lru_cache(maxsize=None)
def classes_of(dataset: str) -> tuple[str, ...]:
    """Label text per class: the font's characters (embedded, cheap), or the digits."""
    if datasets.INFO[dataset].kind == "glyphs":
        return tuple(datasets.load(dataset).classes)
    return tuple(str(d) for d in range(10))


def _seeds_phrase(s: sm.Summary) -> str:
    counts = sorted({len(c.runs) for c in s.configurations})
    n = f"{counts[0]}" if len(counts) == 1 else f"{counts[0]}–{counts[-1]}"
    return f"{n} seed{'s' if counts[-1] > 1 else ''}"


def _shown(s: sm.Summary) -> list[sm.Configuration]:
    return s.configurations[:MAX_PANELS]


def _representatives(s: sm.Summary) -> list[tuple[sm.Configuration, store.StoredRun]]:
    pairs = [(c, c.representative(s.headline)) for c in _shown(s)]
    return [(c, r) for c, r in pairs if r is not None]


def _panel_title(config: sm.Configuration, run: store.StoredRun, many: bool) -> str:
    seed = f"seed {run.spec['seed']}"
    return f"{config.label} · {seed}" if many else seed


def _representative_note(s: sm.Summary) -> str:
    note = (f"One run per configuration: the seed with the median {s.headline.label} "
            f"of its {_seeds_phrase(s)}.")
    if len(s.configurations) > MAX_PANELS:
        note += f" First {MAX_PANELS} of {len(s.configurations)} configurations shown."
    return note


def _job(prepare: str, ext: str, alt: str, **args) -> dict:
    return {"prepare": prepare, "ext": ext, "alt": alt, "args": args}


def _run_ref(config: sm.Configuration, run: store.StoredRun, many: bool) -> dict:
    """What a prepare function needs of one run: where it is, its spec, a panel title."""
    return {"path": str(run.path), "spec": run.spec, "title": _panel_title(config, run, many)}


def _explorer(pairs: list[tuple[sm.Configuration, store.StoredRun]], many: bool,
              heading: str) -> dict | None:
    """The interactive latent plane under a slide's figure, for the runs with a 2-D latent;
    each run's decoder is a data file the page loads when the slide comes into view."""
    runs = [{"id": run.id, "title": _panel_title(config, run, many),
             "export": {**_job("decoder", ".js", "", run=_run_ref(config, run, many)),
                        "file": f"decoder-{run.id}.js"}}
            for config, run in pairs if min(run.spec["architecture"]) == 2]
    if not runs:
        return None
    info = datasets.INFO[pairs[0][1].spec["dataset"]]
    return {"heading": heading, "runs": runs, "image": list(info.image_shape),
            "what": "character" if info.kind == "glyphs" else "digit"}


def _nan_list(values) -> list[float | None]:
    return [None if v is None or not np.isfinite(v) else float(v) for v in values]


# ------------------------------------------------------------------------------ builders


def _summary(s: sm.Summary) -> dict:
    spec, n = s.spec, len(s.runs)
    diverged = sum(c.diverged for c in s.configurations)
    seconds = sum(sm.seconds_of(r.metrics) for r in s.runs
                  if np.isfinite(sm.seconds_of(r.metrics)))
    facts = [("dataset", spec["dataset"]),
             ("model", "variational autoencoder" if s.kind == "vae" else
              "denoising autoencoder" if s.denoising else "autoencoder"),
             ("architectures", _values(s, "architecture")),
             ("optimisers", "; ".join(_optimisers(s))),
             ("initialisation", _values(s, "init")), ("inputs", _values(s, "normalize")),
             ("epochs", f"{spec['epochs']:,}"), ("batch size", str(spec["batch_size"])),
             ("runs", f"{n:,} in {len(s.configurations)} configuration"
                      f"{'s' if len(s.configurations) != 1 else ''} × {_seeds_phrase(s)}"
                      + (f", {diverged} diverged" if diverged else "")),
             ("training time", f"{seconds:,.1f} s in all")]
    if s.denoising:
        facts.insert(3, ("noise", f"{spec['noise']['kind']}: {_values(s, 'noise')}"))
    return {"lede": "What was run, and the numbers that matter.",
            "facts": facts, "highlights": highlights(s)}


def _values(s: sm.Summary, axis: str) -> str:
    """The distinct values the runs take on one axis, in plan order."""
    return ", ".join(dict.fromkeys(sm.axis(axis).value(r.spec) for r in s.runs))


def _optimisers(s: sm.Summary) -> list[str]:
    """Each optimiser with its learning rates: "SGD, momentum 0.9: lr 0.05, 0.005"."""
    rates: dict[str, list[str]] = {}
    for r in s.runs:
        rate = sm.axis("learning_rate").value(r.spec)
        found = rates.setdefault(sm.axis("optimizer").value(r.spec), [])
        if rate not in found:
            found.append(rate)
    return [f"{name}: lr {', '.join(lrs)}" for name, lrs in rates.items()]


def highlights(s: sm.Summary) -> list[dict]:
    best = s.best()
    if best is None:
        return [{"text": "–", "label": "every run diverged"}]
    found = [{"stat": sm.stats(best.metric(s.headline)), "label": s.headline.label,
              "detail": f"best configuration: {best.label}" if len(s.configurations) > 1
              else f"mean ± std over {_seeds_phrase(s)}"}]
    if s.kind == "autoencoder" and not s.denoising:
        reached = sum(1 for r in s.runs if sm.WRONG_MAX.of(r.metrics) <= 1)
        found.append({"text": f"{reached} / {len(s.runs)}",
                      "label": "runs with every character at ≤ 1 wrong pixel",
                      "detail": "the course's bar"})
    if s.denoising:
        noisy = sm.Metric("noisy", "", ("denoise", "noisy", "mean"))
        found.append({"stat": sm.stats([noisy.of(r.metrics) for r in best.ok]),
                      "label": "wrong pixels per character of the noisy input",
                      "detail": "what doing nothing costs, same configuration"})
    return found


def _error_table(s: sm.Summary) -> dict:
    tables = ([sm.pivot(s, m) for m in s.metrics] if len(s.varying) > 1
              else [sm.by_metric(s)])  # one axis: all metrics side by side
    return {"lede": f"Mean ± standard deviation over {_seeds_phrase(s)} for each configuration; "
                    "lower is better.", "tables": tables}


def _learning_curves(s: sm.Summary) -> dict:
    panels = [{"title": "training loss", "ylabel": _loss_label(s), "key": "loss"}]
    if s.kind == "vae" and any(r.metrics.get("test") for r in s.runs):
        panels.append({"title": "test set", "ylabel": "negative ELBO (nats)",
                       "key": "test_neg_elbo"})
    elif s.kind == "autoencoder" and not s.denoising:
        panels.append({"title": "worst character", "ylabel": "wrong pixels",
                       "key": "wrong_max"})
    for panel in panels:
        panel["series"] = [{"label": c.label, "paths": [str(r.path) for r in c.runs]}
                           for c in s.configurations]
    lede = ("Mean over seeds (line) and the band between the 25th and 75th percentile, one "
            "line per configuration.")
    return {"lede": lede, "figure": _job("curves", ".svg", "Loss against epoch", panels=panels)}


def _loss_label(s: sm.Summary) -> str:
    if s.kind == "vae":
        return "negative ELBO (nats)"
    return {"mse": "mean squared error", "bce": "cross-entropy"}.get(s.spec.get("loss"), "loss")


def _lr_analysis(s: sm.Summary) -> dict:
    others = [a for a in s.varying if a.name != "learning_rate"]
    rate_of = sm.axis("learning_rate").value
    rates = list(dict.fromkeys(rate_of(r.spec) for r in s.runs))
    groups: dict[str, list] = {}  # other axes' label -> final errors per learning rate
    for c in s.configurations:
        label = " · ".join(c.values[a.name] for a in others) or "all runs"
        groups.setdefault(label, [[] for _ in rates])
        groups[label][rates.index(rate_of(c.runs[0].spec))] += list(c.metric(s.headline))
    series = [{"label": label, "values": [_nan_list(v) for v in values]}
              for label, values in groups.items()]
    rows = [{"labels": [label, rate], "cells": _spread(values[i])}
            for label, values in groups.items() for i, rate in enumerate(rates)]
    table = {"caption": f"{s.headline.label}, final", "row_headings": ["", "learning rate"],
             "column_heading": "", "rows": rows,
             "columns": ["mean ± std", "median", "min", "max", "runs", "diverged"]}
    if not others:
        table["row_headings"] = ["learning rate"]
        for row in rows:
            row["labels"] = row["labels"][1:]
    return {"lede": "The final error of every seed, per learning rate: the box spans the middle "
                    "half, the line is the median, dots are single runs.",
            "figure": _job("lr_boxes", ".svg", "Final error per learning rate", rates=rates,
                           series=series, ylabel=s.headline.label),
            "tables": [table]}


def _spread(values: list[float]) -> list:
    st = sm.stats(values)
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    return [st, st["median"], float(finite.min()) if finite.size else None,
            float(finite.max()) if finite.size else None, st["n"], st["dropped"]]


def _latent_scatter(s: sm.Summary) -> dict:
    pairs = _representatives(s)
    many = len(s.configurations) > 1
    big = _info(s).kind != "glyphs"  # thousands of digits: a PNG, not an SVG of every dot
    what = ("each point labelled with its character" if not big
            else "each point coloured by its digit")
    return {"lede": f"The training set encoded into the 2-D latent plane, {what}.",
            "note": _representative_note(s),
            "figure": _job("scatter", ".png" if big else ".svg", "Latent codes of the training set",
                           runs=[_run_ref(c, r, many) for c, r in pairs],
                           dataset=s.spec["dataset"])}


def _reconstructions(s: sm.Summary) -> dict:
    many = len(s.configurations) > 1
    lede = ("Each original above its reconstruction, thresholded at 0.5; wrong pixels in red."
            if _info(s).kind == "glyphs" else
            f"{DIGIT_EXAMPLES} training images, spread over the set, above their "
            "reconstructions.")
    return {"lede": lede, "note": _representative_note(s),
            "figure": _job("reconstructions", ".png", "Originals and reconstructions",
                           runs=[_run_ref(c, r, many) for c, r in _representatives(s)])}


def _per_char_metric(s: sm.Summary) -> tuple[str, ...]:
    return ("denoise", "model", "per_char") if s.denoising else ("wrong_pixels", "per_char")


def _pixel_errors(s: sm.Summary) -> dict:
    path = _per_char_metric(s)
    series = [{"label": c.label, "per_char": [_dig(r.metrics, path) for r in c.ok]}
              for c in s.configurations]
    series = [x for x in series if x["per_char"]]
    lede = ("Wrong pixels of each character after training: bars are the mean over seeds, dots "
            "single runs. The dashed line is the course's bar of 1."
            if len(series) <= figures.MAX_BAR_PANELS else
            "Mean wrong pixels of each character after training, one row per configuration; "
            "squares mark the characters above the course's bar of 1.")
    return {"lede": lede,
            "figure": _job("pixel_errors", ".svg", "Wrong pixels per character",
                           series=series, dataset=s.spec["dataset"])}


def _or_nan(value):
    """A missing number as NaN, which the statistics skip (a stored 0 stays 0)."""
    return np.nan if value is None else value


def _dig(metrics: dict, path: tuple[str, ...]):
    for part in path:
        metrics = (metrics or {}).get(part)
    return metrics


def _generated_grid(s: sm.Summary) -> dict:
    many = len(s.configurations) > 1
    glyphs = _info(s).kind == "glyphs"
    what = "characters" if glyphs else "digits"
    marked = "the training codes" if glyphs else "the mean code of each digit"
    return {"lede": f"{what.capitalize()} decoded from a regular {GRID_STEPS} × {GRID_STEPS} grid "
                    f"over the latent plane, {marked} marked. Between the known {what}, the "
                    "decoder draws new ones.",
            "note": _representative_note(s),
            "figure": _job("generated_grid", ".png", "Decoded latent grid",
                           runs=[_run_ref(c, r, many) for c, r in _representatives(s)[:4]]),
            "explorer": _explorer(_representatives(s)[:4], many, "Explore the latent plane")}


def _interpolation(s: sm.Summary) -> dict:
    many = len(s.configurations) > 1
    return {"lede": "Decoding along the straight segment between the codes of the two training "
                    "samples farthest apart; the originals stand at both ends.",
            "note": _representative_note(s),
            "figure": _job("interpolation", ".png", "Interpolation in the latent plane",
                           runs=[_run_ref(c, r, many) for c, r in _representatives(s)])}


def _denoising_examples(s: sm.Summary) -> dict:
    many = len(s.configurations) > 1
    return {"lede": "Per noise level: each character clean, with noise, and denoised (wrong "
                    "pixels against the clean character in red).",
            "note": _representative_note(s) + " One fixed noise draw.",
            "figure": _job("denoising_examples", ".png", "Clean, noisy and denoised characters",
                           runs=[_run_ref(c, r, many) for c, r in _representatives(s)])}


DECODERS = (("model", "model"), ("noisy", "noisy input"), ("nearest", "nearest glyph"),
            ("bayes", "Bayes-optimal"))


def _denoising_baselines(s: sm.Summary) -> dict:
    levels = list(dict.fromkeys(r.spec["noise"]["level"] for r in s.runs))
    others = [a for a in s.varying if a.name != "noise"]
    series = []
    for label, configs in _group_by(s.configurations, others).items():
        series.append(_level_series(configs, levels, "model", f"model: {label}"
                                    if others else "model", "model"))
    for name, label in DECODERS[1:]:
        series.append(_level_series(s.configurations, levels, name, label, "baseline"))
    tables = [_decoder_table(s, "mean", "wrong pixels per character against the clean "
                             "character"),
              _decoder_table(s, "draws_le1", "share of noisy draws denoised to at most 1 "
                             "wrong pixel")]
    kind = s.spec["noise"]["kind"]
    return {"lede": "The model beside three decoders that need no training: the noisy input "
                    "itself, the nearest glyph, and the Bayes-optimal pixel decoder (the floor).",
            "figure": _job("baselines", ".svg", "Wrong pixels against noise level",
                           levels=levels, series=series,
                           xlabel="bit-flip probability p" if kind == "bitflip" else "noise σ"),
            "tables": tables}


def _decoder_table(s: sm.Summary, statistic: str, caption: str) -> dict:
    """One row per configuration, one column per decoder, mean ± std over seeds."""
    rows = [{"labels": [c.values.get(a.name, "") for a in s.varying] or ["all runs"],
             "cells": [sm.stats([_or_nan(_dig(r.metrics, ("denoise", name, statistic)))
                                 for r in c.ok]) for name, _ in DECODERS]}
            for c in s.configurations]
    return {"caption": caption, "row_headings": [a.heading for a in s.varying] or [""],
            "column_heading": "", "columns": [label for _, label in DECODERS], "rows": rows}


def _group_by(configs: list[sm.Configuration], axes: list[sm.Axis]) -> dict[str, list]:
    groups: dict[str, list] = {}
    for c in configs:
        groups.setdefault(" · ".join(c.values[a.name] for a in axes), []).append(c)
    return groups


def _level_series(configs, levels, decoder, label, style) -> dict:
    means, stds = [], []
    for level in levels:
        values = [_dig(r.metrics, ("denoise", decoder, "mean")) for c in configs for r in c.ok
                  if r.spec["noise"]["level"] == level]
        st = sm.stats([_or_nan(v) for v in values])
        means.append(st["mean"])
        stds.append(st["std"])
    return {"label": label, "mean": _nan_list(means), "std": _nan_list(stds), "style": style}


def _vae_progression(s: sm.Summary) -> dict:
    config, run = _representatives(s)[0]
    return {"lede": "The latent codes of the training set at each snapshot epoch, coloured by "
                    "class, above what the decoder draws over the same square of the plane at "
                    "that epoch.",
            "note": (f"Seed {run.spec['seed']}"
                     + (f" of {config.label}" if len(s.configurations) > 1 else "")
                     + f", the median of its {_seeds_phrase(s)} by {s.headline.label}."),
            "figure": _job("progression", ".png", "Latent space at snapshot epochs",
                           run=_run_ref(config, run, False)),
            "explorer": _explorer([(config, run)], False,
                                  f"Explore the plane at the end, epoch {run.spec['epochs']}")}


def _vae_samples(s: sm.Summary) -> dict:
    many = len(s.configurations) > 1
    return {"lede": f"{SAMPLES} new images decoded from z drawn from N(0, I).",
            "note": _representative_note(s),
            "figure": _job("samples", ".png", "Samples decoded from the prior",
                           runs=[_run_ref(c, r, many) for c, r in _representatives(s)[:3]])}


def _convergence_of(run: store.StoredRun) -> dict:
    """Epochs and seconds to 0 and <= 1 wrong pixel (None: never reached)."""
    return run.metrics.get("convergence") or run.metrics


def _convergence(s: sm.Summary) -> dict:
    keys = ("epochs_to_le1", "epochs_to_zero", "seconds_to_le1", "seconds_to_zero")
    series, rows = [], []
    for c in s.configurations:
        values = {k: [_convergence_of(r).get(k) for r in c.ok] for k in keys}
        series.append({"label": c.label,
                       **{k.replace("_to", ""): _nan_list(vs) for k, vs in values.items()}})
        rows.append({"labels": [c.label], "cells": [
            f"{sum(v is not None for v in values['epochs_to_le1'])} / {len(c.runs)}",
            _median(values["epochs_to_le1"]), _median(values["seconds_to_le1"]),
            f"{sum(v is not None for v in values['epochs_to_zero'])} / {len(c.runs)}",
            _median(values["epochs_to_zero"])]})
    ok = [r for r in s.runs if sm.is_ok(r)]
    per_char = [_dig(r.metrics, ("wrong_pixels", "per_char")) for r in ok]
    failures = (np.asarray(per_char) > 1).mean(axis=0).tolist() if per_char else []
    first_zero = [_nan_list(epochs) for r in ok
                  if (epochs := _convergence_of(r).get("per_char_epochs_to_zero"))]
    table = {"caption": "reaching the bar", "row_headings": ["configuration"],
             "column_heading": "", "rows": rows,
             "columns": ["≤ 1 reached", "median epoch", "median seconds", "0 reached",
                         "median epoch"]}
    return {"lede": "How many runs reach at most 1 (and 0) wrong pixels, how soon, and which "
                    "characters hold them back.",
            "figure": _job("convergence", ".svg", "Runs reaching the bar over epochs and time",
                           series=series, failures=failures, first_zero=first_zero,
                           dataset=s.spec["dataset"],
                           epochs=max(r.spec["epochs"] for r in s.runs),
                           seconds=max(sm.seconds_of(r.metrics) for r in s.runs)),
            "tables": [table]}


def _median(values: list) -> float | None:
    finite = [v for v in values if v is not None]
    return float(np.median(finite)) if finite else None


BUILDERS = {
    "summary": _summary, "error_table": _error_table, "learning_curves": _learning_curves,
    "lr_analysis": _lr_analysis, "latent_scatter": _latent_scatter,
    "reconstructions": _reconstructions, "pixel_errors": _pixel_errors,
    "generated_grid": _generated_grid, "interpolation": _interpolation,
    "denoising_examples": _denoising_examples, "denoising_baselines": _denoising_baselines,
    "vae_progression": _vae_progression, "vae_samples": _vae_samples,
    "convergence": _convergence,
}


# ------------------------------------------------------------------------------ figure jobs
# Everything below runs in worker processes: it reads arrays and draws.


def draw(job: dict, path: Path) -> tuple[int, int] | tuple[None, None]:
    """Run one job and write its file; returns a figure's CSS size in px (a data file has none)."""
    if job["prepare"] in EXPORT:
        EXPORT[job["prepare"]](path=path, **job["args"])
        return None, None
    fig = PREPARE[job["prepare"]](**job["args"])
    return figures.save(fig, path)


def _load(ref: dict) -> store.StoredRun:
    return store.load_run(Path(ref["path"]))


@functools.lru_cache(maxsize=8)
def _data(spec_key: tuple) -> datasets.Data:
    from runner.train import load_data  # the same data (and limit) the run trained on

    return load_data(dict(spec_key))


def data_of(spec: dict) -> datasets.Data:
    keys = ("dataset", "dataset_path", "dataset_limit", "dtype")
    return _data(tuple((k, spec.get(k)) for k in keys))


def model_of(run: store.StoredRun, params: dict | None = None):
    """The run's model from its final weights, or from ``params`` (a snapshot's).

    A normalised run's input standardisation is stored beside its weights and applies to both.
    """
    if params is not None:
        scaling = {k: v for k, v in run.params.items() if k.startswith("input.")}
        params = {**params, **scaling}
    return models.build(run.spec, params=run.params if params is None else params)


def _history(path: str, key: str) -> np.ndarray:
    """One history array, without reading the run's JSON files (400 runs per curve)."""
    return store.StoredRun(Path(path), {}, {}).history.get(key, np.array([], dtype=float))


def _stack(rows: list[np.ndarray]) -> np.ndarray:
    """Ragged histories (a run with fewer epochs) padded with NaN: (R, E)."""
    width = max((len(r) for r in rows), default=0)
    out = np.full((len(rows), width), np.nan)
    for i, r in enumerate(rows):
        out[i, : len(r)] = r
    return out


def prepare_curves(panels: list[dict]):
    drawn = []
    for panel in panels:
        series = [{"label": s["label"], "values": _stack([_history(p, panel["key"])
                                                          for p in s["paths"]])}
                  for s in panel["series"]]
        series = [x for x in series if x["values"].size]
        if series:
            drawn.append({"title": panel["title"], "ylabel": panel["ylabel"], "series": series})
    return figures.learning_curves(drawn)


def prepare_lr_boxes(rates, series, ylabel):
    series = [{"label": s["label"], "values": [np.array(v, dtype=float) for v in s["values"]]}
              for s in series]
    return figures.lr_boxes(rates, series, ylabel)


def prepare_scatter(runs: list[dict], dataset: str):
    classes = list(classes_of(dataset))
    panels = []
    for ref in runs:
        latent = _load(ref).latent
        panels.append({"title": ref["title"], "codes": latent["train"], "labels": latent["labels"]})
    return figures.latent_scatter(panels, classes, text=datasets.INFO[dataset].kind == "glyphs")


DIGIT_EXAMPLES = 32  # reconstructions of MNIST: 32 training digits spread over the set


def prepare_reconstructions(runs: list[dict]):
    panels = []
    for ref in runs:
        run = _load(ref)
        x = data_of(run.spec).x_train
        if datasets.INFO[run.spec["dataset"]].kind != "glyphs":  # spread over all classes
            x = x[np.linspace(0, len(x) - 1, DIGIT_EXAMPLES).astype(int)]
        panels.append({"title": ref["title"], "originals": x,
                       "outputs": model_of(run).reconstruct(x)[0]})
    shape = datasets.INFO[runs[0]["spec"]["dataset"]].image_shape
    glyphs = datasets.INFO[runs[0]["spec"]["dataset"]].kind == "glyphs"
    return figures.reconstructions(panels, shape, per_row=32 if glyphs else 16, mark=glyphs)


def prepare_pixel_errors(series: list[dict], dataset: str):
    series = [{"label": s["label"], "per_char": np.array(s["per_char"], dtype=float)}
              for s in series]
    return figures.pixel_errors(list(classes_of(dataset)), series)


def _extent(codes: np.ndarray, spec: dict) -> tuple[float, ...]:
    """The box the latent grid covers: the training codes with a margin (Gaussian for a VAE)."""
    if spec["kind"] == "vae":  # the prior's bulk, widened to where most codes are
        low, high = np.quantile(codes, [0.01, 0.99], axis=0)  # (2,) each
        low = np.minimum(low, figures.GAUSSIAN_SPAN[0])
        high = np.maximum(high, figures.GAUSSIAN_SPAN[1])
        return (low[0], high[0], low[1], high[1])
    low, high = codes.min(axis=0), codes.max(axis=0)
    pad = np.where(high - low > 0, (high - low) * 0.08, 0.5)
    return (low[0] - pad[0], high[0] + pad[0], low[1] - pad[1], high[1] + pad[1])


def prepare_generated_grid(runs: list[dict]):
    panels = []
    for ref in runs:
        run = _load(ref)
        codes = run.latent["train"][:, :2]  # (N, 2)
        extent = _extent(codes, run.spec)
        images = model_of(run).decode(figures.latent_grid(extent, GRID_STEPS))[0]  # (G*G, D)
        marks, labels = _marks(codes, run.latent["labels"], classes_of(run.spec["dataset"]))
        panels.append({"title": ref["title"], "images": images, "extent": extent,
                       "codes": marks, "labels": labels})
    shape = datasets.INFO[runs[0]["spec"]["dataset"]].image_shape
    return figures.generated_grid(panels, shape)


def _marks(codes: np.ndarray, labels: np.ndarray, classes) -> tuple[np.ndarray, list[str]]:
    """Training codes to mark on the grid: each character, or each digit class's mean code."""
    if len(codes) <= 100:
        return codes, [classes[int(k)] for k in labels]
    present = np.unique(labels)
    means = np.stack([codes[labels == k].mean(axis=0) for k in present])  # (C, 2)
    return means, [classes[int(k)] for k in present]


def farthest_pair(codes: np.ndarray, labels: np.ndarray) -> tuple[int, int]:
    """Indices of two training samples far apart: the farthest pair among at most 200 codes,
    else the samples nearest the two farthest class means (no N x N distances for 60,000)."""
    if len(codes) <= 200:
        d = np.linalg.norm(codes[:, None] - codes[None], axis=-1)  # (N, N)
        i, j = np.unravel_index(np.argmax(d), d.shape)
        return int(i), int(j)
    classes = np.unique(labels)
    means = np.stack([codes[labels == c].mean(axis=0) for c in classes])  # (C, Z)
    a, b = farthest_pair(means, classes)
    pick = [int(np.argmin(np.linalg.norm(codes - means[k], axis=1))) for k in (a, b)]
    return pick[0], pick[1]


def prepare_interpolation(runs: list[dict], steps: int = 9):
    rows = []
    for ref in runs:
        run = _load(ref)
        codes, labels = run.latent["train"], run.latent["labels"]
        i, j = farthest_pair(codes, labels)
        t = np.linspace(0, 1, steps)[:, None]
        line = (1 - t) * codes[i] + t * codes[j]  # (steps, Z)
        decoded = model_of(run).decode(line)[0]  # (steps, D)
        x = data_of(run.spec).x_train
        classes = classes_of(run.spec["dataset"])
        images = np.concatenate([x[i][None], decoded, x[j][None]])
        rgb = figures.ink(images)
        rgb[[0, -1]] = figures.tinted(rgb[[0, -1]])  # the originals read as ends, not decodings
        rows.append({"title": f"{ref['title']}: “{classes[int(labels[i])]}” to "
                              f"“{classes[int(labels[j])]}”", "images": rgb})
    shape = datasets.INFO[runs[0]["spec"]["dataset"]].image_shape
    return figures.strips(rows, shape)


def prepare_denoising_examples(runs: list[dict]):
    from nets import noise as noise_models

    rows = []
    for ref in runs:
        run = _load(ref)
        x = data_of(run.spec).x_train
        pick = np.linspace(0, len(x) - 1, EXAMPLES).astype(int)
        clean = x[pick]  # (K, D)
        spec = run.spec["noise"]
        model = noise_models.make(spec["kind"], spec["level"])
        noisy = model.apply(clean, [np.random.default_rng(0)])[0]  # (K, D), one fixed draw
        denoised = model_of(run).reconstruct(noisy)[0]
        blank = np.ones_like(figures.ink(clean))
        triplets = np.stack([figures.ink(clean), figures.ink(noisy),
                             figures.marked(denoised, clean), blank], axis=1)  # (K, 4, D, 3)
        images = triplets.reshape(-1, *triplets.shape[2:])[:-1]
        rows.append({"title": ref["title"], "images": images})
    shape = datasets.INFO[runs[0]["spec"]["dataset"]].image_shape
    return figures.strips(rows, shape)


def prepare_baselines(levels, series, xlabel):
    series = [{**s, "mean": np.array(s["mean"], dtype=float),
               "std": np.array(s["std"], dtype=float)} for s in series]
    return figures.denoising_baselines(levels, series, xlabel)


def snapshot_params(params: dict, epoch: int) -> dict | None:
    """Weights stored for a snapshot epoch (keys "epoch_<k>.<name>"), if the run kept them."""
    prefix = SNAPSHOT_KEY.format(epoch) + "."
    found = {k[len(prefix):]: v for k, v in params.items() if k.startswith(prefix)}
    return found or None


def final_params(params: dict) -> dict:
    return {k: v for k, v in params.items() if not k.startswith("epoch_")}


def prepare_progression(run: dict):
    stored = _load(run)
    spec, latent, params = stored.spec, stored.latent, stored.params
    epochs = [e for e in spec["snapshots"] if SNAPSHOT_KEY.format(e) in latent]
    # one plane for every epoch: the scatters' view is the box the manifolds decode
    every_code = np.concatenate([latent[SNAPSHOT_KEY.format(e)][:, :2] for e in epochs]
                                + [latent["train"][:, :2]])
    extent = _extent(every_code, spec)
    grid = figures.latent_grid(extent, GRID_STEPS)
    rows = []
    for epoch in epochs + ([] if spec["epochs"] in epochs else [spec["epochs"]]):
        final = epoch == spec["epochs"]
        weights = final_params(params) if final else snapshot_params(params, epoch)
        codes = latent["train"] if final and epoch not in epochs else latent[
            SNAPSHOT_KEY.format(epoch)]
        manifold = None if weights is None else model_of(stored, weights).decode(grid)[0]
        rows.append({"title": f"epoch {epoch}", "codes": codes, "labels": latent["labels"],
                     "manifold": manifold})
    info = datasets.INFO[spec["dataset"]]
    return figures.vae_progression(rows, list(classes_of(spec["dataset"])),
                                   info.kind == "glyphs", info.image_shape, extent)


def prepare_samples(runs: list[dict]):
    panels = []
    for ref in runs:
        run = _load(ref)
        z_size = min(run.spec["architecture"])
        z = np.random.default_rng(0).standard_normal((SAMPLES, z_size))  # the same draws each time
        panels.append({"title": ref["title"], "images": model_of(run).decode(z)[0]})
    shape = datasets.INFO[runs[0]["spec"]["dataset"]].image_shape
    return figures.image_grids(panels, shape)


def prepare_convergence(series: list[dict], failures: list[float], first_zero: list[list],
                        dataset: str, epochs: int, seconds: float):
    series = [{k: (np.array(v, dtype=float) if k != "label" else v) for k, v in s.items()}
              for s in series]
    first_zero = np.array(first_zero, dtype=float)  # JSON null -> NaN
    return figures.convergence(series, list(classes_of(dataset)), np.array(failures),
                               first_zero, epochs, seconds)


PREPARE = {
    "curves": prepare_curves, "lr_boxes": prepare_lr_boxes, "scatter": prepare_scatter,
    "reconstructions": prepare_reconstructions, "pixel_errors": prepare_pixel_errors,
    "generated_grid": prepare_generated_grid, "interpolation": prepare_interpolation,
    "denoising_examples": prepare_denoising_examples, "baselines": prepare_baselines,
    "progression": prepare_progression, "samples": prepare_samples,
    "convergence": prepare_convergence,
}


def export_decoder(run: dict, path: Path) -> None:
    """The explorer's data file of one run: its final decoder, and its plane as the generated
    grid shows it (the same box, the training codes, the same marks)."""
    stored = _load(run)
    spec, latent = stored.spec, stored.latent
    codes, labels = latent["train"][:, :2], latent["labels"]  # (N, 2), (N,)
    classes = classes_of(spec["dataset"])
    extent = _extent(codes, spec)
    marks, mark_labels = _marks(codes, labels, classes)
    keep = np.arange(len(codes))
    if len(codes) > EXPLORER_POINTS:  # a fixed sample: enough to show the classes' shapes
        keep = np.sort(np.random.default_rng(0).choice(len(codes), EXPLORER_POINTS,
                                                       replace=False))
    info = datasets.INFO[spec["dataset"]]
    glyphs = info.kind == "glyphs"
    plane = {"kind": info.kind, "image": list(info.image_shape),
             "extent": [float(v) for v in extent],
             "ticks": [explorer.ticks(*extent[:2]), explorer.ticks(*extent[2:])],
             "points": np.round(codes[keep].astype(float), 4).tolist(),
             "labels": labels[keep].astype(int).tolist(), "classes": list(classes),
             "colours": [figures.ACCENT] * len(classes) if glyphs else figures.DIGIT_COLOURS,
             "marks": [[round(float(x), 4), round(float(y), 4), label]
                       for (x, y), label in zip(marks, mark_labels)]}
    explorer.save(path, stored.id, explorer.payload(model_of(stored), spec, plane))


EXPORT = {"decoder": export_decoder}
