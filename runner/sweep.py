"""A sweep: the runs of one or more experiments that are not stored yet, trained and stored.

The order of events is what makes a killed sweep safe to run again: the expanded plan is saved
before anything trains (like Hydra's multirun.yaml), each pack's runs are stored the moment the
pack comes back, and a rerun starts by clearing half-written leftovers and skipping stored ids.
"""

from __future__ import annotations

import platform
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import yaml

from runner import __version__, checkpoints, floors, gitinfo, machine, store, tables
from runner import spec as run_spec
from runner.config import Experiment
from runner.cores import Allowance
from runner.files import atomic_write
from runner.parallel import by_cost, cost, execute
from runner.plan import Pack, cpu_count, expand, pack, question
from runner.progress import Board, Follower, progress_bar
from runner.spec import RunSpec


@dataclass
class Planned:
    """One experiment's runs, split into what is stored and what is left to train."""

    experiment: Experiment
    runs: list[RunSpec]
    todo: list[RunSpec]
    stale: list[str] = field(default_factory=list)  # stored ids that other code computed

    @property
    def n_stored(self) -> int:
        return len(self.runs) - len(self.todo)


@dataclass
class Outcome:
    """What a sweep did, for the summary line and the exit code."""

    trained: int = 0
    diverged: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # run id -> last line of the error
    seconds: float = 0.0  # wall time of the sweep
    run_seconds: float = 0.0  # training seconds summed over the runs trained (metrics.timing)


def plan(
    experiments: list[Experiment], results: Path, force: bool = False, keep_stale: bool = False
) -> list[Planned]:
    """Each experiment's runs and those left to train.

    A run is left to train unless its id is stored. A stored run that answers the same question
    with other code (see runner.plan.question) is stale: it is trained again, or, with
    ``keep_stale``, kept and shown in place of the run the current code would compute.
    """
    planned = []
    for exp in experiments:
        runs = expand(exp)
        stored = set() if force else store.stored_ids(results, exp.name)
        stale = _stale(results, exp.name, runs, stored)
        if keep_stale:  # a stale spec is a stored one: only runs without one are left to train
            runs = [stale.get(question(r.model_dump(mode="json")), r) for r in runs]
        todo = [r for r in runs if r.id not in stored]
        planned.append(Planned(exp, runs, todo, sorted(s.id for s in stale.values())))
    return planned


def _stale(
    results: Path, experiment: str, runs: list[RunSpec], stored: set[str]
) -> dict[str, RunSpec]:
    """Stored runs, not planned now, that answer a planned run's question: question -> spec.

    Specs that this version of tp5 cannot read are left out: they cannot be kept anyway.
    """
    asked = {question(r.model_dump(mode="json")) for r in runs if r.id not in stored}
    others = stored - {r.id for r in runs}
    found = {}
    for raw in store.raw_specs(results, experiment, sorted(others)).values():
        key = question(raw)
        if key in asked:
            try:
                found[key] = run_spec.parse(raw)
            except ValueError:
                continue
    return found


def packs_of(
    planned: list[Planned], n_workers: int, checkpointed: Path | None = None, tidy: bool = True
) -> list[Pack]:
    """The packs to train; ``checkpointed``: the results folder whose checkpoints give the packs
    they hold as they were (runner.checkpoints.packs, which ``tidy`` lets remove the ones that
    can never resume)."""
    total = sum(len(p.todo) for p in planned)
    packs = []
    for p in planned:
        # each experiment's share of the workers, so a small one is not split needlessly
        share = max(1, round(n_workers * len(p.todo) / total)) if total else 1
        packs += (
            checkpoints.packs(checkpointed, p.experiment.name, p.todo, share, tidy)
            if checkpointed
            else pack(p.experiment.name, p.todo, share)
        )
    return packs


def provenance(experiment: Experiment) -> dict:
    """Versions and machine of a sweep, and the overrides its experiment was read with. The
    processor and the BLAS kernel are there because they decide the round-off that training
    amplifies: runs compare bit for bit only on the same kernel. The overrides are there because
    the file's own prose was written for the file without them."""
    overrides = {"overrides": list(experiment.overrides)} if experiment.overrides else {}
    return {
        "tp5": __version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": machine.processor(),
        "blas": machine.blas(),
        "cpus": cpu_count(),
        "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        **gitinfo.checkout(Path(__file__).resolve().parent.parent),
        **overrides,
    }


def save_plan(p: Planned, results: Path) -> None:
    """Write the resolved config and every run spec before training starts."""
    folder = store.experiment_dir(results, p.experiment.name)
    folder.mkdir(parents=True, exist_ok=True)
    store.remove_temporaries(results, p.experiment.name)
    config = p.experiment.model_dump(mode="json")
    atomic_write(folder / "experiment.yaml", yaml.safe_dump(config, sort_keys=False))
    store.write_plan(results, p.experiment.name, p.runs)


def refresh_configs(experiments: list[Experiment], results: Path) -> list[str]:
    """Store each file's resolved config, as a sweep does before it trains, where the store
    already holds every run the file plans: so a render without training (``--site-only``)
    shows what the file says now, its description, notes and slides. Where runs are missing,
    the stored config stays (the page shows the experiment as trained): one line each says so.
    """
    lines = []
    for p in plan(experiments, results, keep_stale=True):
        if p.todo:
            lines.append(
                f"{p.experiment.name}: {len(p.todo)} of {len(p.runs)} runs the file plans are not "
                "stored; its page shows the experiment as last trained (tp5-run without "
                "--site-only trains them)"
            )
        else:
            save_plan(p, results)
    return lines


@dataclass(frozen=True)
class Progress:
    """Where a sweep stands when it starts and whenever experiments have all their runs
    stored: what the pages written as experiments finish show (the CLI writes them; runner
    never imports report)."""

    finished: tuple[str, ...]  # experiments whose runs have all been stored since the last one
    training: dict[str, tuple[int, int]]  # each experiment still training: runs stored, runs
    share: float  # of the sweep's estimated work done
    left: float | None  # estimated seconds left, None until a pack has measured its speed


class Finishing:
    """Tells ``on_progress`` of each experiment once all its runs are stored (and its floors
    written, when it has any: its page shows them), with the others' runs stored so far.

    An experiment's provenance.json is written as it finishes, so that its page can show it.
    """

    def __init__(
        self,
        planned: list[Planned],
        results: Path,
        board: Board,
        on_progress: Callable[[Progress], None],
        floors_wanted: set[str],
        floors_ready: set[str],
    ):
        self.results, self.board, self.on_progress = results, board, on_progress
        self.waiting = {p.experiment.name: {r.id for r in p.todo} for p in planned}
        self.runs = {p.experiment.name: len(p.runs) for p in planned}
        self.experiments = {p.experiment.name: p.experiment for p in planned}
        self.floors_wanted, self.floors_ready = floors_wanted, floors_ready
        self.told: set[str] = set()

    def start(self) -> None:
        """The first pages: the experiments with nothing to train, and the others training."""
        self.tell(force=True)

    def stored(self, run_ids: set[str]) -> None:
        """Runs came back (stored, or failed: an experiment with failures is done too)."""
        for ids in self.waiting.values():
            ids -= run_ids
        self.tell()

    def tell(self, force: bool = False) -> None:
        finished = [
            name
            for name, ids in self.waiting.items()
            if not ids
            and name not in self.told
            and (name not in self.floors_wanted or name in self.floors_ready)
        ]
        if not finished and not force:
            return
        for name in finished:
            store.write_json(
                store.experiment_dir(self.results, name) / "provenance.json",
                provenance(self.experiments[name]),
            )
        self.told.update(finished)
        training = {
            name: (self.runs[name] - len(ids), self.runs[name])
            for name, ids in self.waiting.items()
            if name not in self.told
        }
        forecast = self.board.forecast()
        self.on_progress(Progress(tuple(finished), training, forecast.share, forecast.wall_left))


def run(
    planned: list[Planned],
    results: Path,
    n_jobs: int,
    backend: str = "local",
    scheduler: str | None = None,
    quiet: bool = False,
    on_progress: Callable[[Progress], None] | None = None,
) -> Outcome:
    """Train every run left to train; store each result as its pack comes back.

    The bar shows the share of the estimated work done and the time left, each pack followed
    epoch by epoch through its progress file and timed by what packs of its shape measured
    (runner.estimate), so one long MNIST run moves it as it trains and a batch-1 pack's slowness
    shows in the time left once its first epochs are done. ``on_progress``, if given, hears
    of the experiments as they finish (see Finishing).
    """
    for p in planned:
        save_plan(p, results)
    outcome = Outcome()
    n_runs = sum(len(p.todo) for p in planned)
    start = time.perf_counter()
    local = backend == "local"
    workers = n_jobs if local else cpu_count()
    # checkpoints: local workers only, which share the store's disk (runner.checkpoints)
    packs = by_cost(packs_of(planned, workers, results if local else None))
    board = Board(
        packs,
        store.experiment_dir(results, planned[0].experiment.name) if planned else results,
        cost,
        workers,
    )
    bar = progress_bar(f"0/{n_runs} runs", disable=quiet or not packs)
    follower = Follower(board, bar)
    if not bar.disable:
        follower.start()
    floors_wanted = [p for p in planned if _has_floors(p.experiment)]
    allowance = (
        Allowance(packs, n_jobs, board.path, busy=int(bool(floors_wanted))) if local else None
    )
    floors_ready: set[str] = set()
    wait_for_floors = _floors_beside(floors_wanted, results, allowance, floors_ready)
    finishing = (
        Finishing(
            planned,
            results,
            board,
            on_progress,
            {p.experiment.name for p in floors_wanted},
            floors_ready,
        )
        if on_progress
        else None
    )
    try:
        if finishing:
            finishing.start()
        progress = board.path if local else None
        checkpoint = checkpoints.path_of(results) if local else None
        for results_of_pack in execute(packs, n_jobs, backend, scheduler, progress, checkpoint):
            for result in results_of_pack:
                _store(result, results, outcome)
            checkpoints.remove(
                results,
                results_of_pack[0].spec.experiment,
                [result.id for result in results_of_pack],
            )
            board.finish(results_of_pack[0].id, _seconds(results_of_pack))
            if allowance:
                allowance.finish(results_of_pack[0].id)
            bar.set_postfix_str(f"{outcome.trained + len(outcome.failed)}/{n_runs} runs")
            if finishing:
                finishing.stored({result.id for result in results_of_pack})
    finally:
        if follower.is_alive():
            follower.stop()
        bar.close()
        board.close()
    wait_for_floors()
    outcome.seconds = time.perf_counter() - start
    for p in planned:
        folder = store.experiment_dir(results, p.experiment.name)
        store.write_json(folder / "provenance.json", provenance(p.experiment))
        tables.write(results, p.experiment.name)
    return outcome


def _seconds(results_of_pack) -> float | None:
    """The seconds a pack trained for (unknown when it raised)."""
    metrics = results_of_pack[0].metrics
    return metrics.timing.pack_seconds if metrics else None


def _has_floors(exp: Experiment) -> bool:
    """Whether the report sets the experiment beside the reference decoders' floors: denoising
    on binary data small enough (runner.floors.why_not)."""
    return exp.noise is not None and floors.why_not(exp.dataset.info) is None


def _floors_beside(
    planned: list[Planned], results: Path, allowance: Allowance | None, ready: set[str]
):
    """Compute the floors of ``planned`` in a thread beside the training, which they do not
    need (a study's took some 40 s after its last run before); the thread holds one of the
    allowance's cores until done, and adds each experiment's name to ``ready`` once its
    floors are written. Returns the function that waits for them and raises their error. A daemon thread: an interrupted sweep does not wait for it, and floors.json is
    written whole or not at all."""
    errors: list[BaseException] = []

    def compute() -> None:
        try:
            for p in planned:
                exp = p.experiment
                floors.update(
                    store.experiment_dir(results, exp.name),
                    exp.dataset.whole,
                    exp.noise.kind,
                    exp.noise.measured_levels,
                    exp.noise.floor_draws,
                )
                ready.add(exp.name)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the main thread
            errors.append(exc)
        finally:
            if allowance:
                allowance.release()

    thread = threading.Thread(target=compute, name="tp5-floors", daemon=True)
    thread.start()

    def wait() -> None:
        thread.join()
        if errors:
            raise errors[0]

    return wait


def _store(result, results: Path, outcome: Outcome) -> None:
    experiment = result.spec.experiment
    if result.error:
        store.write_failure(results, experiment, result.spec, result.error)
        outcome.failed[result.id] = result.error.strip().splitlines()[-1]
        return
    store.write_run(results, experiment, result.spec, result.metrics, result.arrays)
    outcome.trained += 1
    outcome.run_seconds += result.metrics.timing.seconds
    if result.metrics.status == "diverged":
        outcome.diverged.append(result.id)


def describe(planned: list[Planned], n_workers: int, checkpointed: Path | None = None) -> str:
    """The --dry-run table: runs, packs and what is already stored, per experiment. The packs
    are those the sweep would train: with ``checkpointed`` (the results folder of a local sweep),
    checkpointed ones as they were, counted below the table (none is removed here)."""
    packs = packs_of(planned, n_workers, checkpointed, tidy=False)
    width = max([len("experiment"), *(len(p.experiment.name) for p in planned)])
    lines = [
        f"{'experiment':<{width}} {'runs':>6} {'stored':>7} {'stale':>6} {'to train':>9} "
        f"{'packs':>6}"
    ]
    for p in planned:
        n_packs = sum(pack.experiment == p.experiment.name for pack in packs)
        lines.append(
            f"{p.experiment.name:<{width}} {len(p.runs):>6} {p.n_stored:>7} "
            f"{len(p.stale):>6} {len(p.todo):>9} {n_packs:>6}"
        )
    held = {
        p.experiment.name: len(checkpoints.resumed(checkpointed, p.experiment.name, p.todo, False))
        for p in planned
        if checkpointed
    }
    lines += [
        f"{name}: {n} {'pack goes' if n == 1 else 'packs go'} on from a checkpoint"
        for name, n in held.items()
        if n
    ]
    if any(p.stale for p in planned):
        lines.append(
            "stale: stored runs that other code computed (a change under nets/, to "
            "training or to the data); they train again unless --keep-stale"
        )
    return "\n".join(lines)
