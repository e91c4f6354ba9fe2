"""Shortcodes before pandoc: each ``{{< name args >}}`` becomes a placeholder span.

Pandoc does not know Quarto's shortcodes and would read ``{{< num a.b >}}`` as plain
words (and ``@key`` inside arguments as a citation). We replace each shortcode outside
code with an empty span that carries its name, its raw arguments (percent-encoded, so no
character in them can change the markdown) and the file and line it came from. The Lua
filter ``lua/shortcodes.lua`` then runs the real shortcode code on the parsed document.
What a shortcode returns is a pandoc element, never markdown, so data strings (a name
containing ``<script>`` or ``@key``) arrive as literal text.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from proefdruk.render.core.source import Expanded, code_fence_mask, front_matter_end

COMMENTED_RE = re.compile(r"\{\{</\*(?P<inner>.*?)\*/>\}\}")
SHORTCODE_RE = re.compile(
    r"(?P<open>\{?)\{\{<\s*(?P<name>[A-Za-z_][\w-]*)(?P<args>(?:[^>\"']|\"[^\"]*\"|'[^']*'"
    r"|>(?!\}\}))*?)\s*>\}\}(?P<close>\}?)")
INLINE_CODE_RE = re.compile(r"(?P<ticks>`+)(?!`).*?(?<!`)(?P=ticks)(?!`)")


def _enc(text: str) -> str:
    return quote(text, safe="")


def placeholder(name: str, args: str, file: str, line: int) -> str:
    """The markdown span standing for one shortcode until the Lua filter runs."""
    return (f'[]{{.pd-sc sc-name="{_enc(name)}" sc-args="{_enc(args.strip())}" '
            f'sc-file="{_enc(file)}" sc-line="{line}"}}')


def literal(text: str) -> str:
    """A span that prints ``text`` unchanged (escaped shortcodes ``{{{< x >}}}``)."""
    return f'[]{{.pd-sc sc-literal="{_enc(text)}"}}'


def _code_spans(line: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in INLINE_CODE_RE.finditer(line)]


def protect(exp: Expanded) -> Expanded:
    """Replace shortcodes (outside fenced and inline code) with placeholder spans.

    Lines keep their count and origin, so line numbers stay valid. Shortcodes inside
    code are left for the Lua filter, which expands them as text like Quarto does.
    """
    mask = code_fence_mask(exp.lines)
    start = front_matter_end(exp.lines)
    out: list[str] = []
    for i, line in enumerate(exp.lines):
        if i < start or mask[i] or "{{<" not in line:
            out.append(line)
            continue
        file, lineno = exp.where(i)
        spans = _code_spans(line)

        def repl(m: re.Match[str], spans=spans, file=file, lineno=lineno) -> str:
            if any(a <= m.start() < b for a, b in spans):
                return m.group(0)
            if m.group("open") and m.group("close"):
                inner = m.group(0)[1:-1]
                return literal(inner)
            return (m.group("open") + placeholder(m.group("name"), m.group("args"), file, lineno)
                    + m.group("close"))

        # {{</* x */>}} is Quarto's other way to show a shortcode literally.
        line = COMMENTED_RE.sub(
            lambda m, spans=spans: m.group(0) if any(a <= m.start() < b for a, b in spans)
            else literal("{{<" + m.group("inner") + ">}}"), line)
        spans[:] = _code_spans(line)
        out.append(SHORTCODE_RE.sub(repl, line))
    return Expanded(out, list(exp.origin), list(exp.includes), list(exp.skipped_generated))


