"""The base of the schema's models: strict, and checked as a whole even when some value is wrong.

pydantic runs a model's own checks (`model_validator(mode="after")`) only once every field is
valid, so a typo in `activation` would hide an architecture that does not fit the dataset until
the typo is fixed. A `Strict` model lists its checks of how its values fit together in
`checks`; they run on the validated model or, when some field failed, on a partial model that
holds only the values that are right on their own. One run thus reports every mistake of a file.
A check that reads a value that is wrong on its own is skipped: that value has its own error.
A check that needs more than the values (the slide catalogue) is listed in `context_checks` and
also gets the validation context.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable
from typing import Annotated, Any, ClassVar

from pydantic import (
    BaseModel,
    ConfigDict,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

#: A problem a check found: the loc of the value to blame (relative to the model checked), the
#: message, and the value.
Problem = tuple[tuple, str, Any]

_CUSTOM = "tp5"  # the error type of our own checks' problems


class Strict(BaseModel):
    # forbid: a typo such as `epoch:` must fail, not leave the default in place;
    # coerce_numbers_to_str: `name: 2024` is meant as text; no inf or nan where numbers go
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, allow_inf_nan=False)

    #: The model's checks of how its values fit together, each returning a list of Problems.
    checks: ClassVar[tuple[Callable[[Any], list[Problem]], ...]] = ()
    #: Checks that also read the validation context (load_experiment's: the YAML's folder and,
    #: when the caller has one, the slide catalogue): called with the model and the context.
    context_checks: ClassVar[tuple[Callable[[Any, dict], list[Problem]], ...]] = ()

    @model_validator(mode="wrap")
    @classmethod
    def _fit_together(cls, data: Any, handler: Callable, info: ValidationInfo) -> Strict:
        try:
            model = handler(data)
        except ValidationError as exc:
            partial = _partial(cls, data, info.context) if isinstance(data, dict) else None
            found = partial.problems(info.context, partial=True) if partial else []
            raise _with(exc, found) from None
        raise_problems(cls.__name__, model.problems(info.context))
        return model

    def problems(self, context: dict | None = None, partial: bool = False) -> list[Problem]:
        """What the checks find; on a partial model, those that read an unset value are skipped."""
        found = []
        checks = [
            *self.checks,
            *(functools.partial(check, context=context or {}) for check in self.context_checks),
        ]
        for check in checks:
            try:
                found += check(self)
            except AttributeError:  # an unset value: wrong on its own, and reported as such
                if not partial:
                    raise
        return found


def raise_problems(title: str, problems: list[Problem]) -> None:
    """Raise problems as one ValidationError, each at its own loc.

    Pydantic keeps the locs of a ValidationError raised inside a validator (relative to the
    value being validated), so a check on the whole model can still blame one list entry.
    """
    if problems:
        raise ValidationError.from_exception_data(title, _details(problems))


def _with(exc: ValidationError, problems: list[Problem]) -> ValidationError:
    """exc's errors and problems as one ValidationError."""
    return ValidationError.from_exception_data(
        exc.title, [_again(error) for error in exc.errors()] + _details(problems)
    )


def _again(error: dict) -> InitErrorDetails:
    """A reported error as the details to raise it again unchanged."""
    kind = error["type"]
    again = InitErrorDetails(
        type=PydanticCustomError(kind, error["msg"]) if kind == _CUSTOM else kind,
        loc=error["loc"],
        input=error["input"],
    )
    if "ctx" in error:
        again["ctx"] = error["ctx"]
    return again


def _details(problems: list[Problem]) -> list[InitErrorDetails]:
    return [
        InitErrorDetails(type=PydanticCustomError(_CUSTOM, message), loc=loc, input=value)
        for loc, message, value in problems
    ]


def _partial(cls: type[Strict], data: dict, context: Any) -> Strict:
    """cls holding the values of data that are right on their own, nested models partial in turn.

    A value that is wrong is left unset, so that reading it raises AttributeError; a key that
    data does not give takes its default, as in a valid model.
    """
    values = {
        name: value
        for name in cls.model_fields.keys() & data.keys()
        if (value := _valid_or_partial(cls, name, data[name], context)) is not _WRONG
    }
    model = cls.model_construct(**values)
    for name in cls.model_fields.keys() & data.keys() - values.keys():
        model.__dict__.pop(name, None)  # a required field has no default to remove
    return model


_WRONG = object()  # a value wrong on its own, with no partial model to make of it


def _valid_or_partial(cls: type[Strict], name: str, value: Any, context: Any) -> Any:
    try:
        return _adapter(cls, name).validate_python(value, context=context)
    except ValidationError:
        model = _model_of(cls.model_fields[name], value)
        return _partial(model, value, context) if model else _WRONG


@functools.cache
def _adapter(cls: type[Strict], name: str) -> TypeAdapter:
    """Validates one field of cls on its own, with the field's constraints and cls's config."""
    field = cls.model_fields[name]
    own_config = isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel)
    return TypeAdapter(
        Annotated[field.annotation, field], config=None if own_config else cls.model_config
    )


def _model_of(field: Any, value: Any) -> type[Strict] | None:
    """The Strict model value was meant as (a union's member by its discriminator), if any."""
    if not isinstance(value, dict):
        return None
    members = typing.get_args(field.annotation) or (field.annotation,)
    models = [m for m in members if isinstance(m, type) and issubclass(m, Strict)]
    if field.discriminator:
        models = [
            m
            for m in models
            if value.get(field.discriminator)
            in typing.get_args(m.model_fields[field.discriminator].annotation)
        ]
    return models[0] if len(models) == 1 else None
