"""The study's numbers for the README: train each experiment file and time it, then write the
README's results section from what the runs stored.

    python benchmarks/study.py time experiments/*.yaml         # each file alone, -j 2, timed
    python benchmarks/study.py together experiments/*.yaml     # all in one command, timed
    python benchmarks/study.py readme --write README.md        # the section, replaced in place

``time`` runs ``tp5-run FILE -j 2 -q`` for one file after another into the results folder
(default results/), each page rendered into a temporary folder as a user's command renders it,
and records each wall time in ``<results>/wall_times.json``; runs already stored are not trained
again, so time into an empty folder. ``together`` runs ``tp5-run FILES -j 2 -q`` once, into an
empty temporary folder with its site (pages written as experiments finish), records its wall
time and when the first page appeared in the same file, prints it against the files one after
another (target: at most 0.9x) and the first page's time against the wall time (target: before
a third), and checks that every run it trained has the metrics of the same run in the results
folder (timings aside): the study reproduces. KEY=VALUE items among the files are overrides for
every file (a shortened study: ``seeds=2``). ``readme`` reads only the store: every number it
prints is a run's metrics.json or history.npz, or a recorded wall time, except the study's own
figures (``STUDY``, from its slides). The section goes between the ``BEGIN`` and ``END`` lines
of the README; with no --write it is printed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from report import metrics, stats
from report import summary as sm
from runner import datasets, store
from runner.metrics import Metrics

BEGIN = "<!-- study results: written by benchmarks/study.py readme -->"
END = "<!-- end of study results -->"
TIMES = "wall_times.json"
TOGETHER = "all files in one command"
LONGEST = "vae-mnist.yaml"  # the study's longest file: the one command should take little more

#: The figures the study reports on its slides, to set ours against. Its "error" is not
#: defined there.
STUDY = {
    "architectures": {"35-2-35": 0.526, "35-20-2-20-35": 0.383, "35-20-10-2-10-20-35": 0.293},
    "lr_std": {0.05: 0.21, 0.005: 0.14, 0.0005: 0.12, 0.00005: 0.28},
    "denoising": {  # architecture -> {noise level: error}
        "35-20-10-2-10-20-35": {0.2: 0.573, 0.05: 0.33},
        "35-20-2-20-35": {0.2: 0.87, 0.05: 0.41},
        "35-20-10-5-2-5-10-20-35": {0.2: 1.07, 0.05: 0.54},
    },
}
#: Our aims for the best denoiser: mean wrong pixels per character at each bit-flip level.
DENOISE_AIM = {0.05: 0.025, 0.1: 0.15, 0.2: 1.8, 0.3: 6.0}
VAE_AIM = 145.0  # test negative ELBO on MNIST at epoch 100, nats per image

DENOISED_SHARE = metrics.Metric("share", "", ("denoise", "model", "draws_le1"))
EPOCHS_TO_ZERO = metrics.Metric("e0", "", ("convergence", "epochs_to_zero"))
SECONDS_TO_ZERO = metrics.Metric("s0", "", ("convergence", "seconds_to_zero"))
EPOCHS_TO_LE1 = metrics.Metric("e1", "", ("convergence", "epochs_to_le1"))
SECONDS_TO_LE1 = metrics.Metric("s1", "", ("convergence", "seconds_to_le1"))


# ------------------------------------------------------------------------------ time


def tp5_run(
    items: list[str], results: Path, jobs: int, site: Path | None = None
) -> tuple[float, int, float | None]:
    """Wall time (start-up, planning, training, storing) and exit code of one tp5-run, and with
    ``site`` (pages written as experiments finish) when the first experiment's page appeared."""
    pages = ["--site", str(site)] if site else ["--no-site"]
    command = [sys.executable, "-m", "runner.cli", *items, "--results", str(results), *pages]
    start = time.perf_counter()
    process = subprocess.Popen([*command, "-q", "-j", str(jobs)])
    first_page = None
    while process.poll() is None:
        if site and first_page is None and any(site.glob("*/index.html")):
            first_page = time.perf_counter() - start
        time.sleep(0.2)
    return time.perf_counter() - start, process.returncode, first_page


def record(results: Path, key: str, seconds: float, jobs: int, code: int, **more) -> None:
    path = results / TIMES
    results.mkdir(parents=True, exist_ok=True)
    times = json.loads(path.read_text()) if path.exists() else {}
    times[key] = {"seconds": round(seconds, 1), "jobs": jobs, "exit_code": code, **more}
    path.write_text(json.dumps(times, indent=1) + "\n")
    print(f"{key}: {seconds:.1f} s (exit code {code})", flush=True)


def time_files(files: list[str], overrides: list[str], results: Path, jobs: int) -> None:
    """Train each file alone, its page rendered as a user's command renders it, and record its
    wall time."""
    for file in files:
        with tempfile.TemporaryDirectory(prefix="tp5-site-") as site:
            seconds, code, _ = tp5_run([file, *overrides], results, jobs, Path(site))
        record(results, Path(file).name, seconds, jobs, code)


def time_together(files: list[str], overrides: list[str], results: Path, jobs: int) -> None:
    """Train every file in one command from empty, pages written as experiments finish; record
    the wall time and when the first page appeared, and compare the runs with the store."""
    with tempfile.TemporaryDirectory(prefix="tp5-study-") as folder:
        fresh, site = Path(folder) / "results", Path(folder) / "site"
        seconds, code, first_page = tp5_run([*files, *overrides], fresh, jobs, site)
        record(results, TOGETHER, seconds, jobs, code, first_page=round(first_page or 0, 1))
        for line in together_ratios(json.loads((results / TIMES).read_text())):
            print(line)
        same, differ = compare(fresh, results)
    print(
        f"{same} run(s) identical to {results}/, {len(differ)} different"
        + (f": {', '.join(differ[:5])}" if differ else "")
    )


def together_ratios(times: dict) -> list[str]:
    """The one command against the files one after another (target: at most 0.9x) and against
    the longest file alone, and its first page's time against its wall time (target: before a
    third)."""
    together, lines = times[TOGETHER], []
    alone = [t["seconds"] for key, t in times.items() if key != TOGETHER and t["exit_code"] == 0]
    if alone:
        lines.append(
            f"against the {len(alone)} files one after another ({sum(alone):.0f} s): "
            f"{together['seconds'] / sum(alone):.2f}x (target: at most 0.9x)"
        )
    if LONGEST in times:
        lines.append(
            f"against {LONGEST} alone ({times[LONGEST]['seconds']:.0f} s): "
            f"{together['seconds'] / times[LONGEST]['seconds']:.2f}x"
        )
    if together.get("first_page"):
        lines.append(
            f"first page after {together['first_page']:.0f} s: "
            f"{together['first_page'] / together['seconds']:.2f} of the wall time "
            "(target: before 0.33)"
        )
    return lines


def compare(fresh: Path, results: Path) -> tuple[int, list[str]]:
    """Runs of ``fresh`` whose metrics (timings aside) equal those stored in ``results``."""
    same, differ = 0, []
    for folder in sorted(p for p in fresh.iterdir() if p.is_dir()):
        stored = {r.id: r.metrics for r in store.load_runs(results, folder.name)}
        for run in store.load_runs(fresh, folder.name):
            if run.id not in stored:
                continue
            if _untimed(run.metrics) == _untimed(stored[run.id]):
                same += 1
            else:
                differ.append(f"{folder.name}/{run.id}")
    return same, differ


def _untimed(metrics: Metrics) -> Metrics:
    """Metrics without what depends on the machine's speed (timing, seconds to the bar)."""
    update = {"timing": None}
    convergence = getattr(metrics, "convergence", None)  # autoencoders on clean inputs only
    if convergence:
        update["convergence"] = convergence.model_copy(
            update={"seconds_to_zero": None, "seconds_to_le1": None}
        )
    return metrics.model_copy(update=update)


# ------------------------------------------------------------------------------ reading


def load(results: Path, name: str) -> sm.Summary | None:
    folder = results / name
    return sm.load(results, name) if (folder / "experiment.yaml").exists() else None


#: How to read each axis off a run spec, to find configurations without their printed labels.
SPEC = {
    "architecture": lambda spec: "-".join(map(str, spec.architecture)),
    "learning_rate": lambda spec: spec.optimizer.learning_rate,
    "level": lambda spec: spec.noise.level,
}


def config(s: sm.Summary, **values) -> sm.Configuration:
    """The configuration whose runs have ``values`` (e.g. architecture="35-2-35", level=0.2)."""
    for c in s.configurations:
        if all(SPEC[k](c.runs[0].spec) == v for k, v in values.items()):
            return c
    raise KeyError(f"{s.name}: no configuration with {values}")


def pm(values, digits: int = 2) -> str:
    """'mean ± std' of the finite values (sample std), or '–' if there are none."""
    st = stats.describe(values)
    if st["mean"] is None:
        return "–"
    if st["n"] == 1:
        return f"{st['mean']:.{digits}f}"
    return f"{st['mean']:.{digits}f} ± {st['std']:.{digits}f}"


def finite(values) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    return values[np.isfinite(values)]


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]


# ------------------------------------------------------------------------------ sections


def study_beside_ours(results: Path) -> list[str]:
    """The study's figures next to ours for the same slide and settings."""
    rows = []
    arch = load(results, "architectures")
    if arch:
        for name, theirs in STUDY["architectures"].items():
            for lr in (0.0005, 0.56):
                c = config(arch, architecture=name, learning_rate=lr)
                rows.append(
                    [
                        f"architecture {name}, lr {lr:g}, momentum 0.9, 1,000 epochs",
                        theirs if lr == 0.0005 else "",
                        pm(c.metric(metrics.WRONG_MEAN)),
                        pm(c.metric(metrics.MSE), 3),
                    ]
                )
    lr_exp = load(results, "learning-rate")
    if lr_exp:
        for rate, theirs in STUDY["lr_std"].items():
            c = config(lr_exp, learning_rate=rate)
            wrong, mse = finite(c.metric(metrics.WRONG_MEAN)), finite(c.metric(metrics.MSE))
            shown = np.format_float_positional(rate, trim="-")
            rows.append(
                [
                    f"learning rate {shown}: std over 100 seeds, 10,000 epochs",
                    theirs,
                    f"{np.std(wrong, ddof=1):.2f} (mean {np.mean(wrong):.2f})",
                    f"{np.std(mse, ddof=1):.2g} (mean {np.mean(mse):.3f})",
                ]
            )
    den = load(results, "denoising")
    if den:
        for name, levels in STUDY["denoising"].items():
            for level, theirs in levels.items():
                c = config(den, architecture=name, level=level)
                rows.append(
                    [
                        f"denoising {name}, bit flip p = {level:g} (our training)",
                        theirs,
                        pm(c.metric(metrics.DENOISED_MEAN)),
                        "",
                    ]
                )
    return table(
        [
            "slide and setting",
            "the study's error",
            "ours: wrong pixels per character",
            "ours: mean squared error",
        ],
        rows,
    )


def best_section(results: Path) -> list[str]:
    s = load(results, "best")
    if not s:
        return []
    c = s.configurations[0]
    at_zero = int(np.sum(c.metric(metrics.WRONG_MAX) == 0))
    e0, s0 = finite(c.metric(EPOCHS_TO_ZERO)), finite(c.metric(SECONDS_TO_ZERO))
    e1, s1 = finite(c.metric(EPOCHS_TO_LE1)), finite(c.metric(SECONDS_TO_LE1))
    spec = s.spec
    lines = [
        f"`best.yaml`: {SPEC['architecture'](spec)}, {spec.activation} "
        f"hidden units, {spec.latent_activation} latent, {spec.loss} loss, "
        f"Adam {spec.optimizer.learning_rate:g}, full batch, {spec.epochs} epochs: "
        f"**{at_zero} of {len(c.runs)} seeds end with 0 wrong pixels on all 32 characters** "
        f"({int(np.sum(c.metric(metrics.WRONG_MAX) <= 1))} with at most 1).",
        "",
    ]
    lines += table(
        [
            "first reached",
            "runs",
            "epochs: median",
            "90th percentile",
            "max",
            "seconds: median",
            "max",
        ],
        [
            [
                bar,
                f"{len(e)} / {len(c.runs)}",
                f"{np.median(e):.0f}",
                f"{np.percentile(e, 90):.0f}",
                f"{e.max():.0f}",
                f"{np.median(t):.2f}",
                f"{t.max():.2f}",
            ]
            for bar, e, t in (("≤ 1 wrong pixel", e1, s1), ("0 wrong pixels", e0, s0))
        ],
    )
    labels = datasets.load("font").classes
    per_char = np.array(
        [
            [np.nan if e is None else e for e in r.metrics.convergence.per_char_epochs_to_zero]
            for r in c.ok
        ]
    )
    last = np.argsort(-np.nanmean(per_char, axis=0))[:5]
    shown = ", ".join(f"`{labels[i]}` ({np.nanmean(per_char[:, i]):.0f})" for i in last)
    lines += [
        "",
        f"Seconds are each run's share of its pack's training time. The characters "
        f"that come right last (mean first epoch at 0 wrong pixels over the seeds): "
        f"{shown}.",
    ]
    return lines


def denoising_section(results: Path) -> list[str]:
    s = load(results, "denoising")
    if not s:
        return []
    levels = list(dict.fromkeys(SPEC["level"](r.spec) for r in s.runs))
    archs = list(dict.fromkeys(SPEC["architecture"](r.spec) for r in s.runs))
    rows = [
        [a]
        + [
            pm(config(s, architecture=a, level=lv).metric(metrics.DENOISED_MEAN), 3)
            for lv in levels
        ]
        for a in archs
    ]
    lines = table(["wrong pixels per character"] + [f"p = {lv:g}" for lv in levels], rows)
    rows = []
    for lv in levels:
        configs = [c for c in s.configurations if SPEC["level"](c.runs[0].spec) == lv]
        best = min(configs, key=lambda c: stats.describe(c.metric(metrics.DENOISED_MEAN))["mean"])
        model = stats.describe(best.metric(metrics.DENOISED_MEAN))["mean"]
        floor = s.floors[(best.runs[0].spec.noise.kind, lv)]
        base = {name: floor[name]["mean"] for name in ("bayes", "nearest", "noisy")}
        rows.append(
            [
                f"{lv:g}",
                f"{DENOISE_AIM.get(lv, float('nan')):g}",
                f"{SPEC['architecture'](best.runs[0].spec)}: "
                f"{pm(best.metric(metrics.DENOISED_MEAN), 3)}",
                f"{base['bayes']:.4f} ± {floor['bayes']['se']:.4f}",
                f"{model - base['bayes']:+.3f} ({model / base['bayes']:.2f}x)",
                f"{base['nearest']:.4f} ± {floor['nearest']['se']:.4f}",
                f"{base['noisy']:.2f}",
                f"{stats.describe(best.metric(DENOISED_SHARE))['mean']:.3f}",
            ]
        )
    draws = next(iter(s.floors.values()))["bayes"]["draws"]
    lines += [
        "",
        "The best architecture at each level against our aim and the three reference "
        f"decoders' expected errors (each ± its standard error, from {draws:,} noisy "
        "characters of their own):",
        "",
    ]
    lines += table(
        [
            "p",
            "aim",
            "best: mean ± std",
            "Bayes-optimal",
            "above Bayes",
            "nearest glyph",
            "noisy input",
            "draws ≤ 1 wrong",
        ],
        rows,
    )
    return lines


def autoencoder_table(results: Path, name: str) -> list[str]:
    s = load(results, name)
    if not s:
        return []
    rows = [
        [
            c.label,
            pm(c.metric(metrics.WRONG_MEAN)),
            pm(c.metric(metrics.WRONG_MAX), 1),
            f"{int(np.sum(c.metric(metrics.WRONG_MAX) == 0))} / {len(c.runs)}",
            pm(c.metric(metrics.MSE), 4),
        ]
        for c in s.configurations
    ]
    return table(
        [
            "configuration",
            "wrong pixels per character",
            "worst character",
            "runs at 0",
            "mean squared error",
        ],
        rows,
    )


def vae_section(results: Path) -> list[str]:
    rows = []
    for name in ("vae-font", "vae-mnist-5k", "vae-mnist"):
        s = load(results, name)
        if not s or not s.runs:
            rows.append([f"`{name}.yaml`", "not run here", "", ""])
            continue
        for c in s.configurations:
            test = c.metric(metrics.ELBO_TEST)
            rows.append(
                [
                    f"`{name}.yaml` {SPEC['architecture'](c.runs[0].spec)}",
                    pm(c.metric(metrics.ELBO_TRAIN)),
                    pm(test) if np.isfinite(test).any() else "no test set",
                    f"{len(c.runs)}",
                ]
            )
    lines = table(
        ["experiment", "negative ELBO, training set", f"test set (aim ≤ {VAE_AIM:g})", "seeds"],
        rows,
    )
    small, full = load(results, "vae-mnist-5k"), load(results, "vae-mnist")
    if small and small.runs and not (full and full.runs):
        run = small.runs[0]
        per_epoch = metrics.SECONDS.of(run.metrics) / run.spec.epochs
        lines += [
            "",
            f"An epoch of `vae-mnist-5k.yaml` took {per_epoch:.2f} s here, so one of "
            f"the 60,000 digits takes about {12 * per_epoch:.0f} s and `vae-mnist.yaml`'s "
            f"100 about {12 * per_epoch * 100 / 60:.0f} min (an estimate, not a run: "
            "plus the test set's negative ELBO after every epoch).",
        ]
    return lines


def wall_times(results: Path) -> list[str]:
    path = results / TIMES
    times = json.loads(path.read_text()) if path.exists() else {}
    together = times.pop(TOGETHER, None)
    rows, total = [], 0.0
    for file, t in times.items():
        s = load(results, Path(file).stem)
        if t["exit_code"] != 0 or not s:
            rows.append([f"`{file}`", "–", f"not run (exit code {t['exit_code']})"])
            continue
        rows.append([f"`{file}`", f"{len(s.runs):,}", f"{t['seconds']:.0f} s"])
        total += t["seconds"]
    rows.append(
        ["the files that ran, one after another", "", f"{total:.0f} s ({total / 60:.1f} min)"]
    )
    if together:
        rows.append(
            [
                "the same files in one command (`tp5-run FILES -j 2`)",
                "",
                f"**{together['seconds']:.0f} s ({together['seconds'] / 60:.1f} min)**"
                + ("" if together["exit_code"] == 0 else f", exit code {together['exit_code']}"),
            ]
        )
        rows += [["", "", line] for line in together_ratios({**times, TOGETHER: together})]
    return table(["file", "runs", "wall time, -j 2"], rows)


def machine(results: Path) -> str:
    for path in sorted(results.glob("*/provenance.json")):
        p = json.loads(path.read_text())
        blas = f" ({p['blas']})" if p.get("blas") else ""
        return (
            f"{p['processor']}, {p['cpus']} cores, Python {p['python']}, "
            f"NumPy {p['numpy']}{blas}, tp5 {p['tp5']}"
        )
    return "unknown machine"


def readme(results: Path) -> str:
    parts = [
        [
            "### The study beside us",
            "",
            "Same slide, same architecture and settings where the study gives them; the study's "
            "error has no stated definition, so its column is not in our units.",
            "",
            *study_beside_ours(results),
        ],
        ["### Every character, every seed", "", *best_section(results)],
        ["### Denoising", "", *denoising_section(results)],
        [
            "### Architectures",
            "",
            "Under the study's settings (`architectures.yaml`):",
            "",
            *autoencoder_table(results, "architectures"),
            "",
            "Under our best settings (`architectures-best.yaml`):",
            "",
            *autoencoder_table(results, "architectures-best"),
        ],
        [
            "### Optimisation techniques (`optimizers.yaml`)",
            "",
            *autoencoder_table(results, "optimizers"),
        ],
        ["### Variational autoencoders", "", *vae_section(results)],
        [
            "### Wall time",
            "",
            f"Each file alone from an empty results folder, on {machine(results)}:",
            "",
            *wall_times(results),
        ],
    ]
    return "\n\n".join("\n".join(p) for p in parts) + "\n"


def write_between_markers(path: Path, text: str) -> None:
    old = path.read_text()
    start, end = old.index(BEGIN) + len(BEGIN), old.index(END)
    path.write_text(old[:start] + "\n\n" + text + "\n" + old[end:])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("command", choices=("time", "together", "readme"))
    p.add_argument(
        "files", nargs="*", help="experiment files and KEY=VALUE overrides (time, together)"
    )
    p.add_argument("--results", type=Path, default=Path("results"))
    p.add_argument("-j", "--jobs", type=int, default=2)
    p.add_argument("--write", type=Path, metavar="README", help="replace the section in this file")
    args = p.parse_args()
    files = [item for item in args.files if "=" not in item]
    overrides = [item for item in args.files if "=" in item]
    if args.command == "time":
        time_files(files, overrides, args.results, args.jobs)
    elif args.command == "together":
        time_together(files, overrides, args.results, args.jobs)
    elif args.write:
        write_between_markers(args.write, readme(args.results))
    else:
        print(readme(args.results))


if __name__ == "__main__":
    main()
