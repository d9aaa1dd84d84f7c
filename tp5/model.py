"""A stored run's trained network, with pictures in and out: what a notebook decodes with.

    model = exp.model("7e5327cc49e8")          # or exp.model(architecture=..., seed=0)
    codes = model.encode(pictures)             # (n, h, w) or (n, h, w, 3) -> (n, Z)
    pictures = model.decode([[0.5, -1.0]])     # (n, Z) -> (n, h, w) or (n, h, w, 3), in [0, 1]
    pictures = model.sample(16, seed=1)        # a VAE's: codes drawn from its prior N(0, I)

The network is rebuilt from the run's model.npz by runner.models, as the site's latent explorer
rebuilds it, so both decode a point to the same picture.
"""

from __future__ import annotations

import numpy as np

from runner import datasets, models
from runner.store import StoredRun


def picture_shape(spec) -> tuple[int, ...]:
    """(h, w) for grey or binary pictures, (h, w, c) for colour ones (the run's dataset's)."""
    h, w, c = datasets.info(spec.source).shape
    return (h, w) if c == 1 else (h, w, c)


class Model:
    """The final weights of one stored run (``id``, ``spec``), pixels in [0, 1] both ways."""

    def __init__(self, run: StoredRun):
        self.id, self.spec = run.id, run.spec
        self.shape = picture_shape(run.spec)  # one picture's
        self._net = models.build(run.spec, params=run.params)
        self.latent_size = self._net.latent_size

    def __repr__(self) -> str:
        return (
            f"Model({self.id}: {self.spec.kind} "
            f"{'-'.join(map(str, self.spec.architecture))}, seed {self.spec.seed})"
        )

    def encode(self, pictures) -> np.ndarray:
        """The codes (n, Z) of pictures (n, *shape), or of rows (n, h*w*c); a VAE's are the
        means of its posterior."""
        x = np.asarray(pictures, dtype=float)
        width = self.spec.architecture[0]
        if x.ndim < 2 or x.shape[1:] not in (self.shape, (width,)):
            raise ValueError(
                f"expected pictures of shape (n, {', '.join(map(str, self.shape))}) "
                f"or rows (n, {width}); got {x.shape}"
            )
        return self._net.encode(x.reshape(len(x), width))[0]

    def decode(self, codes) -> np.ndarray:
        """The pictures (n, *shape) of codes (n, Z): an autoencoder's outputs, a VAE's pixel
        probabilities."""
        z = np.asarray(codes, dtype=float)
        if z.ndim != 2 or z.shape[1] != self.latent_size:
            raise ValueError(f"expected codes of shape (n, {self.latent_size}); got {z.shape}")
        return self._net.decode(z)[0].reshape(len(z), *self.shape)

    def sample(self, n: int, seed: int = 0) -> np.ndarray:
        """n pictures (n, *shape) decoded from codes drawn from the prior N(0, I), the same for
        the same seed. Only a VAE has a prior to draw from."""
        if self.spec.kind != "vae":
            raise ValueError(
                f"run {self.id} is an autoencoder, which has no prior to sample "
                "from; decode codes of your choosing instead"
            )
        return self.decode(np.random.default_rng(seed).standard_normal((n, self.latent_size)))
