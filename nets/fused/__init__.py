"""Compiled twins of NumPy code (numba, optional: pip install 'tp5[fast]'), each giving its
twin's numbers bit for bit, so whether numba is installed changes speed and never a number.

Today one twin: Adam's update (adam.py, used by nets.optimizers.Adam(..., compiled=True)).
"""

import importlib.util


def available() -> bool:
    """Whether numba is installed, without importing it."""
    return importlib.util.find_spec("numba") is not None
