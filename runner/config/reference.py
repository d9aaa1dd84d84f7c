"""The YAML's `reference:`: figures published elsewhere, each naming the configuration of ours
it is set beside by any of its axis values (the slide 'reference' shows them)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, PositiveFloat

from runner.config.strict import Strict
from runner.config.types import Init, Layers, Level


class ReferenceValue(Strict):
    """One of a reference's figures, and the configuration of ours it is set beside."""

    architecture: Layers | None = Field(
        None, description="the configuration's layer sizes, input to output"
    )  # [35, 2, 35]
    learning_rate: PositiveFloat | None = Field(None, description="its learning rate")
    noise: Level | None = Field(None, description="its noise level (p or sigma)")
    optimizer: Literal["sgd", "adam"] | None = Field(None, description="its optimizer's name")
    init: Init | None = Field(None, description="its weight initialisation")
    normalize: bool | None = Field(None, description="whether its inputs are standardised")
    value: float = Field(description="the reference's figure for that configuration")

    @property
    def axes(self) -> dict[str, Any]:
        """The axis values the entry names (those it leaves out match any configuration)."""
        return {name: value for name, value in self if name != "value" and value is not None}


class Reference(Strict):
    """Figures published elsewhere for some configurations of the experiment, to set beside
    ours on the page (the slide 'reference')."""

    source: str = Field(description="where the figures come from")  # "the course's slides"
    metric: str = Field(
        description="what the figures measure, in the source's words"
    )  # undefined error
    statistic: Literal["mean", "std"] = Field(
        "mean",
        description="what each figure summarises over seeds: their mean, or their "
        "spread (standard deviation)",
    )
    values: list[ReferenceValue] = Field(
        min_length=1, description="each figure, with the axis values of the configuration it is for"
    )
