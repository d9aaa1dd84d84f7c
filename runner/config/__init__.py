"""The experiment YAML: its schema, and loading it with errors a student can act on.

    exp = load_experiment("experiments/denoising.yaml", ["training.epochs=5", "seeds=2"])
    exp.model.architectures, exp.training.optimizers[0].learning_rates, exp.seed_list

schema.py holds the Pydantic models (the contract for what a file may say), yamlfile.py reads
YAML remembering where each value was written, errors.py words pydantic's errors as
"file:line:col: path: message" lines, and load.py ties them together.
"""

from runner.config.load import ConfigError, load_experiment
from runner.config.schema import (SLIDES, Adam, AutoencoderModel, Dataset, Experiment, Noise,
                                  SGD, Training, VAEModel, schema)

__all__ = ["SLIDES", "Adam", "AutoencoderModel", "ConfigError", "Dataset", "Experiment", "Noise",
           "SGD", "Training", "VAEModel", "load_experiment", "schema"]
