"""The study's site rendered from scratch on 2 cores (target: under 30 s), and again with nothing
changed, which draws no figure, as the baseline: their ratio says how much of a render is
drawing.

    python benchmarks/site_render.py [--results DIR] [--no-torch]

Without --results, the study's experiment files (experiments/*.yaml) are first trained briefly
into a temporary folder, sweep shapes and run counts kept: 20 epochs for the font, 3 epochs on
the embedded 5,000 digits for MNIST. The site is written to a temporary folder.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

import common

from report import site

STUDY = Path(__file__).resolve().parent.parent / "experiments"
BRIEF = {
    "font": ["training.epochs=20", "snapshots=[1,10,20]"],
    "mnist": [
        "training.epochs=3",
        "snapshots=[1,2,3]",
        "dataset.name=mnist-5k",
        "dataset.path=null",
    ],
}


def train_briefly(results: Path) -> None:
    """The study's files, trained with BRIEF's overrides, font files and MNIST files apart."""
    files = sorted(STUDY.glob("*.yaml"))
    for kind, overrides in BRIEF.items():
        group = [str(f) for f in files if ("mnist" in f.name) == (kind == "mnist")]
        if group:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "runner.cli",
                    *group,
                    *overrides,
                    "--results",
                    str(results),
                    "--no-site",
                    "-q",
                    "-j",
                    "2",
                ],
                check=True,
            )


def measure(args) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        results = args.results or Path(tmp) / "results"
        if args.results is None:
            print("training the study briefly ...", flush=True)
            train_briefly(results)
        out = Path(tmp) / "site"
        first = common.timed(site.render, results, out, n_jobs=2)
        again = common.timed(site.render, results, out, n_jobs=2)
    print(
        common.table(
            [["from scratch", first, first / again], ["nothing changed", again, 1.0]],
            ["render", "seconds", "ratio"],
        )
    )
    print(f"target: under 30 s from scratch ({'met' if first < 30 else 'missed'})")


def add(p) -> None:
    p.add_argument("--results", type=Path, help="render this result store instead")


if __name__ == "__main__":
    common.main(__doc__.splitlines()[0], measure, add)
