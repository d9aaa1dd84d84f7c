"""NumPy networks with a leading ensemble axis: many independent models trained as one.

Every array carries the ensemble axis S first (weights ``(S, n_in, n_out)``, batches
``(S, B, n)``), so a sweep of seeds and learning rates is one set of batched matmuls.
This package knows nothing of YAML, files or the runner.
"""

from .autoencoder import Autoencoder
from .layers import Dense
from .noise import BitFlip, Gaussian
from .optimizers import SGD, Adam
from .vae import VAE

__all__ = ["Autoencoder", "VAE", "Dense", "SGD", "Adam", "BitFlip", "Gaussian"]
