"""The ``@key`` citations written in a chapter, found without reading any bibliography.

Shared by the bibliography check (unknown and never-cited keys) and the book plan (which
works the references chapter lists: the cited ones, as Quarto does). Kept apart from
:mod:`proefdruk.bibliography` so that planning the book, on every Snakemake start, does
not pay for importing the BibTeX parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# Quarto cross-reference prefixes: @fig-x is a figure, not a citation.
CROSSREF_PREFIXES = ("fig-", "tbl-", "sec-", "eq-", "lst-", "thm-", "lem-", "cor-",
                     "prp-", "cnj-", "def-", "exm-", "exr-", "sol-", "rem-", "apx-")
# A pandoc citation key: starts with a letter, digit or _, may contain internal
# punctuation, never ends with it. Not preceded by a word character (e-mail addresses).
CITE_RE = re.compile(r"(?<![\w.@\\])@(?:\{([^}\s]+)\}|([\w][\w:.#$%&\-+?<>~/]*))")
TRAILING_PUNCT = ".:,;?!/-+"


@dataclass
class Citation:
    """One ``@key`` in a chapter."""

    key: str
    file: str
    line: int


def _strip_code(line: str) -> str:
    return re.sub(r"`[^`]*`", lambda m: " " * len(m.group(0)), line)


def scan_citations(path: str | Path) -> list[Citation]:
    """The ``@key`` citations of one chapter, skipping code, cross-references and e-mail."""
    out: list[Citation] = []
    in_fence: str | None = None
    in_comment = False
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    for number, raw in enumerate(lines, start=1):
        stripped = raw.lstrip()
        fence = re.match(r"(`{3,}|~{3,})", stripped)
        if fence:
            if in_fence is None:
                in_fence = fence.group(1)[0]
                continue
            if fence.group(1)[0] == in_fence:
                in_fence = None
                continue
        if in_fence:
            continue
        line = _strip_code(raw)
        if in_comment:
            if "-->" not in line:
                continue
            line = line.split("-->", 1)[1]
            in_comment = False
        line = re.sub(r"<!--.*?-->", "", line)
        if "<!--" in line:
            line = line.split("<!--", 1)[0]
            in_comment = True
        line = re.sub(r"\{\{<.*?>\}\}", "", line)  # shortcodes
        for m in CITE_RE.finditer(line):
            key = m.group(1) or m.group(2).rstrip(TRAILING_PUNCT)
            if not key or key.startswith(CROSSREF_PREFIXES):
                continue
            out.append(Citation(key=key, file=str(path), line=number))
    return out
