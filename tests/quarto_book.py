"""Build the Quarto-features fixture book (tests/fixtures/quarto) in-process, with the
real renderer: every chapter through the core, then the HTML site, the PDF and the DOCX,
as the book rules do. Shared by the coverage tests and the browser tests."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from proefdruk.render.core.chapter import render_chapter, write_outputs
from proefdruk.render.editions import docx, html, typst_pdf
from proefdruk.render.editions.book import assemble, page_book
from proefdruk.render.workflow.plan import load_plan

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "quarto"


def build_quarto_book(dest: Path) -> dict[str, Any]:
    """Copy the fixture to ``dest``, render everything under ``dest/_book``; return
    ``{"book": book.json, "reports": {chapter: report}, "root": dest}``."""
    shutil.copytree(FIXTURE, dest)
    shutil.copytree(ROOT / "_extensions", dest / "_extensions")
    plan = load_plan(dest)
    render = dest / "results" / "render"
    reports: dict[str, Any] = {}
    labels = []
    for cid in plan.chapter_ids:
        out = render_chapter(dest, cid, plan.render_params(cid), cache_dir=dest / ".cache")
        label_file = render / "labels" / f"{cid}.json"
        write_outputs(out, render / "chapters" / f"{cid}.json", label_file,
                      dest / "results" / "reports" / f"render-{cid}.json")
        reports[cid] = out.report
        labels.append(str(label_file))
    book = assemble(dest, labels, [])
    book["root"] = str(dest)
    site = dest / "_book"
    html.write_assets(site)
    for chapter in plan.chapters:
        page = page_book(plan.skeleton(), str(render / "labels" / f"{chapter.id}.json"), [],
                         plan.page_labels(chapter.id))
        page["root"] = str(dest)
        html.write_chapter_page(page, chapter.id, site / chapter.href)
    html.write_search_index(book, site / "search.json")
    typst_pdf.write_pdf(book, site / "kenmerken.pdf", paper="170x240", pdfa=False)
    docx.write_docx(book, site / "kenmerken.docx")
    (dest / "book.json").write_text(json.dumps(book, ensure_ascii=False), encoding="utf-8")
    return {"book": book, "reports": reports, "root": dest}
