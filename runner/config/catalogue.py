"""What validation may ask about the page's slides, given by whoever joins runner and report.

runner.config knows nothing of the report: the slide kinds, and when each applies, are the
report's. A caller that has both (runner/cli.py) passes the report's catalogue to
`load_experiment(..., slides=report.slides.CATALOGUE)`, and validation reads it from pydantic's
validation context, as it reads the YAML's folder. Without one, `report:` entries are not
checked against the kinds and a report the file leaves out stays None (the report resolves it
when it renders).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SlideCatalogue:
    """The slide kinds, and the rule that says which apply to an experiment."""

    names: tuple[str, ...]  # every kind a report: list may name
    #: why a slide cannot apply to the experiment (the end of a sentence), or None; the
    #: experiment may be partial (a value wrong on its own is unset: see runner.config.strict)
    why_not: Callable[[str, Any], str | None]  # (slide, runner.config.schema.Experiment)
    default_report: Callable[[Any], list[str]]  # every kind that applies, in order
