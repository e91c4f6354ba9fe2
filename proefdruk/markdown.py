"""Markdown escaping: data text that must reach the book literally.

A partner city called ``{{< var x >}}``, a municipality written ``@home``, a free-text
answer with ``*`` or ``<script>``: a value read from data and written into a table, a
notice or the provenance appendix must read exactly as it is and never become markup (a
shortcode, a citation, emphasis, raw HTML). Tables are included into chapters before
shortcodes, citations and cross-references are resolved, so escaping is the writer's job.
This is the one escaper the project uses, in the tooling and in the study code
(``from proefdruk.markdown import escape_markdown``), and inside the Jupyter kernel.
"""

from __future__ import annotations

import re

# Markdown punctuation that can start markup anywhere in a line in pandoc/Quarto
# markdown: code, emphasis, links, shortcodes ({{< >}}), raw HTML (<script>), entities,
# citations (@key), strikeout/sub/superscript, math, tables, footnotes. Pandoc's
# all_symbols_escapable makes a backslash before each of them a literal character.
# Quotes and "-" too: pandoc's smart typography would otherwise change the value ("--"
# into a dash, the apostrophe of 's-Hertogenbosch into an opening quote).
_ESCAPE_ANYWHERE = set("\\`*_{}[]<>#|@~^$&!-'\"")
# Characters that only start markup at the start of a line (lists, definition lists).
_ESCAPE_AT_START = set("+:=")


def escape_markdown(text: str) -> str:
    """``text`` as literal markdown: it reads the same and can never become markup.

    Newlines become spaces (a value must not open a new block such as a heading, a list
    or a fenced div); every character that could start markup, or that smart typography
    would change, gets a backslash.
    """
    # Only ASCII whitespace: a no-break space (Dutch "63,4 %") must survive.
    flat = re.sub(r"[ \t\n\r\f\v]+", " ", str(text)).strip(" ")
    out: list[str] = []
    for i, ch in enumerate(flat):
        if (
            ch in _ESCAPE_ANYWHERE
            or (i == 0 and ch in _ESCAPE_AT_START)
            or (ch == "." and "..." in flat[max(0, i - 2) : i + 3])  # no ellipsis
        ):
            out.append("\\" + ch)
        else:
            out.append(ch)
    escaped = "".join(out)
    # "1. " or "1) " at the start would open an ordered list.
    digits = len(escaped) - len(escaped.lstrip("0123456789"))
    if digits and escaped[digits : digits + 1] in (".", ")"):
        escaped = escaped[:digits] + "\\" + escaped[digits:]
    return escaped
