"""Build the nets model a run spec describes: the one bridge from specs to nets/.

Training uses it with seeds (fresh weights), the site with stored parameters (to decode latent
points), so both always agree on what a spec means.
"""

from __future__ import annotations

import numpy as np

from nets.autoencoder import Autoencoder
from nets.vae import VAE
from runner.spec import RunSpec

#: Keys of the input standardisation in stored parameters (runs trained with normalize: true).
INPUT_MEAN, INPUT_STD = "input.mean", "input.std"
#: Start of the keys of what a run keeps at a snapshot epoch (see snapshot_key).
SNAPSHOT_PREFIX = "epoch_"


def snapshot_key(epoch: int) -> str:
    """The key of the latent codes kept at a snapshot ``epoch`` ("epoch_<k>", in latent.npz);
    the weights kept then are "<key>.<param>" in model.npz."""
    return f"{SNAPSHOT_PREFIX}{epoch}"


def _options(spec: RunSpec) -> dict:
    """The model's options as the spec gives them (a pack's per-member values: build's)."""
    options = {"activation": spec.activation, "init": spec.init, "dtype": np.dtype(spec.dtype)}
    if spec.kind == "vae":
        return {**options, "beta": spec.beta}
    return {
        **options,
        "latent_activation": spec.latent_activation,
        "output_activation": spec.output_activation,
        "loss": spec.loss,
        "pixels": spec.pixels,
    }


def build(spec: RunSpec, seeds=None, params: dict | None = None, **members) -> Autoencoder | VAE:
    """A model for ``spec``: fresh members for ``seeds``, or one member from stored ``params``.
    ``members``: options given per member (S,) in place of the spec's (a pack's betas).

    Stored parameters may hold snapshot weights (snapshot_key's, ignored here: pass them
    renamed to rebuild a snapshot) and the input standardisation of a normalised run.
    """
    cls = VAE if spec.kind == "vae" else Autoencoder
    if params is None:
        return cls(spec.architecture, seeds, **{**_options(spec), **members})
    weights = {
        k: v[None] for k, v in params.items() if not k.startswith((SNAPSHOT_PREFIX, "input."))
    }
    model = cls.from_params(weights, **_options(spec))
    if INPUT_MEAN in params:
        model.set_input_scaling(params[INPUT_MEAN], params[INPUT_STD])
    return model
