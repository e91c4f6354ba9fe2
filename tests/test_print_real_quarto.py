"""Issue 31 under real Quarto: the dissertation's title page and the printed provenance
appendix come out as under the built-in renderer.

Quarto cannot be installed from the package registries, so this runs where a real Quarto
1.9+ is at hand: ``quarto`` on PATH or ``PROEFDRUK_QUARTO`` naming the executable.
Elsewhere it is skipped, and says so.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from test_new_real_quarto import QUARTO, starter
from test_provenance_print import MAX_SHARE, SHA, outline_pages

from conftest import run_snakemake

pytestmark = [pytest.mark.e2e, pytest.mark.release,
              pytest.mark.skipif(QUARTO is None, reason="no real Quarto here (quarto on PATH "
                                 "or PROEFDRUK_QUARTO); build one with "
                                 "../shared/quarto-from-source")]

THESIS = """
thesis:
  rector: "prof. dr. R. Rector"
  defence:
    date: "2 March 2027"
    time: "15:00"
  birthplace: "Zwolle"
  promotors:
    - name: "prof. dr. P. One"
    - name: "prof. dr. P. Two"
  committee:
    - name: "dr. C. Member"
      affiliation: "Elsewhere University"
"""


def pdf_text(path: Path, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext", *(["-f", str(first)] if first else []),
            *(["-l", str(last)] if last else []), str(path), "-"]
    return " ".join(subprocess.run(args, capture_output=True, text=True,
                                   check=True).stdout.split())


def test_an_english_starter_gets_the_english_form_in_every_edition(tmp_path: Path) -> None:
    project = starter(tmp_path / "en", "en")
    with (project / "_quarto.yml").open("a", encoding="utf-8") as fh:
        fh.write(THESIS)
    result = run_snakemake(project, "all", "--config", f"render={{quarto: {QUARTO}}}")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    book = project / "_book"
    formula = "Thesis submitted for the degree of Doctor at"
    front = pdf_text(next(book.glob("*.pdf")), 1, 2)
    assert formula in front and "by authority of the Rector Magnificus prof. dr. R. Rector" \
        in front
    assert "born in Zwolle" in front and "Supervisors" in front
    assert "dr. C. Member, Elsewhere University" in front
    index = (book / "index.html").read_text(encoding="utf-8")
    assert 'class="thesis-title-page"' in index and formula in index
    with zipfile.ZipFile(next(book.glob("*.docx"))) as zf:
        docx = re.sub(r"<[^>]+>", "", zf.read("word/document.xml").decode("utf-8"))
    assert formula in docx and "Doctoral committee" in docx


def test_the_studys_printed_appendix_is_short_under_quarto(request, tmp_path: Path) -> None:
    from fixtures.robustness.harness import built_tree, copy_built
    from pypdf import PdfReader

    project = copy_built(built_tree(request), tmp_path / "project")
    result = run_snakemake(project, "all", "--config", f"render={{quarto: {QUARTO}}}")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    pdf = next((project / "_book").glob("*.pdf"))
    reader = PdfReader(pdf)
    marks = outline_pages(reader)
    [start] = [i for i, (title, _) in enumerate(marks) if "Herkomst" in title]
    last = marks[start + 1][1] if start + 1 < len(marks) else len(reader.pages)
    pages = last - marks[start][1]
    assert 3 <= pages and pages / len(reader.pages) <= MAX_SHARE, (pages, len(reader.pages))
    assert not SHA.search(pdf_text(pdf, marks[start][1] + 1, last))
    assert "Proefschrift ter verkrijging van de graad van doctor" in pdf_text(pdf, 1, 1)
