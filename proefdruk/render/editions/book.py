"""``book.json``: the one description of the book that every edition writer reads.

It is assembled cheaply from the per-chapter labels files (title, kind, number, labels),
``_quarto.yml`` (order, parts, metadata) and the edition notices. Chapter pages do not
read it (see :func:`page_book`): a page needs only the book's skeleton and the labels it
links to, so a prose edit in one chapter does not rebuild every page.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from proefdruk import thesis_page
from proefdruk.errors import BuildError
from proefdruk.render.core import yamlfile
from proefdruk.render.core.project import load_project
from proefdruk.render.editions.notices import load_notices


def load_json(path: str | Path) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BuildError("file not found", file=str(path),
                         hint="run `snakemake all`; the rule that writes it has not run") from exc
    except json.JSONDecodeError as exc:
        raise BuildError("not valid JSON", file=str(path), line=exc.lineno, found=exc.msg,
                         hint="delete it and rerun `snakemake all`") from exc


def assemble(root: str | Path, labels_files: list[str], notice_files: list[str]
             ) -> dict[str, Any]:
    """book.json from the chapter labels files (in book order) and the notices."""
    project = load_project(root)
    by_id = {}
    for path in labels_files:
        doc = load_json(path)
        by_id[doc["id"]] = doc
    order = [c.id for c in project.chapters]
    missing = [cid for cid in order if cid not in by_id]
    if missing:
        raise BuildError(f"no labels file for chapter '{missing[0]}'",
                         expected=f"results/render/labels/{missing[0]}.json",
                         hint="run `snakemake all`")
    parts = {c.id: c.part for c in project.chapters}
    hrefs = {c.id: c.href for c in project.chapters}
    chapters: list[dict[str, Any]] = []
    labels: dict[str, dict[str, Any]] = {}
    for cid in order:
        doc = by_id[cid]
        chapters.append({"id": cid, "source": doc["source"], "href": hrefs[cid],
                         "kind": doc["kind"], "number": doc["number"], "title": doc["title"],
                         "part": parts.get(cid), "ast": f"results/render/chapters/{cid}.json"})
        for ident, entry in doc["labels"].items():
            if ident in labels:
                raise BuildError(f"label '{ident}' is defined in two chapters",
                                 found=f"{labels[ident]['chapter']} and {cid}",
                                 hint="labels must be unique in the whole book")
            labels[ident] = entry
        for ref_id in doc.get("bibliography_ids", []):
            labels.setdefault(ref_id, {"chapter": cid, "kind": "ref", "number": None,
                                       "text": ref_id[4:]})
    return {
        "title": project.title, "subtitle": project.subtitle, "author": project.author,
        "date": project.date, "lang": project.lang, "output_file": project.output_file,
        "terms": project.terms(),
        "words": dict(project.locale().words),
        "design": project.typst_design(),
        # the dissertation's title page and its back (None: no thesis: defence:)
        "thesis_page": thesis_page.build(yamlfile.plain(project.raw), project.locale()),
        "notices": load_notices(notice_files),
        "chapters": chapters, "labels": dict(sorted(labels.items())),
    }


def page_book(skeleton: dict[str, Any], own_labels_file: str, notice_files: list[str],
              external: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The book as one chapter page sees it: same shape as book.json, with the labels
    of this chapter and of the labels it links to in other chapters."""
    own = load_json(own_labels_file)
    book = dict(skeleton)
    book["notices"] = load_notices(notice_files)
    chapters = []
    for ch in skeleton["chapters"]:
        ch = dict(ch)
        if ch["id"] == own["id"]:
            ch.update({"title": own["title"], "kind": own["kind"], "number": own["number"]})
        chapters.append(ch)
    book["chapters"] = chapters
    labels = dict(external)
    labels.update(own["labels"])
    for ref_id in own.get("bibliography_ids", []):
        labels.setdefault(ref_id, {"chapter": own["id"], "kind": "ref", "number": None,
                                   "text": ref_id[4:]})
    book["labels"] = dict(sorted(labels.items()))
    return book
