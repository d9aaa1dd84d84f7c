"""tp5-run: train every combination an experiment YAML asks for, then render the site.

    tp5-run experiments/denoising.yaml
    tp5-run experiments/*.yaml -j 2
    tp5-run experiments/vae-mnist.yaml training.epochs=5 seeds=1
    tp5-run experiments/learning-rate.yaml --dry-run

Exit codes: 0 done; 1 some runs failed (the others are stored); 2 the input is wrong (one line
per problem, nothing trained); 130 interrupted by Ctrl-C (SIGINT), 143 stopped by SIGTERM
(finished runs are kept either way).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import signal
import sys
import warnings
from pathlib import Path

from report.slides import CATALOGUE
from runner import __version__, datasets, sweep
from runner.config import ConfigError, ConfigNote, fields, load_experiment, schema
from runner.parallel import BackendError
from runner.plan import cpu_count
from runner.spec import schema as run_schema

EPILOG = """\
overrides: KEY=VALUE changes any field of every FILE, e.g. training.epochs=5, seeds=2,
  model.architectures=[[35,2,35]], training.optimizers.0.learning_rate=0.01, noise=null.

exit codes: 0 done, 1 some runs failed or an experiment's dataset was unavailable,
  2 bad input, 130 interrupted (Ctrl-C), 141 stdout closed by its reader, 143 stopped (SIGTERM).
"""

#: What --schema prints; the experiment's lists the report's slides as a report: entry's choices.
SCHEMAS = {"experiment": lambda: schema(CATALOGUE.names), "run": run_schema}


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="tp5-run",
        description="Train every combination an experiment YAML asks for, "
        "keep every result, and render a static HTML report.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "items",
        nargs="*",
        metavar="FILE|KEY=VALUE",
        help="experiment YAML files and optional overrides, in any order and "
        "anywhere among the options",
    )
    p.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=0,
        metavar="N",
        help="worker processes (default: all cores)",
    )
    p.add_argument(
        "--results",
        type=Path,
        default=Path("results"),
        metavar="DIR",
        help="result store (default: results/)",
    )
    p.add_argument(
        "--site",
        type=Path,
        default=Path("site"),
        metavar="DIR",
        help="where the HTML report goes (default: site/)",
    )
    p.add_argument("--force", action="store_true", help="retrain runs that are already stored")
    p.add_argument(
        "--keep-stale",
        action="store_true",
        help="keep stored runs that other code computed instead of retraining them",
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="print the plan (runs, packs, already stored) and train nothing",
    )
    p.add_argument("--no-site", action="store_true", help="train, but do not render the site")
    p.add_argument(
        "--site-only",
        action="store_true",
        help="render the site from stored results, train nothing (a given file whose runs "
        "are all stored is shown as it reads now: its description, notes and slides)",
    )
    p.add_argument(
        "--backend",
        choices=("local", "dask"),
        default="local",
        help="local worker processes (default) or a dask.distributed cluster",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="dask scheduler address, e.g. tcp://host:8786 (with --backend dask)",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar, only errors")
    p.add_argument("-v", "--verbose", action="store_true", help="show full error tracebacks")
    p.add_argument(
        "--schema",
        nargs="?",
        const="experiment",
        choices=SCHEMAS,
        help="print the JSON Schema of the experiment YAML (the default, for "
        "editors) or of a stored run's run.json, and exit",
    )
    p.add_argument(
        "--fields",
        action="store_true",
        help="print every field of the experiment YAML (Markdown: path, type, "
        "default, meaning; docs/yaml.md holds the same), and exit",
    )
    p.add_argument("--version", action="version", version=f"tp5 {__version__}")
    return p


def split_items(items: list[str]) -> tuple[list[Path], list[str]]:
    """Files are the arguments that are not KEY=VALUE (a path with '=' that exists is a file)."""
    files, overrides = [], []
    for item in items:
        is_override = "=" in item and not Path(item).exists()
        (overrides if is_override else files).append(item if is_override else Path(item))
    return files, overrides


def load_all(files: list[Path], overrides: list[str], quiet: bool = False):
    """Every experiment, or every problem of every file at once (then exit code 2); the report's
    slide catalogue checks each report: list, so a slide that cannot apply is refused here.
    What validation left out (snapshots past a shortened run) is one line each, unless quiet."""
    experiments, problems = [], []
    with warnings.catch_warnings(record=True) as notes:
        warnings.simplefilter("always", ConfigNote)
        for path in files:
            try:
                experiments.append(load_experiment(path, overrides, slides=CATALOGUE))
            except ConfigError as exc:
                problems += exc.problems
    for other in (w for w in notes if w.category is not ConfigNote):
        warnings.showwarning(other.message, other.category, other.filename, other.lineno)
    if not quiet:
        fail([str(note.message) for note in notes if note.category is ConfigNote])
    names = [exp.name for exp in experiments]
    for path, exp in zip(files, experiments):
        if names.count(exp.name) > 1:
            problems.append(
                f"{path}: name: '{exp.name}' is used by several files "
                "(each experiment needs its own name)"
            )
    return experiments, problems


def unavailable_datasets(planned: list[sweep.Planned]) -> dict[str, str]:
    """Experiment name -> why its dataset cannot be loaded, for experiments with runs to train.

    Each dataset is loaded once up front, so a failed download is one plain line before any
    training, and the other experiments of the same command can still run.
    """
    why: dict[tuple[str, str], str | None] = {}
    out = {}
    for p in planned:
        if not p.todo:
            continue
        dataset = p.experiment.dataset
        key = dataset.source
        if key not in why:
            try:
                datasets.load(key)
                why[key] = None
            except datasets.DatasetError as exc:
                why[key] = str(exc)
        if why[key]:
            out[p.experiment.name] = f"{p.experiment.name}: dataset {dataset.name}: {why[key]}"
    return out


class Stopped(KeyboardInterrupt):
    """SIGTERM (a time limit, a scheduler, kill): raised in the main thread wherever it is, so
    that the sweep ends as Ctrl-C ends it. Left to its default, SIGTERM killed tp5-run outright:
    joblib never shut its workers down, and loky's resource tracker warned of leaked folders."""


def stop_on_sigterm() -> None:
    """From now on SIGTERM raises Stopped; a second one, during the cleanup, kills at once."""

    def stop(signum, frame):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        raise Stopped

    signal.signal(signal.SIGTERM, stop)


def fail(lines: list[str], code: int = 2) -> int:
    for line in lines:
        print(line, file=sys.stderr)
    return code


def render_site(args, given: list[str]) -> None:
    """Every stored experiment's pages; the index lists ``given`` (the command line's) in order."""
    from report import site  # jinja loads only when a site is rendered

    index = site.render(args.results, args.site, given=given)
    if not args.quiet:
        print(f"site: {index}")


def pages_as_experiments_finish(args, given: list[str]):
    """The sweep's ``on_progress``: each experiment's page as soon as its runs are all stored,
    and the index with the others' runs stored so far and the sweep's progress, so that a
    reader can follow a long study by reloading site/index.html. Figures are drawn in this
    process (n_jobs=1): a pool of figure workers beside the sweep's would take its cores. A
    page that fails now does not stop the training; the render after it raises again."""
    from report import site

    def write(progress: sweep.Progress) -> None:
        training = {
            name: {"stored": stored, "runs": runs, "share": progress.share, "left": progress.left}
            for name, (stored, runs) in progress.training.items()
        }
        try:
            site.render(
                args.results,
                args.site,
                list(progress.finished),
                n_jobs=1,
                given=given,
                training=training,
            )
        except Exception as exc:  # noqa: BLE001 - the sweep goes on; the last render will say
            print(f"site: not written while training: {type(exc).__name__}: {exc}", file=sys.stderr)

    return write


def trained_line(outcome: sweep.Outcome) -> str:
    """What was trained and in how long, both ways: the wall time of this command, and the
    training seconds summed over its runs, the sum a page's "training time" gives (several
    workers at once make the sum larger than the wall time)."""
    return (
        f"trained {outcome.trained} run(s): wall time {_seconds(outcome.seconds)}; "
        f"{_seconds(outcome.run_seconds)} of training summed over the runs"
    )


def _seconds(value: float) -> str:
    """Tenths of a second, or three decimals below one (a tiny run's 0.042 s, not 0.0 s)."""
    return f"{value:,.1f} s" if value >= 1 else f"{value:.3f} s"


def summarise(outcome: sweep.Outcome, args, skipped: dict[str, str]) -> None:
    """The closing lines: what was trained, and every failure even when quiet."""
    if not args.quiet:
        print(
            trained_line(outcome)
            + (f"; {len(outcome.diverged)} diverged (stored as such)" if outcome.diverged else "")
        )
    if outcome.failed:
        print(
            f"{len(outcome.failed)} run(s) failed; errors are in {args.results}/*/failed/:",
            file=sys.stderr,
        )
        for run_id, error in list(outcome.failed.items())[: None if args.verbose else 5]:
            print(f"  {run_id}: {error}", file=sys.stderr)
    if skipped:
        print(f"not trained (dataset unavailable): {', '.join(skipped)}", file=sys.stderr)


def quiet_on_closed_pipe(main):
    """End without a traceback when stdout's reader goes away (``tp5-run --schema | head -2``).

    Python raises BrokenPipeError at the write that finds the pipe closed, or at the flush of
    stdout on the way out; pointing stdout at /dev/null stops the interpreter's own flush at exit
    from raising it again. The exit code is the one a shell reports for a process ended by SIGPIPE.
    """

    @functools.wraps(main)
    def guarded(argv: list[str] | None = None) -> int:
        try:
            code = main(argv)
            sys.stdout.flush()
            return code
        except BrokenPipeError:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 128 + 13  # 13: SIGPIPE

    return guarded


@quiet_on_closed_pipe
def main(argv: list[str] | None = None) -> int:
    # intermixed: files and overrides may follow options (FILE --results DIR KEY=VALUE), which
    # plain parse_args rejects once an option has ended the positional list
    args = parser().parse_intermixed_args(argv)
    if args.schema:
        print(json.dumps(SCHEMAS[args.schema](), indent=2))
        return 0
    if args.fields:
        print(fields(schema(CATALOGUE.names)), end="")
        return 0
    files, overrides = split_items(args.items)
    if not files and not args.site_only:
        parser().print_usage(sys.stderr)
        return fail(["tp5-run: error: give at least one experiment YAML file"])
    experiments, problems = load_all(files, overrides, args.quiet)
    if problems:
        return fail(problems)
    names = [e.name for e in experiments]
    if args.site_only:
        fail(sweep.refresh_configs(experiments, args.results))
        render_site(args, names)
        return 0

    n_jobs = args.jobs if args.jobs > 0 else cpu_count()
    planned = sweep.plan(experiments, args.results, force=args.force, keep_stale=args.keep_stale)
    if args.dry_run:
        local = args.backend == "local"  # only local workers resume checkpoints
        print(sweep.describe(planned, n_jobs, args.results if local else None))
        return 0
    skipped = unavailable_datasets(planned)
    if skipped and len(skipped) == sum(1 for p in planned if p.todo):
        return fail(list(skipped.values()))
    fail([f"skipped {line}" for line in skipped.values()])
    planned = [p for p in planned if p.experiment.name not in skipped]
    stop_on_sigterm()
    try:
        outcome = sweep.run(
            planned,
            args.results,
            n_jobs,
            args.backend,
            args.scheduler,
            quiet=args.quiet,
            on_progress=None if args.no_site else pages_as_experiments_finish(args, names),
        )
    except BackendError as exc:
        return fail([f"tp5-run: {exc}"])
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM as Stopped: 128 + the signal
        stopped = isinstance(exc, Stopped)
        word = "stopped" if stopped else "interrupted"
        return fail(
            [f"{word}: finished runs are stored; run the same command to go on"],
            143 if stopped else 130,
        )
    summarise(outcome, args, skipped)
    if not args.no_site:
        render_site(args, names)
    return 1 if outcome.failed or skipped else 0


if __name__ == "__main__":
    sys.exit(main())
