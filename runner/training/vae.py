"""Fit a VAE pack and measure every member."""

from __future__ import annotations

from nets.split import Split
from runner import datasets, models
from runner.metrics import Elbo, VAEMetrics
from runner.plan import Pack
from runner.training import optimizer, result, validation
from runner.training.callbacks import Recorder, chain
from runner.training.result import RunResult
from runner.training.resume import Checkpointed


def _elbo_terms(evaluation: dict, k: int) -> Elbo:
    return Elbo(**{name: float(evaluation[name][k]) for name in ("recon", "kl", "neg_elbo")})


def train(
    pack: Pack,
    data: datasets.Data,
    progress=None,
    split: Split | None = None,
    checkpoint: str | None = None,
) -> list[RunResult]:
    """The pack's results; ``checkpoint``: the file its fit keeps its state in, and resumes
    from (runner.training.resume). With held-out samples (runner.training.validation) it
    trains on the others, traces their negative ELBO (beta 1, nets.vae.VAE.evaluate) and, with
    early stopping, keeps the best weights."""
    spec = pack.spec
    x, x_test = data.x_train, data.x_test  # x: what is measured
    fitted, held_out = validation.split(x, spec.validation)  # what is trained on, held out
    model = models.build(spec, seeds=pack.seeds, beta=pack.betas)
    probes = {} if x_test is None else {"test_neg_elbo": lambda m: m.evaluate(x_test)["neg_elbo"]}
    recorder = Recorder(x, spec.snapshots, spec.epochs, len(pack.runs), probes, progress)
    parts = {"recorder": recorder}
    watch = validation.watch(
        pack, held_out, lambda m: m.evaluate(held_out)["neg_elbo"], parts, recorder
    )
    opt = optimizer.of_pack(pack)
    saver = Checkpointed(checkpoint, [run.id for run in pack.runs], opt, parts)
    saver.restore(model)
    with saver:
        batch_size = len(fitted) if spec.batch_size == "full" else spec.batch_size
        history = model.fit(
            fitted,
            epochs=spec.epochs,
            optimizer=opt,
            batch_size=batch_size,
            shuffle=spec.shuffle,
            callback=chain(*parts.values(), saver),
            split=split,
            kl_warmup=pack.kl_warmups,
        )
    validation.keep_best(watch, model)
    seconds = saver.elapsed()

    train_eval = model.evaluate(x)
    test_eval = model.evaluate(x_test) if x_test is not None else None
    latent = {"train": model.encode(x), **recorder.codes}
    params = result.saved_params(model, recorder.weights)
    results = []
    for k, run in enumerate(pack.runs):
        final_loss = float(history["loss"][k, -1])
        metrics = VAEMetrics(
            status=result.status(final_loss),
            final_loss=final_loss,
            train=_elbo_terms(train_eval, k),
            test=_elbo_terms(test_eval, k) if test_eval else None,
            timing=result.timing(seconds, pack),
            **validation.record(watch, k),
        )
        arrays = {
            "history": {**result.member(history, k), **result.member(recorder.traces, k)},
            "model": result.member(params, k),
            "latent": {**result.member(latent, k), "labels": data.y_train},
        }
        results.append(RunResult(run, metrics, arrays))
    return results
