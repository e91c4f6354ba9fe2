"""Policy notes as municipalities publish them: real PDF (made with Typst) and DOCX (made
with python-docx) files, read by pypdf and python-docx, and refused with file and page
when they cannot be read."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT))  # the study package; until pytest's pythonpath is set

from analysis.document_checks import load_mergers  # noqa: E402
from analysis.motive_coding import code_text, load_dictionary  # noqa: E402
from analysis.policy_notes import (  # noqa: E402
    check_files,
    extract_text,
    validate_metadata,
)
from proefdruk.errors import BuildError  # noqa: E402

BODY = ("De gemeente versterkt de grensoverschrijdende samenwerking met de Duitse "
        "buurgemeenten binnen de Euregio. Een handelsmissie naar de partnerregio moet de "
        "export van het bedrijfsleven bevorderen. Uitwisselingen tussen scholen en "
        "culturele instellingen blijven de kern van de stedenband. ")


def make_pdf(path: Path, pages: list[str]) -> Path:
    """A real PDF with one text block per page, compiled by Typst (deterministic)."""
    import typst

    def esc(text: str) -> str:
        return text.replace("#", "\\#").replace("*", "\\*")

    source = "#set page(width: 12cm, height: 16cm)\n#set text(lang: \"nl\")\n" + \
        "\n#pagebreak()\n".join(esc(p) for p in pages)
    path.write_bytes(typst.compile(source.encode("utf-8"), timestamp=0))
    return path


def make_docx(path: Path, paragraphs: list[str], table: list[list[str]] | None = None) -> Path:
    import docx

    document = docx.Document()
    document.add_heading("Nota internationaal beleid", level=1)
    for p in paragraphs:
        document.add_paragraph(p)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    document.save(str(path))
    return path


def test_pdf_text_is_extracted_over_pages_and_codes_like_the_txt(tmp_path) -> None:
    pdf = make_pdf(tmp_path / "nota.pdf", ["Nota internationaal beleid. " + BODY,
                                           "Tweede pagina: coöperatie en financiële steun. "
                                           + BODY])
    text = extract_text(pdf)
    assert "coöperatie" in text and "Tweede pagina" in text
    txt = tmp_path / "nota.txt"
    txt.write_text("Nota internationaal beleid. " + BODY + "\nTweede pagina: coöperatie en "
                   "financiële steun. " + BODY, encoding="utf-8")
    motives = load_dictionary(ROOT / "data/raw/dictionaries/motieven.yaml")
    # Line breaks and hyphenation of the PDF layout must not change the coding.
    assert code_text(text, motives) == code_text(extract_text(txt), motives)
    assert code_text(text, motives)["grensoverschrijdend"] >= 6


def test_docx_paragraphs_and_tables_are_extracted(tmp_path) -> None:
    path = make_docx(tmp_path / "nota.docx", [BODY, "Financiële paragraaf."],
                     table=[["Actie", "Partner"], ["Handelsmissie", "Euregio"]])
    text = extract_text(path)
    assert "Nota internationaal beleid" in text
    assert "grensoverschrijdende" in text and "Handelsmissie Euregio" in text


def test_txt_in_legacy_encoding_is_read(tmp_path) -> None:
    path = tmp_path / "oud.txt"
    path.write_bytes((BODY + " Coöperatie met België.").encode("cp1252"))
    assert "België" in extract_text(path)


def test_empty_text_file_is_refused(tmp_path) -> None:
    path = tmp_path / "leeg.txt"
    path.write_text("  \n", encoding="utf-8")
    with pytest.raises(BuildError) as err:
        extract_text(path)
    assert str(path) in str(err.value) and "0 characters" in str(err.value.found)


def test_pdf_without_text_layer_names_file_and_page(tmp_path) -> None:
    import typst

    path = tmp_path / "scan.pdf"
    path.write_bytes(typst.compile(b"#rect(width: 3cm, height: 2cm)\n#pagebreak()\n"
                                   b"#rect(width: 2cm)", timestamp=0))
    with pytest.raises(BuildError) as err:
        extract_text(path)
    assert f"{path}, page 1" in str(err.value)
    assert "OCR" in (err.value.hint or "")


def test_damaged_pdf_and_docx_are_refused_with_file(tmp_path) -> None:
    pdf = tmp_path / "kapot.pdf"
    pdf.write_bytes(b"%PDF-1.7\nthis is not a pdf body\n")
    docx_path = tmp_path / "kapot.docx"
    docx_path.write_bytes(b"PK\x03\x04 not really a zip")
    for path in (pdf, docx_path):
        with pytest.raises(BuildError) as err:
            extract_text(path)
        assert str(path) in str(err.value)


def test_unsupported_type_is_refused(tmp_path) -> None:
    path = tmp_path / "nota.odt"
    path.write_bytes(b"x")
    with pytest.raises(BuildError) as err:
        extract_text(path)
    assert ".odt" in str(err.value.found)


META = "nota_id,gemeente_code,gemeente_naam,jaar,titel,soort,bestand,synthetic,bron\n"
CODES = {"GM0014": "Groningen", "GM0546": "Leiden"}


@pytest.fixture()
def resolver(tmp_path):
    mergers = tmp_path / "herindelingen.csv"
    mergers.write_text("oude_naam,oude_code,naam_2024,jaar,bron\nHaren,GM0017,Groningen,2019,"
                       "x\n", encoding="utf-8")
    return load_mergers(mergers, CODES)


def test_metadata_and_folder_must_match(tmp_path, resolver) -> None:
    folder = tmp_path / "policy_notes"
    folder.mkdir()
    make_pdf(folder / "leiden.pdf", [BODY])
    make_docx(folder / "haren.docx", [BODY])
    meta_path = folder / "metadata.csv"
    meta_path.write_text(META + "N1,GM0546,Leiden,2019,Nota,internationaal,leiden.pdf,false,"
                         "gemeente\nN2,GM0017,Haren,2010,Nota,europees,haren.docx,false,x\n",
                         encoding="utf-8")
    meta = validate_metadata(meta_path, resolver, 2025)
    assert list(meta["gemeente_code"]) == ["GM0546", "GM0014"]
    check_files(meta, folder, meta_path)  # both listed, both present
    (folder / "vergeten.txt").write_text(BODY, encoding="utf-8")
    with pytest.raises(BuildError) as err:
        check_files(meta, folder, meta_path)
    assert "vergeten.txt" in str(err.value) and "metadata.csv" in (err.value.hint or "")
    (folder / "vergeten.txt").unlink()
    (folder / "haren.docx").unlink()
    with pytest.raises(BuildError) as err:
        check_files(meta, folder, meta_path)
    assert err.value.row == 2 and err.value.field == "bestand"


@pytest.mark.parametrize(("row", "field"), [
    ("N1,GM0999,Nergens,2019,Nota,internationaal,a.txt,false,x\n", "gemeente_code"),
    ("N1,GM0546,Leiden,1899,Nota,internationaal,a.txt,false,x\n", "jaar"),
    ("N1,GM0546,Leiden,twintig,Nota,internationaal,a.txt,false,x\n", "jaar"),
    ("N1,GM0546,Leiden,2019,Nota,geheim,a.txt,false,x\n", "soort"),
    ("N1,GM0546,Leiden,2019,Nota,internationaal,a.odt,false,x\n", "bestand"),
])
def test_bad_metadata_row_is_named(tmp_path, resolver, row, field) -> None:
    meta_path = tmp_path / "metadata.csv"
    meta_path.write_text(META + row, encoding="utf-8")
    with pytest.raises(BuildError) as err:
        validate_metadata(meta_path, resolver, 2025)
    assert (err.value.row, err.value.field) == (1, field)
    assert str(meta_path) in str(err.value)
