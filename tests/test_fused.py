"""The numba engine against the NumPy reference: the same weights, losses and per-epoch measures
(float64 to 1e-12 over the first epochs, float32 to round-off), and the plan's choice of engine."""
import itertools

import numpy as np
import pytest

import support
from nets import Autoencoder, autoencoder, fused, noise, optimizers
from runner import plan, sweep, train
from runner.config import Experiment

needs_numba = pytest.mark.skipif(
    not fused.available(), reason="numba is not installed (pip install 'tp5[fast]')")

X = (np.random.default_rng(0).random((32, 35)) < 0.4).astype(float)
# rates at which batch 1 trains smoothly: where it is chaotic, either engine parts from itself
# within a few epochs when its initial weights move by one unit in the last place
OPTIMIZERS = {"sgd": dict(name="sgd", learning_rate=np.array([0.1, 0.05, 0.02])),
              "momentum": dict(name="sgd", learning_rate=np.array([0.02, 0.01, 0.005]),
                               momentum=0.9),
              "adam": dict(name="adam", learning_rate=np.array([0.02, 0.01, 0.005]))}
LOSSES = tuple(autoencoder.LOSSES)  # every loss the model knows


def train_both(activation, loss, optimizer, batch_size, dtype=np.float64, epochs=3):
    """Loss histories and parameters after ``epochs`` of both engines from the same seeds, on
    bit-flip noise (so that the noise stream is exercised too)."""
    out = {}
    for engine in ("numpy", "numba"):
        model = Autoencoder([35, 12, 2, 12, 35], [3, 4, 5], activation=activation, loss=loss,
                            latent_activation="identity", dtype=dtype)
        options = dict(OPTIMIZERS[optimizer])
        history = model.fit(X, epochs=epochs, optimizer=optimizers.make(options.pop("name"),
                                                                         **options),
                            batch_size=batch_size, noise=noise.BitFlip([0.0, 0.05, 0.2]),
                            engine=engine)
        out[engine] = history["loss"], model._flat.copy(), model._flat_grads.copy()
    return out


@needs_numba
@pytest.mark.parametrize("activation, loss, optimizer, batch_size", list(itertools.product(
    ("sigmoid", "tanh", "relu"), LOSSES, OPTIMIZERS, (None, 1))))
def test_float64_matches_numpy(activation, loss, optimizer, batch_size):
    out = train_both(activation, loss, optimizer, batch_size)
    for reference, fused_value in zip(out["numpy"], out["numba"]):
        scale = np.abs(reference).max()
        np.testing.assert_allclose(fused_value, reference, rtol=0, atol=1e-12 * scale)


@needs_numba
@pytest.mark.parametrize("activation, loss, optimizer, batch_size", list(itertools.product(
    ("sigmoid", "tanh", "relu"), LOSSES, OPTIMIZERS, (None, 1))))
def test_float32_matches_numpy_to_round_off(activation, loss, optimizer, batch_size):
    out = train_both(activation, loss, optimizer, batch_size, dtype=np.float32, epochs=2)
    for reference, fused_value in zip(out["numpy"], out["numba"]):
        assert fused_value.dtype == reference.dtype
        scale = np.abs(reference).max()
        # ~800 float32 units of the largest value: Adam's step is about the learning rate
        # whatever the gradient's size, so a gradient that is zero up to round-off moves its
        # parameter by a share of a step that round-off decides (losses agree to a few units)
        np.testing.assert_allclose(fused_value, reference, rtol=0, atol=1e-4 * scale)


@needs_numba
def test_a_diverging_member_diverges_alone():
    model = Autoencoder([35, 12, 2, 12, 35], [0, 1], activation="tanh",
                        output_activation="identity")
    history = model.fit(X, epochs=80, optimizer=optimizers.SGD(np.array([1e3, 0.01])),
                        engine="numba")["loss"]
    assert not np.isfinite(history[0, -1]) and np.isfinite(history[1]).all()


@needs_numba
@pytest.mark.parametrize("batch_size", ["full", 1])
def test_a_packs_measures_are_the_numpy_engines(batch_size):
    """The wrong-pixel trace (read off the next step's outputs in full batch), the first epochs
    at zero and the final figures of a pack, trained by each engine."""
    fields = dict(architecture=[35, 20, 2, 20, 35], activation="tanh", epochs=40,
                  latent_activation="identity", loss="bce", batch_size=batch_size,
                  optimizer={"name": "adam", "learning_rate": 0.02, "beta1": 0.9,
                             "beta2": 0.999, "eps": 1e-8})
    results = {}
    for engine in ("numpy", "numba"):
        runs = tuple(support.autoencoder(**fields, seed=seed, engine=engine) for seed in (0, 1))
        results[engine] = train.run_pack(plan.Pack("demo", runs))
    for ours, reference in zip(results["numba"], results["numpy"]):
        assert ours.error is None
        assert np.array_equal(ours.arrays["history"]["wrong_max"],
                              reference.arrays["history"]["wrong_max"])
        assert ours.metrics.convergence == reference.metrics.convergence
        assert ours.metrics.wrong_pixels == reference.metrics.wrong_pixels
        # 1,280 steps of batch 1 amplify round-off: the losses agree to 1e-12 at first only
        np.testing.assert_allclose(ours.arrays["history"]["loss"],
                                   reference.arrays["history"]["loss"], rtol=1e-6)


def experiment(kind="autoencoder", engine="auto", architecture=(35, 20, 2, 20, 35)):
    model = {"kind": kind, "architectures": [list(architecture)]}
    return Experiment.model_validate({"name": "x", "dataset": {"name": "font"}, "model": model,
                                      "training": {"epochs": 2, "engine": engine}})


@pytest.mark.parametrize("numba_installed", [True, False])
def test_the_plan_records_the_engine_and_why_it_fell_back(monkeypatch, numba_installed):
    monkeypatch.setattr(fused, "available", lambda: numba_installed)
    expected = "numba" if numba_installed else "numpy"
    assert {run.engine for run in plan.expand(experiment(engine="numba"))} == {expected}
    assert plan.engine(experiment(engine="numba"), [35, 20, 2, 20, 35]) == (
        (expected, None) if numba_installed else
        ("numpy", "numba is not installed (pip install 'tp5[fast]')"))
    assert plan.engine(experiment(engine="numpy"), [35, 20, 2, 20, 35]) == ("numpy", None)
    # a VAE, or large layers: NumPy's step with Adam's compiled update, taken by auto too
    for kind, architecture in [("vae", [35, 20, 2, 20, 35]), ("autoencoder", [35, 2048, 2, 35])]:
        for asked in ("numba", "auto"):
            assert plan.engine(experiment(kind=kind, engine=asked), architecture)[0] == expected
    if numba_installed:
        engine, why = plan.engine(experiment(), [35, 20, 2, 20, 35])  # auto, small layers
        assert engine == "numpy" and "2x" in why and "one thread" in why


def test_dry_run_says_which_engine_and_why(monkeypatch):
    monkeypatch.setattr(fused, "available", lambda: False)
    assert sweep.engines([experiment(engine="numba"), experiment(engine="numpy")]) == [
        "engine numpy (numba is not installed (pip install 'tp5[fast]')): x", "engine numpy: x"]
    same = [experiment(engine="numpy"), experiment(engine="numpy").model_copy(update={"name": "y"})]
    assert sweep.engines(same) == ["engine numpy: x, y"]  # one line per engine, not per file


def test_the_engine_is_in_the_run_id_but_not_in_the_question():
    numpy_run, numba_run = (support.autoencoder(engine=e) for e in ("numpy", "numba"))
    assert plan.run_id(numpy_run) != plan.run_id(numba_run)
    assert (plan.question(numpy_run.model_dump(mode="json")) ==
            plan.question(numba_run.model_dump(mode="json")))
