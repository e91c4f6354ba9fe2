"""A published page as the changes report reads it: its words, places, tables, figures.

The reading text of ``<main>`` with every registry number as ``⟨key⟩`` and every table as
one placeholder (so a changed number is not also changed text); the chapter label and the
sections, with the section of each word (to place a change as "Hoofdstuk 5, §5.3"); the
tables and figures the page shows, by the output file their caption's provenance link
names (to list a table's changed cells, to place a figure); and the references it lists.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from proefdruk.changes_detail import Section, ShownFigure, ShownTable

_SPACE = re.compile(r"[ \t\r\n]+")  # not the no-break space a number's display keeps


class PageText(HTMLParser):
    """The reading text of a page's ``<main>``: numbers as ``⟨key⟩``, tables as one
    placeholder, scripts and navigation left out; also the reference ids it lists, its
    chapter label and sections (with the section of every word), and the tables and
    figures it shows, by the output file their caption links to."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self.refs: dict[str, str] = {}
        self.chapter = ""
        self.sections: list[Section] = [Section("", "", "")]
        self.word_section: list[int] = []
        self.tables: dict[str, ShownTable] = {}
        self.figures: dict[str, ShownFigure] = {}
        self._main = 0
        self._skip = 0
        self._num = 0
        self._ref: str | None = None
        self._ref_text: list[str] = []
        self._stack: list[str] = []
        self._heading: dict[str, Any] | None = None
        self._part: str | None = None      # which part of a heading or caption the text is
        self._table: ShownTable | None = None
        self._table_src = ""
        self._cell: list[str] | None = None
        self._figure: ShownFigure | None = None
        self._figure_src = ""

    def _word(self, word: str) -> None:
        self.words.append(word)
        self.word_section.append(len(self.sections) - 1)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("br", "img", "hr", "meta", "link", "input", "source", "wbr"):
            return
        self._stack.append(tag)
        if tag == "main":
            self._main += 1
        classes = (a.get("class") or "").split()
        if not self._main:
            return
        self._start_detail(tag, a, classes)
        if tag in ("script", "style", "nav", "table", "button") or "prov" in classes:
            self._skip += 1
            if tag == "table":
                self._word("[tabel]")
        elif tag == "a" and "num" in classes and a.get("data-key"):
            self._num += 1
            self._word(f"⟨{a['data-key']}⟩")
        elif (a.get("id") or "").startswith("ref-") and self._ref is None:
            self._ref = a["id"][4:]
            self._ref_text = []

    def _start_detail(self, tag: str, a: dict[str, str | None], classes: list[str]) -> None:
        """Headings, tables and figures: what places a change and what a table holds."""
        if tag in ("h1", "h2", "h3", "h4") and self._heading is None and not self._skip:
            self._heading = {"tag": tag, "id": a.get("id") or "", "number": [], "title": [],
                             "label": []}
        elif tag == "span" and self._heading is not None:
            self._part = ("number" if "header-section-number" in classes else
                          "label" if "chapter-label" in classes else self._part)
        elif tag == "a" and "anchor-link" in classes and self._heading is not None:
            self._part = "skip"
        elif tag == "table" and self._table is None:
            self._table = ShownTable(a.get("id") or "", "", len(self.sections) - 1)
            self._table_src = ""
        elif tag == "figure" and self._figure is None:
            self._figure = ShownFigure(a.get("id") or "", "", len(self.sections) - 1)
            self._figure_src = ""
        elif tag == "span" and "caption-label" in classes:
            self._part = "caption-label"
        elif tag == "a" and "provenance-link" in classes:
            if self._table is not None:
                self._table_src = a.get("title") or ""
            elif self._figure is not None:
                self._figure_src = a.get("title") or ""
        elif tag == "tr" and self._table is not None:
            self._table.rows.append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = []

    def _end_detail(self, tag: str) -> None:
        if tag in ("span", "a") and self._part is not None:
            self._part = None
        elif self._heading is not None and tag == self._heading["tag"]:
            h, self._heading = self._heading, None
            title = " ".join(" ".join(h["title"]).split())
            if h["tag"] == "h1":
                self.chapter = " ".join(" ".join(h["label"]).split()) or title
                self.sections[0] = Section(h["id"], "", title)
            else:
                self.sections.append(Section(h["id"], " ".join(h["number"]).strip(), title))
        elif tag in ("td", "th") and self._table is not None and self._cell is not None:
            if self._table.rows:
                self._table.rows[-1].append(_SPACE.sub(" ", "".join(self._cell)).strip())
            self._cell = None
        elif tag == "table" and self._table is not None:
            if self._table_src:
                self.tables[self._table_src] = self._table
            self._table = None
        elif tag == "figure" and self._figure is not None:
            if self._figure_src:
                self.figures[self._figure_src] = self._figure
            self._figure = None

    def handle_endtag(self, tag: str) -> None:
        if not self._stack or tag not in self._stack:
            return
        while self._stack:
            top = self._stack.pop()
            if self._main:
                self._end_detail(top)
                if top in ("script", "style", "nav", "table", "button") and self._skip:
                    self._skip -= 1
                elif top == "a" and self._num:
                    self._num -= 1
                elif top == "div" and self._ref is not None:
                    self.refs[self._ref] = " ".join(" ".join(self._ref_text).split())
                    self._ref = None
            if top == "main":
                self._main -= 1
            if top == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self._main:
            return
        if self._heading is not None and self._part != "skip":
            self._heading[self._part if self._part in ("number", "label") else "title"] \
                .append(data)
        if self._part == "caption-label":
            target = self._table if self._table is not None else self._figure
            if target is not None:
                target.label += data
        elif self._cell is not None:
            self._cell.append(data)
        if self._skip or self._num:
            return
        for word in data.split():
            self._word(word)
        if self._ref is not None:
            self._ref_text.append(data)


def page_text(path: Path) -> PageText:
    """Read one page of an edition."""
    parser = PageText()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser
