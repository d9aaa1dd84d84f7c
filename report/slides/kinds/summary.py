"""What was run, and the numbers that matter (the index card shows its first highlight)."""

from __future__ import annotations

from report import references, stats
from report import summary as sm
from report.axes import axis
from report.formatting import format_number, plural, seeds_phrase, spread_phrase
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
    if s.best() is None:
        return [{"text": "–", "label": "every run diverged"}]
    found = [_headline(s, level, configs) for level, configs in _noisy(s.levels()).items()]
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


def _noisy(levels: dict[str, list[sm.Configuration]]) -> dict[str, list[sm.Configuration]]:
    """The levels to headline: a run trained at noise level 0 is the plain autoencoder on
    clean inputs, whose noisy input and floors are 0, so it heads nothing beside denoisers."""
    noisy = {
        level: configs
        for level, configs in levels.items()
        if any(c.runs[0].spec.noise and c.runs[0].spec.noise.level > 0 for c in configs)
    }
    return noisy or levels


def _headline(s: sm.Summary, level: str, configs: list[sm.Configuration]) -> dict:
    """The best of ``configs`` by the headline: "best" where Welch's interval tells it apart
    from the next, "lowest mean" where it does not; then its baselines."""
    ranked = stats.ranking([(c, c.metric(s.headline)) for c in configs])
    best, gap = ranked[0]["item"], ranked[0]["gap"]
    design = " · ".join(v for k, v in best.values.items() if k != "noise") or best.label
    which = (
        ("best design" if gap and gap["clear"] else "lowest mean, not told apart from the next")
        if len(configs) > 1
        else ""
    )
    parts = [f"{which}: {design}" if which else spread_phrase(s)]
    parts += [f"{label}: {format_number(value)}" for label, value in references.of(s, best)]
    if s.denoising:
        parts += _noise_baselines(s, best) + _plain(s, best)
    return {
        "stat": ranked[0]["stat"],
        "label": s.headline.label + (f" at {level}" if level else ""),
        "detail": " · ".join(parts),
    }


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
