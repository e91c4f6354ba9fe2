"""Reading a returned DOCX: paragraphs in reading order, comments and tracked changes.

Word (and LibreOffice) store a tracked insertion as runs inside ``w:ins``, a deletion as
``w:delText`` runs inside ``w:del``, and a comment as a ``w:comment`` in comments.xml
whose range is marked in the text by ``w:commentRangeStart``/``End`` with the same id.
We read the XML directly, because we need what python-docx hides: the bookmarks with
the source positions (:mod:`proefdruk.render.editions.docx_marks`) and the original text next to
the new one. Footnotes are read right after the paragraph that refers to them, which is
the order a reader meets them in.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from proefdruk.errors import BuildError
from proefdruk.feedback.docx_limits import read_parts
from proefdruk.render.editions.docx_marks import FILE_PROPERTY, SCHEME_PROPERTY

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Nine digits at most: no real book has more files or lines, and int() of a longer run is
# slow or refused (Python's limit on digits). A name that starts like a mark but does not
# parse is kept as malformed, so its paragraph is listed, never placed by a guess.
MARK_RE = re.compile(r"^(?P<kind>pd|pc)(?P<file>\d{1,9})_(?P<a>\d{1,9})_(?P<b>\d{1,9})(?:_\w*)?$")
MARK_LIKE_RE = re.compile(r"^p[dc]\d")
INSERTED, DELETED = (W + "ins", W + "moveTo"), (W + "del", W + "moveFrom")


@dataclass
class Segment:
    kind: str  # "same", "ins" or "del"
    text: str
    author: str = ""
    date: str = ""


@dataclass
class Paragraph:
    """One paragraph of the returned DOCX, with the source marks it carries."""

    index: int
    part: str  # "body" or "footnote"
    style: str
    in_table: bool
    marks: list[tuple[str, int, int, int]]  # (kind, file number, a, b)
    segments: list[Segment] = field(default_factory=list)
    bad_marks: list[str] = field(default_factory=list)  # names like a mark, unusable

    @property
    def old(self) -> str:
        return "".join(s.text for s in self.segments if s.kind != "ins")

    @property
    def new(self) -> str:
        return "".join(s.text for s in self.segments if s.kind != "del")


@dataclass
class Change:
    """A tracked insertion, deletion or replacement: ``old`` at ``start``..``end`` of the
    paragraph's original text becomes ``new``."""

    para: Paragraph
    start: int
    end: int
    old: str
    new: str
    authors: list[str]
    date: str


@dataclass
class Comment:
    ident: str
    author: str
    date: str
    text: str
    start: tuple[int, int] | None = None  # (paragraph index, offset in original text)
    end: tuple[int, int] | None = None
    quoted: str = ""


@dataclass
class Feedback:
    """Everything read from one returned DOCX."""

    paragraphs: list[Paragraph]
    changes: list[Change]
    comments: list[Comment]
    files: dict[int, tuple[str, str]]  # file number -> (path, sha256 at edition time)


def _not_docx(path: Path, found: str) -> BuildError:
    return BuildError("not a DOCX file", file=str(path),
                      expected="a Word document (.docx: a zip archive with word/document.xml)",
                      found=found,
                      hint="save the supervisor's file as .docx (Word: File > Save As > "
                           "Word Document) and run the command on that file")


def _open(path: Path) -> dict[str, bytes]:
    if path.is_dir():
        raise BuildError("the DOCX to read is a folder", file=str(path),
                         expected="a returned .docx file", found="a folder",
                         hint="give the path of the returned file inside it: "
                              "proefdruk feedback --docx path/to/file.docx")
    if not path.is_file():
        raise BuildError("the DOCX to read does not exist", file=str(path),
                         hint="give the path of the returned file: "
                              "proefdruk feedback --docx path/to/file.docx")
    with path.open("rb") as f:  # the head only: the file may be huge
        head = f.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise _not_docx(path, "an old Word 97-2003 .doc file")
    if not zipfile.is_zipfile(path):
        raise _not_docx(path, f"a file starting with {head!r}")
    try:
        with zipfile.ZipFile(path) as z:
            parts = read_parts(z, path)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
            ValueError, OSError) as exc:  # a damaged, encrypted or truncated member
        raise _not_docx(path, f"a damaged or unreadable zip archive ({exc})") from exc
    if "word/document.xml" not in parts:
        raise _not_docx(path, "a zip archive without word/document.xml")
    return parts


def _xml(data: bytes, path: Path, part: str) -> Any:
    try:
        return etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise _not_docx(path, f"{part} is not well-formed XML ({exc})") from exc


def _parser() -> Any:
    """No DTD, no entities, no network: a part can only hold its own text (an entity
    naming a file on disk would otherwise bring that file into the report)."""
    return etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True,
                           huge_tree=False)


def _properties(parts: dict[str, bytes], path: Path) -> dict[str, str]:
    data = parts.get("docProps/custom.xml")
    if not data:
        return {}
    root = _xml(data, path, "docProps/custom.xml")
    out = {}
    for prop in root:
        name = prop.get("name")
        if name:
            out[name] = "".join(prop.itertext()).strip()
    return out


def _style_names(parts: dict[str, bytes], path: Path) -> dict[str, str]:
    data = parts.get("word/styles.xml")
    if not data:
        return {}
    root = _xml(data, path, "word/styles.xml")
    out = {}
    for style in root.iter(W + "style"):
        name = style.find(W + "name")
        if name is not None:
            out[style.get(W + "styleId", "")] = name.get(W + "val", "")
    return out


class _Reader:
    """Walks paragraphs, collecting text segments, marks and comment anchors."""

    def __init__(self, styles: dict[str, str], footnotes: dict[str, Any]) -> None:
        self.styles = styles
        self.footnotes = footnotes
        self.paragraphs: list[Paragraph] = []
        self.anchors: dict[str, dict[str, tuple[int, int]]] = {}

    def body(self, body: Any) -> None:
        for p in body.iter(W + "p"):
            refs = self.paragraph(p, "body")
            for ref in refs:
                note = self.footnotes.get(ref)
                if note is not None:
                    for q in note.iter(W + "p"):
                        self.paragraph(q, "footnote")

    def paragraph(self, p: Any, part: str) -> list[str]:
        style_el = p.find(f"{W}pPr/{W}pStyle")
        style_id = style_el.get(W + "val", "") if style_el is not None else ""
        in_table = any(a.tag == W + "tc" for a in p.iterancestors())
        para = Paragraph(len(self.paragraphs), part, self.styles.get(style_id, style_id),
                         in_table, [])
        self.paragraphs.append(para)
        offset = 0
        refs: list[str] = []
        for el in p.iter():
            tag = el.tag
            if tag == W + "bookmarkStart":
                _mark(para, el.get(W + "name", ""))
            elif tag in (W + "commentRangeStart", W + "commentRangeEnd"):
                key = "start" if tag.endswith("Start") else "end"
                self.anchors.setdefault(el.get(W + "id", ""), {})[key] = (para.index, offset)
            elif tag == W + "commentReference":
                self.anchors.setdefault(el.get(W + "id", ""), {}).setdefault(
                    "ref", (para.index, offset))
            elif tag == W + "footnoteReference":
                refs.append(el.get(W + "id", ""))
            elif tag in (W + "t", W + "delText", W + "tab", W + "br", W + "cr",
                         W + "noBreakHyphen"):
                text = {W + "tab": "\t", W + "br": " ", W + "cr": " ",
                        W + "noBreakHyphen": "-"}.get(tag, el.text or "")
                kind, author, date = _change_kind(el, p)
                if kind is None:
                    continue
                if kind != "ins":
                    offset += len(text)
                last = para.segments[-1] if para.segments else None
                if last and (last.kind, last.author, last.date) == (kind, author, date):
                    last.text += text
                else:
                    para.segments.append(Segment(kind, text, author, date))
        return refs


def _mark(para: Paragraph, name: str) -> None:
    """Record bookmark ``name`` on ``para``: a source mark, a malformed one, or neither.

    A ``pd`` mark spans lines first..last (from 1, first not after last); a ``pc`` mark
    is line and the k-th citation (both from 1). Word's own bookmarks (``_GoBack``,
    ``_Toc…``) and a supervisor's are not ours and are ignored."""
    m = MARK_RE.match(name)
    if m:
        kind, file_no, a, b = (m.group("kind"), int(m.group("file")), int(m.group("a")),
                               int(m.group("b")))
        if file_no >= 1 and a >= 1 and b >= 1 and (kind == "pc" or a <= b):
            para.marks.append((kind, file_no, a, b))
            return
    if MARK_LIKE_RE.match(name):  # kept to be named in the report: Word allows only
        # letters, digits and _ in a bookmark, so anything else is replaced, never shown
        para.bad_marks.append(re.sub(r"\W", "?", name[:80], flags=re.ASCII))


def _change_kind(el: Any, p: Any) -> tuple[str | None, str, str]:
    """"same", "ins" or "del" for a text element, with the change's author and date
    (None for text inserted and then deleted again: in neither version)."""
    inserted = deleted = None
    for anc in el.iterancestors():
        if anc is p:
            break
        if anc.tag in INSERTED and inserted is None:
            inserted = anc
        elif anc.tag in DELETED and deleted is None:
            deleted = anc
    if inserted is not None and deleted is not None:
        return None, "", ""
    change = inserted if inserted is not None else deleted
    if change is None:
        return "same", "", ""
    return ("ins" if inserted is not None else "del", change.get(W + "author", ""),
            change.get(W + "date", ""))


def _changes(paragraphs: list[Paragraph]) -> list[Change]:
    """Adjacent deletions and insertions in a paragraph form one change."""
    out: list[Change] = []
    for para in paragraphs:
        offset = 0
        current: Change | None = None
        for seg in para.segments:
            if seg.kind == "same":
                offset += len(seg.text)
                current = None
                continue
            if current is None:
                current = Change(para, offset, offset, "", "", [], seg.date)
                out.append(current)
            if seg.author and seg.author not in current.authors:
                current.authors.append(seg.author)
            if seg.kind == "del":
                current.old += seg.text
                offset += len(seg.text)
                current.end = offset
            else:
                current.new += seg.text
    return [c for c in out if c.old.strip() or c.new.strip()]


def _comments(parts: dict[str, bytes], path: Path, anchors: dict[str, dict[str, Any]],
              paragraphs: list[Paragraph]) -> list[Comment]:
    data = parts.get("word/comments.xml")
    if not data:
        return []
    out = []
    for el in _xml(data, path, "word/comments.xml").iter(W + "comment"):
        ident = el.get(W + "id", "")
        text = "\n".join("".join(t.text or "" for t in p.iter(W + "t"))
                         for p in el.iter(W + "p")).strip()
        anchor = anchors.get(ident, {})
        start = anchor.get("start") or anchor.get("ref")
        end = anchor.get("end") or start
        comment = Comment(ident, el.get(W + "author", ""), el.get(W + "date", ""), text,
                          start, end)
        if start and end:
            comment.quoted = _quote(paragraphs, start, end)
        out.append(comment)
    return out


def _quote(paragraphs: list[Paragraph], start: tuple[int, int], end: tuple[int, int]) -> str:
    """The original text between two anchors, across paragraphs if need be."""
    (p1, o1), (p2, o2) = start, end
    if p2 < p1 or (p1 == p2 and o2 < o1):
        return ""
    if p1 == p2:
        return paragraphs[p1].old[o1:o2]
    pieces = [paragraphs[p1].old[o1:]]
    pieces += [paragraphs[i].old for i in range(p1 + 1, p2)]
    pieces.append(paragraphs[p2].old[:o2])
    return " / ".join(x for x in pieces if x.strip())


def read_feedback(path: str | Path) -> Feedback:
    """Read a returned DOCX; a file that is not a DOCX of this project is an error."""
    path = Path(path)
    parts = _open(path)
    props = _properties(parts, path)
    document = _xml(parts["word/document.xml"], path, "word/document.xml")
    notes: dict[str, Any] = {}
    if "word/footnotes.xml" in parts:
        for note in _xml(parts["word/footnotes.xml"], path, "word/footnotes.xml").iter(
                W + "footnote"):
            notes[note.get(W + "id", "")] = note
    reader = _Reader(_style_names(parts, path), notes)
    body = document.find(W + "body")
    if body is not None:
        reader.body(body)
    files = {}
    for name, value in props.items():
        number = name[len(FILE_PROPERTY):]
        if name.startswith(FILE_PROPERTY) and number.isdigit() and len(number) <= 9:
            head, _, tail = value.rpartition(" ")  # "path sha256"; a path may hold spaces
            file, sha = (head.strip(), tail) if head else (tail, "")
            files[int(number)] = (file, sha)
    if not files or not any(p.marks for p in reader.paragraphs):
        raise BuildError(
            "this DOCX carries no source marks of this project", file=str(path),
            field=SCHEME_PROPERTY,
            expected="the DOCX edition written by this project's renderer (bookmarks "
                     "pd<file>_<line>_<line> and the custom properties proefdruk-bron-<n>)",
            found=("source files listed but no marked paragraph" if files else
                   "no proefdruk-bron-<n> document properties"),
            hint="send supervisors the DOCX from `snakemake all` "
                 "(_book/<output-file>.docx); a DOCX from Quarto, pandoc or a copy-paste "
                 "into a new document cannot be traced back to the sources")
    return Feedback(reader.paragraphs, _changes(reader.paragraphs),
                    _comments(parts, path, reader.anchors, reader.paragraphs), files)
