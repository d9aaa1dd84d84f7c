"""Build the nets model a run spec describes: the one bridge from specs to nets/.

Training uses it with seeds (fresh weights), the site with stored parameters (to decode latent
points), so both always agree on what a spec means.
"""

from __future__ import annotations

import numpy as np

from nets.autoencoder import Autoencoder
from nets.vae import VAE


def _options(spec: dict) -> dict:
    options = {"activation": spec["activation"], "init": spec["init"],
               "dtype": np.dtype(spec["dtype"])}
    if spec["kind"] == "vae":
        return {**options, "beta": spec["beta"]}
    return {**options, "latent_activation": spec["latent_activation"],
            "output_activation": spec["output_activation"], "loss": spec["loss"]}


def build(spec: dict, seeds=None, params: dict | None = None) -> Autoencoder | VAE:
    """A model for ``spec``: fresh members for ``seeds``, or one member from stored ``params``."""
    cls = VAE if spec["kind"] == "vae" else Autoencoder
    if params is not None:
        return cls.from_params({k: v[None] for k, v in params.items()}, **_options(spec))
    return cls(spec["architecture"], seeds, **_options(spec))
