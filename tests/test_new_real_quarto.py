"""The starter under real Quarto: the same numbers, claim sentences and notices in its
HTML, PDF and DOCX as the built-in renderer gives.

Quarto cannot be installed from the package registries, so this runs where a real Quarto
1.9+ is at hand: ``quarto`` on PATH or ``PROEFDRUK_QUARTO`` naming the executable (a build
from source with ../shared/quarto-from-source works). Elsewhere it is skipped, and says so.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import run_snakemake

pytestmark = [pytest.mark.e2e, pytest.mark.release]

QUARTO = os.environ.get("PROEFDRUK_QUARTO") or shutil.which("quarto")


def starter(dest: Path, lang: str) -> Path:
    result = subprocess.run([sys.executable, "-m", "proefdruk", "new", str(dest), "--lang", lang,
                             "--title", "Quarto check", "--author", "A. Candidate"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    for args in (["init", "-q"], ["add", "-A"],
                 ["-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "x"]):
        subprocess.run(["git", *args], cwd=dest, check=True, capture_output=True)
    return dest


def edition_texts(book: Path) -> dict[str, str]:
    """The words a reader sees in each edition, whitespace folded."""
    pages = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", p.read_text(encoding="utf-8")))
                     for p in sorted(book.rglob("*.html")))
    pdf = subprocess.run(["pdftotext", str(next(book.glob("*.pdf"))), "-"],
                         capture_output=True, text=True, check=True).stdout
    with zipfile.ZipFile(next(book.glob("*.docx"))) as zf:
        docx = re.sub(r"<[^>]+>", " ", zf.read("word/document.xml").decode("utf-8"))
    fold = lambda text: " ".join(html.unescape(text).replace("\u00ad", "").split())  # noqa: E731
    # a word hyphenated at a line end (Typst writes a soft hyphen there) is one word again
    pdf = re.sub("\u00ad\\s*", "", pdf)
    return {"html": fold(pages), "pdf": fold(pdf), "docx": fold(docx)}


@pytest.mark.skipif(QUARTO is None, reason="no real Quarto here (quarto on PATH or "
                    "PROEFDRUK_QUARTO); build one with ../shared/quarto-from-source")
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_real_quarto_prints_the_same_numbers_claims_and_notices(tmp_path: Path,
                                                                lang: str) -> None:
    ours = starter(tmp_path / "builtin", lang)
    theirs = starter(tmp_path / "quarto", lang)
    assert run_snakemake(ours, "all").returncode == 0
    result = run_snakemake(theirs, "all", "--config", f"render={{quarto: {QUARTO}}}")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    log = (theirs / "logs/quarto_render.log").read_text(encoding="utf-8")
    assert "Output created" in log
    # every number and claim links to its entry in the provenance appendix's page (Quarto
    # hands the project-level path to each chapter rewritten relative to it: issue #30)
    assert "Unable to resolve link target" not in log
    appendix = Path(yaml.safe_load((theirs / "_quarto.yml").read_text(encoding="utf-8"))
                    ["proefdruk"]["provenance"]).with_suffix(".html").name
    page = (theirs / "_book/chapters/02-results.html").read_text(encoding="utf-8")
    target = (theirs / "_book/chapters" / appendix).read_text(encoding="utf-8")
    for anchor in ("num-survey.agreeing", "claim-survey.majority_agrees"):
        assert f'href="../chapters/{appendix}#{anchor}"' in page, anchor
        assert f'id="{anchor}"' in target, anchor

    registry = json.loads((ours / "results/numbers.json").read_text(encoding="utf-8"))
    claims = json.loads((ours / "results/claims.json").read_text(encoding="utf-8"))
    notice = json.loads((ours / "results/notices/synthetic-data.json").read_text(
        encoding="utf-8"))
    chapter = (ours / "chapters/02-results.qmd").read_text(encoding="utf-8")
    outcome = str(claims["survey.majority_agrees"]["outcome"]).lower()
    sentence = re.search(r"\[([^\]]+)\]\{when=\"" + outcome + r"\"\}", chapter).group(1)
    sentence = " ".join(sentence.split())
    printed = [registry[k]["display"] for k in ("survey.agreeing", "survey.highest_group")]
    notice_words = " ".join(str(notice.get("text") or notice.get("body")).split())[:60]

    for name, root in (("built-in", ours), ("Quarto", theirs)):
        for edition, text in edition_texts(root / "_book").items():
            where = f"{name} {edition}"
            for display in printed:
                assert " ".join(display.split()) in text, (where, display)
            assert sentence in text and "†" in text, (where, sentence)
            assert notice_words in text, (where, notice_words)

    # What a reader sees the same way from both renderers (issue #30), beyond the words:
    # the numbering of figures and tables, the notices as styled callouts shown once, the
    # DOCX's headings and where the PDF's arabic page 1 is.
    assert "unknown reference type" not in log
    texts = {name: edition_texts(root / "_book") for name, root in (("ours", ours),
                                                                  ("theirs", theirs))}
    fig, tbl = ("Figuur", "Tabel") if lang == "nl" else ("Figure", "Table")
    lof = "Lijst van figuren" if lang == "nl" else "List of Figures"
    for name, text in texts.items():
        assert lof in text["pdf"], name
        assert f"{fig} 2.1:" in text["pdf"] and f"{tbl} 2.1:" in text["pdf"], name
        assert f"{fig} 1:" not in text["pdf"] and f"{tbl} 1:" not in text["pdf"], name
    assert docx_headings(theirs / "_book") == docx_headings(ours / "_book")
    assert first_arabic_page(theirs / "_book") == first_arabic_page(ours / "_book")
    title = str(notice["title"]).rstrip(".")
    index = (theirs / "_book/index.html").read_text(encoding="utf-8")
    page = (theirs / "_book/chapters/02-results.html").read_text(encoding="utf-8")
    for where, text in (("index", index), ("chapter", page)):
        callouts = re.findall(r'<div id="notice-[^"]*" class="notice callout[^"]*"', text)
        assert len(callouts) == 1, (where, callouts)
        assert re.search(r'callout-title-container[^>]*>\s*(<span[^>]*>[^<]*</span>)?'
                         + re.escape(html.escape(title, quote=False)), text), where


def docx_headings(book: Path) -> list[str]:
    """The DOCX's chapter and part headings (styles Heading 1 and Part), in order."""
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(next(book.glob("*.docx"))) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    out = []
    for p in root.iter(f"{w}p"):
        style = p.find(f"{w}pPr/{w}pStyle")
        if style is not None and style.get(f"{w}val") in ("Heading1", "Part"):
            out.append(" ".join("".join(p.itertext()).split()))
    return out


def first_arabic_page(book: Path) -> int:
    """The PDF page (counted from 1) that carries the printed page number 1."""
    from pypdf import PdfReader

    reader = PdfReader(next(book.glob("*.pdf")))
    return next(i for i in range(len(reader.pages)) if reader.page_labels[i] == "1") + 1
