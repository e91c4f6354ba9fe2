"""The PDF edition (Typst), written from the fixture book.

A reader of the PDF needs: the Dutch dissertation format, a table of contents and lists
of figures and tables, chapters and sections numbered as on the website, working links,
text that can be copied and searched, embedded fonts, and, for a repository, PDF/A.
"""

from __future__ import annotations

import io
import re
import zlib
from pathlib import Path

import pytest
from fixtures.editions import build as fixture
from pypdf import PdfReader

from proefdruk.errors import BuildError
from proefdruk.render.editions import typst_pdf

MM = 72 / 25.4


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return fixture.build_fixture_book(tmp_path_factory.mktemp("pdf") / "project")


@pytest.fixture(scope="module")
def pdf(book: dict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pdf-out") / "boek.pdf"
    typst_pdf.write_pdf(book, out, paper="170x240", pdfa=False)
    return out


def all_text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def test_dissertation_format_and_plausible_length(pdf):
    reader = PdfReader(pdf)
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 170 * MM) < 0.5 and abs(float(box.height) - 240 * MM) < 0.5
    # title, verso, contents and two lists, 7 chapters opening on right-hand pages
    assert 20 <= len(reader.pages) <= 40


def test_text_is_extractable_with_contents_lists_and_numbers(pdf):
    text = all_text(PdfReader(pdf))
    for expected in ("Het internationale beleid van Nederlandse", "Synthetische gegevens",
                     "Inhoudsopgave", "Lijst van figuren", "Lijst van tabellen",
                     "Figuur 2.1", "Tabel 2.1", "2.1 Respons", "A.1 Blok 1: beleid",
                     "Methode en gegevens", "Theory and Practice of Paradiplomacy",
                     "jumelageverdrag", "De berekening staat in Bijlage A",
                     "Kuznetsov 2015, p. 27.", "Opmerking"):
        assert expected in text, expected


def test_outline_has_numbered_chapters_and_parts(pdf):
    reader = PdfReader(pdf)

    def titles(items):
        for item in items:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield item.title

    outline = list(titles(reader.outline))
    for title in ("1 Inleiding", "2 Methode en gegevens", "2.1 Respons", "Bevindingen",
                  "A Vragenlijst", "B Herkomst van de getallen", "Literatuur"):
        assert title in outline, (title, outline)


def test_fonts_are_embedded_and_links_are_internal(pdf):
    reader = PdfReader(pdf)
    fonts = {}
    links = 0
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts", [])
            for desc in [font.get("/FontDescriptor")] + [
                    d.get_object().get("/FontDescriptor") for d in descendants]:
                if desc is not None:
                    desc = desc.get_object()
                    fonts[str(desc["/FontName"])] = any(
                        k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Link" and "/URI" not in (annot.get("/A") or {}):
                links += 1
    assert fonts and all(fonts.values()), fonts
    assert any("Libertinus" in name for name in fonts)
    # contents entries plus the cross-references, citations anchors and number links
    assert links >= 15


def test_two_writes_give_identical_bytes(book, pdf, tmp_path):
    again = tmp_path / "again.pdf"
    typst_pdf.write_pdf(book, again, paper="170x240", pdfa=False)
    assert again.read_bytes() == pdf.read_bytes()


def test_a4_and_pdfa_options(book, tmp_path):
    out = tmp_path / "a4.pdf"
    typst_pdf.write_pdf(book, out, paper="a4", pdfa=True)
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 210 * MM) < 0.5
    metadata = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b"pdfaid:part" in metadata and b"<pdfaid:part>2</pdfaid:part>" in metadata.replace(
        b' pdfaid:part="2"', b"<pdfaid:part>2</pdfaid:part>")
    with pytest.raises(BuildError, match="paper size"):
        typst_pdf.write_pdf(book, tmp_path / "x.pdf", paper="letter", pdfa=False)


def test_parts_and_chapters_open_on_right_hand_pages(pdf):
    reader = PdfReader(pdf)
    openers = []
    for number, page in enumerate(reader.pages, start=1):
        first = (page.extract_text().strip().splitlines() or [""])[0]
        if first.startswith(("DEEL", "HOOFDSTUK", "BIJLAGE", "Inhoudsopgave", "Literatuur")):
            openers.append((number, first))
    assert len(openers) >= 9, openers
    assert all(number % 2 == 1 for number, _ in openers), openers
    # the main text is numbered from 1 on the first part page: the running head of the
    # first page after chapter 2's opening page carries 6
    first_part = next(n for n, text in openers if text.startswith("DEEL"))
    chapter_two = next(n for n, text in openers if text == "HOOFDSTUK 2")
    head = reader.pages[chapter_two].extract_text().split()[:1]
    assert head == [str(chapter_two + 1 - first_part + 1)], head


def test_pdf_date_comes_from_source_date_epoch(book, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01 UTC
    out = tmp_path / "dated.pdf"
    typst_pdf.write_pdf(book, out, paper="170x240", pdfa=False)
    info = PdfReader(out).metadata
    assert info.creation_date.year == 2026 and info.creation_date.month == 1
    assert info.title == book["title"] and info.author == book["author"]


def test_front_matter_is_numbered_in_roman_and_the_contents_agree(pdf):
    reader = PdfReader(pdf)
    labels = reader.page_labels
    first_main = labels.index("1")
    assert labels[2:first_main] == [
        "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"][: first_main - 2]
    contents = reader.pages[2].extract_text()
    assert "Voorwoord" in contents and " ix" in contents  # front matter page in roman


def test_cross_references_and_number_links_jump_to_their_pages(pdf):
    reader = PdfReader(pdf)
    page_of = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages, start=1)}
    named = {name: page_of[dest.page.idnum] for name, dest in reader.named_destinations.items()}

    def targets(number: int) -> set[int]:
        out = set()
        for annot in reader.pages[number - 1].get("/Annots") or []:
            dest = annot.get_object().get("/Dest")
            if isinstance(dest, str):
                out.add(named[dest])
            elif dest is not None:
                out.add(page_of[dest[0].idnum])
        return out

    starts = {}
    for number, page in enumerate(reader.pages, start=1):
        first = (page.extract_text().strip().splitlines() or [""])[0]
        starts.setdefault(first, number)
    intro, methods = starts["HOOFDSTUK 1"], starts["HOOFDSTUK 2"]
    provenance = starts["BIJLAGE B"]
    # chapter 1 links to Figuur 2.1 / Tabel 2.1 / Hoofdstuk 2 and to the number's entry
    assert {methods, provenance} <= targets(intro), targets(intro)


def test_no_machine_paths_in_the_pdf(book, pdf):
    data = pdf.read_bytes()
    blobs = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            blobs.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    root = str(book["root"]).encode()
    assert len(blobs) > 10
    assert not [b for b in blobs if root in b or b"/tmp/" in b]


def _nearest_edge_mm(path: Path) -> float:
    """The smallest distance of any word to the left or right page edge, in mm."""
    import subprocess

    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    width = float(re.search(r'<page width="([\d.]+)"', out).group(1))
    boxes = [(float(a), float(b)) for a, b in
             re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', out)]
    return min(min(x0, width - x1) for x0, x1 in boxes) / MM


def _font_names(path: Path) -> set[str]:
    names = set()
    for page in PdfReader(path).pages:
        for font in ((page.get("/Resources") or {}).get("/Font") or {}).values():
            names.add(str(font.get_object().get("/BaseFont")))
    return names


def test_the_house_design_takes_a_font_size_and_margins_from_quarto_yml(book, tmp_path):
    """format: proefdruk-typst: mainfont, fontsize and margin (Quarto's names for its Typst
    format) change the design without touching the package; unset, nothing changes."""
    own = dict(book, design={"mainfont": "New Computer Modern", "fontsize": "12pt",
                             "margin": {"x": "30mm", "y": "25mm"}})
    out = tmp_path / "own.pdf"
    typst_pdf.write_pdf(own, out, paper="170x240", pdfa=False)
    default = tmp_path / "house.pdf"
    typst_pdf.write_pdf(book, default, paper="170x240", pdfa=False)
    assert any("NewCM" in n for n in _font_names(out)), _font_names(out)
    assert not any("Libertinus" in n for n in _font_names(out) if "Mono" not in n)
    assert any("Libertinus" in n for n in _font_names(default))
    page = PdfReader(out).pages[0].mediabox
    assert round(float(page.width) / MM) == 170 and round(float(page.height) / MM) == 240
    # the margin: no word closer than 30 mm to either side, where the house design's
    # outer margin is 17 mm
    assert _nearest_edge_mm(out) >= 28 and _nearest_edge_mm(default) < 20
    assert typst_pdf.typst_source(dict(book, design={})) == typst_pdf.typst_source(book)
