"""The DOCX edition, written from the fixture book and opened with python-docx.

A supervisor edits this file with tracked changes: headings must carry the book's
numbers, footnotes must be real Word footnotes, tables and figures must be there, the
notices must come first, and the language must be Dutch for the spelling checker.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from fixtures.editions import build as fixture

from proefdruk.render.editions import docx as docx_edition


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    book = fixture.build_fixture_book(tmp_path_factory.mktemp("docx") / "project")
    out = tmp_path_factory.mktemp("docx-out") / "boek.docx"
    docx_edition.write_docx(book, out)
    return book, out


def test_headings_carry_the_book_numbers(written):
    _, out = written
    document = Document(out)
    headings = [(p.style.name, p.text) for p in document.paragraphs
                if p.style.name.startswith("Heading")]
    assert ("Heading 1", "2 Methode en gegevens") in headings
    assert ("Heading 2", "2.1 Respons") in headings
    assert ("Heading 3", "1.1.1 Deelvragen") in headings
    assert ("Heading 1", "Bijlage A: Vragenlijst") in headings
    assert ("Heading 1", "Literatuur") in headings


def test_notice_first_then_captions_tables_figures_and_footnotes(written):
    _, out = written
    document = Document(out)
    body = [p for p in document.paragraphs if p.text.strip()]
    headings = [i for i, p in enumerate(body) if p.style.name.startswith("Heading")]
    # The notice is a callout at the top of the opening chapter (its source includes it).
    assert body[headings[0]].text == "Voorwoord"
    assert [p.style.name for p in body[headings[0] + 1:headings[0] + 3]] == ["Callout"] * 2
    assert body[headings[0] + 1].text == "Synthetische gegevens"
    captions = {p.style.name: p.text for p in body if "Caption" in p.style.name}
    assert captions["Image Caption"].startswith("Figuur 2.1")
    assert captions["Table Caption"].startswith("Tabel 2.1")
    assert len(document.tables) == 1 and document.tables[0].cell(1, 0).text == "Groningen"
    assert len(document.inline_shapes) == 1
    with zipfile.ZipFile(out) as z:
        footnotes = z.read("word/footnotes.xml").decode("utf-8")
        document_xml = z.read("word/document.xml").decode("utf-8")
        styles = z.read("word/styles.xml").decode("utf-8")
        names = z.namelist()
    toc_at = document_xml.index('<w:instrText xml:space="preserve">TOC ')
    assert toc_at < document_xml.index("Voorwoord") < document_xml.index("Synthetische gegevens")
    assert "Kuznetsov 2015, p. 27." in footnotes and "Keating" in footnotes
    callout = [p.text for p in body if p.style.name == "Callout"]
    assert callout[2] == "Opmerking" and "proefstuk" in callout[3]
    assert document_xml.count("<w:footnoteReference") == 4  # every note in the fixture
    assert 'w:val="nl-NL"' in styles
    assert '<w:lang w:val="en-GB" />' in document_xml  # the English summary
    assert "Staafdiagram met de respons" in document_xml  # the figure's description
    assert any(n.startswith("word/media/") and n.endswith(".svg") for n in names)


def test_svg_figures_have_a_png_fallback_for_older_word(written):
    _, out = written
    with zipfile.ZipFile(out) as z:
        document_xml = z.read("word/document.xml").decode("utf-8")
        rels = z.read("word/_rels/document.xml.rels").decode("utf-8")
        pngs = [n for n in z.namelist() if n.startswith("word/media/") and n.endswith(".png")]
        png = z.read(pngs[0])
        types = z.read("[Content_Types].xml").decode("utf-8")
    assert len(pngs) == 1 and png.startswith(b"\x89PNG")
    rid = re.search(r'<a:blip r:embed="([^"]+)">', document_xml).group(1)
    assert f'Id="{rid}"' in rels and pngs[0].removeprefix("word/") in rels
    assert "<asvg:svgBlip" in document_xml  # the vector original stays for newer Word
    assert 'Extension="png"' in types


def test_two_writes_give_identical_bytes(written, tmp_path):
    book, out = written
    again = tmp_path / "again.docx"
    docx_edition.write_docx(book, again)
    assert again.read_bytes() == out.read_bytes()
    with zipfile.ZipFile(again) as z:
        assert len({info.date_time for info in z.infolist()}) <= 2


def test_no_machine_paths_in_the_docx(written):
    book, out = written
    root = str(book["root"]).encode()
    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            data = z.read(name)
            assert root not in data and b"/tmp/" not in data, name
