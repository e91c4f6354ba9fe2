"""Placing what the supervisor wrote on the source lines it refers to.

Each DOCX paragraph names its source stretch in a bookmark. When the file is unchanged
since the edition (same SHA-256), that stretch is read as is; when it changed (a DOCX
from an older edition), the paragraph is looked up in the current file: the block whose
visible text is most similar wins, if the similarity (difflib's ratio) reaches
:data:`FUZZY_THRESHOLD`. What cannot be placed
is listed, never guessed.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from proefdruk.feedback.docx_read import Feedback, Paragraph
from proefdruk.feedback.project_text import Projection, closing_bracket, normalise, project
from proefdruk.feedback.scope import Scope
from proefdruk.render.core.sourcepos import HEADING_RE, PREFIX_RE

FUZZY_THRESHOLD = 0.6
NOTE_OPEN_RE = re.compile(r"\^\[")


@dataclass
class Placement:
    """Where one DOCX paragraph comes from, and how its text aligns with the source."""

    file: str
    first: int  # 1-based lines
    last: int
    kind: str  # "pd" (a block or footnote) or "pc" (a citation footnote)
    projection: Projection
    blocks: list[tuple[int, int, int]]  # difflib matching blocks (docx, projection, size)
    fuzzy: bool
    ratio: float


class Sources:
    """The current source files, their lines and the registry's display values.

    With a ``scope`` (:mod:`.scope`) a file outside the book reads as missing, whatever
    asks for it: a second guard behind the check of the DOCX's properties."""

    def __init__(self, root: str | Path, scope: Scope | None = None) -> None:
        self.root = Path(root)
        self.scope = scope
        self._text: dict[str, str | None] = {}
        self._numbers: dict[str, dict[str, str]] = {}
        self._sha: dict[str, str] = {}
        self._starts: dict[str, list[int]] = {}

    def readable(self, file: str) -> bool:
        """Whether ``file`` is one of the book's files (any file, without a scope)."""
        return self.scope is None or file in self.scope.readable

    def patchable(self, file: str) -> bool:
        """Whether the patch may change ``file``: a source the author writes."""
        return self.scope is None or file in self.scope.patchable

    def text(self, file: str) -> str | None:
        if file not in self._text:
            path = self.root / file
            self._text[file] = path.read_text(encoding="utf-8").replace("\r\n", "\n") \
                if self.readable(file) and path.is_file() else None
        return self._text[file]

    def sha(self, file: str) -> str:
        if file not in self._sha:
            path = self.root / file
            self._sha[file] = hashlib.sha256(path.read_bytes()).hexdigest() \
                if self.readable(file) and path.is_file() else ""
        return self._sha[file]

    def line_count(self, file: str) -> int:
        return len(self.line_offsets(file))

    def line_offsets(self, file: str) -> list[int]:
        if file not in self._starts:
            text = self.text(file) or ""
            self._starts[file] = [0, *(m.end() for m in re.finditer("\n", text))]
        return self._starts[file]

    def line_of(self, file: str, offset: int) -> int:
        starts = self.line_offsets(file)
        lo, hi = 0, len(starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1

    def number(self, key: str) -> str | None:
        """The display form of a registry number, if the analysis has run."""
        namespace = key.split(".", 1)[0]
        if namespace not in self._numbers:
            path = self.root / "results" / "numbers" / f"{namespace}.json"
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                self._numbers[namespace] = {k: str(v.get("display", ""))
                                            for k, v in data.get("numbers", {}).items()}
            except (OSError, ValueError, AttributeError):
                self._numbers[namespace] = {}
        return self._numbers[namespace].get(key)

    def span(self, file: str, first: int, last: int) -> tuple[int, int]:
        starts = self.line_offsets(file)
        text = self.text(file) or ""
        a = starts[min(first, len(starts)) - 1]
        b = starts[last] - 1 if last < len(starts) else len(text)
        return a, max(a, b)


def _align(docx_text: str, proj: Projection) -> tuple[list[tuple[int, int, int]], float]:
    matcher = difflib.SequenceMatcher(None, normalise(docx_text), normalise(proj.text),
                                      autojunk=False)
    blocks = [(m.a, m.b, m.size) for m in matcher.get_matching_blocks() if m.size]
    return blocks, matcher.ratio()


def _projections(src: Sources, file: str, first: int, last: int, note: bool
                 ) -> list[Projection]:
    """Candidate projections of a stretch: the block itself, or each footnote in it."""
    text = src.text(file) or ""
    a, b = src.span(file, first, last)
    if not note:
        return [project(text, a, b, src.number)]
    out = []
    for m in NOTE_OPEN_RE.finditer(text, a, b):
        close = closing_bracket(text, m.start() + 1)
        out.append(project(text, m.end(), close if close != -1 else b, src.number))
    return out or [project(text, a, b, src.number)]


def _best(para: Paragraph, cands: list[tuple[str, int, int, Projection]], near: int = 0
          ) -> tuple[tuple[str, int, int, Projection], list[tuple[int, int, int]], float] | None:
    """The most similar candidate; of equals, the one nearest to line ``near``."""
    best, best_key = None, None
    for cand in cands:
        blocks, ratio = _align(para.old, cand[3])
        key = (round(ratio, 3), -abs(cand[1] - near))
        if best_key is None or key > best_key:
            best, best_key = (cand, blocks, ratio), key
    return best


def _blocks_of(src: Sources, file: str) -> list[tuple[int, int]]:
    """(first, last) lines of every block of a file: blank-line separated, and each list
    item or heading on its own."""
    lines = (src.text(file) or "").split("\n")
    out, start = [], None
    for i, line in enumerate(lines, 1):
        if start is not None and (PREFIX_RE.match(line) or HEADING_RE.match(line)):
            out.append((start, i - 1))
            start = None
        if line.strip() and start is None:
            start = i
        elif not line.strip() and start is not None:
            out.append((start, i - 1))
            start = None
    if start is not None:
        out.append((start, len(lines)))
    return out


def place(para: Paragraph, fb: Feedback, src: Sources,
          previous: tuple[str, int, int, int] | None = None) -> Placement | None:
    """Source stretch of one paragraph (None when it cannot be placed).

    A paragraph without a mark of its own (one the supervisor added, or one the renderer
    could not mark) is placed after ``previous``, the mark of the paragraph before it:
    a new paragraph goes right after that block ("new"); an old one is looked up by text.
    """
    if mark_problem(para, fb, src):
        return None
    mark = para.marks[0] if para.marks else previous
    if mark is None:
        return None
    kind, file_no, a, b = mark
    file, sha = fb.files.get(file_no, ("", ""))
    if not file or src.text(file) is None:
        return None
    exact = bool(sha) and sha == src.sha(file)
    if not para.marks:
        if para.old.strip():
            return _search(para, file, b, src)
        if kind != "pd" or not exact:
            return None
        return Placement(file, b, b, "new", Projection(), [], False, 0.0)
    if kind == "pc":
        return _cite(file, a, b, src, fuzzy=not exact)
    note = para.part == "footnote"
    if exact:
        cands = [(file, a, b, p) for p in _projections(src, file, a, b, note)]
        found = _best(para, cands)  # the file is as it was: the mark is right
        if found:
            (_, f1, f2, proj), blocks, ratio = found
            return Placement(file, f1, f2, kind, proj, blocks, False, ratio)
    return _search(para, file, a, src, kind)


def mark_problem(para: Paragraph, fb: Feedback, src: Sources) -> str | None:
    """Why the paragraph's own source mark cannot be believed, naming the bookmark.

    The renderer writes only well-formed marks within their files, so a bad one was made
    or edited by hand: that paragraph is listed as not placed rather than guessed at
    (placing it after the paragraph before it would put the remark on the wrong line),
    and the rest of the report stands."""
    if not para.marks:
        if para.bad_marks:
            return (f"its source mark, the bookmark {para.bad_marks[0]!r}, is malformed "
                    "(expected pd<file>_<first line>_<last line>, lines from 1, first "
                    "not after last)")
        return None
    kind, file_no, a, b = para.marks[0]
    name = f"{kind}{file_no}_{a}_{b}"
    if file_no not in fb.files:
        return (f"its source mark, the bookmark {name!r}, names file number {file_no}, "
                f"but the DOCX has no document property proefdruk-bron-{file_no}")
    file, sha = fb.files[file_no]
    if kind == "pd" and sha and src.text(file) is not None and sha == src.sha(file) \
            and b > src.line_count(file):
        return (f"its source mark, the bookmark {name!r}, names lines {a}-{b}, but "
                f"{file} has {src.line_count(file)} lines and is unchanged since the "
                "edition")
    return None


def _search(para: Paragraph, file: str, near: int, src: Sources, kind: str = "pd"
            ) -> Placement | None:
    """The block of ``file`` whose text is most like the paragraph's, if similar enough."""
    cands = []
    for f1, f2 in _blocks_of(src, file):
        for p in _projections(src, file, f1, f2, para.part == "footnote"):
            cands.append((file, f1, f2, p))
    found = _best(para, cands, near=near)
    if found is None or found[2] < FUZZY_THRESHOLD:
        return None
    (_, f1, f2, proj), blocks, ratio = found
    return Placement(file, f1, f2, kind, proj, blocks, True, ratio)


def _cite(file: str, line: int, k: int, src: Sources, *, fuzzy: bool) -> Placement | None:
    """A citation footnote: the line of the k-th citation of the block at ``line``."""
    block = next(((f1, f2) for f1, f2 in _blocks_of(src, file) if f1 <= line <= f2), None)
    if block is None:
        return None
    text = src.text(file) or ""
    proj = project(text, *src.span(file, *block), src.number)
    cites = sorted(a for a, _, kind in proj.hidden if kind == "cite")
    if not cites:
        return None
    at = src.line_of(file, cites[min(k, len(cites)) - 1])
    return Placement(file, at, at, "pc", Projection(), [], fuzzy or k > len(cites), 0.0)


def to_source(pl: Placement, offset: int, *, after: bool = False) -> int | None:
    """The file offset of DOCX character ``offset`` (None if it has no counterpart).

    With ``after`` the position just after the character before ``offset`` (where an
    insertion goes)."""
    target = offset - 1 if after else offset
    for a, b, size in pl.blocks:
        if a <= target < a + size:
            idx = b + target - a
            return pl.projection.offsets[idx] + (1 if after else 0)
    return None


def kinds_between(pl: Placement, start: int, end: int) -> set[str]:
    """What made the source between the DOCX characters ``start``..``end``: the kinds of
    the projected characters and of the hidden constructs in that stretch of source."""
    lo = _neighbour(pl, start, -1)
    hi = _neighbour(pl, end, +1)
    kinds = {k for i, k in enumerate(pl.projection.kinds)
             if pl.projection.offsets[i] >= lo and pl.projection.offsets[i] < hi}
    kinds |= {k for a, b, k in pl.projection.hidden if a < hi and b > lo}
    return kinds


def _neighbour(pl: Placement, offset: int, step: int) -> int:
    """Source offset of the nearest aligned DOCX character before/after ``offset``."""
    proj = pl.projection
    if not proj.offsets:
        return 0
    probe = offset - 1 if step < 0 else offset
    aligned = {}
    for a, b, size in pl.blocks:
        for k in range(size):
            aligned[a + k] = proj.offsets[b + k]
    while 0 <= probe <= max(aligned or {0: 0}):
        if probe in aligned:
            return aligned[probe] + (1 if step < 0 else 0)
        probe += step
    return proj.offsets[0] if step < 0 else proj.offsets[-1] + 1
