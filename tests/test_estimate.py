"""The time a sweep has left, learnt from its packs' timings: checked on synthetic sweeps whose
static cost is wrong, replayed at chosen instants (no clock)."""

import math
from dataclasses import dataclass

import pytest

from runner.estimate import Job, Seen, forecast


@dataclass(frozen=True)
class Truth:
    """How a synthetic pack really trains: seconds to start, then seconds per epoch."""

    job: Job
    start: float
    per_epoch: float

    @property
    def seconds(self) -> float:
        return self.start + self.job.epochs * self.per_epoch


def schedule(truths: list[Truth], workers: int) -> dict[str, float]:
    """When each pack starts: in order, on the worker that frees first."""
    free, starts = [0.0] * workers, {}
    for t in truths:
        k = free.index(min(free))
        starts[t.job.id] = free[k]
        free[k] += t.seconds
    return starts


def seen_at(now: float, truths: list[Truth], starts: dict[str, float]) -> dict[str, Seen]:
    """What the packs have reported at ``now``: an epoch count and its seconds after each epoch,
    the whole pack once it is back."""
    seen = {}
    for t in truths:
        into = now - starts[t.job.id]
        if into >= t.seconds:
            seen[t.job.id] = Seen(((t.job.epochs, t.seconds),), finished=True)
            continue
        epochs = math.floor((into - t.start) / t.per_epoch) if into > t.start else 0
        if epochs:
            reported = [*range(1, epochs, 10), epochs]  # every 10th epoch, and the last
            seen[t.job.id] = Seen(tuple((e, t.start + e * t.per_epoch) for e in reported))
    return seen


def study(wrong: float = 7.0) -> list[Truth]:
    """Eight packs of equal static cost, in the order workers take them: four of a full-batch
    shape as fast as their cost says, four of a batch-1 shape ``wrong`` times slower, taking
    turns (as the costliest-first order mixes shapes)."""
    truths = []
    for i in range(8):
        slow = i % 2
        truths.append(
            Truth(
                Job(f"p{i}", "batch-1" if slow else "full", 100.0, 1000),
                start=0.5,
                per_epoch=0.1 * (wrong if slow else 1),
            )
        )
    return truths


def truth_at(now, truths, starts):
    end = max(starts[t.job.id] + t.seconds for t in truths)
    work = sum(t.seconds for t in truths)
    done = sum(min(max(now - starts[t.job.id], 0), t.seconds) for t in truths)
    return end - now, done / work


def test_a_static_cost_wrong_by_7x_for_half_the_packs_is_right_after_the_first_epochs():
    truths = study()
    starts = schedule(truths, workers=2)
    jobs = [t.job for t in truths]
    for now in (2.0, 100.0, 300.0, 500.0):
        estimate = forecast(jobs, seen_at(now, truths, starts), workers=2)
        wall_left, share = truth_at(now, truths, starts)
        assert estimate.wall_left == pytest.approx(wall_left, rel=0.01)
        assert estimate.share == pytest.approx(share, abs=0.01)
        static = static_share(seen_at(now, truths, starts), jobs)
        assert now < 5 or abs(now * (1 - static) / static - wall_left) > 0.25 * wall_left


def static_share(seen: dict[str, Seen], jobs: list[Job]) -> float:
    """The share of the static cost done, as the bar showed it before; its time left was the
    elapsed time scaled by it (tqdm's, at a mean rate)."""
    done = sum(j.cost * seen[j.id].last[0] / j.epochs for j in jobs if j.id in seen)
    return done / sum(j.cost for j in jobs)


def test_before_any_epoch_the_share_is_the_static_costs_and_the_time_left_unknown():
    estimate = forecast([t.job for t in study()], {}, workers=2)
    assert (estimate.share, estimate.wall_left) == (0.0, None)
    jobs = [Job("a", "x", 30.0, 10), Job("b", "x", 10.0, 10)]
    estimate = forecast(jobs, {"b": Seen(finished=True)}, workers=2)  # finished, time unknown
    assert estimate.share == 0.25 and estimate.wall_left is None


def test_the_share_never_goes_backwards_by_more_than_a_little():
    truths = study()
    starts = schedule(truths, workers=2)
    end = max(starts[t.job.id] + t.seconds for t in truths)
    shares = [
        forecast([t.job for t in truths], seen_at(now, truths, starts), 2).share
        for now in [end * k / 1000 for k in range(1001)]
    ]
    assert shares[-1] == 1.0
    assert min(b - a for a, b in zip(shares, shares[1:])) > -0.01


def test_a_finished_pack_sets_the_rate_of_its_shape_and_the_others_take_the_mean():
    jobs = [
        Job("done", "slow", 10.0, 100),
        Job("next", "slow", 20.0, 100),
        Job("other", "fast", 10.0, 100),
    ]
    estimate = forecast(jobs, {"done": Seen(((100, 70.0),), finished=True)}, workers=1)
    assert estimate.done == 70.0
    assert estimate.left == 140.0 + 70.0  # 7 s per cost unit, the only rate measured
    assert estimate.wall_left == 210.0


def test_a_running_pack_goes_by_its_slope_not_by_its_start():
    """The first epoch paid for loading the data: the slope after it is the pack's speed."""
    jobs = [Job("a", "x", 1.0, 100)]
    estimate = forecast(jobs, {"a": Seen(((1, 11.0), (51, 61.0)))}, workers=1)
    assert (estimate.done, estimate.left, estimate.wall_left) == (61.0, 49.0, 49.0)


def test_a_running_pack_goes_by_its_latter_half_when_its_speed_changes():
    """100 s at an epoch a second, then 100 s at two (another pack ended): the second speed."""
    reports = [(e, float(e)) for e in range(1, 101)]
    reports += [(100 + 2 * k, 100.0 + k) for k in range(1, 101)]
    estimate = forecast([Job("a", "x", 1.0, 1000)], {"a": Seen(tuple(reports))}, workers=1)
    assert estimate.wall_left == (1000 - 300) / 2


@pytest.mark.parametrize(
    "seconds, wall_left",
    [
        ([10, 10, 10, 10], 20),  # the work shared by two workers
        ([100, 1, 1, 1], 100),  # never less than the longest pack
        ([5, 5, 5], 10),  # the third pack waits for a worker
    ],
)
def test_time_left_shares_the_waiting_packs_between_the_workers(seconds, wall_left):
    jobs = [Job("m", "x", 1.0, 1)] + [Job(f"w{i}", "x", s, 1) for i, s in enumerate(seconds)]
    estimate = forecast(jobs, {"m": Seen(((1, 1.0),), finished=True)}, workers=2)
    assert estimate.wall_left == wall_left
