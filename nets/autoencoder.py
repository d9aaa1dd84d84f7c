"""An ensemble of dense autoencoders; a denoising autoencoder is one fitted with a noise model.

    x (N, D) -> encoder -> code (S, N, Z) -> decoder -> reconstruction (S, N, D)

``layers`` is the full list of widths, input to output, e.g. [35, 20, 10, 2, 10, 20, 35]; the
narrowest entry (the first, if several) is the latent layer Z.

Data come in [0, 1] and outputs go out in [0, 1], whatever range ``pixels`` trains in: a model
trained on {-1, 1} pixels (tanh outputs, as many course implementations do) maps its inputs and
targets there and its outputs back, so thresholds, pictures and errors downstream stay the same.
"""

import numpy as np

from . import activations
from .ensemble import Ensemble
from .layers import apply_stack
from .losses import bce_logits, mse, sse

LOSSES = {"mse": mse, "bce": bce_logits, "sse": sse}


class Autoencoder(Ensemble):
    """S autoencoders of one architecture, one per seed, trained at once.

    Hidden layers use ``activation``, the layer into the latent space ``latent_activation`` (None:
    the same as ``activation``), the last layer ``output_activation``. With loss "mse" (mean over
    pixels and samples) or "sse" (half the sum over a sample's pixels, mean over samples; see
    nets.losses) the loss is taken on the output activation; with "bce" (which needs a sigmoid
    output) it is taken from the logits, so the last Dense layer is linear and the sigmoid is
    applied only to report outputs. ``pixels`` (low, high) is the range the data's 0 and 1 are
    mapped to for training: (0, 1) or (-1, 1). Parameters are "0.W", "0.b", "1.W", ... one pair
    per layer, each (S, ...).
    """

    def __init__(
        self,
        layers,
        seeds,
        *,
        activation="sigmoid",
        latent_activation=None,
        output_activation="sigmoid",
        loss="mse",
        init="xavier",
        dtype=np.float64,
        pixels=(0, 1),
    ):
        layers = [int(n) for n in layers]
        if len(layers) < 3:
            raise ValueError(f"layers {layers}: need at least input, latent and output widths")
        if loss not in LOSSES:
            raise ValueError(f"unknown loss {loss!r} (allowed: {', '.join(LOSSES)})")
        if loss == "bce" and output_activation != "sigmoid":
            raise ValueError("loss 'bce' is computed from logits: it needs a sigmoid output")
        pixels = tuple(float(v) for v in pixels)
        if pixels not in ((0, 1), (-1, 1)):
            raise ValueError(f"pixels {pixels}: (0, 1) or (-1, 1)")
        if pixels[0] < 0 and output_activation == "sigmoid":
            raise ValueError(
                "a sigmoid output cannot reach -1: pixels (-1, 1) need tanh or identity"
            )
        self.pixels = pixels
        self.architecture = layers
        self.latent_index = int(np.argmin(layers))  # position of Z in the list
        if self.latent_index in (0, len(layers) - 1):
            raise ValueError(f"layers {layers}: the narrowest width (the latent) must be inside")
        self.loss = loss
        self.output = activations.get(output_activation)
        kinds = [activation] * (len(layers) - 1)
        kinds[self.latent_index - 1] = latent_activation or activation
        kinds[-1] = "identity" if loss == "bce" else output_activation
        specs = [
            (str(i), n_in, n_out, kind)
            for i, (n_in, n_out, kind) in enumerate(zip(layers[:-1], layers[1:], kinds))
        ]
        self._loss = LOSSES[loss]
        super().__init__(specs, seeds, init, dtype)
        self._outputs, self._outputs_clean = None, False  # see training_outputs

    def _bind_layers(self):
        self.layers = list(self.dense.values())

    @staticmethod
    def _weight_chain(params):
        """ "0.W", "1.W", ...: the layers in order."""
        return [f"{i}.W" for i in range(sum(1 for name in params if name.endswith(".W")))]

    @property
    def latent_size(self):
        return self.architecture[self.latent_index]

    @property
    def encoder(self):
        return self.layers[: self.latent_index]

    @property
    def decoder(self):
        return self.layers[self.latent_index :]

    def fit(
        self,
        x,
        *,
        epochs,
        optimizer,
        batch_size=None,
        shuffle=True,
        noise=None,
        x_target=None,
        callback=None,
        split=None,
    ):
        """Train every member on x (N, D) in [0, 1]; returns {"loss": (S, epochs)}, epoch means.

        noise: a model from nets.noise; each epoch the input is a fresh noisy copy of x (member k
        with its own level and generator) while the target stays clean. x_target: the target if
        not x. batch_size None: full batch. shuffle: minibatches in each member's own random
        order every epoch, else in the data's order (nets.batches). callback(epoch, model) after
        each epoch (epoch counts from 1). split (nets.split.Split): each step cut into fixed
        parts of its batch, on threads that may change from step to step without changing a
        number.
        """
        x = self._cast(x)
        mapped = self._to_pixels(x)
        target = mapped if x_target is None else self._to_pixels(self._cast(x_target))
        inputs = mapped if self.input_scaling is None else self._scaled(x)
        arrays, corrupt = (inputs, target), None
        if noise is not None:
            self._check_members("noise level", noise.level)
            buffer = np.empty((self.n_members,) + x.shape, self.dtype)  # (S, N, D), reused

            def corrupt():
                noisy = noise.apply(x, self._noise_rngs, out=buffer)
                return self._inputs(noisy, out=noisy), target

        full_batch = batch_size is None or batch_size >= x.shape[0]
        self._outputs_clean = noise is None and full_batch
        history = self._train(
            arrays, epochs, optimizer, batch_size, callback, 1, corrupt, shuffle, split
        )
        return {"loss": history[0]}

    def _to_pixels(self, x, out=None):
        """x in [0, 1] mapped to the pixel range training sees (x itself for (0, 1))."""
        low, high = self.pixels
        if low == 0:
            return x
        out = np.multiply(x, high - low, out=out)
        out += low
        return out

    def _from_pixels(self, y, out=None):
        """Outputs in the training range mapped back to [0, 1] (y itself for (0, 1))."""
        low, high = self.pixels
        if low == 0:
            return y
        out = np.subtract(y, low, out=out)
        out *= 1 / (high - low)
        return out

    def _inputs(self, x, out=None):
        """x in [0, 1] as the first layer sees it: standardised, or in the training range.
        Standardising an affine image of x gives what standardising x gives, so scaling, when
        set, replaces the mapping (its mean and std are those of the data in [0, 1])."""
        if self.input_scaling is not None:
            return self._scaled(x, out=out)
        return self._to_pixels(x, out=out)

    def training_outputs(self):
        """reconstruct(x) of the last fit's x, for the parameters before the last training step,
        read from that step's forward pass: (S, N, D), or None when the step saw a minibatch or
        noisy inputs. So an epoch callback learns the outputs after the previous epoch without a
        forward pass of its own. The array is a buffer that the next step overwrites."""
        out = self._outputs
        if out is None or not self._outputs_clean:
            return None
        return self._from_pixels(self.output.fn(out) if self.loss == "bce" else out)

    def _forward_backward(self, x, target, batch=None):
        a = x
        for layer in self.layers:
            a = layer.forward(a)  # (S, B, n_out)
        self._outputs = a  # logits for "bce"
        value, grad = self._loss(a, target, batch=batch)  # (S,), dL/da (S, B, D)
        for i in range(len(self.layers) - 1, -1, -1):
            grad = self.layers[i].backward(grad, need_grad_in=i > 0)
        return (value,)

    def loss_on(self, x):
        """Each member's training loss on clean x (N, D) in [0, 1], without training: (S,) (the
        validation loss of early stopping)."""
        x = self._cast(x)
        a = apply_stack(self.decoder, apply_stack(self.encoder, self._inputs(x)))
        return self._loss(a, self._to_pixels(x))[0]

    def encode(self, x):
        """Codes (S, N, Z) of x (N, D) or (S, N, D), in [0, 1]."""
        return apply_stack(self.encoder, self._inputs(self._cast(x)))

    def decode(self, z):
        """Outputs (S, N, D) in [0, 1], after the output activation, of codes z (N, Z) or
        (S, N, Z)."""
        out = apply_stack(self.decoder, self._cast(z))
        if self.loss == "bce":
            out = self.output.fn(out, out=out)
        return self._from_pixels(out, out=out)

    def reconstruct(self, x):
        """decode(encode(x)): (S, N, D)."""
        return self.decode(self.encode(x))
