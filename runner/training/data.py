"""A run's training data: its dataset in its dtype, cut to its limit."""

from __future__ import annotations

import dataclasses

import numpy as np

from runner import datasets
from runner.spec import RunSpec


def load_data(spec: RunSpec) -> datasets.Data:
    """The run's dataset in its dtype, cut to ``dataset_limit`` training samples if set.

    The samples kept are evenly spaced through the set, so a limit keeps every class even where
    the data is sorted by label (mnist-5k is).
    """
    data = datasets.load(spec.dataset, spec.dataset_path, dtype=np.dtype(spec.dtype))
    limit = spec.dataset_limit
    if limit is None or limit >= len(data.x_train):
        return data
    keep = np.linspace(0, len(data.x_train) - 1, limit).round().astype(int)
    return dataclasses.replace(data, x_train=data.x_train[keep], y_train=data.y_train[keep])
