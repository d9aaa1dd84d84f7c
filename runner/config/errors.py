"""Pydantic's validation errors in plain words, one "file:line:col: path: message" line each.

    experiments/x.yaml:12:7: model.architectures[1][0]: the font is 7x5 binary: 35 inputs, got 36

pydantic names a problem by its loc through the models (with the union tags it inserts, such
as 'autoencoder' or 'list') and words it for programmers; a student needs the line of the YAML
file to fix and a sentence about that value. `render` follows each loc through the models of
`runner.config.schema` back to a path of the YAML data, finds where that path was written, and
words the error from its type and the field's description.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, Tag, ValidationError

from runner.config import yamlfile
from runner.config.schema import SLUG, Experiment
from runner.config.yamlfile import show_value

_PATTERN_WORDS = {SLUG: "a short name of lowercase letters, digits and '-' (e.g. 'vae-mnist')"}


def render(exc: ValidationError, doc: yamlfile.Document, origins: dict, source: str) -> list[str]:
    """One line per pydantic error: file lines sorted by position, then the overrides' lines."""
    in_file, from_overrides = [], []
    for error in exc.errors():
        found = _explain(error)
        text, where = _located(found.path, found.message), found.where or found.path
        prefixes = [where[:n] for n in range(len(where), -1, -1)]
        origin = next((origins[p] for p in prefixes if p in origins), None)  # the deepest
        if origin is None:
            mark = doc.mark(where, found.at_key)
            in_file.append(((mark.line, mark.column), file_line(source, mark, text)))
        else:
            from_overrides.append(f"{source}: override '{origin}': {text}")
    return [text for _, text in sorted(in_file)] + list(dict.fromkeys(from_overrides))


def file_line(source: str, mark: yamlfile.Mark | None, text: str) -> str:
    """ "x.yaml:12:7: text", or "x.yaml: text" when there is no position (a missing file)."""
    where = f"{source}:{mark.line}:{mark.column}" if mark else source
    return f"{where}: {text}"


def _located(path: tuple, message: str) -> str:
    return f"{yamlfile.show_path(path)}: {message}" if path else message


_EXPECTED = {  # error type -> what was expected, for errors about the kind of value
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "finite_number": "a finite number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "text",
    "list_type": "a list",
    "path_type": "a folder path",
}
_ALSO = {"one": " or a list of them", "size": " or 'full'", "full": " or a whole number >= 1"}
_BOUNDS = {
    "greater_than": ("gt", "greater than"),
    "greater_than_equal": ("ge", "at least"),
    "less_than": ("lt", "less than"),
    "less_than_equal": ("le", "at most"),
}


class _Found(typing.NamedTuple):
    """A pydantic error explained."""

    path: tuple  # the field the message is about
    message: str
    where: tuple = ()  # the value to point at, when not path itself
    at_key: bool = False  # point at where's key (`epoch:`) rather than its value


def _explain(error: dict) -> _Found:
    """A pydantic error in plain words, about a path of the YAML data."""
    loc, kind, ctx, value = error["loc"], error["type"], error.get("ctx", {}), error["input"]
    path, tp = _walk(loc)
    also = _ALSO.get(loc[-1], "") if loc else ""  # the value failed one branch of a union
    if kind == "missing":
        described = _describe(_walk(loc[:-1])[1], loc[-1])
        return _Found(path[:-1], f"missing key '{path[-1]}'{described}", at_key=True)
    if kind == "extra_forbidden":
        allowed = list(_walk(loc[:-1])[1].model_fields)
        return _Found(path[:-1], _unknown_key(path[-1], allowed), where=path, at_key=True)
    if kind == "union_tag_not_found":
        tags = [_tag_of(m) for m in typing.get_args(tp)]
        return _Found(
            path, f"missing key {ctx['discriminator']} (one of: {', '.join(tags)})", at_key=True
        )
    if kind == "union_tag_invalid":
        tags = [_tag_of(m) for m in typing.get_args(tp)]
        return _Found(path + (ctx["discriminator"].strip("'"),), _choice(tags, ctx["tag"]))
    if kind == "literal_error":
        return _Found(path, _choice(re.findall(r"'([^']*)'", ctx["expected"]), value, also))
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        listed = f" with keys {key_list(tp)}" if _is_model(tp) else ""
        return _Found(path, f"expected a mapping{listed}, got {show_value(value)}")
    if kind in _EXPECTED:
        return _Found(path, f"expected {_EXPECTED[kind]}{also}, got {show_value(value)}")
    return _Found(path, _constraint(kind, ctx, value, error["msg"]))


def _constraint(kind: str, ctx: dict, value: Any, fallback: str) -> str:
    """Errors about a value of the right kind that is out of bounds, or our own checks."""
    if kind in _BOUNDS:
        key, words = _BOUNDS[kind]
        if kind == "greater_than" and isinstance(ctx[key], int):
            return f"must be at least {ctx[key] + 1}, got {show_value(value)}"  # plainer for counts
        return f"must be {words} {ctx[key]:g}, got {show_value(value)}"
    if kind == "too_short":
        n = ctx["min_length"]
        return f"needs at least {n} {'entry' if n == 1 else 'entries'}, got {ctx['actual_length']}"
    if kind == "string_pattern_mismatch":
        return f"expected {_PATTERN_WORDS.get(ctx['pattern'], ctx['pattern'])}, got {show_value(value)}"
    return re.sub(r"^Input should be ", "expected ", fallback)  # "tp5": our own sentence as is


def _walk(loc: tuple) -> tuple[tuple, Any]:
    """Follow pydantic's loc through the model types.

    Returns the path in the YAML data (loc without the union tags pydantic inserts, such as
    'autoencoder' or 'list') and the type that validates the value there (None if unknown).
    """
    tp, path = Experiment, ()
    for part in loc:
        tp = _resolve(tp)
        member = _union_member(tp, part)
        if member is not None:
            tp = member
            continue
        if _is_model(tp):
            field = tp.model_fields.get(part)
            tp = field.annotation if field else None
        else:
            tp = typing.get_args(tp)[0] if typing.get_origin(tp) is list else None
        path += (part,)
    return path, _resolve(tp)


def _resolve(tp: Any) -> Any:
    """Strip Annotated and Optional: `Annotated[Noise | None, ...]` -> Noise."""
    while True:
        if typing.get_origin(tp) is Annotated:
            tp = typing.get_args(tp)[0]
        elif _is_union(tp) and type(None) in typing.get_args(tp) and len(typing.get_args(tp)) == 2:
            tp = next(a for a in typing.get_args(tp) if a is not type(None))
        else:
            return tp


def _union_member(tp: Any, tag: Any) -> Any:
    """The member of a tagged union that pydantic names `tag` in a loc, else None."""
    if not _is_union(tp):
        return None
    return next((m for m in typing.get_args(tp) if _tag_of(m) == tag), None)


def _tag_of(tp: Any) -> Any:
    """A union member's tag: its Tag(...) marker, or its discriminator Literal (e.g. 'sgd')."""
    if typing.get_origin(tp) is Annotated:
        return next((m.tag for m in tp.__metadata__ if isinstance(m, Tag)), None)
    if _is_model(tp):
        for field in tp.model_fields.values():
            args = typing.get_args(field.annotation)
            if typing.get_origin(field.annotation) is Literal and len(args) == 1:
                return args[0]
    return None


def _is_union(tp: Any) -> bool:
    return typing.get_origin(tp) in (Union, types.UnionType)


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _describe(model: Any, key: str) -> str:
    """' (passes over the training data)' for a missing key, from the field's description."""
    field = model.model_fields.get(key) if _is_model(model) else None
    return f" ({field.description})" if field and field.description else ""


def _unknown_key(key: str, allowed: list[str]) -> str:
    near = difflib.get_close_matches(key, allowed, n=1)
    hint = f"; did you mean '{near[0]}'?" if near else ""
    return f"unknown key '{key}'{hint} (allowed: {', '.join(allowed)})"


def _choice(choices: list[str], value: Any, also: str = "") -> str:
    """ "expected one of: sgd, adam, got 'sdg'; did you mean 'sgd'?"."""
    wanted = f"'{choices[0]}'" if len(choices) == 1 else f"one of: {', '.join(choices)}"
    near = difflib.get_close_matches(str(value), choices, n=1) if isinstance(value, str) else []
    hint = f"; did you mean '{near[0]}'?" if near and near[0] != value else ""
    return f"expected {wanted}{also}, got {show_value(value)}{hint}"


def key_list(model: type[BaseModel], required: bool = False) -> str:
    fields = model.model_fields.items()
    return ", ".join(name for name, f in fields if f.is_required() or not required)
