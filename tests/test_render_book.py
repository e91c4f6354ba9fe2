"""The real dissertation through the renderer core (shares the session's clean build).

Every cross-reference, number and provenance link in every chapter AST must land on a
label that book.json knows, and book.json must follow _quarto.yml's order.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from proefdruk.render.core import pandocast as pa
from proefdruk.render.core.project import load_project


def _all_elements(node: object) -> list[dict]:
    found: list[dict] = []
    pa.walk(node, found.append)
    return found


@pytest.mark.e2e
def test_book_json_and_every_link_resolves(clean_build: Path) -> None:
    book = json.loads((clean_build / "results/render/book.json").read_text(encoding="utf-8"))
    project = load_project(clean_build)
    # (the provenance appendix is an ordinary chapter of _quarto.yml)
    assert [c["id"] for c in book["chapters"]] == [c.id for c in project.chapters]
    assert "herkomst" in [c.id for c in project.chapters]
    assert book["chapters"][0]["href"] == "index.html"
    numbered = [c["number"] for c in book["chapters"] if c["kind"] == "chapter"]
    assert numbered == [str(i) for i in range(1, len(numbered) + 1)]
    labels = book["labels"]
    missing: list[str] = []
    counts = {"xref": 0, "num": 0, "provenance-link": 0}
    for chapter in book["chapters"]:
        ast = json.loads((clean_build / chapter["ast"]).read_text(encoding="utf-8"))
        ids = {(pa.attr_of(n) or [""])[0] for n in _all_elements(ast["blocks"])}
        for link in pa.elements(ast["blocks"], "Link"):
            target = link["c"][2][0]
            for cls in counts:
                if cls in link["c"][0][1]:
                    counts[cls] += 1
                    if target[1:] not in labels and target[1:] not in ids:
                        missing.append(f"{chapter['id']}: {target}")
        leftover = [c["c"][0][0]["citationId"] for c in pa.elements(ast["blocks"], "Cite")
                    if c["c"][0][0]["citationId"].startswith(("fig-", "tbl-", "sec-"))]
        assert leftover == [], chapter["id"]
    assert missing == []
    assert counts["xref"] > 0 and counts["num"] > 0 and counts["provenance-link"] > 0
