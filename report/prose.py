"""The experiment file's own prose (its description, its conclusions) as the pages show it.

The text is the YAML author's, not trusted HTML: every character is escaped, and the one markup
a description uses, a `code` span between backticks (a file name, a field), becomes <code>.
An unpaired backtick stays a backtick.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

CODE = re.compile(r"`([^`\n]+)`")


def prose(text: str) -> Markup:
    """``text`` as HTML: escaped, with its `code` spans as <code> elements."""
    return Markup(CODE.sub(r"<code>\1</code>", str(escape(text))))
