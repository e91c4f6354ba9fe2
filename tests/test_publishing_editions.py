"""Publishing: immutable versioned edition folders, and the report of what changed
between the edition a committee read and the revised one."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from conftest import run_proefdruk, run_snakemake
from proefdruk import changes
from proefdruk.errors import BuildError
from proefdruk.publish import publish


def _edition(root: Path, text: str) -> Path:
    book = root / "_book"
    (book / "media").mkdir(parents=True)
    (book / "index.html").write_text(text, encoding="utf-8")
    (book / "manifest.json").write_text(json.dumps({"x": text}), encoding="utf-8")
    (book / ".snakemake_timestamp").write_text("", encoding="utf-8")
    return book


def test_publish_keeps_every_version_and_never_overwrites_one(tmp_path: Path) -> None:
    book = _edition(tmp_path / "a", "eerste")
    extra = tmp_path / "CITATION.cff"
    extra.write_text("cff-version: 1.2.0\n", encoding="utf-8")
    dest = tmp_path / "published"
    out = publish("1.0", book, [extra], dest)
    assert (out / "index.html").read_text(encoding="utf-8") == "eerste"
    assert (out / "CITATION.cff").is_file() and not (out / ".snakemake_timestamp").exists()
    kept = dest / "manifests/1.0.json"
    assert kept.read_bytes() == (book / "manifest.json").read_bytes()
    # the same content again is fine (idempotent) ...
    publish("1.0", book, [extra], dest)
    # ... other content under the same version is refused, and nothing is touched
    other = _edition(tmp_path / "b", "tweede")
    with pytest.raises(BuildError) as exc:
        publish("1.0", other, [extra], dest)
    assert "already published" in str(exc.value) and "version" in str(exc.value)
    assert (out / "index.html").read_text(encoding="utf-8") == "eerste"
    # a new version sits next to the old one; both manifests are kept
    publish("1.1", other, [extra], dest)
    assert sorted(p.name for p in (dest / "manifests").iterdir()) == ["1.0.json", "1.1.json"]
    assert not list(dest.glob(".*"))


def test_word_diff_reports_only_the_changed_words() -> None:
    old = "De gemeente werkt samen met het Rijk in Brussel".split()
    new = "De gemeente werkt nauw samen met het Rijk in Brussel".split()
    (d,) = changes.word_diff(old, new)
    assert (d["old"], d["new"]) == ("", "nauw")
    assert d["before"].endswith("werkt") and d["after"].startswith("samen")


def _flip_one_answer(export: Path) -> str:
    """Flip one 0/1 answer of one complete response; returns the column changed."""
    raw = export.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw)))
    col = rows[0].index("mot_handel")
    status = rows[0].index("status")
    row = next(r for r in rows[1:] if r[status] == "volledig" and r[col] == "1")
    row[col] = "0"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    export.write_text(buf.getvalue(), encoding="utf-8")
    return rows[0][col]


@pytest.mark.e2e
def test_changes_lists_exactly_the_changed_numbers_figure_and_sentence(
        clean_build: Path, tmp_path: Path) -> None:
    work = tmp_path / "project"
    shutil.copytree(clean_build, work, symlinks=True)
    old_site = tmp_path / "old-edition"
    shutil.copytree(work / "_book", old_site)
    numbers_before = json.loads((work / "results/numbers.json").read_text(encoding="utf-8"))
    figures_before = {p.name: p.read_bytes() for p in (work / "results/figures").glob("*.svg")}

    _flip_one_answer(work / "data/raw/survey/export.csv")
    chapter = work / "chapters/07-samenspel.qmd"
    text = chapter.read_text(encoding="utf-8")
    assert "in de praktijk?" in text
    chapter.write_text(text.replace("in de praktijk?", "in de dagelijkse praktijk?", 1),
                       encoding="utf-8")
    result = run_snakemake(work, "all")
    assert result.returncode == 0, result.stderr[-4000:]
    result = run_proefdruk(work, "changes", "--since", str(old_site / "manifest.json"))
    assert result.returncode == 0, result.stderr[-4000:]

    numbers_after = json.loads((work / "results/numbers.json").read_text(encoding="utf-8"))
    changed_keys = sorted(k for k in set(numbers_before) | set(numbers_after)
                          if (numbers_before.get(k) or {}).get("display")
                          != (numbers_after.get(k) or {}).get("display")
                          or (numbers_before.get(k) or {}).get("value")
                          != (numbers_after.get(k) or {}).get("value"))
    changed_figures = sorted(
        f"results/figures/{p.name}" for p in (work / "results/figures").glob("*.svg")
        if figures_before.get(p.name) != p.read_bytes())
    assert changed_keys and "results/figures/enquete-mot.svg" in changed_figures

    ch = changes.compare(old_site / "manifest.json", work)
    assert [n["key"] for n in ch.numbers] == changed_keys
    assert [f["path"] for f in ch.figures] == changed_figures
    book = json.loads((work / "results/render/book.json").read_text(encoding="utf-8"))
    href = next(c["href"] for c in book["chapters"] if c["source"].endswith("07-samenspel.qmd"))
    assert [p["page"] for p in ch.prose] == [href]
    (passage,) = ch.prose[0]["passages"]
    assert (passage["old"], passage["new"]) == ("", "dagelijkse")
    assert ch.references == {"toegevoegd": [], "verwijderd": []}

    report = (work / "results/changes/wijzigingen.md").read_text(encoding="utf-8")
    assert "**dagelijkse**" in report and changed_keys[0] in report
    page = (work / "results/changes/wijzigingen.html").read_text(encoding="utf-8")
    assert page.count("<ins>dagelijkse</ins>") == 1
    assert (work / "results/changes/figuren/oud/enquete-mot.svg").read_bytes() == \
        figures_before["enquete-mot.svg"]
    assert (work / "results/changes/figuren/nieuw/enquete-mot.svg").is_file()


@pytest.mark.e2e
def test_every_edition_prints_its_version_in_the_colophon(clean_build: Path) -> None:
    import subprocess

    import docx
    import yaml

    edition = yaml.safe_load((clean_build / "_quarto.yml").read_text(encoding="utf-8"))
    edition = edition["thesis"]["edition"]
    line = f"Deze editie: {edition['label']}, versie {edition['version']}."
    book = clean_build / "_book"
    page = (book / "index.html").read_text(encoding="utf-8")
    assert line in page
    pdf = next(book.glob("*.pdf"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert line in " ".join(text.split())
    document = docx.Document(str(next(book.glob("*.docx"))))
    assert any(line in p.text for p in document.paragraphs)


@pytest.mark.e2e
def test_the_pdf_can_be_pdf_ua_with_structure_tree_and_language(
        clean_build: Path, tmp_path: Path) -> None:
    """render.pdfua: Typst checks PDF/UA-1 (together with PDF/A-2b) and refuses a PDF a
    screen reader cannot use; the result carries its structure tree and language."""
    import re
    import subprocess
    import sys

    from pypdf import PdfReader

    out = tmp_path / "ua.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "proefdruk", "pdf", "--book", "results/render/book.json",
         "--paper", "170x240", "--pdfa", "true", "--pdfua", "true", "--out", str(out)],
        cwd=clean_build, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    root = PdfReader(str(out)).trailer["/Root"]
    assert str(root["/Lang"]).startswith("nl")
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert re.search(r"pdfuaid:part>1<", xmp) and re.search(r"pdfaid:part>2<", xmp)
    # the default edition is tagged too (Typst tags every PDF); only the claim differs
    default = PdfReader(str(next((clean_build / "_book").glob("*.pdf")))).trailer["/Root"]
    assert "/StructTreeRoot" in default and str(default["/Lang"]).startswith("nl")
