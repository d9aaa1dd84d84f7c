"""Fit an autoencoder pack and measure every member."""

from __future__ import annotations

import numpy as np

from nets import noise as noise_models
from nets.split import Split
from runner import datasets, models
from runner.metrics import AutoencoderMetrics, PixelSummary
from runner.plan import Pack
from runner.training import denoising, measures, optimizer, result, validation
from runner.training.callbacks import Recorder, WrongMaxTrace, chain
from runner.training.result import RunResult
from runner.training.resume import Checkpointed


def _standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-pixel mean and std; a constant pixel keeps std 1 so it maps to 0 instead of NaN."""
    std = x.std(axis=0)
    return x.mean(axis=0), np.where(std > 0, std, 1.0)


def train(
    pack: Pack,
    data: datasets.Data,
    progress=None,
    split: Split | None = None,
    checkpoint: str | None = None,
) -> list[RunResult]:
    """The pack's results; ``checkpoint``: the file its fit keeps its state in, and resumes
    from (runner.training.resume). With held-out samples (runner.training.validation) it
    trains on the others, traces their loss and, with early stopping, keeps the best weights."""
    spec = pack.spec
    x = data.x_train  # (N, D), what is measured
    fitted, held_out = validation.split(x, spec.validation)  # what is trained on, held out
    model = models.build(spec, seeds=pack.seeds)
    if spec.normalize:
        model.set_input_scaling(*_standardise(fitted))
    noise = None
    if spec.noise:
        noise = noise_models.make(spec.noise.kind, pack.noise_levels)
    recorder = Recorder(x, spec.snapshots, spec.epochs, len(pack.runs), progress=progress)
    parts = {"recorder": recorder}
    if not noise:
        wrong_max = parts["wrong_max"] = WrongMaxTrace(x, len(pack.runs), spec.epochs, fitted is x)
        recorder.traces["wrong_max"] = wrong_max.trace
    watch = validation.watch(pack, held_out, lambda m: m.loss_on(held_out), parts, recorder)
    opt = optimizer.of_pack(pack)
    saver = Checkpointed(checkpoint, [run.id for run in pack.runs], opt, parts)
    saver.restore(model)
    with saver:
        history = model.fit(
            fitted,
            epochs=spec.epochs,
            optimizer=opt,
            batch_size=None if spec.batch_size == "full" else spec.batch_size,
            shuffle=spec.shuffle,
            noise=noise,
            split=split,
            callback=chain(*parts.values(), saver),
        )
    output = model.reconstruct(x)  # (S, N, D)
    if not noise:
        wrong_max.finish(output)
    if validation.keep_best(watch, model):  # measured from here on: the best epoch's weights
        output = model.reconstruct(x)
    seconds = saver.elapsed()

    per_char = measures.wrong_pixels(output, x)  # (S, N)
    mse = ((output - x) ** 2).mean(axis=(1, 2))
    measured = (output, x)  # what the error measures compare: outputs and their characters
    if noise:
        draws, noisy, denoised = denoising.noisy_draws(model, pack, x)
        denoise = denoising.denoise_metrics(pack, x, draws, noisy, denoised)
        tested = denoising.at_test_levels(model, pack, x)
        measured = (denoised, draws)
    latent = {"train": model.encode(x), **recorder.codes}
    params = result.saved_params(model, recorder.weights)
    results = []
    for k, run in enumerate(pack.runs):
        final_loss = float(history["loss"][k, -1])
        either = (
            {"denoise": denoise[k], "test_levels": tested and tested[k]}
            if noise
            else {
                "convergence": measures.convergence(
                    recorder.traces["wrong_max"][k],
                    wrong_max.first_zero[k],
                    seconds / len(pack.runs) / spec.epochs,
                )
            }
        )
        metrics = AutoencoderMetrics(
            status=result.status(final_loss),
            final_loss=final_loss,
            mse=float(mse[k]),
            wrong_pixels=PixelSummary(**measures.pixel_fields(per_char[k])),
            errors=measures.errors(measured[0][k], measured[1], len(x), spec.pixels),
            timing=result.timing(seconds, pack),
            **either,
            **validation.record(watch, k),
        )
        arrays = {
            "history": {"loss": history["loss"][k], **result.member(recorder.traces, k)},
            "model": result.member(params, k),
            "latent": {**result.member(latent, k), "labels": data.y_train},
        }
        results.append(RunResult(run, metrics, arrays))
    return results
