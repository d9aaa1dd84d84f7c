"""Training from Python: what tp5-run does with one YAML file, then the experiment loaded.

    exp = run("experiments/denoising.yaml", seeds=2, training__epochs=500, site=None)

Overrides are the command line's KEY=VALUE: a keyword's ``__`` stands for the key's dots
(``training__epochs=5``), or pass dotted keys as a dict (``**{"training.epochs": 5}``); values
are Python's (lists, numbers, strings, None).
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import yaml

from runner import cli
from runner.config import load_experiment
from tp5.experiment import Experiment, load


def override(key: str, value) -> str:
    """One KEY=VALUE of the command line, the value written as the YAML it reads back as."""
    text = yaml.safe_dump(value, default_flow_style=True, width=math.inf)
    return f"{key.replace('__', '.')}={text.removesuffix(chr(10) + '...' + chr(10)).strip()}"


def run(
    path: str | Path,
    *,
    results: str | Path = "results",
    site: str | Path | None = "site",
    jobs: int = 0,
    force: bool = False,
    quiet: bool = False,
    **overrides,
) -> Experiment:
    """Train the runs of the YAML at ``path`` that are not stored in ``results`` (all of them
    with ``force``), render the site into ``site`` (None: no site), and load the experiment.

    A mistake in the YAML or the overrides raises ValueError after tp5-run has printed its
    lines; runs that failed are a warning (the others are stored and loaded).
    """
    args = [override(k, v) for k, v in overrides.items()]
    argv = [
        str(path),
        *args,
        "--results",
        str(results),
        "-j",
        str(jobs),
        *(["--site", str(site)] if site is not None else ["--no-site"]),
        *(["--force"] if force else []),
        *(["-q"] if quiet else []),
    ]
    code = cli.main(argv)
    if code == 130:
        raise KeyboardInterrupt
    if code == 2:
        raise ValueError(f"tp5-run {' '.join(argv)}: the input is wrong (see the lines above)")
    name = load_experiment(path, args).name
    if code:
        warnings.warn(
            f"some runs of {name} failed; their errors are in {results}/{name}/failed/",
            stacklevel=2,
        )
    return load(Path(results) / name)
