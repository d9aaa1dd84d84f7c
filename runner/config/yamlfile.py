"""Safe YAML loading that remembers where every value came from, plus Hydra-style overrides.

A config error is only useful if it names the line to fix, so `load` returns the plain data
together with the 1-based line and column of each value and each mapping key, by path:

    doc = load("experiments/font.yaml")
    doc.data["model"]["architectures"][1][0]         # 36
    doc.values[("model", "architectures", 1, 0)]      # Mark(line=12, column=7)

Paths are tuples of mapping keys (always str: keys are kept as written, so `on:` stays "on"
instead of YAML 1.1's True) and list indices (int).

Only plain YAML gets through: no tags that build objects (`!!python/...`, `!custom`), no
duplicate keys (YAML says they are an error; PyYAML silently keeps the last), and a bound on
how many values aliases may expand to, so a "billion laughs" file fails fast instead of eating
memory. Every such problem is a `YamlError` holding one `(Mark | None, message)` per problem.
"""

from __future__ import annotations

import os
import pathlib
from dataclasses import dataclass, field
from typing import Any

import yaml

MAX_VALUES = 100_000  # far above any real experiment file, far below what a YAML bomb expands to

_CORE = "tag:yaml.org,2002:"
_PLAIN_TAGS = {_CORE + t for t in ("null", "bool", "int", "float", "str", "seq", "map")}
_TIMESTAMP = _CORE + "timestamp"  # kept as the written text: no field of ours is a date

KeyPath = tuple  # of str (mapping key) and int (list index)


@dataclass(frozen=True)
class Mark:
    """A position in the file, 1-based like editors and compilers count."""

    line: int
    column: int

    @classmethod
    def of(cls, node: yaml.Node) -> Mark:
        return cls(node.start_mark.line + 1, node.start_mark.column + 1)


class YamlError(Exception):
    """The text is not acceptable YAML; one (mark or None, message) per problem."""

    def __init__(self, problems: list[tuple[Mark | None, str]]):
        super().__init__("; ".join(message for _, message in problems))
        self.problems = problems


@dataclass
class Document:
    """Plain data (dict, list, str, int, float, bool, None) and where each part was written."""

    data: Any
    values: dict[KeyPath, Mark] = field(default_factory=dict)  # where each value starts
    keys: dict[KeyPath, Mark] = field(default_factory=dict)  # where each mapping key was written

    def mark(self, path: KeyPath, at_key: bool = False) -> Mark | None:
        """Where path (or its nearest recorded parent) was written; at_key prefers its key."""
        for n in range(len(path), -1, -1):
            prefix = path[:n]
            found = (at_key and self.keys.get(prefix)) or self.values.get(prefix)
            if found:
                return found
        return None


class _Loader(yaml.SafeLoader):
    """SafeLoader whose construction walks the node tree itself, recording marks by path."""

    def __init__(self, text: str):
        super().__init__(text)
        self.doc = Document(None)
        self.problems: list[tuple[Mark | None, str]] = []
        self.n_values = 0
        self.open: set[int] = set()  # ids of the nodes being built: an alias to one is a loop

    def build(self, node: yaml.Node, path: KeyPath) -> Any:
        self.n_values += 1
        if self.n_values > MAX_VALUES:
            raise YamlError(
                [
                    (
                        Mark.of(node),
                        f"the file expands to more than {MAX_VALUES:,} "
                        "values; are aliases (*name) repeating each other?",
                    )
                ]
            )
        if id(node) in self.open:
            raise YamlError(
                [(Mark.of(node), "an alias (*name) refers to a value that contains it")]
            )
        self.doc.values[path] = Mark.of(node)
        if node.tag not in _PLAIN_TAGS and node.tag != _TIMESTAMP:
            shown = node.tag.replace(_CORE, "!!")
            self.problems.append(
                (
                    Mark.of(node),
                    f"the tag '{shown}' is not allowed (only plain values, lists and mappings)",
                )
            )
            return None
        self.open.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self.build_mapping(node, path)
            if isinstance(node, yaml.SequenceNode):
                return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        finally:
            self.open.discard(id(node))
        return node.value if node.tag == _TIMESTAMP else self.construct_object(node)

    def build_mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict:
        self.check_duplicates(node)
        self.flatten_mapping(node)  # `<<: *base` merges; written keys come last, so they win
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append((Mark.of(key_node), "a key must be a plain word"))
                continue
            self.doc.keys[path + (key_node.value,)] = Mark.of(key_node)
            out[key_node.value] = self.build(value_node, path + (key_node.value,))
        return out

    def check_duplicates(self, node: yaml.MappingNode) -> None:
        """A key written twice is an error (reported at the second); merged keys may repeat."""
        first: dict[str, Mark] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != _CORE + "merge":
                if key_node.value in first:
                    line = first[key_node.value].line
                    self.problems.append(
                        (
                            Mark.of(key_node),
                            f"the key '{key_node.value}' is written twice (first on line {line})",
                        )
                    )
                first.setdefault(key_node.value, Mark.of(key_node))


def parse(text: str) -> Document:
    """Parse YAML text (one document) into a Document; raises YamlError."""
    try:
        loader = _Loader(text)  # checks the characters first
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        mark = Mark(before.count("\n") + 1, exc.position - before.rfind("\n"))
        raise YamlError(
            [(mark, f"the character U+{exc.character:04X} cannot be in YAML text; remove it")]
        ) from None
    try:
        root = loader.get_single_node()
        if root is not None:
            loader.doc.data = loader.build(root, ())
    except yaml.MarkedYAMLError as exc:
        raise YamlError([(_mark(exc), _yaml_message(exc))]) from None
    except RecursionError:
        raise YamlError([(None, "the values are nested too deeply")]) from None
    finally:
        loader.dispose()
    if loader.problems:
        raise YamlError(list(dict.fromkeys(loader.problems)))  # a mapping reused by alias: once
    return loader.doc


def load(path: str | os.PathLike) -> Document:
    """Read and parse a UTF-8 YAML file; every failure, from a missing file on, is a YamlError."""
    try:
        raw = pathlib.Path(path).read_bytes()
    except FileNotFoundError:
        raise YamlError([(None, "no such file")]) from None
    except IsADirectoryError:
        raise YamlError([(None, "is a folder, not a YAML file")]) from None
    except PermissionError:
        raise YamlError([(None, "cannot be read (permission denied)")]) from None
    except OSError as exc:
        raise YamlError([(None, f"cannot be read ({exc.strerror or exc})")]) from None
    return parse(_decode(raw))


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")  # -sig: a byte-order mark some editors add is fine
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line_start = before.rfind(b"\n") + 1
        column = len(before[line_start:].decode("utf-8", "replace")) + 1  # in characters
        mark = Mark(before.count(b"\n") + 1, column)
        byte = raw[exc.start]
        raise YamlError(
            [
                (
                    mark,
                    f"the file is not UTF-8 text (byte 0x{byte:02x}); "
                    "save it with the UTF-8 encoding",
                )
            ]
        ) from None


def _mark(exc: yaml.MarkedYAMLError) -> Mark | None:
    mark = exc.problem_mark or exc.context_mark
    return Mark(mark.line + 1, mark.column + 1) if mark else None


_WORDS = {  # PyYAML's token names -> words
    "'<stream end>'": "the end of the file",
    "end of stream": "end of the file",
    "<block end>": "the end of the indented block",
    "'<scalar>'": "a value",
    "'<block mapping start>'": "a key",
    "'<block sequence start>'": "a '-' entry",
}
_HINTS = {  # a part of PyYAML's words for the usual slips -> what to do
    "mapping values are not allowed here": "check the indentation, or quote a value that contains ': '",
    "the end of the indented block": "check the indentation",
    "'\\t'": "indent with spaces, not tabs",
}


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    """PyYAML's own words on one line, with where the unfinished part began and a hint if known."""
    problem = exc.problem or ""
    for jargon, words in _WORDS.items():
        problem = problem.replace(jargon, words)
    where, start = "", exc.context_mark
    if exc.context and start and start.line != getattr(exc.problem_mark, "line", None):
        where = f" ({exc.context} started on line {start.line + 1})"
    hints = [hint for part, hint in _HINTS.items() if part in problem]
    return f"YAML syntax: {problem}{where}" + "".join(f"; {hint}" for hint in hints[:1])


# ---- overrides ---------------------------------------------------------------------------------


class OverrideError(Exception):
    """An override that cannot be applied; the message says why in one sentence."""


def split_override(text: str) -> tuple[KeyPath, Any]:
    """'training.optimizers.0.learning_rate=0.01' -> (("training", "optimizers", "0",
    "learning_rate"), 0.01); the value is read with the same safe YAML rules as a file."""
    key, sep, value = text.partition("=")
    parts = tuple(key.strip().split("."))
    if not sep or not all(parts):
        raise OverrideError("expected key.path=value, e.g. training.epochs=5")
    try:
        return parts, parse(value).data
    except YamlError as exc:
        raise OverrideError(f"the value is not valid YAML ({exc})") from None


def apply_override(data: dict, parts: KeyPath, value: Any) -> KeyPath:
    """Set data[parts] = value in place, creating missing mappings on the way; returns the path
    with list indices as int (as `load` records them). Raises OverrideError for a path that
    runs into a list with a bad index or into a plain value."""
    node, path = data, ()
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if isinstance(node, list):
            if not (part.isdigit() and int(part) < len(node)):
                raise OverrideError(
                    f"{show_path(path)} is a list of {len(node)}, so '{part}' "
                    "is not one of its indices (they count from 0)"
                )
            part = int(part)
        elif not isinstance(node, dict):
            raise OverrideError(
                f"{show_path(path)} is a plain value ({node!r}), not a mapping, "
                f"so it has no '{part}'"
            )
        elif not last and node.get(part) is None:
            node[part] = {}
        path += (part,)
        if last:
            node[part] = value
        else:
            node = node[part]
    return path


def show_path(path: KeyPath) -> str:
    """("model", "architectures", 1, 0) -> "model.architectures[1][0]"."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "the top level"


def show_value(value: Any) -> str:
    """A value as the user wrote it in YAML, short: 'abc', 5, true, nothing, a list."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    return str(value)
