"""A step split into fixed parts of its batch (nets.split): the same numbers, bit for bit, on any
number of threads and when the number changes mid-run; the unsplit step's numbers to round-off;
the unsplit step itself with one part."""

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

import nets
from nets.split import Split, edges

RNG = np.random.default_rng(3)
X = (RNG.random((90, 40)) < 0.3).astype(np.float64)
VAE = [40, 12, 6, 2, 6, 12, 40]
AE = [40, 12, 3, 12, 40]


def vae_fit(split=None, epochs=3, callback=None, dtype=np.float64):
    model = nets.VAE(VAE, [0, 1, 2], dtype=dtype)
    history = model.fit(
        X,
        epochs=epochs,
        optimizer=nets.Adam([1e-3, 3e-3, 1e-2]),
        batch_size=32,
        split=split,
        callback=callback,
    )
    return model._flat.copy(), history


def ae_fit(split=None, epochs=3, callback=None):
    model = nets.Autoencoder(AE, [0, 1], loss="bce")
    history = model.fit(
        X,
        epochs=epochs,
        optimizer=nets.SGD([0.5, 0.1], momentum=0.9),
        batch_size=25,
        noise=nets.noise.make("bitflip", [0.05, 0.1]),
        split=split,
        callback=callback,
    )
    return model._flat.copy(), history


FITS = {"vae": vae_fit, "denoising autoencoder": ae_fit}


def same(a, b):
    (wa, ha), (wb, hb) = a, b
    return np.array_equal(wa, wb) and all(np.array_equal(ha[k], hb[k]) for k in ha)


@pytest.mark.parametrize("fit", FITS.values(), ids=FITS.keys())
def test_any_number_of_threads_gives_the_same_numbers(fit):
    runs = []
    for threads in (1, 2, 3, 5):
        with Split(4, threads) as split:
            runs.append(fit(split))
    assert all(same(runs[0], run) for run in runs[1:])


@pytest.mark.parametrize("fit", FITS.values(), ids=FITS.keys())
def test_threads_changing_every_epoch_give_the_same_numbers(fit):
    with Split(3, 1) as steady:
        expected = fit(steady, epochs=4)
    with Split(3, 1) as split:

        def callback(epoch, model):
            split.threads = [3, 1, 2][epoch % 3]

        assert same(fit(split, epochs=4, callback=callback), expected)


@pytest.mark.parametrize("fit", FITS.values(), ids=FITS.keys())
def test_one_part_is_the_unsplit_step(fit):
    with threadpool_limits(limits=1, user_api="blas"):
        unsplit = fit()
    with Split(1) as split:
        assert same(fit(split), unsplit)


@pytest.mark.parametrize("fit", FITS.values(), ids=FITS.keys())
def test_parts_differ_from_the_unsplit_step_by_round_off_only(fit):
    (w, history) = fit()
    with Split(4, 2) as split:
        (w4, history4) = fit(split)
    assert np.allclose(w4, w, rtol=1e-11, atol=1e-13)
    for key in history:
        assert np.allclose(history4[key], history[key], rtol=1e-11, atol=1e-13)


def test_summed_gradients_are_the_batch_gradient():
    """One step from the same weights: the parts' gradients add up to the whole batch's, and
    their values to its values."""
    model = nets.VAE(VAE, [0, 1], dtype=np.float64)
    twin = nets.VAE.from_params(model.params, seeds=[0, 1], dtype=np.float64)
    x = X[:30]
    eps = RNG.standard_normal((2, 30, 2))
    values = model._forward_backward(x, x, eps)
    rows = edges(30, 4)
    totals, grads = None, np.zeros_like(model._flat_grads)
    for start, stop in zip(rows, rows[1:]):
        part = twin._forward_backward(x[start:stop], x[start:stop], eps[:, start:stop], batch=30)
        grads += twin._flat_grads
        totals = part if totals is None else [t + p for t, p in zip(totals, part)]
    assert np.allclose(grads, model._flat_grads, rtol=1e-12, atol=1e-14)
    for total, value in zip(totals, values):
        assert np.allclose(total, value, rtol=1e-12)


def test_a_batch_smaller_than_the_parts_leaves_parts_empty():
    model = nets.VAE(VAE, [0])
    with Split(8, 2) as split:
        step = split.step(model, nets.Adam(1e-3))
        (loss, recon, kl) = step(X[:3], X[:3])
    assert np.isfinite(loss).all() and np.isfinite(model._flat).all()
    assert edges(3, 8) == [0, 0, 0, 1, 1, 1, 2, 2, 3]


def test_parts_multiply_on_one_blas_thread_whatever_the_callers_setting():
    seen = []

    def callback(epoch, model):
        seen.extend(i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas")

    with threadpool_limits(limits=2, user_api="blas"), Split(2, 2) as split:
        vae_fit(split, epochs=1, callback=callback)
    assert seen and set(seen) == {1}


def test_float32_parts_give_the_same_numbers_on_any_threads():
    with Split(4, 1) as one, Split(4, 4) as four:
        assert same(vae_fit(one, dtype=np.float32), vae_fit(four, dtype=np.float32))


def test_parts_must_be_positive():
    with pytest.raises(ValueError, match="at least 1"):
        Split(0)
