"""What was run, and the numbers that matter (the index card shows its first highlight)."""

from __future__ import annotations

from report import references, stats
from report import summary as sm
from report.axes import axis
from report.formatting import (
    format_number,
    plural,
    seeds_phrase,
    shared_lowest,
    spread_phrase,
)
from report.metrics import WRONG_MAX, Metric
from report.slides import SlideKind


def build(s: sm.Summary) -> dict:
    spec, n = s.spec, len(s.runs)
    diverged = sum(c.diverged for c in s.configurations)
    seconds = sum(r.metrics.timing.seconds for r in s.runs)
    facts = [
        ("dataset", spec.dataset),
        (
            "model",
            "variational autoencoder"
            if s.kind == "vae"
            else "denoising autoencoder"
            if s.denoising
            else "autoencoder",
        ),
        ("architectures", _values(s, "architecture")),
        ("optimisers", "; ".join(_optimisers(s))),
        ("initialisation", _values(s, "init")),
        ("inputs", _values(s, "normalize")),
        ("epochs", format_number(spec.epochs)),
        ("batch size", str(spec.batch_size)),
        *_controls(s),
        (
            "runs",
            f"{format_number(n)} in {plural(len(s.configurations), 'configuration')} × "
            f"{seeds_phrase(s)}" + (f", {diverged} diverged" if diverged else ""),
        ),
        ("training time", training_time(seconds)),
    ]
    if s.denoising:
        facts.insert(3, ("noise", f"{spec.noise.kind}: {_values(s, 'noise')}"))
    return {
        "lede": "What was run, and the numbers that matter.",
        "facts": facts,
        "highlights": highlights(s),
    }


def training_time(seconds: float) -> str:
    """Training seconds summed over the runs, as tp5-run's last line also gives them: a
    reader who compares the two, or this with a clock, is told which time it is."""
    return (
        f"{format_number(seconds)} s of training summed over the runs (each pack's wall time "
        "shared among its runs; with several workers at once, the sweep took less wall time)"
    )


def _values(s: sm.Summary, name: str) -> str:
    """The distinct values the runs take on one axis, in plan order."""
    return ", ".join(dict.fromkeys(axis(name).value(r.spec) for r in s.runs))


def _controls(s: sm.Summary) -> list[tuple[str, str]]:
    """One fact for each training control the runs set (runner.spec: weight decay, the rate's
    schedule, validation, early stopping), none for those they leave unset."""
    spec, facts = s.spec, []
    decays = dict.fromkeys(r.spec.weight_decay for r in s.runs)
    if decays != {None: None}:
        facts.append(
            ("weight decay", "L2 (coupled), λ " + ", ".join(f"{d or 0:g}" for d in decays))
        )
    schedule = spec.schedule
    if schedule is not None:
        facts.append(
            (
                "learning-rate schedule",
                f"× {schedule.factor:g} every {plural(schedule.every, 'epoch')}"
                if schedule.kind == "step"
                else f"cosine, to {schedule.final:g} × the rate at the last epoch",
            )
        )
    if spec.validation is not None:
        held = (
            f"{format_number(spec.validation)} samples"
            if isinstance(spec.validation, int)
            else f"{100 * spec.validation:g} % of the samples"
        )
        facts.append(("validation", f"{held} held out, evenly spaced"))
    if spec.early_stop is not None:
        facts.append(
            (
                "early stopping",
                f"patience {plural(spec.early_stop.patience, 'epoch')} "
                "on the validation loss; each run's best epoch's weights kept",
            )
        )
    return facts


def _optimisers(s: sm.Summary) -> list[str]:
    """Each optimiser with its learning rates: "SGD, momentum 0.9: lr 0.05, 0.005"."""
    rates: dict[str, list[str]] = {}
    for r in s.runs:
        rate = axis("learning_rate").value(r.spec)
        found = rates.setdefault(axis("optimizer").value(r.spec), [])
        if rate not in found:
            found.append(rate)
    return [f"{name}: lr {', '.join(lrs)}" for name, lrs in rates.items()]


def highlights(s: sm.Summary) -> list[dict]:
    """The experiment's numbers in large type, each beside what it is to be read against: the
    best design's headline (one per noise level, a condition rather than a choice), with the
    exact references (report.references) or the denoising floors in its detail."""
    if not s.leaders(s.configurations):
        return [{"text": "–", "label": "every run diverged"}]
    found = [_headline(s, level, configs) for level, configs in s.headline_levels().items()]
    if s.kind == "autoencoder" and not s.denoising and s.glyphs:
        reached = sum(1 for r in s.runs if WRONG_MAX.of(r.metrics) <= 1)
        found.append(
            {
                "text": f"{reached} / {len(s.runs)}",
                "label": "runs that end with every character at ≤ 1 wrong pixel",
                "detail": "the course's bar, at the last epoch",
            }
        )
    return found


def _design(c: sm.Configuration) -> str:
    """A configuration by its design alone: its noise level is the headline's."""
    return " · ".join(v for k, v in c.values.items() if k != "noise") or c.label


def _headline(s: sm.Summary, level: str, configs: list[sm.Configuration]) -> dict:
    """The best of ``configs`` by the headline: "best" where Welch's interval tells it apart
    from the next, "lowest mean" where it does not, and no one configuration where several
    share the lowest mean; then their baselines."""
    ranked = s.ranked(configs)
    lowest = s.leaders(configs)
    gap = ranked[0]["gap"]
    heading = s.headline.label + (f" at {level}" if level else "")
    if not lowest:
        return {"stat": ranked[0]["stat"], "label": heading, "detail": "every run diverged"}
    if len(lowest) > 1:
        which = "lowest mean, " + shared_lowest(
            [_design(c) for c in lowest], ranked[0]["stat"]["mean"], len(configs)
        )
    elif len(configs) > 1:
        which = (
            "best design" if gap and gap["clear"] else "lowest mean, not told apart from the next"
        ) + f": {_design(lowest[0])}"
    else:
        which = spread_phrase(s)
    parts = [which]
    parts += [f"{label}: {format_number(value)}" for label, value in _references(s, lowest)]
    if s.denoising:
        parts += _noise_baselines(s, lowest[0]) + _plain(s, lowest[0])
    return {"stat": ranked[0]["stat"], "label": heading, "detail": " · ".join(parts)}


def _references(s: sm.Summary, lowest: list[sm.Configuration]) -> list[tuple[str, float]]:
    """The references (report.references) that hold for every configuration of ``lowest``:
    a tie of several code widths has no one linear code to stand beside."""
    found = [references.of(s, c) for c in lowest]
    return [ref for ref in found[0] if all(ref in other for other in found[1:])]


NOISY = Metric("noisy", "", ("denoise", "noisy", "mean"))


def _noise_baselines(s: sm.Summary, best: sm.Configuration) -> list[str]:
    """The noisy input's wrong pixels and the Bayes floor at the best's noise level: expected
    values from runner.floors' large draw where stored, else the runs' own draws."""
    noise = best.runs[0].spec.noise
    floor = s.floors.get((noise.kind, noise.level))
    if floor:
        return [
            f"the noisy input: {format_number(floor['noisy']['mean'])}",
            f"the Bayes-optimal floor: {format_number(floor['bayes']['mean'])} (expected values)",
        ]
    noisy = stats.describe([NOISY.of(r.metrics) for r in best.ok])["mean"]
    return [f"the noisy input: {format_number(noisy)} (on the runs' own draws)"]


def _plain(s: sm.Summary, best: sm.Configuration) -> list[str]:
    """The runs trained on clean inputs (level 0), tested at the best's level where they were
    (noise.test_levels): what training on noise buys."""
    level = best.runs[0].spec.noise.level
    found = [
        t.model.mean
        for c in s.configurations
        if c.runs[0].spec.noise.level == 0
        for r in c.ok
        for t in r.metrics.test_levels or ()
        if t.level == level
    ]
    if not found:
        return []
    mean = stats.describe(found)["mean"]
    return [f"the plain autoencoder, trained on clean inputs: {format_number(mean)}"]


SLIDE = SlideKind(name="summary", title="Summary", position=10, build=build, highlights=highlights)
