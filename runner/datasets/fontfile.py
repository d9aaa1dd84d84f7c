"""The course's font.h: C arrays of characters, each a row of numbers, one number per pixel row.

    static const unsigned char Font3[32][7] = {
       {0x04, 0x04, 0x02, 0x00, 0x00, 0x00, 0x00},   // 0x60, `
       {0x00, 0x0e, 0x01, 0x0d, 0x13, 0x13, 0x0d},   // 0x61, a
       ...
    };

A file may hold any number of such two-dimensional arrays (fonts) of any number of characters.
The low bits of each number are a pixel row, the highest of them the leftmost pixel: 5 bits
(0x10 leftmost) when every number is below 32, as in the course's fonts, else as many as the
largest number needs. A character is named by the comment after it ("0x61, a" names it "a"),
by its index where there is none.

    fonts = read(Path("font.h"))  # {"Font3": Font(rows (32, 7) int, labels, lines)}
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from runner.datasets.dataset import DatasetError

_DECLARATION = re.compile(r"([A-Za-z_]\w*)\s*(?:\[[^\]]*\]\s*){2}=\s*$")
_NUMBER = re.compile(r"0[xX][0-9a-fA-F]+|\d+")
_CODE_COMMENT = re.compile(r"^\s*(0[xX][0-9a-fA-F]+)\s*,?\s*(.*?)\s*$")


@dataclass(frozen=True)
class Font:
    rows: np.ndarray  # (N, h) int64, one number per pixel row of each character
    labels: list[str]  # N names
    width: int  # pixels per row

    def pixels(self, dtype: np.dtype) -> np.ndarray:
        """(N, h * w) in {0, 1}, row by row, the highest bit of each number the leftmost."""
        bits = np.arange(self.width - 1, -1, -1)
        return ((self.rows[..., None] >> bits) & 1).reshape(len(self.rows), -1).astype(dtype)


def width_of(rows: np.ndarray) -> int:
    """5 for the course's fonts (every number below 32), else the largest number's bits."""
    return max(5, int(rows.max()).bit_length()) if rows.size else 5


def read(path: Path) -> dict[str, Font]:
    """Every font of the file, by array name, in file order; DatasetError names what is wrong."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as err:
        raise DatasetError(f"{path} cannot be read ({err.strerror}).") from None
    fonts = {name: _font(path, name, chars) for name, chars in _arrays(text).items()}
    if not fonts:
        raise DatasetError(
            f"{path} holds no font: no C array of rows such as "
            "'Font3[32][7] = {{0x04, 0x04, 0x02, 0x00, 0x00, 0x00, 0x00}, ...};'."
        )
    return fonts


def choose(path: Path, fonts: dict[str, Font], name: str | None) -> tuple[str, Font]:
    """The font the YAML names (dataset.font), or the file's only one."""
    if name is None:
        if len(fonts) > 1:
            raise DatasetError(
                f"{path} holds {len(fonts)} fonts ({', '.join(fonts)}); name one with dataset.font."
            )
        return next(iter(fonts.items()))
    if name not in fonts:
        raise DatasetError(f"{path} has no font {name!r}; it has {', '.join(fonts)}.")
    return name, fonts[name]


def _arrays(text: str) -> dict[str, list[tuple[list[int], str, int]]]:
    """Each 2-D array's characters: (numbers, the comment of the line closing it, line number).

    A scan of the code with comments set aside, so that a '{' or '}' named in a comment (the
    course's font has both) counts for nothing.
    """
    arrays, name, depth, before = {}, None, 0, ""
    text = re.sub(r"/\*.*?\*/", lambda m: " " * len(m.group()), text, flags=re.DOTALL)
    for number, line in enumerate(text.splitlines(), 1):
        code, _, comment = line.partition("//")
        for token in re.finditer(r"[{};]|0[xX][0-9a-fA-F]+|\d+|[^{};\d]+", code):
            t = token.group()
            if t == "{":
                if depth == 0:
                    declared = _DECLARATION.search(before)
                    name = declared.group(1) if declared else None
                    if name:
                        arrays[name] = []
                elif depth == 1 and name:
                    arrays[name].append(([], "", number))
                depth += 1
            elif t == "}":
                depth = max(0, depth - 1)
                if depth == 1 and name:
                    numbers, _, _ = arrays[name][-1]
                    arrays[name][-1] = (numbers, comment.strip(), number)
            elif depth == 2 and name and _NUMBER.fullmatch(t):
                arrays[name][-1][0].append(int(t, 0) if t[:2].lower() == "0x" else int(t))
            elif depth == 0:
                before = "" if t == ";" else before + t
    return {n: chars for n, chars in arrays.items() if chars}


def _font(path: Path, name: str, chars: list[tuple[list[int], str, int]]) -> Font:
    heights = [len(numbers) for numbers, _, _ in chars]
    usual = max(set(heights), key=heights.count)
    for i, (numbers, _, line) in enumerate(chars):
        if len(numbers) != usual:
            raise DatasetError(
                f"{path}:{line}: character {i} of {name} has {len(numbers)} rows, "
                f"the others {usual}."
            )
    rows = np.array([numbers for numbers, _, _ in chars], dtype=np.int64)
    return Font(
        rows, [_label(comment, i) for i, (_, comment, _) in enumerate(chars)], width_of(rows)
    )


def _label(comment: str, index: int) -> str:
    """'0x61, a' -> 'a'; '0x61' -> 'a' (the character of the code); no comment -> the index."""
    if not comment:
        return str(index)
    coded = _CODE_COMMENT.match(comment)
    if not coded:
        return comment
    return coded.group(2) or chr(int(coded.group(1), 16))
