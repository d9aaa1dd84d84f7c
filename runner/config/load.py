"""Loading an experiment file: read the YAML, apply overrides, validate, word every problem.

`load_experiment` never lets a traceback or pydantic's wording reach the user: it raises
`ConfigError`, whose `problems` are lines like

    experiments/x.yaml:12:7: model.architectures[1][0]: the font is 7x5 binary: 35 inputs, got 36

one per problem, sorted by line, each pointing at the value to fix (or, for a missing key, at the
mapping that lacks it). Every problem of a file that parses is found in one run: each value on
its own, and how the values fit together, even where an unrelated value is wrong.
"""

from __future__ import annotations

import os
import typing
from pathlib import Path

from pydantic import ValidationError

from runner.config import errors, yamlfile
from runner.config.schema import Experiment


class ConfigError(Exception):
    """An experiment file that cannot be used; `problems` holds one printable line each."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def load_experiment(path: str | os.PathLike, overrides: typing.Sequence[str] = ()) -> Experiment:
    """Read, override and validate one experiment file; raises ConfigError with every problem.

    overrides are "key.path=value" strings (e.g. "training.epochs=5"), applied in order before
    validation; a relative dataset.path is relative to the YAML file's folder.
    """
    source = str(path)
    try:
        doc = yamlfile.load(path)
    except yamlfile.YamlError as exc:
        lines = [errors.file_line(source, mark, message) for mark, message in exc.problems]
        raise ConfigError(lines) from None
    if doc.data is None:
        needed = errors.key_list(Experiment, required=True)
        raise ConfigError([errors.file_line(source, yamlfile.Mark(1, 1), "the file is empty; "
                                            f"an experiment needs at least {needed}")])
    origins, problems = _apply_overrides(doc, overrides, source)
    try:
        experiment = Experiment.model_validate(doc.data, context={"folder": Path(path).parent})
    except ValidationError as exc:
        problems += errors.render(exc, doc, origins, source)
    if problems:
        raise ConfigError(problems)
    return experiment


def _apply_overrides(doc: yamlfile.Document, overrides: typing.Sequence[str],
                     source: str) -> tuple[dict, list[str]]:
    """Apply overrides onto doc.data; returns {path set: override text} and the bad ones' lines."""
    origins, problems = {}, []
    for text in overrides:
        try:
            if not isinstance(doc.data, dict):
                raise yamlfile.OverrideError("the file's top level is not a mapping")
            parts, value = yamlfile.split_override(text)
            origins[yamlfile.apply_override(doc.data, parts, value)] = text
        except yamlfile.OverrideError as exc:
            problems.append(f"{source}: override '{text}': {exc}")
    return origins, problems
