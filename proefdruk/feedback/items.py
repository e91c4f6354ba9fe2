"""Every comment and tracked change as one item at its file and line, with what to do.

A change to the author's own prose becomes an edit for the patch. A change that touches
something the build generates cannot be patched into the text, because the next build
would overwrite it or the text does not hold it: a registry number, a citation footnote,
a cross-reference, a generated table, the caption of a generated figure. Those are
listed as "manual", with the reason and what to change instead. A change the source
already holds (its patch was applied, or the author made it by hand, and the same DOCX is
read again) is listed as "already in the source", never patched a second time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from proefdruk.feedback.docx_read import Change, Comment, Feedback, Paragraph
from proefdruk.feedback.locate import (
    FUZZY_THRESHOLD,
    Placement,
    Sources,
    _projections,
    kinds_between,
    mark_problem,
    place,
    to_source,
)
from proefdruk.feedback.project_text import normalise, project
from proefdruk.render.core.source import code_fence_mask, is_generated

GENERATED_INCLUDE_RE = re.compile(r"\{\{<\s*include\s+\S*results/")
GENERATED_IMAGE_RE = re.compile(r"!\[.*\]\((?:\.\./)*results/")
MARKDOWN_SPECIAL_RE = re.compile(r"([\\`*_\[\]{}<>@^~$#|])")


@dataclass
class Item:
    """One comment or change, placed (``file``/``line``) or not."""

    kind: str  # "comment", "insertion", "deletion", "replacement"
    order: tuple[int, int]
    author: str
    date: str
    file: str | None = None
    line: int | None = None
    old: str = ""
    new: str = ""
    quoted: str = ""
    comment: str = ""
    action: str = "comment"  # "comment", "patch", "applied", "manual" or "unplaced"
    reason: str = ""
    fuzzy: bool = False
    edit: tuple[str, int, int, str] | None = None  # (file, start, end, replacement)


def escape_markdown(text: str) -> str:
    """Text typed in Word as literal pandoc markdown (no accidental emphasis or cites)."""
    return MARKDOWN_SPECIAL_RE.sub(r"\\\1", text)


def _reason(kinds: set[str]) -> str | None:
    for kind in sorted(kinds):
        if kind.startswith("num:"):
            key = kind[4:]
            return (f"this number comes from the registry ({{{{< num {key} >}}}}): "
                    "change the analysis, not the text")
    claims = sorted(k[6:] for k in kinds if k.startswith("claim:"))
    if claims:
        return (f"the text is the outcome of claim {claims[0]}, chosen by the analysis: "
                "edit that outcome's text in the source by hand (every outcome stands there)")
    if "cite" in kinds:
        return ("a citation is generated from bibliography/references.bib: change the "
                "citation key or page in the source, or the bibliography entry")
    if "xref" in kinds:
        return "a cross-reference (@fig-/@tbl-/@sec-) is numbered by the build"
    if "cell" in kinds:
        return "the text is computed by inline code (`{python} …`): change the code"
    shortcodes = sorted(k[10:] for k in kinds if k.startswith("shortcode:"))
    if shortcodes:
        return f"the text comes from the shortcode {{{{< {shortcodes[0]} >}}}}"
    return None


def _generated_context(para: Paragraph, pl: Placement, src: Sources) -> str | None:
    """Why a whole paragraph is generated content, if it is."""
    if pl.kind == "pc":
        return ("citation footnote, generated from bibliography/references.bib: change "
                f"the citation at {pl.file}:{pl.first} or the bibliography entry")
    if is_generated(pl.file):
        return (f"generated text ({pl.file}): change the analysis or build step that "
                "writes it, not the file")
    lines = (src.text(pl.file) or "").split("\n")
    if code_fence_mask(lines)[pl.first - 1]:
        return (f"output of the code cell at {pl.file}:{pl.first}: change the code or "
                "the data it reads, not the text")
    if para.in_table:
        above = "\n".join(lines[max(0, pl.first - 6):pl.first])
        if GENERATED_INCLUDE_RE.search(above):
            return "a generated table: change the analysis that writes it, not the text"
        return "a table cell: edit the table in the source by hand"
    stretch = "\n".join(lines[pl.first - 1:pl.last])
    if "Caption" in para.style and para.style.startswith("Image") and \
            GENERATED_IMAGE_RE.search(stretch):
        return ("the caption of a generated figure: check that the figure still shows "
                "what the new caption says, then edit the caption by hand")
    return None


def _unplaced(para: Paragraph, fb: Feedback, src: Sources) -> str:
    problem = mark_problem(para, fb, src)
    if problem:
        return f"{problem}: make the change by hand where it belongs"
    if not para.marks:
        return ("this paragraph has no source mark (title page, notices, contents, parts, "
                "the bibliography or the generated provenance appendix)")
    return (f"the paragraph's text is not in the current sources (similarity below "
            f"{FUZZY_THRESHOLD:.2f}); it was rewritten or removed since this edition")


APPLIED = "already in the source: it reads as the change here; nothing to do"
# Characters of the paragraph's own text either side of a change that must surround the
# changed words in the source (longest first: a neighbouring change may have altered the
# wider context).
CONTEXTS = (24, 12, 6)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", normalise(text))


def _already_applied(change: Change, pl: Placement, fb: Feedback, src: Sources) -> bool:
    """Whether the source already reads as the change: its new words next to the words
    around it (on either side), where the old words are not. A re-run on a DOCX whose
    patch was applied would otherwise flag every change as unmatchable, or insert an
    insertion twice."""
    if pl.kind == "new":
        return _new_paragraph_in(change, src.text(pl.file) or "")
    texts = [_squeeze(pl.projection.text)]
    if pl.fuzzy:  # the source changed since the edition: the paragraph's own lines too
        texts += [_squeeze(t) for t in _marked_texts(change.para, fb, src)]
    return any(_reads_as_change(change, here) for here in texts)


def _marked_texts(para: Paragraph, fb: Feedback, src: Sources) -> list[str]:
    """The visible text of the source lines the paragraph's mark names, as they are now."""
    if not para.marks or para.marks[0][0] != "pd":
        return []
    _, number, a, b = para.marks[0]
    file = fb.files.get(number, ("", ""))[0]
    if not file or src.text(file) is None or b > src.line_count(file):
        return []
    return [p.text for p in _projections(src, file, a, b, para.part == "footnote")]


def _reads_as_change(change: Change, here: str) -> bool:
    text = change.para.old
    for width in CONTEXTS:
        left = text[max(0, change.start - width):change.start]
        right = text[change.end:change.end + width]
        for before, after in ((left, right), (left, ""), ("", right)):
            if len((before + after).strip()) < min(width, 6):
                continue
            new = _squeeze(before + change.new + after)
            old = _squeeze(before + change.old + after)
            if new.strip() and new in here and old not in here:
                return True
    # no words around it in the text (a footnote's first words before a citation): the
    # new words alone, when they are long enough to say so
    new, old = _squeeze(change.new).strip(), _squeeze(change.old).strip()
    return len(new) >= 8 and new in here and (not old or old not in here)


def _new_paragraph_in(change: Change, text: str) -> bool:
    """A paragraph the supervisor added that the source already holds."""
    body = _squeeze(change.new).strip()
    return not change.old and len(body) >= 12 and body in _squeeze(text)


def _change_item(change: Change, pl: Placement | None, fb: Feedback, src: Sources
                 ) -> Item:
    kind = "replacement" if change.old and change.new else (
        "deletion" if change.old else "insertion")
    item = Item(kind, (change.para.index, change.start), ", ".join(change.authors),
                change.date, old=change.old, new=change.new)
    if pl is None:
        item.action, item.reason = "unplaced", _unplaced(change.para, fb, src)
        for file, _ in fb.files.values():  # a new paragraph whose patch was applied
            text = src.text(file) or ""
            if _new_paragraph_in(change, text):
                item.action, item.reason, item.file = "applied", APPLIED, file
                item.line = src.line_of(file, text.find(change.new.strip()[:12]))
                break
        return item
    item.file, item.line, item.fuzzy = pl.file, pl.first, pl.fuzzy
    generated = _generated_context(change.para, pl, src)
    if generated:
        item.action, item.reason = "manual", generated
        return item
    if _already_applied(change, pl, fb, src):
        item.action, item.reason = "applied", APPLIED
        return item
    if pl.kind == "new":  # a paragraph the supervisor added: after the block before it
        at = src.span(pl.file, pl.last, pl.last)[1]
        item.line = pl.last + 1
        item.action, item.edit = "patch", (pl.file, at, at,
                                           "\n\n" + escape_markdown(change.new.strip()))
        return item
    if change.old:
        start = to_source(pl, change.start)
        end = to_source(pl, change.end - 1)
        end = end + 1 if end is not None else None
    else:
        start = end = to_source(pl, change.start, after=True) if change.start else \
            to_source(pl, 0)
    if start is None or end is None or end < start:
        reason = _reason(kinds_between(pl, change.start, change.end))
        item.action = "manual"
        item.reason = reason or ("the changed text could not be matched character by "
                                 "character with the source; make the change by hand")
        return item
    item.line = src.line_of(pl.file, start)
    text = src.text(pl.file) or ""
    inside = project(text, start, end, src.number)
    # what made these characters, seen in the whole block (a claim encloses its words)
    whole = pl.projection
    hidden = {k for a, b, k in inside.hidden} | {
        k for a, b, k in whole.hidden if a < start < b or (a < end and b > start and
                                                           change.old)} | {
        k for off, k in zip(whole.offsets, whole.kinds, strict=True)
        if start <= off < end and k != "prose"}
    reason = _reason(hidden)
    if reason:
        item.action, item.reason = "manual", reason
        return item
    if normalise(inside.text).strip() != normalise(change.old).strip():
        item.action = "manual"
        item.reason = ("the changed text spans markup in the source (emphasis, a link or "
                       "a footnote): make the change by hand")
        return item
    item.action = "patch"
    item.edit = (pl.file, start, end, escape_markdown(change.new))
    return item


def _comment_item(comment: Comment, fb: Feedback, placements: dict[int, Placement | None],
                  src: Sources) -> Item:
    order = comment.start or (len(fb.paragraphs), 0)
    item = Item("comment", order, comment.author, comment.date, quoted=comment.quoted,
                comment=comment.text)
    if comment.start is None:
        item.action, item.reason = "unplaced", "the comment is not anchored in the text"
        return item
    para = fb.paragraphs[comment.start[0]]
    pl = placements.get(para.index)
    if pl is None:
        item.action, item.reason = "unplaced", _unplaced(para, fb, src)
        return item
    item.file, item.line, item.fuzzy = pl.file, pl.first, pl.fuzzy
    if para.in_table:  # placed at the table's caption
        return item
    offset = to_source(pl, comment.start[1])
    if offset is not None:
        item.line = src.line_of(pl.file, offset)
    return item


def collect(fb: Feedback, src: Sources) -> list[Item]:
    """All comments and changes, placed, in reading order."""
    needed = {c.para.index for c in fb.changes} | {
        c.start[0] for c in fb.comments if c.start is not None}
    placements: dict[int, Placement | None] = {}
    for index in sorted(needed):
        para = fb.paragraphs[index]
        before = next((fb.paragraphs[k] for k in range(index - 1, -1, -1)
                       if fb.paragraphs[k].marks), None)
        if not para.marks and not para.bad_marks and para.in_table and before:  # a cell
            para = before
        placements[index] = place(para, fb, src, before.marks[0] if before else None)
    items = [_change_item(c, placements.get(c.para.index), fb, src) for c in fb.changes]
    items += [_comment_item(c, fb, placements, src) for c in fb.comments]
    items.sort(key=lambda i: (i.order, i.kind != "comment"))
    return items
