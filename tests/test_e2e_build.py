"""A stranger's build: clone, `snakemake all`, and the three editions are there and sound."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.e2e


def chapter_files(project: Path) -> list[str]:
    """Every chapter and appendix source listed in _quarto.yml, in book order."""
    book = yaml.safe_load((project / "_quarto.yml").read_text(encoding="utf-8"))["book"]
    files: list[str] = []
    for item in book["chapters"] + book.get("appendices", []):
        if isinstance(item, dict):
            files.extend(item["chapters"])
        else:
            files.append(item)
    return files


def output_file(project: Path) -> str:
    book = yaml.safe_load((project / "_quarto.yml").read_text(encoding="utf-8"))["book"]
    return book["output-file"]


def test_one_html_page_per_chapter(clean_build: Path) -> None:
    for source in chapter_files(clean_build):
        page = clean_build / "_book" / Path(source).with_suffix(".html")
        assert page.is_file(), f"no HTML page for {source}"
        html = page.read_text(encoding="utf-8")
        assert '<html lang="nl"' in html
        assert "</html>" in html


def test_pdf_has_extractable_text_and_a_plausible_length(clean_build: Path) -> None:
    from pypdf import PdfReader

    pdf = clean_build / "_book" / f"{output_file(clean_build)}.pdf"
    reader = PdfReader(pdf)
    pages = len(reader.pages)
    assert 40 <= pages <= 600, f"{pages} pages is not a plausible dissertation"
    text = "".join(reader.pages[i].extract_text() for i in range(min(12, pages)))
    assert "Inhoudsopgave" in text
    assert "gemeenten" in text.lower()
    width, height = (float(x) for x in reader.pages[0].mediabox[2:])
    assert round(width / 72 * 25.4) == 170 and round(height / 72 * 25.4) == 240


def test_docx_opens_with_headings_and_notes(clean_build: Path) -> None:
    import docx

    path = clean_build / "_book" / f"{output_file(clean_build)}.docx"
    assert zipfile.is_zipfile(path)
    document = docx.Document(str(path))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert any("Inleiding" in h for h in headings), headings[:20]
    assert len(document.tables) >= 1
    with zipfile.ZipFile(path) as zf:
        assert "word/footnotes.xml" in zf.namelist()
        assert zf.read("word/footnotes.xml").count(b"<w:footnote ") > 5


def test_nothing_generated_is_tracked(clean_build: Path) -> None:
    import subprocess

    tracked = subprocess.run(
        ["git", "ls-files", "results", "_book", "logs", "benchmarks", ".snakemake"],
        cwd=clean_build, capture_output=True, text=True, check=True,
    ).stdout.split()
    assert tracked == []
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=clean_build, capture_output=True, text=True,
        check=True,
    ).stdout
    assert status == "", f"the build wrote into tracked or unignored places:\n{status}"


def test_noop_rebuild_runs_nothing(clean_build: Path) -> None:
    from conftest import run_snakemake

    result = run_snakemake(clean_build, "-n", "all")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Nothing to be done" in result.stdout + result.stderr
