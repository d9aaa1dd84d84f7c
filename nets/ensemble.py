"""What the autoencoder and the VAE share: parameters in one flat buffer, per-member random
streams, and the epoch loop.

Every parameter is a view (S, ...) into one buffer (S, P), and every gradient a view into a twin
buffer, so an optimiser updates the whole model in one pass per operation instead of one per
array (on the font the arrays are tiny and per-call overhead dominates). A layer's W and b lie
side by side, the block [W; b] its products use (see layers.py). Member k's generators
come from its seed (see seeds.py), so it trains as it would alone.

A fit can stop after any epoch and go on later to the same numbers: ``training_state()`` is what
it has changed (parameters, the training streams' positions, the epochs done and their history)
and ``resume(state)`` puts it back, so that the next fit starts at the next epoch.
"""

import contextlib
import copy
import json

import numpy as np

from . import init as initializers
from . import seeds as streams
from .batches import Batches
from .layers import Dense


def _columns(specs):
    """Where each dense layer's block [W; b] starts in a member's row of the flat buffers (W row
    by row, then b), and the row's length."""
    starts, start = {}, 0
    for name, n_in, n_out, _ in specs:
        starts[name] = start
        start += (n_in + 1) * n_out
    return starts, start


class Ensemble:
    """Base of the models: S members of one architecture, trained together.

    ``specs`` lists the dense layers as (name, n_in, n_out, activation); their parameters are
    called "<name>.W" (S, n_in, n_out) and "<name>.b" (S, 1, n_out). ``params`` and ``grads``
    are dicts of those views (``grads``: the gradients of the last training step, except that a
    batch-1 step whose update forms them itself never writes them: see _factored_step).
    """

    def __init__(self, specs, seeds, init, dtype):
        self.seeds = [int(s) for s in seeds]
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise ValueError(f"dtype must be float32 or float64, not {self.dtype}")
        starts, size = _columns(specs)
        self._flat = np.zeros((len(self.seeds), size), self.dtype)  # (S, P)
        self._flat_grads = np.zeros_like(self._flat)
        init_rngs = streams.generators(self.seeds, "init")
        self.dense = {}
        for name, n_in, n_out, activation in specs:
            layer = Dense.over(self._flat, self._flat_grads, starts[name], n_in, n_out, activation)
            layer.params["W"][...] = initializers.weights(init, init_rngs, n_in, n_out, self.dtype)
            self.dense[name] = layer
        self._index_layers()
        # training streams persist across fit calls, as a model's training state
        self._shuffle_rngs = streams.generators(self.seeds, "shuffle")
        self._noise_rngs = streams.generators(self.seeds, "noise")
        self.input_scaling = None  # (mean, std), each (D,), or None
        self._history, self._epoch = None, 0  # the fit's (n_series, S, epochs), epochs done
        self._resumed = None  # (epochs done, their history) for the next fit to start from

    def _index_layers(self):
        """Name the arrays of ``self.dense`` in ``params`` and ``grads``, then let the model
        name its layers (``_bind_layers``)."""
        self.params, self.grads = {}, {}
        for name, layer in self.dense.items():
            for key in ("W", "b"):
                self.params[f"{name}.{key}"] = layer.params[key]
                self.grads[f"{name}.{key}"] = layer.grads[key]
        self._bind_layers()

    def _bind_layers(self):
        """Set the model's own handles on the layers of ``self.dense`` (its encoder, ...)."""
        raise NotImplementedError

    def _replica(self):
        """A twin sharing this model's parameters, with gradients and layer buffers of its own:
        one part of a split step trains on it (nets.split)."""
        twin = copy.copy(self)
        twin._flat_grads = np.zeros_like(self._flat_grads)
        twin.dense = {name: layer.twin(twin._flat_grads) for name, layer in self.dense.items()}
        twin._index_layers()
        return twin

    def set_input_scaling(self, mean, std):
        """Standardise inputs, (x - mean) / std with mean and std (D,), before the first layer,
        in fit and in encode. Targets and outputs keep the data's scale. Not part of params."""
        self.input_scaling = (np.asarray(mean, self.dtype), np.asarray(std, self.dtype))

    def _scaled(self, x, out=None):
        """Inputs as the first layer sees them (x itself when there is no scaling)."""
        if self.input_scaling is None:
            return x
        mean, std = self.input_scaling
        out = np.subtract(x, mean, out=out)
        return np.divide(out, std, out=out)

    @property
    def n_members(self):
        return len(self.seeds)

    def eval_rngs(self):
        """Fresh generators of the members' evaluation streams (the same draws on every call)."""
        return streams.generators(self.seeds, "eval")

    def member_params(self, k):
        """Member k's parameters, copies without the ensemble axis."""
        return {name: p[k].copy() for name, p in self.params.items()}

    def training_state(self):
        """What training has changed, as plain arrays: "params" (S, P), "streams" (the shuffle
        and noise generators' positions, JSON text), "epoch" and "history" (n_series, S, epoch),
        the epochs the current fit has done. The init stream is spent when the model is built,
        and the evaluation streams start afresh on every use: neither has a position to keep."""
        done = self._history[..., : self._epoch] if self._history is not None else np.empty(0)
        positions = [
            [g.bit_generator.state for g in rngs] for rngs in (self._shuffle_rngs, self._noise_rngs)
        ]
        return {
            "params": self._flat.copy(),
            "streams": np.array(json.dumps(positions)),
            "epoch": np.array(self._epoch),
            "history": done.copy(),
        }

    def resume(self, state):
        """Put back a ``training_state()``: the next fit (with the same arguments as the one it
        came from) starts after its epochs and ends with the numbers of an unbroken fit."""
        self._flat[...] = state["params"]
        shuffle, noise = json.loads(str(state["streams"]))
        for rngs, positions in ((self._shuffle_rngs, shuffle), (self._noise_rngs, noise)):
            for g, position in zip(rngs, positions, strict=True):
                g.bit_generator.state = position
        self._resumed = int(state["epoch"]), np.asarray(state["history"])

    def _load(self, params):
        """Copy in parameters given with the ensemble axis, or without it for S = 1."""
        for name, p in self.params.items():
            p[...] = np.asarray(params[name]).reshape(p.shape)

    @classmethod
    def from_params(cls, params, seeds=None, **kwargs):
        """A model holding ``params`` (as from member_params or .params: arrays with the ensemble
        axis, or without it for one member). The widths are read off the weights; kwargs as for
        the constructor; seeds default to 0, 1, ..."""
        Ws = [np.asarray(params[name]) for name in cls._weight_chain(params)]
        layers = [Ws[0].shape[-2]] + [W.shape[-1] for W in Ws]
        S = Ws[0].shape[0] if Ws[0].ndim == 3 else 1
        model = cls(layers, range(S) if seeds is None else seeds, **kwargs)
        model._load(params)
        return model

    @staticmethod
    def _weight_chain(params):
        """Names of the weights from input to output, one per width after the first."""
        raise NotImplementedError

    def _cast(self, x):
        return np.ascontiguousarray(x, dtype=self.dtype)

    def _check_members(self, what, value):
        """A value given per member must have one per member (the optimiser checks its rate)."""
        if np.ndim(value) and np.shape(value) != (self.n_members,):
            raise ValueError(
                f"{what} has shape {np.shape(value)}; expected a scalar or "
                f"({self.n_members},), one per member"
            )

    def _step(self, x, target):
        """Forward, loss and backward for one batch: input x and target, (B, D) or (S, B, D);
        leaves the gradients in the flat buffer and returns the batch's values, each (S,)."""
        return self._forward_backward(x, target, *self._step_noise(x.shape[-2]))

    def _step_noise(self, batch):
        """The random draws of a step beyond the data's, each (S, batch, ...). Drawn for the
        whole batch before the forward pass, so that a split step's parts take their slices of
        the very draws an unsplit step makes."""
        return ()

    def _forward_backward(self, x, target, *noise, batch=None):
        """The step's arithmetic on x, target and the step's noise; ``batch``: the batch size
        that means are taken over, if x is only a part of it (nets.split)."""
        raise NotImplementedError

    def _train(
        self,
        arrays,
        epochs,
        optimizer,
        batch_size,
        callback,
        n_series,
        corrupt=None,
        shuffle=True,
        split=None,
    ):
        """The epoch loop shared by the models.

        arrays: the training arrays (input, target), each (N, D) or (S, N, D); corrupt(), if
        given, returns the arrays of each epoch instead (fresh noise). shuffle: minibatches in
        each member's own random order every epoch, else in the data's (see Batches). Each step
        gives n_series values (S,) of the batch. Returns (n_series, S, epochs) of epoch means over
        the samples (each batch weighted by its size). split (a nets.split.Split): each step is
        cut into its fixed parts, trained on its threads.
        """
        context, step = self._step_for(optimizer, batch_size, split)
        with context:
            return self._epochs(
                arrays, epochs, batch_size, callback, n_series, corrupt, shuffle, optimizer, step
            )

    def _step_for(self, optimizer, batch_size, split):
        """The training step of _train and the context it runs in: the split step on one BLAS
        thread per part; at batch 1, the step whose update forms the gradient itself, when the
        optimiser can; else NumPy's step. All three give the same numbers."""
        if split is not None:
            return split.one_blas_thread(), split.step(self, optimizer)
        if batch_size == 1 and optimizer.takes_outer:
            return self._factored(), self._factored_step(optimizer)
        return contextlib.nullcontext(), self._numpy_step(optimizer)

    def _epochs(
        self, arrays, epochs, batch_size, callback, n_series, corrupt, shuffle, optimizer, step
    ):
        """The loop of _train, each batch trained by step(*batch) -> its n_series values (S,);
        the optimizer is told each epoch's number (its rate's schedule)."""
        n = arrays[0].shape[-2]
        batches = Batches(n, batch_size, self._shuffle_rngs, shuffle)
        history = self._history = np.empty((n_series, self.n_members, epochs))
        self._epoch = 0
        if self._resumed is not None:  # a resumed fit: its first epochs are done
            self._epoch, done = self._resumed
            self._resumed = None
            history[..., : self._epoch] = done
        for epoch in range(self._epoch, epochs):
            optimizer.begin_epoch(epoch, epochs)
            # a member whose numbers overflow diverges alone and silently
            with np.errstate(all="ignore"):
                epoch_arrays = arrays if corrupt is None else corrupt()
                if batches.size is None:  # one batch: its values are the epoch's
                    history[:, :, epoch] = step(*epoch_arrays)
                else:
                    totals = history[:, :, epoch]
                    totals[...] = 0
                    for batch in batches(*epoch_arrays):
                        values = step(*batch)
                        for total, value in zip(totals, values):
                            total += value * (batch[0].shape[-2] / n)
            self._epoch = epoch + 1
            if callback is not None:
                callback(epoch + 1, self)
        return history

    @contextlib.contextmanager
    def _factored(self):
        """Layers that leave a batch of one's [dW; db] as its factors (nets.layers.Dense)."""
        for layer in self.dense.values():
            layer.factored = True
        try:
            yield
        finally:
            for layer in self.dense.values():
                layer.factored, layer.factors = False, None

    def _factored_step(self, optimizer):
        """step(*batch) at batch 1: self._step, its layers leaving [dW; db] as the factors of
        an outer product, then the optimiser's update from those factors, layer by layer
        (Optimizer.update_outer). The gradient is never written nor read back: at batch 1 that
        traffic was a large part of a step (nets.fused.sgd). The gradient buffers keep what
        they held."""
        state = optimizer.state_of("params", self._flat)
        layers = list(self.dense.values())

        def step(*batch):
            values = self._step(*batch)
            optimizer.advance()
            optimizer.update_outer(self._flat, map(self._take_factors, layers), state)
            return values

        return step

    @staticmethod
    def _take_factors(layer):
        """(start, x1, dz) of a layer's last backward at batch 1, taken: a layer whose backward
        did not run in the step fails loudly instead of repeating an old gradient."""
        (x1, dz), layer.factors = layer.factors, None
        return layer.start, x1, dz

    def _numpy_step(self, optimizer):
        """step(*batch): self._step, then the optimiser's update of the flat buffers."""
        flat, flat_grads = {"params": self._flat}, {"params": self._flat_grads}

        def step(*batch):
            values = self._step(*batch)
            optimizer.step(flat, flat_grads)
            return values

        return step
