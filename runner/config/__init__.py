"""The experiment YAML: its schema, and loading it with errors a student can act on.

    exp = load_experiment("experiments/denoising.yaml", ["training.epochs=5", "seeds=2"])
    exp.model.architectures, exp.training.optimizers[0].learning_rates, exp.seed_list

schema.py holds the Pydantic models (the contract for what a file may say), yamlfile.py reads
YAML remembering where each value was written, errors.py words pydantic's errors as
"file:line:col: path: message" lines, load.py ties them together, catalogue.py says what
validation may ask of the report's slides, and fields.py words the schema as a reference.
"""

from runner.config.catalogue import SlideCatalogue
from runner.config.fields import fields
from runner.config.load import ConfigError, ConfigNote, load_experiment
from runner.config.schema import Experiment, schema

__all__ = [
    "ConfigError",
    "ConfigNote",
    "Experiment",
    "SlideCatalogue",
    "fields",
    "load_experiment",
    "schema",
]
