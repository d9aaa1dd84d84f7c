"""Every field of the experiment YAML in plain Markdown, read off its JSON Schema (`tp5-run
--fields`, and docs/yaml.md).

The schema is the contract (runner.config.schema), so the reference is generated from it and
cannot drift: each field's dotted path, what it takes, its default and its description, one
section per mapping; a mapping that comes in several kinds (model's `kind`, an optimizer's
`name`) has one section per kind. Nothing here names a field: a field added to the models
appears on its own.
"""

from __future__ import annotations

import json
from typing import Any

HEADER = """\
# The experiment YAML, field by field

Generated from the schema by `tp5-run --fields` (regenerate this file with
`tp5-run --fields > docs/yaml.md`). A path such as `training.optimizers[].name` is a key of each
entry of the list `training.optimizers`. A key marked *required* must be given; the others may
be left out (the default then applies); no other key is allowed.
"""


def fields(schema: dict) -> str:
    """The Markdown reference of every field of `schema` (an experiment's JSON Schema)."""
    sections = _sections(schema, schema, "", "")
    return "\n".join([HEADER, *sections])


def _sections(root: dict, model: dict, path: str, kind: str) -> list[str]:
    """The section of one mapping (its fields, in order), then those of the mappings inside it."""
    heading = f"## `{path}`{kind}" if path else "## The top level"
    lines, nested = [heading, ""], []
    required = set(model.get("required", ()))
    for name, node in model["properties"].items():
        dotted = f"{path}.{name}" if path else name
        lines.append(_line(root, dotted, node, name in required))
        nested += _inside(root, dotted, node)
    return ["\n".join(lines) + "\n", *nested]


def _line(root: dict, dotted: str, node: dict, required: bool) -> str:
    given = (
        "*required*"
        if required
        else (f"default `{_yaml(node['default'])}`" if "default" in node else "optional")
    )
    text = node.get("description")
    return f"- `{dotted}` ({_type(root, node)}; {given})" + (f": {text}" if text else "")


def _inside(root: dict, dotted: str, node: dict) -> list[str]:
    """The sections of the mappings a field holds: itself, its list's entries, each kind."""
    node = _resolve(root, node)
    if node.get("type") == "array" and "items" in node:
        return _inside(root, f"{dotted}[]", node["items"])
    if "discriminator" in node:
        key = node["discriminator"]["propertyName"]
        variants = [_resolve(root, m) for m in node["oneOf"]]
        return [
            section
            for variant in variants
            for section in _sections(
                root, variant, dotted, f" with `{key}: {variant['properties'][key]['const']}`"
            )
        ]
    members = [m for m in node.get("anyOf", ()) if m.get("type") != "null"]
    if len(members) == 1:  # an optional mapping (noise: ... or null)
        return _inside(root, dotted, members[0])
    if node.get("type") == "object" and "properties" in node:
        return _sections(root, node, dotted, "")
    return []


def _type(root: dict, node: dict) -> str:
    """What a value may be, in words: "a whole number > 0", "one of: sgd, adam"."""
    node = _resolve(root, node)
    if "discriminator" in node:
        key = node["discriminator"]["propertyName"]
        tags = [_resolve(root, m)["properties"][key]["const"] for m in node["oneOf"]]
        return f"a mapping, by `{key}`: {' or '.join(tags)}"
    for union in ("oneOf", "anyOf"):
        if union in node:  # null first: "null or a list, each ..." reads unambiguously
            members = sorted(node[union], key=lambda m: m.get("type") != "null")
            return " or ".join(_type(root, m) for m in members)
    if "const" in node:
        return f"`{_yaml(node['const'])}`"
    if "enum" in node:
        return "one of: " + ", ".join(f"`{_yaml(v)}`" for v in node["enum"])
    kind = node.get("type")
    if kind == "array":
        return _array(root, node)
    if kind == "object":
        return "a mapping"
    words = _WORDS.get(kind, str(kind))
    if "pattern" in node:
        words += f" matching `{node['pattern']}`"
    bounds = [f"{sign} {_yaml(node[key])}" for key, sign in _BOUNDS.items() if key in node]
    return words + (f" {' and '.join(bounds)}" if bounds else "")


_WORDS = {
    "integer": "a whole number",
    "number": "a number",
    "string": "text",
    "boolean": "true or false",
    "null": "null",
}
_BOUNDS = {"minimum": ">=", "exclusiveMinimum": ">", "maximum": "<=", "exclusiveMaximum": "<"}


def _array(root: dict, node: dict) -> str:
    if "prefixItems" in node:  # a fixed-length list (a tuple)
        items = [_type(root, item) for item in node["prefixItems"]]
        return f"a list of {len(items)}: " + "; ".join(items)
    least = node.get("minItems", 0)
    size = f" (at least {least})" if least > 1 else " (at least one)" if least == 1 else ""
    return f"a list{size}, each {_type(root, node.get('items', {}))}"


def _resolve(root: dict, node: dict) -> dict:
    """The definition a {"$ref": "#/$defs/X"} points at, with the referring node's own keys."""
    if "$ref" not in node:
        return node
    target = root
    for part in node["$ref"].removeprefix("#/").split("/"):
        target = target[part]
    return {**target, **{k: v for k, v in node.items() if k != "$ref"}}


def _yaml(value: Any) -> str:
    """A value as the YAML writes it: null, true, [0, 1], a plain word unquoted."""
    return value if isinstance(value, str) and value else json.dumps(value).replace('"', "'")
