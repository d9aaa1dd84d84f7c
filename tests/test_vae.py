"""The VAE: gradients through the reparameterisation, ensemble == members alone, evaluation."""

import warnings

import numpy as np
import pytest

from nets import VAE, optimizers
from nets.vae import kl_scale
from support import numeric_grads


def data(n=20, d=7, seed=0):
    return (np.random.default_rng(seed).random((n, d)) < 0.4).astype(float)


@pytest.mark.parametrize("beta", [0.7, [0.5, 4.0]], ids=["one beta", "a beta per member"])
@pytest.mark.parametrize(
    "layers", [[7, 5, 2, 4, 7], [7, 2, 5, 7]], ids=["encoder", "no hidden encoder"]
)
def test_gradients_match_finite_differences_with_eps_held(layers, beta):
    model = VAE(layers, seeds=[1, 2], activation="tanh", beta=beta, init="xavier", dtype=np.float64)
    x = data(6)
    eps = np.random.default_rng(3).normal(size=(2, 6, 2))
    model._draw_eps = lambda shape: eps  # hold the reparameterisation noise fixed
    model._step(x, x)
    analytic = model._flat_grads.copy()
    numeric = numeric_grads(model, x)
    # backward pass went well, through both heads and z = mu + exp(logvar / 2) * eps
    for name, view in model.grads.items():
        model._flat_grads[...] = analytic
        a = view.copy()
        model._flat_grads[...] = numeric
        np.testing.assert_allclose(a, view, rtol=1e-6, atol=1e-10, err_msg=name)


def test_loss_is_recon_plus_beta_kl():
    model = VAE([7, 5, 2, 5, 7], seeds=[0, 1], beta=0.5, dtype=np.float64)
    h = model.fit(data(), epochs=3, optimizer=optimizers.Adam(0.01), batch_size=8)
    assert set(h) == {"loss", "recon", "kl"} and h["loss"].shape == (2, 3)
    np.testing.assert_allclose(h["loss"], h["recon"] + 0.5 * h["kl"], rtol=1e-12)


def test_the_warmup_scales_beta_linearly_from_0_in_the_first_epoch():
    # epoch 1 trains without the KL term, beta is reached in epoch warmup + 1
    np.testing.assert_array_equal(
        [kl_scale(e, 4) for e in range(1, 8)], [0, 0.25, 0.5, 0.75, 1, 1, 1]
    )
    np.testing.assert_array_equal([kl_scale(e, 0) for e in (1, 2, 50)], [1, 1, 1])
    np.testing.assert_array_equal(kl_scale(3, np.array([0, 1, 4])), [1, 1, 0.5])


def test_each_epoch_trains_with_its_members_kl_weight():
    """Full batch: an epoch is one step, whose loss is recon + beta * kl_scale(epoch) * kl."""
    betas, warmups = np.array([0.5, 4.0, 1.0]), np.array([0, 3, 5])
    model = VAE([7, 5, 2, 5, 7], seeds=[0, 1, 2], beta=betas, dtype=np.float64)
    h = model.fit(
        data(), epochs=8, optimizer=optimizers.Adam(0.01), batch_size=None, kl_warmup=warmups
    )
    scale = np.stack([kl_scale(e, warmups) for e in range(1, 9)], axis=1)  # (S, epochs)
    assert scale[1].tolist() == [0, 1 / 3, 2 / 3, 1, 1, 1, 1, 1]
    np.testing.assert_allclose(h["loss"], h["recon"] + betas[:, None] * scale * h["kl"], rtol=1e-12)


def test_ensemble_trains_each_member_as_alone():
    x = data(30, 9)
    seeds, lrs = [5, 8, 13], [0.01, 0.003, 0.02]
    kw = dict(activation="relu", beta=1.0, dtype=np.float64)
    together = VAE([9, 6, 2, 6, 9], seeds, **kw)
    h = together.fit(x, epochs=8, optimizer=optimizers.Adam(np.array(lrs)), batch_size=7)
    ev = together.evaluate(x)
    for k, seed in enumerate(seeds):
        alone = VAE([9, 6, 2, 6, 9], [seed], **kw)
        hk = alone.fit(x, epochs=8, optimizer=optimizers.Adam(lrs[k]), batch_size=7)
        for name, p in alone.params.items():
            np.testing.assert_allclose(together.params[name][k], p[0], rtol=0, atol=1e-12)
        for key in h:
            np.testing.assert_allclose(h[key][k], hk[key][0], rtol=1e-12)
        evk = alone.evaluate(x)
        for key in ev:
            np.testing.assert_allclose(ev[key][k], evk[key][0], rtol=1e-12)


def test_evaluate_is_deterministic_and_chunked_alike():
    x = data(50)
    model = VAE([7, 5, 2, 5, 7], seeds=[0, 1], dtype=np.float64)
    model.fit(x, epochs=2, optimizer=optimizers.Adam(0.01), batch_size=16)
    a, b, c = model.evaluate(x), model.evaluate(x), model.evaluate(x, rows=7)
    for key in a:
        assert a[key].shape == (2,)
        np.testing.assert_array_equal(a[key], b[key])
        np.testing.assert_allclose(a[key], c[key], rtol=1e-12)
    np.testing.assert_allclose(a["neg_elbo"], a["recon"] + a["kl"], rtol=1e-15)


def test_shapes_float32_and_round_trip():
    x = data(40, 12).astype(np.float32)
    model = VAE([12, 8, 3, 8, 12], seeds=[0, 1, 2])  # float32 by default
    h = model.fit(x, epochs=5, optimizer=optimizers.Adam(0.01), batch_size=16)
    assert np.isfinite(h["loss"]).all()
    assert all(p.dtype == np.float32 for p in model.params.values())
    mu = model.encode(x)
    assert mu.shape == (3, 40, 3) and mu.dtype == np.float32
    out = model.decode(mu)
    assert out.shape == (3, 40, 12) and out.dtype == np.float32
    assert out.min() >= 0 and out.max() <= 1
    np.testing.assert_array_equal(model.reconstruct(x), out)
    one = VAE.from_params(model.member_params(1))
    np.testing.assert_array_equal(one.reconstruct(x)[0], out[1])


def test_diverged_member_is_silent_and_alone():
    x = data(30, 9)
    model = VAE([9, 6, 2, 6, 9], seeds=[0, 1], dtype=np.float64)
    model.params["mu.W"][0] = np.inf  # member 0 is NaN from the first step
    alone = VAE([9, 6, 2, 6, 9], seeds=[1], dtype=np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h = model.fit(x, epochs=3, optimizer=optimizers.Adam(0.01), batch_size=8)
        hk = alone.fit(x, epochs=3, optimizer=optimizers.Adam(0.01), batch_size=8)
        ev = model.evaluate(x)
    assert not np.isfinite(h["loss"][0]).any() and not np.isfinite(ev["neg_elbo"][0])
    np.testing.assert_array_equal(h["loss"][1], hk["loss"][0])
    np.testing.assert_array_equal(ev["neg_elbo"][1], alone.evaluate(x)["neg_elbo"][0])
