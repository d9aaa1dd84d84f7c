"""How long a sweep has left, learnt from its packs' timings as they train.

The plan's static cost of a pack (runner.parallel.cost: members x epochs x samples x weights)
orders the packs well enough, but as a clock it is off by a different factor for each kind of
pack: it counts arithmetic, while a pack at batch 1 pays 32 calls' overhead per font epoch, and a
study's bar sat at 94 % for minutes with "00:45 left". So the static cost is only the estimate's
starting point; what the packs measure replaces it:

- a running pack's seconds per epoch over the latter half of its time so far sets its own time
  left: that leaves out its start (loading the data, warming up), and follows a change of
  speed within as long again as the pack had run (when another pack ends, a split pack takes
  the freed core; on a busy machine a process alone gets more of the CPU);
- its seconds per unit of static cost set the time of the waiting packs of the same *shape*;
- a shape nothing has measured yet takes the rate of all the packs measured so far.

A pack's *shape* is what its cost model does not see and its speed depends on: the kind of
network, its architecture, the batch size (calls per epoch), the dtype, the dataset (at full
batch one call covers every sample), the noise kind and the parts a step is cut into. Packs that
agree on these differ only in members and epochs, which the static cost counts.

Pure: ``forecast`` is a function of the plan's jobs and of what each has reported, (epochs
done, seconds in the pack); no clock, no files, so tests feed it synthetic timings.

    jobs = [job(pack, cost(pack)) for pack in by_cost(packs)]
    seen = {"a1": Seen(((1, 0.9), (20, 4.7), (40, 8.7)))}
    forecast(jobs, seen, workers=2).share    # the share of the estimated seconds done
"""

from __future__ import annotations

import bisect
import heapq
import json
from dataclasses import dataclass

from runner.plan import Pack

#: (epochs done, seconds since the pack started), as a pack reports it.
Report = tuple[int, float]


@dataclass(frozen=True)
class Job:
    """A pack as the estimate sees it: its id, shape, static cost and epochs."""

    id: str
    shape: str
    cost: float
    epochs: int


@dataclass(frozen=True)
class Seen:
    """What a pack has reported, in order; ``finished`` once its results are back (its one
    report is then the whole pack's, or there is none when its time is unknown)."""

    reports: tuple[Report, ...] = ()
    finished: bool = False

    @property
    def last(self) -> Report | None:
        return self.reports[-1] if self.reports else None


@dataclass(frozen=True)
class Forecast:
    """Seconds of work done and left, summed over packs, and the seconds until the last pack
    ends on the workers (None until some pack has measured a rate: no clock to go by yet)."""

    done: float
    left: float
    wall_left: float | None

    @property
    def share(self) -> float:
        total = self.done + self.left
        return self.done / total if total else 1.0


def shape(pack: Pack) -> str:
    """The shape of a pack (see the module's docstring): packs of one shape train at one rate
    per unit of static cost."""
    spec = pack.spec
    return json.dumps(
        [
            spec.kind,
            list(spec.architecture),
            spec.batch_size,
            spec.dtype,
            spec.dataset,
            spec.dataset_limit,
            spec.noise and spec.noise.kind,
            spec.parts,
        ]
    )


def job(pack: Pack, cost: float) -> Job:
    return Job(pack.runs[0].id, shape(pack), cost, pack.spec.epochs)


def forecast(jobs: list[Job], seen: dict[str, Seen], workers: int) -> Forecast:
    """The estimate for ``jobs``, in the order the workers take them, on ``workers`` workers.

    Until a pack measures anything the seconds are cost units (unit rate) and the share is the
    static cost's; then every pack is in seconds.
    """
    # a pack's first report alone counts only when no pack has measured more
    rates = _rates(jobs, seen, _own) or _rates(jobs, seen, _mean_so_far)
    overall = _mean(list(rates.values()))
    by_shape = _by_shape(jobs, rates)
    done = 0.0
    running, waiting = [], []  # seconds left of each
    for j in jobs:
        s = seen.get(j.id, Seen())
        per_cost = by_shape.get(j.shape) or overall or 1.0
        if s.finished:
            done += s.last[1] if s.last else j.cost * per_cost
        elif s.last:
            done += s.last[1]
            per_epoch = _own(s) or j.cost * per_cost / j.epochs
            running.append((j.epochs - s.last[0]) * per_epoch)
        else:
            waiting.append(j.cost * per_cost)
    wall_left = _makespan(running, waiting, workers) if overall is not None else None
    return Forecast(done, sum(running) + sum(waiting), wall_left)


def _own(s: Seen) -> float | None:
    """A pack's seconds per epoch once it has measured them: the whole pack's mean once it is
    back, before that the slope over the latter half of its time so far (see the module's
    docstring); None while it has reported once."""
    if s.finished:
        return s.last[1] / s.last[0] if s.last else None
    if len(s.reports) < 2:
        return None
    (_, t0), (e1, t1) = s.reports[0], s.reports[-1]
    half = bisect.bisect_left([t for _, t in s.reports], (t0 + t1) / 2)
    e0, t0 = s.reports[min(half, len(s.reports) - 2)]
    return (t1 - t0) / (e1 - e0) if e1 > e0 and t1 > t0 else None


def _mean_so_far(s: Seen) -> float | None:
    """Seconds per epoch since the pack started: its start included, the best there is at
    first."""
    return s.last[1] / s.last[0] if s.last and s.last[0] else None


def _rates(jobs: list[Job], seen: dict[str, Seen], per_epoch) -> dict[str, tuple[float, float]]:
    """Job id -> (seconds per unit of static cost, seconds observed: its weight), for every
    pack whose ``per_epoch(seen)`` is known."""
    rates = {}
    for j in jobs:
        s = seen.get(j.id)
        seconds = s and per_epoch(s)
        if seconds and j.cost:
            rates[j.id] = (seconds * j.epochs / j.cost, s.last[1])
    return rates


def _by_shape(jobs: list[Job], rates: dict[str, tuple[float, float]]) -> dict[str, float]:
    """Each measured shape's mean rate."""
    shapes: dict[str, list[tuple[float, float]]] = {}
    for j in jobs:
        if j.id in rates:
            shapes.setdefault(j.shape, []).append(rates[j.id])
    return {name: _mean(measured) for name, measured in shapes.items()}


def _mean(rates: list[tuple[float, float]]) -> float | None:
    """The mean rate, each weighted by the seconds it was measured over."""
    weight = sum(w for _, w in rates)
    return sum(r * w for r, w in rates) / weight if weight else None


def _makespan(running: list[float], waiting: list[float], workers: int) -> float:
    """Seconds until the last pack ends: the running packs hold workers for their time left,
    and each waiting pack, in order, goes to the worker that frees first."""
    free = running + [0.0] * max(0, workers - len(running))  # when each worker frees
    heapq.heapify(free)
    for seconds in waiting:
        heapq.heapreplace(free, free[0] + seconds)
    return max(free, default=0.0)
