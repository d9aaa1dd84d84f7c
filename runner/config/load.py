"""Loading an experiment file: read the YAML, apply overrides, validate, word every problem.

`load_experiment` never lets a traceback or pydantic's wording reach the user: it raises
`ConfigError`, whose `problems` are lines like

    experiments/x.yaml:12:7: model.architectures[1][0]: the font is 7x5 binary: 35 inputs, got 36

one per problem, sorted by line, each pointing at the value to fix (or, for a missing key, at the
mapping that lacks it). Every problem of a file that parses is found in one run: each value on
its own, and how the values fit together, even where an unrelated value is wrong. What a file
may say but cannot mean as written (snapshots past the last epoch of a shortened run) is left out
with a `ConfigNote` warning, also "file: message".
"""

from __future__ import annotations

import os
import typing
import warnings
from pathlib import Path

from pydantic import ValidationError

from runner.config import errors, yamlfile
from runner.config.catalogue import SlideCatalogue
from runner.config.schema import Experiment


class ConfigError(Exception):
    """An experiment file that cannot be used; `problems` holds one printable line each."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class ConfigNote(UserWarning):
    """A value the file gives that validation left out, and why (tp5-run prints the message)."""


def load_experiment(
    path: str | os.PathLike,
    overrides: typing.Sequence[str] = (),
    slides: SlideCatalogue | None = None,
) -> Experiment:
    """Read, override and validate one experiment file; raises ConfigError with every problem.

    overrides are "key.path=value" strings (e.g. "training.epochs=5"), applied in order before
    validation; a relative dataset.path is relative to the YAML file's folder. With the report's
    slide catalogue (report.slides.CATALOGUE), report: entries must be slides that apply and a
    report the file leaves out is filled in; without it, both are left to the report.
    What validation left out is told by a ConfigNote warning each.
    """
    source = str(path)
    try:
        doc = yamlfile.load(path)
    except yamlfile.YamlError as exc:
        lines = [errors.file_line(source, mark, message) for mark, message in exc.problems]
        raise ConfigError(lines) from None
    if doc.data is None:
        needed = errors.key_list(Experiment, required=True)
        raise ConfigError(
            [
                errors.file_line(
                    source,
                    yamlfile.Mark(1, 1),
                    f"the file is empty; an experiment needs at least {needed}",
                )
            ]
        )
    origins, problems = _apply_overrides(doc, overrides, source)
    context = {
        "folder": Path(path).parent,
        "slides": slides,
        "notes": [],
        "overrides": list(origins.values()),
    }
    try:
        experiment = Experiment.model_validate(doc.data, context=context)
    except ValidationError as exc:
        problems += errors.render(exc, doc, origins, source)
    for note in context["notes"]:  # also beside problems: a note may explain one
        warnings.warn(f"{source}: {note}", ConfigNote, stacklevel=2)
    if problems:
        raise ConfigError(problems)
    return experiment


def _apply_overrides(
    doc: yamlfile.Document, overrides: typing.Sequence[str], source: str
) -> tuple[dict, list[str]]:
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
