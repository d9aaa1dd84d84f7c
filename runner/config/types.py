"""The value types the YAML's fields share: one value or a list to sweep, layer lists, levels.

A swept field takes one value or a non-empty list of distinct ones; a value listed twice would
train the same runs twice, so it is refused with the entry it repeats.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    Discriminator,
    Field,
    NonNegativeInt,
    PositiveFloat,
    PositiveInt,
    Tag,
)

from runner.config.strict import raise_problems
from runner.config.yamlfile import show_value


def distinct(values: list) -> list:
    """A value listed twice would train (or show) the same thing twice: name the second one."""
    raise_problems(
        "distinct",
        [
            ((i,), f"{show_value(v)} is already listed (as entry [{values.index(v)}])", v)
            for i, v in enumerate(values)
            if values.index(v) < i
        ],
    )
    return values


def _one_or_list_tag(value: Any) -> str:
    return "list" if isinstance(value, list) else "one"


def one_or_list(one: Any, item: Any = None) -> Any:
    """A field that takes one value or a non-empty list of distinct ones (`item`, default `one`).

    Dispatching on the input's shape, instead of trying both branches, keeps the errors to the
    one branch the user meant.
    """
    many = Annotated[list[item or one], Field(min_length=1), AfterValidator(distinct)]
    return Annotated[
        Annotated[one, Tag("one")] | Annotated[many, Tag("list")], Discriminator(_one_or_list_tag)
    ]


def _batch_size_tag(value: Any) -> str:
    return "full" if isinstance(value, str) else "size"


Activation = Literal["identity", "sigmoid", "tanh", "relu"]
Init = Literal["uniform", "xavier", "he", "lecun"]
Layers = Annotated[list[PositiveInt], Field(min_length=3)]  # input, latent, output at least
BatchSize = Annotated[
    Annotated[PositiveInt, Tag("size")] | Annotated[Literal["full"], Tag("full")],
    Discriminator(_batch_size_tag),
]
LearningRates = one_or_list(PositiveFloat)
Seeds = one_or_list(PositiveInt, NonNegativeInt)
Level = Annotated[float, Field(ge=0, le=1)]  # a probability p, or sigma of pixels in [0, 1]
