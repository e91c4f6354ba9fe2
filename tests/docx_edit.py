"""Editing a DOCX the way Word stores a supervisor's work, for the feedback tests.

Word writes a tracked deletion as ``<w:del><w:r><w:delText>``, an insertion as
``<w:ins><w:r><w:t>``, and a comment as ``w:commentRangeStart``/``End`` around the text
plus a ``w:commentReference`` run, with the comment itself in word/comments.xml (linked
from document.xml.rels and listed in [Content_Types].xml). This helper makes exactly
those edits in the XML, splitting a run where the edited words start and end.
"""

from __future__ import annotations

import copy
import zipfile
from pathlib import Path

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
DATE = "2026-11-30T10:00:00Z"


class DocxEditor:
    """Tracked changes and comments added to a DOCX's XML, as Word would add them."""

    def __init__(self, path: Path) -> None:
        with zipfile.ZipFile(path) as z:
            self.infos = z.infolist()
            self.files = {i.filename: z.read(i.filename) for i in self.infos}
        self.parts = {name: etree.fromstring(self.files[name])
                      for name in ("word/document.xml", "word/footnotes.xml")
                      if name in self.files}
        self.comments: list[tuple[int, str, str]] = []
        self.next_id = 900

    def _paragraph(self, part: str, anchor: str) -> etree._Element:
        for p in self.parts[part].iter(W + "p"):
            if anchor in "".join(t.text or "" for t in p.iter(W + "t")):
                return p
        raise AssertionError(f"no paragraph with {anchor!r} in {part}")

    def _split(self, p: etree._Element, target: str) -> etree._Element:
        """The run holding exactly ``target`` (split out of the run that contains it)."""
        for run in p.iter(W + "r"):
            t = run.find(W + "t")
            if t is None or not t.text or target not in t.text:
                continue
            before, _, after = t.text.partition(target)
            pieces = []
            for text in (before, target, after):
                piece = copy.deepcopy(run)
                piece.find(W + "t").text = text
                piece.find(W + "t").set(XML_SPACE, "preserve")
                pieces.append(piece)
            parent = run.getparent()
            at = parent.index(run)
            parent.remove(run)
            for piece in pieces:
                if piece.find(W + "t").text:
                    parent.insert(at, piece)
                    at += 1
            return pieces[1]
        raise AssertionError(f"{target!r} is not inside one run")

    def _id(self) -> str:
        self.next_id += 1
        return str(self.next_id)

    def replace(self, anchor: str, old: str, new: str, *, after: str | None = None,
                author: str = "Prof. dr. A. Promotor", part: str = "word/document.xml"
                ) -> None:
        """Track a replacement of ``old`` by ``new`` in the paragraph containing
        ``anchor``; with ``old`` empty, an insertion right after the text ``after``."""
        p = self._paragraph(part, anchor)
        run = self._split(p, old or after or anchor)
        parent = run.getparent()
        at = parent.index(run) + 1
        if old:
            deletion = etree.Element(W + "del", {W + "id": self._id(), W + "author": author,
                                                 W + "date": DATE})
            parent.remove(run)
            t = run.find(W + "t")
            t.tag = W + "delText"
            deletion.append(run)
            parent.insert(at - 1, deletion)
        if new:
            insertion = etree.Element(W + "ins", {W + "id": self._id(), W + "author": author,
                                                  W + "date": DATE})
            new_run = copy.deepcopy(run)
            t = new_run.find(W + "delText")
            if t is None:
                t = new_run.find(W + "t")
            t.tag = W + "t"
            t.text = new
            t.set(XML_SPACE, "preserve")
            insertion.append(new_run)
            parent.insert(at, insertion)

    def untracked(self, anchor: str, old: str, new: str,
                  part: str = "word/document.xml") -> None:
        """Replace ``old`` by ``new`` as an edit with Track Changes off (no marks)."""
        run = self._split(self._paragraph(part, anchor), old)
        run.find(W + "t").text = new

    def new_paragraph(self, anchor: str, text: str, *, author: str = "Prof. dr. A. Promotor"
                      ) -> None:
        """Track a new paragraph after the one containing ``anchor`` (Word marks the
        paragraph mark before it as inserted, and the new text as an insertion)."""
        p = self._paragraph("word/document.xml", anchor)
        new = etree.Element(W + "p")
        ppr = p.find(W + "pPr")
        if ppr is not None:
            new.append(copy.deepcopy(ppr))
        mark = (p.find(W + "pPr") if ppr is not None else
                etree.SubElement(p, W + "pPr"))
        rpr = mark.find(W + "rPr")
        if rpr is None:
            rpr = etree.SubElement(mark, W + "rPr")
        etree.SubElement(rpr, W + "ins", {W + "id": self._id(), W + "author": author,
                                          W + "date": DATE})
        insertion = etree.SubElement(new, W + "ins", {W + "id": self._id(),
                                                      W + "author": author, W + "date": DATE})
        t = etree.SubElement(etree.SubElement(insertion, W + "r"), W + "t")
        t.text = text
        p.addnext(new)

    def comment(self, anchor: str, target: str, text: str, *,
                author: str = "Prof. dr. B. Copromotor", part: str = "word/document.xml"
                ) -> None:
        """Comment on ``target`` in the paragraph containing ``anchor``."""
        p = self._paragraph(part, anchor)
        run = self._split(p, target)
        parent = run.getparent()
        cid = str(len(self.comments))
        at = parent.index(run)
        parent.insert(at, etree.Element(W + "commentRangeStart", {W + "id": cid}))
        parent.insert(at + 2, etree.Element(W + "commentRangeEnd", {W + "id": cid}))
        ref = etree.SubElement(etree.Element(W + "r"), W + "commentReference", {W + "id": cid})
        parent.insert(at + 3, ref.getparent())
        self.comments.append((int(cid), author, text))

    def _comments_xml(self) -> bytes:
        root = etree.Element(W + "comments", nsmap={"w": W_NS})
        for cid, author, text in self.comments:
            c = etree.SubElement(root, W + "comment", {W + "id": str(cid), W + "author": author,
                                                       W + "date": DATE, W + "initials": "P"})
            r = etree.SubElement(etree.SubElement(c, W + "p"), W + "r")
            etree.SubElement(r, W + "t").text = text
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def save(self, path: Path) -> None:
        files = dict(self.files)
        for name, root in self.parts.items():
            files[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                         standalone=True)
        names = [i.filename for i in self.infos]
        if self.comments:
            files["word/comments.xml"] = self._comments_xml()
            if "word/comments.xml" not in names:
                names.append("word/comments.xml")
                rels = files["word/_rels/document.xml.rels"].decode("utf-8")
                rels = rels.replace("</Relationships>", f'<Relationship Id="rIdFeedback" '
                                    f'Type="{COMMENTS_REL}" Target="comments.xml"/>'
                                    "</Relationships>")
                files["word/_rels/document.xml.rels"] = rels.encode("utf-8")
                types = files["[Content_Types].xml"].decode("utf-8")
                if "/word/comments.xml" not in types:
                    types = types.replace("</Types>", '<Override PartName="/word/comments.xml" '
                                          f'ContentType="{COMMENTS_TYPE}"/></Types>')
                files["[Content_Types].xml"] = types.encode("utf-8")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name in names:
                z.writestr(name, files[name])
