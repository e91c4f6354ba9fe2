"""Text that looks like code stays text in every edition.

Titles, notices, part names, captions and body text reach HTML, Typst markup and Word
XML. Characters that mean something there (``<script>``, ``#``, ``]``, ``"``, ``$``)
must come out as the characters the author wrote, and nothing may run.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from fixtures.editions import build as fixture
from pypdf import PdfReader

from proefdruk.render.editions import docx as docx_edition
from proefdruk.render.editions import html, typst_pdf

TRICKY = 'Grens & "stad" <script>alert(1)</script> #panic("x") ] ) $x$ @kuznetsov2015 \\ */'


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> dict:
    book = fixture.build_fixture_book(tmp_path_factory.mktemp("esc") / "project")
    book["title"] = "Titel " + TRICKY
    book["notices"][0]["title"] = "Let op " + TRICKY
    book["notices"][0]["text"] = "Tekst " + TRICKY
    for chapter in book["chapters"]:
        if chapter["part"] == "Bevindingen":
            chapter["part"] = "Deel " + TRICKY
    ast_path = Path(book["root"]) / next(
        c for c in book["chapters"] if c["id"] == "03-geschiedenis")["ast"]
    ast = json.loads(ast_path.read_text(encoding="utf-8"))
    ast["blocks"].append({"t": "Para", "c": [{"t": "Str", "c": "Alinea " + TRICKY}]})
    ast_path.write_text(json.dumps(ast), encoding="utf-8")
    return book


def test_html_shows_the_characters_and_runs_nothing(book, tmp_path):
    out = tmp_path / "03-geschiedenis.html"
    html.write_chapter_page(book, "03-geschiedenis", out)
    text = out.read_text(encoding="utf-8")
    assert "<script>alert" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert text.count("&lt;script&gt;") >= 4  # title, notice title and text, paragraph


def test_pdf_prints_the_characters_literally(book, tmp_path):
    out = tmp_path / "boek.pdf"
    typst_pdf.write_pdf(book, out, paper="170x240", pdfa=False)
    text = " ".join(p.extract_text() for p in PdfReader(out).pages)
    text = " ".join(text.split())
    for piece in ('<script>alert(1)</script>', '#panic("x")', "$x$", "@kuznetsov2015"):
        # title page (its lines may wrap anywhere), verso imprint, paragraph
        assert "".join(text.split()).count("".join(piece.split())) >= 3, piece


def test_docx_holds_the_characters_literally(book, tmp_path):
    out = tmp_path / "boek.docx"
    docx_edition.write_docx(book, out)
    with zipfile.ZipFile(out) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; #panic(\"x\")" in xml.replace("&quot;", '"')
    assert "<script>" not in xml
