"""The experiment file's own prose (its description, its conclusions) as the pages show it.

The text is the YAML author's, not trusted HTML: every character is escaped, and the one markup
a description uses, a `code` span between backticks (a file name, a field), becomes <code>.
An unpaired backtick stays a backtick. A short set such as {-1, 1} is kept on one line: its
spaces become no-break spaces, so a line never ends on "{-1,".
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

CODE = re.compile(r"`([^`\n]+)`")
SET = re.compile(r"\{[^{}\n]{1,24}\}")  # {-1, 1}, {0, 1}: a few values between braces


def prose(text: str) -> Markup:
    """``text`` as HTML: escaped, with its `code` spans as <code> elements and its short sets
    unbroken."""
    html = CODE.sub(r"<code>\1</code>", str(escape(text)))
    return Markup(SET.sub(lambda m: m[0].replace(" ", "\u00a0"), html))
