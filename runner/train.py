"""Train one pack: build its ensemble, fit it, measure every member.

``run_pack`` is a pure function of the pack (no globals, no files written): it returns one
``RunResult`` per run, which the main process writes to the store. That keeps workers free of
shared state, so the same pack gives the same numbers in a local process or on a dask worker
on another machine.
"""

from __future__ import annotations

import contextlib
import dataclasses
import time
import traceback
from collections.abc import Callable

import numpy as np

from nets import noise as noise_models
from nets import fused, optimizers, seeds
from nets.split import Split
from runner import baselines, datasets, models
from runner.metrics import (AutoencoderMetrics, Convergence, Denoise, DrawSummary, Elbo,
                            ErrorMeasures, Errors, Metrics, PixelSummary, Timing, VAEMetrics)
from runner.plan import Pack
from runner.spec import RunSpec



@dataclasses.dataclass
class RunResult:
    """What one run produced; ``error`` is set (and metrics and arrays empty) when its pack
    raised."""

    spec: RunSpec
    metrics: Metrics | None = None
    arrays: dict = dataclasses.field(default_factory=dict)
    error: str | None = None

    @property
    def id(self) -> str:
        return self.spec.id


def load_data(spec: RunSpec) -> datasets.Data:
    """The run's dataset in its dtype, cut to ``dataset_limit`` training samples if set."""
    return datasets.load(spec.source, dtype=np.dtype(spec.dtype))


def run_pack(pack: Pack, progress: Callable[[int], None] | None = None,
             threads: Callable[[], int] | None = None) -> list[RunResult]:
    """Train a pack; an exception becomes an error result for each of its runs, never a crash.

    ``progress(epoch)``, if given, is called after every epoch (runner.progress.EpochFile).
    ``threads()``, asked after every epoch, is how many threads a pack whose spec has parts
    may use now (runner.cores; default: one per part); it never changes a number.
    """
    try:
        data = load_data(pack.spec)
        train = _train_vae if pack.spec.kind == "vae" else _train_autoencoder
        threads = threads or (lambda: pack.spec.parts or 1)
        with _split(pack.spec, threads) as split:
            return train(pack, data, _epoch_hook(progress, split, threads), split)
    except Exception:  # noqa: BLE001 - one pack's failure must not stop the sweep
        error = traceback.format_exc()
        return [RunResult(run, error=error) for run in pack.runs]


# ---------------------------------------------------------------------------------------------
# shared pieces


def _optimizer(pack: Pack):
    """The shared optimizer with each member's learning rate; on the numba engine Adam's update
    is compiled (the same numbers as NumPy's, bit for bit)."""
    spec = pack.spec.optimizer
    options = spec.model_dump(exclude={"name", "learning_rate"})
    if spec.name == "adam" and pack.spec.engine == "numba":
        options["compiled"] = True
    return optimizers.make(spec.name, learning_rate=pack.learning_rates, **options)


def _engine(spec: RunSpec) -> str:
    """The engine of an autoencoder's step: numba's compiled step for small layers, its loop
    over members on the pack's threads (the plan's BLAS threads: one for small layers, whose
    packs share the cores between workers instead); a split pack (large layers) keeps NumPy's
    step, numba compiling only Adam's update (see _optimizer)."""
    if spec.engine != "numba" or spec.parts:
        return "numpy"
    fused.set_threads(spec.blas_threads or 1)
    return "numba"


def _split(spec: RunSpec, threads: Callable[[], int]):
    """The split of the steps of a spec with parts (nets.split), on threads() threads; else a
    context of None."""
    if not spec.parts:
        return contextlib.nullcontext()
    return Split(spec.parts, threads())


def _epoch_hook(progress, split: Split | None, threads: Callable[[], int]):
    """What runs after every epoch: the progress report, and the split's threads brought to
    what the sweep allows now."""
    if split is None:
        return progress

    def after(epoch: int) -> None:
        if progress is not None:
            progress(epoch)
        split.threads = threads()
    return after


def _batch_size(spec: RunSpec) -> int | None:
    return None if spec.batch_size == "full" else spec.batch_size


class Recorder:
    """Epoch callback: keeps latent codes and weights at the snapshot epochs, and per-epoch probes.

    Snapshot weights are kept as "epoch_<k>.<param>", so the site can decode the latent plane as
    the model saw it then.

    ``probes`` maps a history name to a function of the model returning one value per member;
    it is called after every epoch (used for wrong pixels and held-out loss per epoch), and so is
    ``progress(epoch)``.
    """

    def __init__(self, x, snapshots, epochs, n_members, probes=None, progress=None):
        self.x = x
        self.progress = progress
        self.snapshots = set(snapshots)
        self.codes: dict[str, np.ndarray] = {}
        self.weights: dict[str, np.ndarray] = {}
        self.probes = probes or {}
        self.traces = {name: np.full((n_members, epochs), np.nan) for name in self.probes}

    def __call__(self, epoch: int, model) -> None:
        if epoch in self.snapshots:
            self.codes[f"epoch_{epoch}"] = model.encode(self.x)  # (S, N, Z)
            self.weights.update({f"epoch_{epoch}.{name}": value.copy()
                                 for name, value in model.params.items()})
        for name, probe in self.probes.items():
            self.traces[name][:, epoch - 1] = probe(model)
        if self.progress is not None:
            self.progress(epoch)


def _member(arrays: dict[str, np.ndarray], k: int) -> dict[str, np.ndarray]:
    return {name: value[k] for name, value in arrays.items()}


def _status(final_loss: float) -> str:
    return "ok" if np.isfinite(final_loss) else "diverged"


def _timing(seconds: float, pack: Pack) -> Timing:
    """Per-run seconds are the pack's wall time shared equally among its members."""
    return Timing(seconds=seconds / len(pack.runs), pack_seconds=seconds,
                  pack_size=len(pack.runs))


# ---------------------------------------------------------------------------------------------
# autoencoder


def wrong_pixels(output: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Pixels on the wrong side of 0.5, per sample: (..., N, D) -> (..., N)."""
    return ((output > 0.5) != (target > 0.5)).sum(axis=-1)


def _pixel_fields(per_char: np.ndarray) -> dict:
    """Statistics of wrong pixels per character (per_char: (N,)) as plain numbers; counts stay
    integers, means over noise draws stay fractions."""
    return {"max": per_char.max().item(), "mean": float(per_char.mean()),
            "chars_le1": int((per_char <= 1).sum()), "share_le1": float((per_char <= 1).mean()),
            "per_char": per_char.tolist()}


class WrongMaxTrace:
    """Epoch callback: the most wrong pixels of any character, per member, after every epoch,
    and the first epoch at which each character had none (``first_zero`` (S, N), 0: never).

    In full-batch training on clean inputs the forward pass of epoch k + 1 computes exactly
    reconstruct(x) after epoch k (``training_outputs``), so the trace is read from it one epoch
    late and only the last epoch needs a pass of its own (``finish``). A forward pass of the
    probe's own every epoch made a font sweep about 1.5x slower (benchmarks/). With minibatches
    it reconstructs every epoch.
    """

    def __init__(self, x: np.ndarray, n_members: int, epochs: int):
        self.x = x
        self.trace = np.full((n_members, epochs), np.nan)
        self.first_zero = np.zeros((n_members, len(x)), dtype=int)

    def _record(self, index: int, output: np.ndarray) -> None:
        """Epoch ``index + 1`` from its outputs (S, N, D); called in increasing epoch order."""
        per_char = wrong_pixels(output, self.x)  # (S, N)
        self.trace[:, index] = per_char.max(axis=-1)
        self.first_zero[(self.first_zero == 0) & (per_char == 0)] = index + 1

    def __call__(self, epoch: int, model) -> None:
        output = model.training_outputs()  # (S, N, D) after epoch - 1, or None
        if output is None:
            self._record(epoch - 1, model.reconstruct(self.x))
        elif epoch > 1:
            self._record(epoch - 2, output)

    def finish(self, output: np.ndarray) -> None:
        """Record the last epoch from the final outputs (S, N, D)."""
        self._record(self.trace.shape[1] - 1, output)


def _first_epoch(trace: np.ndarray, bound: int) -> int | None:
    """First epoch (1-based) whose max wrong pixels is at most ``bound``, or None."""
    hits = np.flatnonzero(trace <= bound)
    return int(hits[0]) + 1 if hits.size else None


def _convergence(trace: np.ndarray, first_zero: np.ndarray,
                 seconds_per_epoch: float) -> Convergence:
    """Epochs and seconds to the bars, from one member's trace (epochs,) and first_zero (N,).

    ``per_char_epochs_to_zero`` says which characters come right last, which the final wrong
    pixels cannot tell once every character is right.
    """
    zero, le1 = _first_epoch(trace, 0), _first_epoch(trace, 1)

    def seconds(epoch: int | None) -> float | None:
        return None if epoch is None else epoch * seconds_per_epoch

    return Convergence(epochs_to_zero=zero, seconds_to_zero=seconds(zero), epochs_to_le1=le1,
                       seconds_to_le1=seconds(le1),
                       per_char_epochs_to_zero=[int(e) if e else None for e in first_zero])


def error_measures(output: np.ndarray, target: np.ndarray, n_chars: int,
                   span: float = 1.0) -> ErrorMeasures:
    """The error measures of outputs (M, D) against their characters (M, D), both in [0, 1], the
    rows grouped by character (M = n_chars x draws, glyph-major). ``span`` 2 measures them in
    {-1, 1}: every difference doubles, while wrong pixels (the middle moves with the range)
    stay."""
    per_char = wrong_pixels(output, target).reshape(n_chars, -1).mean(axis=1)
    diff = (output - target) * span
    square = np.square(diff)
    return ErrorMeasures(wrong_pixels=float(per_char.mean()), worst_character=float(per_char.max()),
                         mse=float(square.mean()), mae=float(np.abs(diff).mean()),
                         sse=float(square.sum(axis=-1).mean()))


def _errors(output: np.ndarray, target: np.ndarray, n_chars: int, pixels: tuple) -> Errors:
    """The measures in {0, 1}, and in {-1, 1} as well when the run trained on those pixels."""
    in_pm1 = error_measures(output, target, n_chars, span=2.0) if pixels[0] < 0 else None
    return Errors(zero_one=error_measures(output, target, n_chars), plus_minus_one=in_pm1)


def _noisy_draws(model, pack: Pack, x: np.ndarray) -> tuple[np.ndarray, ...]:
    """The denoising evaluation: clean characters repeated (M, D) (M = N x eval_draws,
    glyph-major), fresh noisy copies of them (S, M, D) and the model's outputs (S, M, D)."""
    noise = pack.spec.noise
    draws = np.repeat(x, noise.eval_draws, axis=0)
    rngs = seeds.generators(pack.seeds, "eval", pack.noise_levels)
    noisy = noise_models.make(noise.kind, pack.noise_levels).apply(draws, rngs)
    return draws, noisy, model.reconstruct(noisy)


def _denoise_metrics(pack: Pack, x: np.ndarray, draws: np.ndarray, noisy: np.ndarray,
                     denoised: np.ndarray) -> list[Denoise]:
    """Wrong pixels against the clean glyph on the noisy draws, for the model and baselines."""
    noise = pack.spec.noise
    results = []
    for k, run in enumerate(pack.runs):
        decoded = {"model": denoised[k],
                   **baselines.decode_all(x, noisy[k], noise.kind, run.noise.level)}
        results.append(Denoise(**{name: _draw_summary(wrong_pixels(out, draws).reshape(len(x), -1))
                                  for name, out in decoded.items()}))
    return results


def _draw_summary(wrong: np.ndarray) -> DrawSummary:
    """Statistics of wrong pixels per draw (wrong: (N, draws)): those of the per-character
    means, and ``draws_le1``, the share of single draws denoised to at most 1 wrong pixel."""
    return DrawSummary(**_pixel_fields(wrong.mean(axis=1)),
                       draws_le1=float((wrong <= 1).mean()))


def _saved_params(model, recorder: Recorder) -> dict[str, np.ndarray]:
    """Everything needed to rebuild each member: weights, snapshot weights, input scaling.

    Input scaling is shared by the members; it gets an ensemble axis like the rest.
    """
    params = {**model.params, **recorder.weights}
    if model.input_scaling is not None:
        S = model.n_members
        mean, std = model.input_scaling
        params[models.INPUT_MEAN] = np.broadcast_to(mean, (S, *mean.shape))
        params[models.INPUT_STD] = np.broadcast_to(std, (S, *std.shape))
    return params


def _standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-pixel mean and std; a constant pixel keeps std 1 so it maps to 0 instead of NaN."""
    std = x.std(axis=0)
    return x.mean(axis=0), np.where(std > 0, std, 1.0)


def _train_autoencoder(pack: Pack, data: datasets.Data, progress=None,
                       split: Split | None = None) -> list[RunResult]:
    spec = pack.spec
    x = data.x_train  # (N, D)
    model = models.build(spec, seeds=pack.seeds)
    if spec.normalize:
        model.set_input_scaling(*_standardise(x))
    noise = None
    if spec.noise:
        noise = noise_models.make(spec.noise.kind, pack.noise_levels)
    recorder = Recorder(x, spec.snapshots, spec.epochs, len(pack.runs), progress=progress)
    callback = recorder
    if not noise:
        wrong_max = WrongMaxTrace(x, len(pack.runs), spec.epochs)
        recorder.traces["wrong_max"] = wrong_max.trace

        def callback(epoch, model):
            recorder(epoch, model)
            wrong_max(epoch, model)

    start = time.perf_counter()
    history = model.fit(x, epochs=spec.epochs, optimizer=_optimizer(pack),
                        batch_size=_batch_size(spec), shuffle=spec.shuffle, noise=noise,
                        callback=callback, engine=_engine(spec), split=split)
    output = model.reconstruct(x)  # (S, N, D)
    if not noise:
        wrong_max.finish(output)
    seconds = time.perf_counter() - start

    per_char = wrong_pixels(output, x)  # (S, N)
    mse = ((output - x) ** 2).mean(axis=(1, 2))
    measured = (output, x)  # what the error measures compare: outputs and their characters
    if noise:
        draws, noisy, denoised = _noisy_draws(model, pack, x)
        denoise = _denoise_metrics(pack, x, draws, noisy, denoised)
        measured = (denoised, draws)
    latent = {"train": model.encode(x), **recorder.codes}
    params = _saved_params(model, recorder)
    results = []
    for k, run in enumerate(pack.runs):
        final_loss = float(history["loss"][k, -1])
        either = ({"denoise": denoise[k]} if noise else
                  {"convergence": _convergence(recorder.traces["wrong_max"][k],
                                               wrong_max.first_zero[k],
                                               seconds / len(pack.runs) / spec.epochs)})
        metrics = AutoencoderMetrics(
            status=_status(final_loss), final_loss=final_loss, mse=float(mse[k]),
            wrong_pixels=PixelSummary(**_pixel_fields(per_char[k])),
            errors=_errors(measured[0][k], measured[1], len(x), spec.pixels),
            timing=_timing(seconds, pack), **either)
        arrays = {
            "history": {"loss": history["loss"][k], **_member(recorder.traces, k)},
            "model": _member(params, k),
            "latent": {**_member(latent, k), "labels": data.y_train},
        }
        results.append(RunResult(run, metrics, arrays))
    return results


# ---------------------------------------------------------------------------------------------
# variational autoencoder


def _elbo_terms(evaluation: dict, k: int) -> Elbo:
    return Elbo(**{name: float(evaluation[name][k]) for name in ("recon", "kl", "neg_elbo")})


def _train_vae(pack: Pack, data: datasets.Data, progress=None,
               split: Split | None = None) -> list[RunResult]:
    spec = pack.spec
    x, x_test = data.x_train, data.x_test
    model = models.build(spec, seeds=pack.seeds)
    probes = {} if x_test is None else {"test_neg_elbo": lambda m: m.evaluate(x_test)["neg_elbo"]}
    recorder = Recorder(x, spec.snapshots, spec.epochs, len(pack.runs), probes, progress)

    start = time.perf_counter()
    history = model.fit(x, epochs=spec.epochs, optimizer=_optimizer(pack),
                        batch_size=_batch_size(spec) or len(x), shuffle=spec.shuffle,
                        callback=recorder, split=split)
    seconds = time.perf_counter() - start

    train_eval = model.evaluate(x)
    test_eval = model.evaluate(x_test) if x_test is not None else None
    latent = {"train": model.encode(x), **recorder.codes}
    params = _saved_params(model, recorder)
    results = []
    for k, run in enumerate(pack.runs):
        final_loss = float(history["loss"][k, -1])
        metrics = VAEMetrics(status=_status(final_loss), final_loss=final_loss,
                             train=_elbo_terms(train_eval, k),
                             test=_elbo_terms(test_eval, k) if test_eval else None,
                             timing=_timing(seconds, pack))
        arrays = {
            "history": {**_member(history, k), **_member(recorder.traces, k)},
            "model": _member(params, k),
            "latent": {**_member(latent, k), "labels": data.y_train},
        }
        results.append(RunResult(run, metrics, arrays))
    return results
