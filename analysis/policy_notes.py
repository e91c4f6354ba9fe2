"""The corpus of municipal policy notes on international and European policy.

What a municipality writes down in a council-approved note is its stated policy. The
corpus is a metadata table (``data/raw/policy_notes/metadata.csv``: municipality, year,
title, kind, file) plus one document per note. Documents may be plain text, PDF or DOCX
exactly as municipalities publish them, so the extraction here uses the maintained
libraries (pypdf, python-docx) and refuses, with file and page, anything it cannot
read rather than coding an empty string as "no motives".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from analysis.document_checks import (
    MunicipalityResolver,
    parse_flag,
    parse_year,
    read_raw_csv,
)
from proefdruk.api import BuildError, BuildErrors

FIRST_YEAR = 1945
DOCUMENT_SUFFIXES = (".txt", ".pdf", ".docx")
META_COLUMNS = ["nota_id", "gemeente_code", "gemeente_naam", "jaar", "titel", "soort",
                "bestand", "synthetic", "bron"]
NOTE_KINDS: dict[str, str] = {
    "internationaal": "Nota internationaal beleid",
    "europees": "Nota Europees beleid",
    "mondiaal": "Nota mondiaal burgerschap / ontwikkelingssamenwerking",
    "stedenband": "Beleidskader stedenbanden",
    "grensoverschrijdend": "Nota grensoverschrijdende samenwerking",
}
# The smallest amount of text that is a policy note rather than a cover page or a
# failed extraction; shorter texts are refused so that they are not coded as silent.
MIN_CHARACTERS = 200


def extract_text(path: str | Path) -> str:
    """The text of one document (.txt, .pdf or .docx); errors name the file and page."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".txt":
        text = _text_from_txt(path)
    elif suffix == ".pdf":
        text = _text_from_pdf(path)
    elif suffix == ".docx":
        text = _text_from_docx(path)
    else:
        raise BuildError("unsupported document type", file=path, field="bestand",
                         expected=" | ".join(DOCUMENT_SUFFIXES), found=repr(path.suffix),
                         hint="save the note as PDF, DOCX or plain text (.txt)")
    text = join_broken_words(text)
    if len(text) < MIN_CHARACTERS:
        raise BuildError("document has no usable text", file=path,
                         expected=f"at least {MIN_CHARACTERS} characters of text",
                         found=f"{len(text)} characters",
                         hint="check that the file is the note itself; a scanned PDF needs "
                              "OCR (e.g. ocrmypdf) before it can be coded")
    return text


def join_broken_words(text: str) -> str:
    """Undo line-end hyphenation (``grensover-\nschrijdende``) and trailing spaces.

    PDF layout breaks long Dutch compounds at the line end; left broken, the halves
    would no longer match the dictionary. A genuinely hyphenated compound broken at its
    hyphen (``Euregio-\nsamenwerking``) is joined too, which still matches its parts.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"(?<=[^\W\d_])-\n[ \t]*(?=[^\W\d_])", "", text)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def _text_from_txt(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise BuildError("text file has an unknown encoding", file=path,
                             expected="UTF-8 text", found="undecodable bytes",
                             hint="save the file as UTF-8") from None
        return str(best)


def _text_from_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            raise BuildError("PDF is encrypted", file=path, expected="an unprotected PDF",
                             found="password protection",
                             hint="ask the municipality for an unprotected copy")
        pages = reader.pages
        n_pages = len(pages)
    except BuildError:
        raise
    except (PdfReadError, OSError, ValueError) as exc:
        raise BuildError("PDF cannot be read", file=path, expected="a valid PDF file",
                         found=f"{type(exc).__name__}: {exc}",
                         hint="open it in a PDF viewer; re-download or re-save it") from exc
    if n_pages == 0:
        raise BuildError("PDF has no pages", file=path, expected="at least one page",
                         found="0 pages", hint="replace the file with the complete note")
    texts = []
    for number, page in enumerate(pages, start=1):
        try:
            texts.append(page.extract_text() or "")
        except Exception as exc:  # pypdf raises many types on damaged content streams
            raise BuildError(f"page {number} of the PDF cannot be read",
                             file=f"{path}, page {number}", expected="a text page",
                             found=f"{type(exc).__name__}: {exc}",
                             hint="re-save the PDF (print to PDF) or replace the page") from exc
    if not any(t.strip() for t in texts):
        raise BuildError("PDF has no text layer", file=f"{path}, page 1",
                         expected="extractable text", found=f"{n_pages} page(s) without text",
                         hint="the PDF is probably a scan: run OCR (e.g. ocrmypdf) first")
    return "\n".join(texts)


def _text_from_docx(path: Path) -> str:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise BuildError("DOCX cannot be read", file=path, expected="a Word document (.docx)",
                         found=f"{type(exc).__name__}: {exc}",
                         hint="open and re-save it in Word or LibreOffice as .docx") from exc
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def validate_metadata(meta_path: str | Path, resolver: MunicipalityResolver,
                      last_year: int) -> pd.DataFrame:
    """Check the metadata table; collect all row problems before stopping."""
    meta_path = Path(meta_path)
    frame = read_raw_csv(meta_path, META_COLUMNS)
    errors: list[BuildError] = []
    rows = []
    seen: set[str] = set()
    for i, rec in enumerate(frame.to_dict("records"), start=1):
        try:
            nid = rec["nota_id"].strip()
            if not nid or nid in seen:
                raise BuildError("note id missing or repeated", file=meta_path, row=i,
                                 field="nota_id", expected="a unique id", found=repr(nid),
                                 hint="give each note its own id")
            seen.add(nid)
            code = resolver.resolve(rec["gemeente_code"], rec["gemeente_naam"], meta_path, i)
            year = parse_year(rec["jaar"], meta_path, i, "jaar", FIRST_YEAR, last_year)
            resolver.check_existed(rec["gemeente_code"], rec["gemeente_naam"], year,
                                   meta_path, i, "jaar")
            if rec["soort"].strip() not in NOTE_KINDS:
                raise BuildError("unknown kind of note", file=meta_path, row=i, field="soort",
                                 expected=" | ".join(NOTE_KINDS), found=repr(rec["soort"]),
                                 hint="choose the closest kind")
            if Path(rec["bestand"]).suffix.lower() not in DOCUMENT_SUFFIXES:
                raise BuildError("unsupported document type", file=meta_path, row=i,
                                 field="bestand", expected=" | ".join(DOCUMENT_SUFFIXES),
                                 found=repr(rec["bestand"]),
                                 hint="convert the note to PDF, DOCX or .txt")
            rows.append({
                "nota_id": nid, "gemeente_code": code, "gemeente_naam": resolver.codes[code],
                "jaar": year, "titel": rec["titel"].strip(), "soort": rec["soort"].strip(),
                "bestand": rec["bestand"].strip(),
                "synthetic": parse_flag(rec["synthetic"], meta_path, i, "synthetic"),
                "bron": rec["bron"].strip(),
            })
        except BuildError as err:
            errors.append(err)
    if errors:
        raise errors[0] if len(errors) == 1 else BuildErrors(errors)
    return pd.DataFrame(rows, columns=["nota_id", "gemeente_code", "gemeente_naam", "jaar",
                                       "titel", "soort", "bestand", "synthetic", "bron"])


def check_files(meta: pd.DataFrame, folder: str | Path, meta_path: str | Path) -> None:
    """Every listed file exists and every document in the folder is listed.

    A note dropped into the folder without a metadata row would otherwise be silently
    ignored; a row without its file would be coded as an empty note.
    """
    folder = Path(folder)
    listed = set(meta["bestand"])
    for i, name in enumerate(meta["bestand"], start=1):
        if not (folder / name).is_file():
            raise BuildError("document listed in the metadata is missing", file=meta_path,
                             row=i, field="bestand", expected=f"a file {folder / name}",
                             found="no such file",
                             hint="add the document or correct the file name")
    on_disk = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                     if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES)
    unlisted = [p for p in on_disk if p not in listed]
    if unlisted:
        raise BuildError("document without a metadata row", file=folder / unlisted[0],
                         expected="a row in metadata.csv with this file under `bestand`",
                         found=f"{len(unlisted)} unlisted file(s): " + ", ".join(unlisted[:5]),
                         hint="add a row (municipality, year, title, kind, synthetic, source) "
                              "to data/raw/policy_notes/metadata.csv")


def period_label(year: int, periods: Sequence[Sequence[int]]) -> str | None:
    """The label ``1990–1999`` of the period containing ``year``, or None."""
    for first, last in periods:
        if first <= year <= last:
            return f"{first}–{last}"
    return None


def coverage(notes: pd.DataFrame, register: pd.DataFrame,
             periods: Sequence[Sequence[int]], size_classes: Sequence[str]) -> pd.DataFrame:
    """Share of municipalities with at least one note, by size class and period.

    ``register`` has one row per 2024 municipality with ``code`` and ``grootteklasse``;
    the denominator is every municipality of the class, not only those with notes.
    """
    rows = []
    classes = [*size_classes, "Alle gemeenten"]
    for cls in classes:
        members = register if cls == "Alle gemeenten" else register[
            register["grootteklasse"] == cls]
        codes = set(members["code"])
        for first, last in periods:
            in_period = notes[(notes["jaar"] >= first) & (notes["jaar"] <= last)]
            with_note = codes & set(in_period["gemeente_code"])
            rows.append({
                "grootteklasse": cls,
                "periode": f"{first}–{last}",
                "gemeenten": len(codes),
                "met_nota": len(with_note),
                "aandeel": len(with_note) / len(codes) if codes else 0.0,
            })
    return pd.DataFrame(rows)


def document_files(folder: str | Path) -> list[str]:
    """Every note document under ``folder`` (sorted), so that adding one reruns the
    extraction, and an unlisted one makes it fail, as it should."""
    return sorted(p.as_posix() for p in Path(folder).rglob("*")
                  if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES)
