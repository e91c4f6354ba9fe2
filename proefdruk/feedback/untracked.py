"""Edits made without Track Changes: the DOCX's text differs from the source's.

A supervisor who forgets to switch on Track Changes leaves no ``w:ins``/``w:del``; the
edit only shows as a difference between the paragraph's text and what its (unchanged)
source renders to. Generated text (numbers, cross-references, citations, caption labels,
heading numbers) differs too, so only differences in the author's prose count: source
prose missing or replaced in the DOCX, and DOCX words added in the middle of prose with
no generated element next to them. Paragraphs whose file changed since the edition are
skipped (their differences are the author's own later edits).
"""

from __future__ import annotations

import difflib

from proefdruk.feedback.docx_read import Feedback
from proefdruk.feedback.items import Item
from proefdruk.feedback.locate import Placement, Sources, place
from proefdruk.feedback.project_text import normalise
from proefdruk.render.core.source import is_generated

REASON = ("the DOCX text differs from the source here, but no change was tracked "
          "(edited with Track Changes off?): compare the two and edit by hand")


def _generated_near(pl: Placement, j: int) -> bool:
    """Whether a generated element sits at projection position ``j`` (between the
    characters j-1 and j, allowing for the spaces around it)."""
    offsets = pl.projection.offsets
    lo = offsets[max(0, j - 2)]
    hi = offsets[min(len(offsets) - 1, j + 1)]
    return any(a < hi and b > lo for a, b, _ in pl.projection.hidden)


def _word(text: str, i: int, step: int) -> int:
    """Move ``i`` to the word boundary in direction ``step`` (-1 start, +1 end)."""
    if step < 0:
        while i > 0 and text[i - 1].isalnum():
            i -= 1
    else:
        while i < len(text) and text[i].isalnum():
            i += 1
    return i


def _differences(docx: str, source: str, pl: Placement) -> list[tuple[int, int, int, int]]:
    """Ranges (docx i1..i2, source j1..j2) where prose differs, whole words, merged."""
    kept: list[list[int]] = []
    matcher = difflib.SequenceMatcher(None, docx, source, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "insert"):
            if not source[j1:j2].strip() or any(
                    k != "prose" for k in pl.projection.kinds[j1:j2]):
                continue
        elif tag == "delete":
            if not docx[i1:i2].strip() or j1 == 0 or j1 >= len(source) or \
                    _generated_near(pl, j1):
                continue
        else:
            continue
        if kept and i1 - kept[-1][1] <= 3 and j1 - kept[-1][3] <= 3:
            kept[-1][1], kept[-1][3] = i2, j2
        else:
            kept.append([i1, i2, j1, j2])
    out = []
    for i1, i2, j1, j2 in kept:
        back, forward = i1 - _word(docx, i1, -1), _word(docx, i2, +1) - i2
        out.append((i1 - back, i2 + forward, max(0, j1 - back), min(len(source), j2 + forward)))
    return out


def untracked(fb: Feedback, src: Sources) -> list[Item]:
    """Differences between each marked paragraph and its unchanged source."""
    out: list[Item] = []
    for para in fb.paragraphs:
        if not para.marks or para.marks[0][0] != "pd" or para.in_table:
            continue
        pl = place(para, fb, src)
        if pl is None or pl.fuzzy or is_generated(pl.file) or not pl.projection.chars:
            continue
        docx, source = normalise(para.old), normalise(pl.projection.text)
        for i1, i2, j1, j2 in _differences(docx, source, pl):
            at = pl.projection.offsets[min(j1, len(source) - 1)]
            out.append(Item("untracked", (para.index, i1), "", "", file=pl.file,
                            line=src.line_of(pl.file, at), old=pl.projection.text[j1:j2],
                            new=para.old[i1:i2], action="manual", reason=REASON))
    return out
