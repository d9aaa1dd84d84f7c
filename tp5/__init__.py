"""tp5 from Python, for notebooks: an experiment's runs as pandas DataFrames, its stored models
to encode, decode and sample, and training from a YAML.

    import tp5
    exp = tp5.load("results/denoising")    # exp.runs: a row per run, every axis and metric
    exp.model(architecture="35-20-2-20-35", noise_level=0.2, seed=0).decode([[0.5, -1.0]])

README.md, "Results in Python", lists the rest.
"""

from tp5.experiment import Experiment, load
from tp5.model import Model
from tp5.training import run

__all__ = ["Experiment", "Model", "load", "run"]
