"""Run specs as run.json holds them, for tests that need a run without planning one."""

from runner import spec

_RUN = {
    "tp5_version": "0.1.0", "experiment": "demo", "id": "abc123def456", "dataset": "font",
    "dataset_path": None, "dataset_limit": None, "epochs": 2, "batch_size": "full",
    "dtype": "float64", "snapshots": [], "architecture": [35, 2, 35], "normalize": False,
    "noise": None, "seed": 0,
    "optimizer": {"name": "adam", "learning_rate": 0.01, "beta1": 0.9, "beta2": 0.999,
                  "eps": 1e-8}}
VAE = spec.parse({**_RUN, "kind": "vae", "activation": "relu", "init": "he", "beta": 1.0})
AUTOENCODER = spec.parse({**_RUN, "kind": "autoencoder", "activation": "sigmoid",
                          "init": "xavier", "latent_activation": "sigmoid",
                          "output_activation": "sigmoid", "loss": "mse"})


def _changed(base: spec.RunSpec, fields: dict) -> spec.RunSpec:
    return spec.parse({**base.model_dump(mode="json"), **fields})


def vae(**fields) -> spec.RunSpec:
    """The VAE spec with ``fields`` changed (validated, so plain lists and dicts do)."""
    return _changed(VAE, fields)


def autoencoder(**fields) -> spec.RunSpec:
    """The autoencoder spec with ``fields`` changed (validated, so plain lists and dicts do)."""
    return _changed(AUTOENCODER, fields)
