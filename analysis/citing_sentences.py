"""Sentences in the chapters that attribute something to a cited work, and their audit list.

Every such sentence gets a line in ``bibliography/CLAIMS.md``: where it is, how it begins,
the works it cites, the page where known, and what supports the statement (the work's
abstract, the publisher's description, a review) or ``niet nagegaan``. The list only
stays true if it moves with the text, so tests/test_citing_sentences.py compares it with
what this module finds in the chapters: a citing sentence without a line, a line whose
sentence is gone or reworded, or a changed set of cited works fails.

A citation is a bracketed group holding at least one key of the bibliography
(``[@a; @b]``, ``[Vgl. @a]``) or a key written in the text (``@a``). The sentence it
belongs to is the text before it back to the previous sentence end, so
``… tijd.[@amiri2020]`` cites the sentence ending in ``tijd.``.

    python analysis/citing_sentences.py    # print lines for sentences not yet listed
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIB = ROOT / "bibliography/references.bib"
LIST = ROOT / "bibliography/CLAIMS.md"
UNVERIFIED = "niet nagegaan"
EXCERPT_WORDS = 10
KEY_RE = re.compile(r"^@\w+\{([^,\s]+),", re.M)
GROUP_RE = re.compile(r"\[[^\[\]]*@[\w-]+[^\[\]]*\]")
AT_RE = re.compile(r"(?<![\w.])@([\w-]+)")
# A sentence ends with . ! or ? (or a citation group) followed by white space.
END_RE = re.compile(r"(?:[.!?]|\])[)\"'’”*]*\s")
ROW_RE = re.compile(r"^\|\s*`(?P<file>[^`:]+):(?P<line>\d+)`\s*\|(?P<rest>.*)\|\s*$")


@dataclass(frozen=True)
class Citing:
    """One citing sentence: file, line of its citation, cited keys, the sentence."""

    file: str
    line: int
    keys: tuple[str, ...]
    sentence: str

    def excerpt(self) -> str:
        words = self.sentence.split()
        return " ".join(words[:EXCERPT_WORDS]) + (" …" if len(words) > EXCERPT_WORDS else "")


@dataclass(frozen=True)
class Entry:
    """One line of the audit list."""

    file: str
    line: int
    excerpt: str
    keys: tuple[str, ...]
    page: str
    support: str
    row: int


def bib_keys(bib: Path = BIB) -> set[str]:
    return set(KEY_RE.findall(bib.read_text(encoding="utf-8")))


def normal(text: str) -> str:
    """Whitespace folded, so a sentence and its excerpt compare across line breaks."""
    return " ".join(text.split())


def _sentence_before(text: str, at: int) -> str:
    """The sentence that ends just before offset ``at`` (the start of its citation)."""
    para_start = text.rfind("\n\n", 0, at)
    para_start = 0 if para_start < 0 else para_start + 2
    head = text[para_start:at].rstrip()
    body = head[:-1] if head.endswith((".", ":", ";", ",")) else head
    ends = [m.end() for m in END_RE.finditer(body)]
    start = ends[-1] if ends else 0
    sentence = normal(body[start:])
    sentence = re.sub(r"^(?:[-*+]|\d+\.)\s+", "", sentence)  # a list item's marker
    return sentence


def citing_sentences(path: Path, keys: set[str], root: Path = ROOT) -> list[Citing]:
    """Every citation of a bibliography key in ``path``, with its sentence."""
    text = path.read_text(encoding="utf-8")
    rel = path.relative_to(root).as_posix()
    out: list[Citing] = []
    taken: list[tuple[int, int]] = []
    for m in GROUP_RE.finditer(text):
        cited = tuple(k for k in AT_RE.findall(m.group()) if k in keys)
        if cited:
            taken.append(m.span())
            first = m.start() + m.group().index("@" + cited[0])
            out.append(Citing(rel, text.count("\n", 0, first) + 1, cited,
                              _sentence_before(text, m.start())))
    for m in AT_RE.finditer(text):
        if m.group(1) in keys and not any(a <= m.start() < b for a, b in taken):
            # a key in the running text: the sentence is the one around it
            end = END_RE.search(text, m.end())
            stop = end.start() + 1 if end else len(text)
            out.append(Citing(rel, text.count("\n", 0, m.start()) + 1, (m.group(1),),
                              _sentence_before(text, stop)))
    return sorted(out, key=lambda c: (c.file, c.line, c.keys))


def book_sentences(root: Path = ROOT) -> list[Citing]:
    """Citing sentences of the book's own prose (index and chapters), in order."""
    keys = bib_keys(root / "bibliography/references.bib")
    sources = [root / "index.qmd", *sorted((root / "chapters").glob("*.qmd"))]
    return [c for p in sources if p.exists() for c in citing_sentences(p, keys, root)]


def read_list(path: Path = LIST) -> list[Entry]:
    """The audit list's rows: | `file:line` | excerpt | `keys` | page | support |."""
    entries: list[Entry] = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        m = ROW_RE.match(line)
        if not m:
            continue
        cells = [c.strip() for c in m["rest"].split(" | ")]
        if len(cells) != 4:
            raise ValueError(f"{path}:{i}: expected 5 cells (place, statement, works, page, "
                             f"support), found {len(cells) + 1}: {line!r}")
        excerpt, works, page, support = cells
        entries.append(Entry(m["file"], int(m["line"]), excerpt,
                             tuple(re.findall(r"`([\w-]+)`", works)), page, support, i))
    return entries


def row(c: Citing, page: str = "—", support: str = UNVERIFIED) -> str:
    works = ", ".join(f"`{k}`" for k in c.keys)
    return f"| `{c.file}:{c.line}` | {c.excerpt()} | {works} | {page} | {support} |"


if __name__ == "__main__":
    listed = {(e.file, e.line, e.keys) for e in read_list()} if LIST.exists() else set()
    for c in book_sentences():
        if (c.file, c.line, c.keys) not in listed:
            print(row(c))
    sys.exit(0)
