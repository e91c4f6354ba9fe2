"""The fixture book rendered to its DOCX in-process, and LibreOffice's round trip.

Each step is the command the Snakemake rule runs (``proefdruk.cli``), in the same order:
every chapter (the provenance appendix and the notices are sources written by
``render_helpers.fixture_book``), book.json, the DOCX.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from proefdruk.cli import main as proefdruk
from proefdruk.render.editions.docx import write_docx
from proefdruk.render.workflow.plan import load_plan


def build_docx(root: Path) -> Path:
    """Render the book at ``root`` and write results/book.docx (returned)."""
    plan = load_plan(root)
    out = root / "results" / "render"
    labels = []
    for cid in plan.chapter_ids:
        lab = out / "labels" / f"{cid}.json"
        assert proefdruk([
            "--root", str(root), "render-chapter", "--chapter", cid,
            "--plan", json.dumps(plan.render_params(cid)),
            "--ast", str(out / "chapters" / f"{cid}.json"), "--labels", str(lab),
            "--report", str(out / "reports" / f"{cid}.json"),
            "--cache-dir", str(root / ".cache")]) == 0
        labels.append(str(lab))
    book = out / "book.json"
    assert proefdruk(["--root", str(root), "book-json", "--labels", *labels, "--notices",
                      *map(str, sorted((root / "results" / "notices").glob("*.json"))),
                      "--out", str(book)]) == 0
    described = json.loads(book.read_text(encoding="utf-8"))
    described["root"] = str(root)  # its chapter ASTs are relative to the project root
    docx = root / "results" / "book.docx"
    write_docx(described, docx)
    return docx


def assert_markers_change_nothing(root: Path, cache: Path) -> None:
    """Every chapter of the book at ``root`` resolves to the same document with and
    without position markers (so no edition but the DOCX can change because of them)."""
    from proefdruk.render.core import sourcepos
    from proefdruk.render.core.chapter import render_chapter

    plan = load_plan(root)
    mark = sourcepos.mark
    try:
        for cid in plan.chapter_ids:
            sourcepos.mark = mark
            marked = render_chapter(root, cid, plan.render_params(cid), cache_dir=cache)
            assert "pd-pos" in json.dumps(marked.ast["blocks"]), cid
            sourcepos.mark = lambda exp: exp
            plain = render_chapter(root, cid, plan.render_params(cid), cache_dir=cache)
            assert sourcepos.strip(marked.ast) == sourcepos.strip(plain.ast), cid
    finally:
        sourcepos.mark = mark


def libreoffice_round_trip(docx: Path, out_dir: Path) -> Path:
    """Open and save ``docx`` with LibreOffice (as a supervisor without Word would)."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (soffice) is not installed"
    profile = out_dir / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out_dir),
                    str(docx)], check=True, capture_output=True, timeout=300)
    result = out_dir / docx.name
    assert result.is_file(), f"LibreOffice wrote no {result}"
    return result
