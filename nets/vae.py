"""An ensemble of variational autoencoders with a Bernoulli decoder (Kingma & Welling 2014)."""

import numpy as np

from .ensemble import Ensemble
from .layers import apply_stack
from .losses import bce_logits, kl_diag


def kl_scale(epoch, warmup):
    """The share of beta that weighs the KL term during ``epoch`` (1, 2, ...): 0 in epoch 1,
    rising by 1 / warmup each epoch, beta from epoch warmup + 1 on. warmup 0: always beta.

    With warmup 4: epochs 1, 2, 3, 4, 5, ... train with 0, 1/4, 1/2, 3/4, 1, 1, ... of beta; the
    first epoch fits the reconstruction alone (the KL term would otherwise pull every code to
    the prior before the decoder has learnt to use it). warmup may be one per member (S,).
    """
    warmup = np.asarray(warmup)
    return np.where(warmup > 0, np.minimum(1.0, (epoch - 1) / np.maximum(warmup, 1)), 1.0)


class VAE(Ensemble):
    """S variational autoencoders of one architecture, one per seed, trained at once::

        x (B, D)
          |  encoder: Dense + activation, one per hidden width      "encoder.0", ...
        h (S, B, H)
          |----------------.
          mu (S, B, Z)     logvar (S, B, Z)     two linear heads     "mu", "logvar"
          |                |
        z = mu + exp(logvar / 2) * eps,  eps ~ N(0, I)  (the member's noise stream)
          |  decoder: Dense + activation, ..., last Dense linear      "decoder.0", ...
        logits (S, B, D)  -> sigmoid -> p(x | z)

        loss = BCE(logits, x) summed over D + w * KL(N(mu, exp(logvar)) || N(0, I)),
               mean over the batch (nats per image); w = beta * kl_scale(epoch, warm-up)

    ``beta`` is one number or one per member (S,), like a learning rate, so a sweep of betas
    trains as one ensemble.

    ``layers`` is the full list of widths, e.g. [784, 512, 256, 2, 256, 512, 784]; its narrowest
    entry is Z. The backward pass is written out below, each gradient named for where it flows.
    """

    def __init__(self, layers, seeds, *, activation="relu", beta=1.0, init="he", dtype=np.float32):
        layers = [int(n) for n in layers]
        zi = int(np.argmin(layers))  # position of Z in the list
        if zi in (0, len(layers) - 1):
            raise ValueError(f"layers {layers}: the narrowest width (the latent) must be inside")
        self.architecture = layers
        self.beta = np.asarray(beta, dtype=float)
        encoder = [(f"encoder.{i}", layers[i], layers[i + 1], activation) for i in range(zi - 1)]
        heads = [(name, layers[zi - 1], layers[zi], "identity") for name in ("mu", "logvar")]
        widths = layers[zi:]
        decoder = [
            (f"decoder.{j}", n_in, n_out, activation if j < len(widths) - 2 else "identity")
            for j, (n_in, n_out) in enumerate(zip(widths[:-1], widths[1:]))
        ]
        self._eps = {}  # batch shape -> (S, B, Z) buffer of the reparameterisation noise
        super().__init__(encoder + heads + decoder, seeds, init, dtype)
        self._check_members("beta", self.beta)
        # the KL term's weight in the current epoch, (S,), filled in place so that the twins of
        # a split step (nets.split: shallow copies) read the same array
        self._kl_weight = np.empty(self.n_members, self.dtype)
        self._kl_weight[...] = self.beta

    def _bind_layers(self):
        def named(prefix):
            return [layer for name, layer in self.dense.items() if name.startswith(prefix)]

        self.encoder, self.decoder = named("encoder."), named("decoder.")
        self.mu_head, self.logvar_head = self.dense["mu"], self.dense["logvar"]

    @staticmethod
    def _weight_chain(params):
        """The encoder's layers, the mean head (its width is Z), then the decoder's layers."""

        def count(prefix):
            return sum(1 for name in params if name.startswith(prefix) and name.endswith(".W"))

        return (
            [f"encoder.{i}.W" for i in range(count("encoder."))]
            + ["mu.W"]
            + [f"decoder.{j}.W" for j in range(count("decoder."))]
        )

    @property
    def latent_size(self):
        return self.mu_head.n_out

    def fit(
        self,
        x,
        *,
        epochs,
        optimizer,
        batch_size=128,
        shuffle=True,
        callback=None,
        split=None,
        kl_warmup=0,
    ):
        """Train every member on x (N, D) in [0, 1]; returns {"loss", "recon", "kl"}, each
        (S, epochs), epoch means over the training samples ("loss" with the KL weight of its
        epoch). batch_size None: full batch. shuffle: minibatches in each member's own random
        order every epoch, else in the data's. split (nets.split.Split): each step cut into
        fixed parts of its batch, on threads that may change from step to step without changing
        a number. kl_warmup: epochs over which the KL weight rises from 0 to beta (kl_scale),
        one number or one per member (S,); a resumed fit goes on with the weight of the epoch
        it resumes at."""
        x = self._cast(x)
        self._check_members("kl_warmup", kl_warmup)

        def weigh(epoch):
            self._kl_weight[...] = self.beta * kl_scale(epoch, kl_warmup)

        def after(epoch, model):
            weigh(epoch + 1)
            if callback is not None:
                callback(epoch, model)

        weigh(1 if self._resumed is None else self._resumed[0] + 1)
        history = self._train(
            (self._scaled(x), x),
            epochs,
            optimizer,
            batch_size,
            after,
            3,
            shuffle=shuffle,
            split=split,
        )
        return dict(zip(("loss", "recon", "kl"), history))

    def _step_noise(self, batch):
        return (self._draw_eps((self.n_members, batch, self.latent_size)),)

    def _forward_backward(self, x, target, eps, batch=None):
        """Input x and target (the same array unless inputs are scaled), the reparameterisation
        noise eps (S, B, Z)."""
        h = x
        for layer in self.encoder:
            h = layer.forward(h)  # (S, B, H)
        mu = self.mu_head.forward(h)  # (S, B, Z)
        logvar = self.logvar_head.forward(h)  # (S, B, Z)
        std = np.exp(0.5 * logvar)
        z = mu + std * eps  # the reparameterisation: z is a differentiable function of mu, logvar
        logits = z
        for layer in self.decoder:
            logits = layer.forward(logits)  # (S, B, D) at the end
        recon, d_logits = bce_logits(logits, target, batch=batch)
        kl, d_mu_kl, d_logvar_kl = kl_diag(mu, logvar, batch=batch)

        d_decoder_out = d_logits
        for layer in reversed(self.decoder):
            d_decoder_out = layer.backward(d_decoder_out)
        d_z = d_decoder_out  # (S, B, Z), the gradient at the decoder's input
        w = self._kl_weight[:, None, None]  # (S, 1, 1)
        d_mu = d_z + w * d_mu_kl  # dz/dmu = 1
        d_logvar = d_z * eps * std * 0.5 + w * d_logvar_kl  # dz/dlogvar = eps*std/2
        has_encoder = bool(self.encoder)
        d_encoder_out = self.mu_head.backward(d_mu, need_grad_in=has_encoder)  # (S, B, H)
        d_from_logvar = self.logvar_head.backward(d_logvar, need_grad_in=has_encoder)
        if has_encoder:
            d_encoder_out += d_from_logvar
            for i in range(len(self.encoder) - 1, -1, -1):
                d_encoder_out = self.encoder[i].backward(d_encoder_out, need_grad_in=i > 0)
        return recon + self._kl_weight * kl, recon, kl

    def _draw_eps(self, shape):
        """eps (S, B, Z) ~ N(0, I), member k's rows from its own noise generator."""
        eps = self._eps.get(shape)
        if eps is None:
            eps = self._eps[shape] = np.empty(shape, self.dtype)
        for rng, e in zip(self._noise_rngs, eps):
            rng.standard_normal(out=e, dtype=e.dtype)
        return eps

    def encode(self, x):
        """The means mu (S, N, Z) of the codes of x (N, D)."""
        return apply_stack(self.encoder + [self.mu_head], self._scaled(self._cast(x)))

    def decode(self, z):
        """Probabilities (S, N, D) of the pixels given codes z (N, Z) or (S, N, Z)."""
        logits = apply_stack(self.decoder, self._cast(z))
        with np.errstate(over="ignore"):
            return 1.0 / (1.0 + np.exp(-logits))

    def reconstruct(self, x):
        """decode(encode(x)): (S, N, D), the decoding of the mean code."""
        return self.decode(self.encode(x))

    def evaluate(self, x, rows=4096):
        """Reconstruction term, KL and their sum (the negative ELBO; beta plays no part), each
        (S,) in nats per image, with one z sample per image from each member's evaluation stream
        (re-created on every call, so a call is deterministic)."""
        x = self._cast(x)
        N, Z = len(x), self.latent_size
        eps = np.stack(
            [rng.standard_normal((N, Z), dtype=self.dtype) for rng in self.eval_rngs()]
        )  # (S, N, Z)
        recon, kl = np.zeros(self.n_members), np.zeros(self.n_members)
        with np.errstate(all="ignore"):
            for start in range(0, N, rows):
                xs = x[start : start + rows]
                h = self._scaled(xs)
                h = apply_stack(self.encoder, h) if self.encoder else h
                mu, logvar = self.mu_head.apply(h), self.logvar_head.apply(h)  # (S, b, Z)
                z = mu + np.exp(0.5 * logvar) * eps[:, start : start + rows]
                r, _ = bce_logits(apply_stack(self.decoder, z), xs)
                k, _, _ = kl_diag(mu, logvar)
                recon += r * (len(xs) / N)
                kl += k * (len(xs) / N)
        return {"recon": recon, "kl": kl, "neg_elbo": recon + kl}
