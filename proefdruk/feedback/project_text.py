"""What a stretch of markdown looks like on the page, character by character.

A tracked change in the DOCX is made on rendered text ("62,5 %", a footnote mark, a
curly quote); the patch must change the markdown ("{{< num respons.percentage >}}",
``[@key]``, a straight quote). So we project the source into the text a reader sees,
keeping for every visible character its offset in the source and what made it: plain
prose, a registry number, a citation, a cross-reference. Aligning that projection with
the DOCX text tells, for every changed character, which source characters it stands for
and whether those are the author's prose or generated content.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

SHORTCODE_RE = re.compile(r"\{\{<\s*(?P<name>[\w-]+)\s*(?P<args>.*?)\s*>\}\}")
XREF_RE = re.compile(r"-?@(?:fig|tbl|sec|eq|lst)-[\w:.-]*\w")
CITE_KEY_RE = re.compile(r"-?@[A-Za-z0-9_][\w:.#$%&+?<>~/-]*")
ATTR_RE = re.compile(r"\{[#.][^{}]*\}|\{[\w-]+=[^{}]*\}")
BLOCK_PREFIX_RE = re.compile(r"(?:\s{0,3}(?:#{1,6}\s+|[-*+]\s+|\(?(?:\d{1,9}|[A-Za-z]|#)[.)]\s+"
                             r"|>\s?|:\s+|Table:\s+))*(?:\\?\[[ xX]\\?\]\s+)?")
QUOTE_CONTINUATION_RE = re.compile(r"[ ]{0,3}>[ ]?")
PRETTY = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2018": "'",
                        "\u2019": "'", "\u00a0": " ", "\u202f": " ", "\u2009": " ",
                        "\t": " "})


def normalise(text: str) -> str:
    """Characters compared one to one: curly quotes straight, special spaces plain."""
    return text.translate(PRETTY)


@dataclass
class Projection:
    """Visible text of a source stretch: ``chars[i]`` came from ``offsets[i]`` (an
    offset in the file's text) and was made by ``kinds[i]``."""

    chars: list[str] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    # Generated things with no visible text of their own (citations, footnotes, refs),
    # as (offset, end offset, kind) in the file text.
    hidden: list[tuple[int, int, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.chars)

    def add(self, text: str, offset: int, kind: str) -> None:
        for k, ch in enumerate(text):
            if ch in " \n" and self.chars and self.chars[-1] == " ":
                continue
            self.chars.append(" " if ch == "\n" else ch)
            self.offsets.append(offset + min(k, max(0, len(text) - 1)))
            self.kinds.append(kind)


def closing_bracket(text: str, start: int, open_: str = "[", close: str = "]") -> int:
    """Index of the bracket closing the one at ``start`` (or -1)."""
    depth = 0
    i = start
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == open_:
            depth += 1
        elif ch == close:
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def project(text: str, start: int, end: int, number: Callable[[str], str | None],
            out: Projection | None = None, kind: str = "prose") -> Projection:
    """Project ``text[start:end]`` (a file's text) into what the reader sees; its plain
    characters are of ``kind`` (prose, or the claim they are an outcome text of)."""
    out = out if out is not None else Projection()
    i = start
    if start == 0 or text[start - 1] == "\n":  # a block's heading, list or caption mark
        m = BLOCK_PREFIX_RE.match(text, i, end)
        i = m.end() if m else i
    while i < end:
        ch = text[i]
        if ch == "\n":
            out.add(" ", i, kind)
            i += 1
            m = QUOTE_CONTINUATION_RE.match(text, i, end)  # a block quote's next line
            if m and m.end() > i and text[start:start + 4].lstrip().startswith(">"):
                i = m.end()
            continue
        if ch == "\\" and i + 1 < end:
            out.add(" " if text[i + 1] == "\n" else text[i + 1], i + 1, kind)
            i += 2
            continue
        if text.startswith("{{<", i):
            m = SHORTCODE_RE.match(text, i)
            if m:
                name, args = m.group("name"), m.group("args").strip().strip("\"'")
                if name == "num":
                    out.add(number(args) or "", i, f"num:{args}")
                    out.hidden.append((i, m.end(), f"num:{args}"))
                else:
                    out.hidden.append((i, m.end(), f"shortcode:{name}"))
                i = m.end()
                continue
        if text.startswith("^[", i):
            close = closing_bracket(text, i + 1)
            close = close if close != -1 else end - 1
            out.hidden.append((i, close + 1, "note"))
            i = close + 1
            continue
        if text.startswith("![", i) or ch == "[":
            i = _bracket(text, i, end, number, out, kind)
            continue
        if ch == "@" or (ch == "-" and text.startswith("-@", i)):
            m = XREF_RE.match(text, i) or CITE_KEY_RE.match(text, i)
            if m and (i == 0 or not text[i - 1].isalnum()):
                kind = "xref" if XREF_RE.match(text, i) else "cite"
                out.hidden.append((i, m.end(), kind))
                i = m.end()
                continue
        if ch == "{":
            m = ATTR_RE.match(text, i)
            if m:
                i = m.end()
                continue
        if text.startswith("`{python}", i) or text.startswith("`{r}", i):
            close = text.find("`", i + 1)
            close = close if close != -1 else end - 1
            out.hidden.append((i, close + 1, "cell"))
            i = close + 1
            continue
        if ch in "*`" or (ch == "_" and _emphasis_underscore(text, i)) or \
                text.startswith("~~", i):
            i += 2 if text.startswith("~~", i) else 1
            continue
        if text.startswith("---", i):
            out.add("\u2014", i, kind)
            i += 3
            continue
        if text.startswith("--", i):
            out.add("\u2013", i, kind)
            i += 2
            continue
        if text.startswith("...", i):
            out.add("\u2026", i, kind)
            i += 3
            continue
        out.add(ch, i, kind)
        i += 1
    return out


def _emphasis_underscore(text: str, i: int) -> bool:
    """An ``_`` that opens or closes emphasis: not inside a word, and with a partner in
    the same paragraph (``_book/`` alone is a literal underscore)."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before.isalnum() and after.isalnum():
        return False
    para_start = text.rfind("\n\n", 0, i) + 1
    para_end = text.find("\n\n", i)
    para_end = len(text) if para_end == -1 else para_end
    return text.count("_", para_start, para_end) >= 2


def _bracket(text: str, i: int, end: int, number: Callable[[str], str | None],
             out: Projection, kind: str) -> int:
    """A ``[...]`` group: a citation, a link or span (its text shows), or a literal. A
    claim (``[…]{.claim key=…}``) shows one of its outcome texts, chosen by the analysis:
    its characters are of kind ``claim:<key>``."""
    image = text.startswith("![", i)
    open_at = i + 1 if image else i
    close = closing_bracket(text, open_at)
    if close == -1 or close >= end:
        out.add(text[i], i, kind)
        return i + 1
    inner = text[open_at + 1:close]
    after = close + 1
    if not image and re.search(r"(?:^|[\s;\[])-?@[A-Za-z0-9_]", inner) and \
            not text.startswith(("(", "{"), after):
        out.hidden.append((i, after, "cite"))
        return after
    attrs = ""
    if text.startswith("(", after):
        paren = closing_bracket(text, after, "(", ")")
        link_end = paren + 1 if paren != -1 else after
    else:
        link_end = after
    if text.startswith("{", link_end):
        brace = text.find("}", link_end)
        attrs = text[link_end:brace + 1] if brace != -1 else ""
    claim = re.search(r"\.claim\b", attrs)
    if claim:
        key = re.search(r"key=[\"']?([^\"'\s}]+)", attrs)
        kind = f"claim:{key.group(1) if key else '?'}"
        out.hidden.append((i, link_end + len(attrs), kind))
    project(text, open_at + 1, close, number, out, kind)
    return link_end + len(attrs)
