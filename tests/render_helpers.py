"""Helpers shared by the renderer tests: a private copy of the fixture book."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "render" / "book"


def fixture_book(dest: Path) -> Path:
    """Copy the fixture book to ``dest`` with the project's real Quarto extension, and
    write its generated sources the way the workflow does."""
    shutil.copytree(FIXTURE, dest)
    shutil.copytree(ROOT / "_extensions", dest / "_extensions")
    write_generated_sources(dest)
    return dest


def provenance_appendix(book: Path, site_url: str | None = None) -> str:
    """The generated provenance appendix (results/book/herkomst.md) of ``book``, as rule
    provenance_appendix makes it (``site_url``: the book's ``site-url``, if any)."""
    from proefdruk.render.editions import herkomst
    from proefdruk.render.workflow.plan import load_plan

    plan = load_plan(book)
    body, _ = herkomst.build(
        sorted(str(p) for p in (book / "results" / "numbers").glob("*.json")),
        sorted(str(p) for p in (book / "results" / "provenance").glob("*.json")),
        generated=plan.generated_files(), users=plan.number_users(),
        titles=plan.display_titles(), claim_users=plan.claim_users(),
        words=plan.provenance_words(), site_url=site_url)
    return body


def write_generated_sources(book: Path) -> None:
    """results/book/herkomst.md and notices.md, as rules provenance_appendix and
    book_notices write them."""
    from proefdruk.render.core.project import NOTICES_INCLUDE, PROVENANCE_INCLUDE
    from proefdruk.render.editions.notices import load_notices, notices_markdown

    body = provenance_appendix(book)
    out = book / PROVENANCE_INCLUDE
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(body, encoding="utf-8")
    notices = sorted(str(p) for p in (book / "results" / "notices").glob("*.json"))
    (book / NOTICES_INCLUDE).write_text(notices_markdown(load_notices(notices)),
                                        encoding="utf-8")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
