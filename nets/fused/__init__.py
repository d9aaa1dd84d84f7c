"""Compiled twins of NumPy code (numba, optional: pip install 'tp5[fast]'), each giving its
twin's numbers bit for bit, so whether numba is installed changes speed and never a number.

Adam's update (adam.py, nets.optimizers.Adam(..., compiled=True)), SGD's (sgd.py,
nets.optimizers.SGD(..., compiled=True), with the update of a batch of one from its gradient's
factors), and a batch of one's outer product [dW; db] (outer.py, nets.layers.Dense at batch 1).
"""

import importlib.util


def available() -> bool:
    """Whether numba is installed, without importing it."""
    return importlib.util.find_spec("numba") is not None
