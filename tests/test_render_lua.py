"""The project's Quarto extension: the Lua that real Quarto runs is the Lua we run.

The built-in renderer loads ``_extensions/proefdruk/*.lua`` through a small shim; these
tests check that the extension is a well-formed Quarto extension, that the Lua and the
Python halves agree on provenance anchors, and that the ``num`` shortcode links to the
provenance appendix without the shim too (as under real Quarto).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from render_helpers import ROOT, edit, fixture_book

from proefdruk.render.core import pandocast as pa
from proefdruk.render.core.chapter import render_chapter
from proefdruk.render.core.extension import known_shortcodes, shortcode_files
from proefdruk.render.core.slug import source_anchor
from proefdruk.render.workflow.plan import load_plan

PATHS = ["results/figures/partnerschappen-tijdlijn.svg", "results/tables/Respons_Provincie.md",
         "results/fragments/vragenlijst.md", "data/raw/a b/c--d.csv"]


def test_extension_manifest_lists_existing_shortcodes() -> None:
    files = shortcode_files(ROOT)
    assert "_extensions/proefdruk/num.lua" in files
    assert all((ROOT / f).is_file() for f in files)
    assert {"num", "prov", "var", "meta", "include", "pagebreak"} <= set(known_shortcodes(ROOT))


def test_lua_and_python_agree_on_provenance_anchors(tmp_path: Path) -> None:
    book = fixture_book(tmp_path / "book")
    lines = "\n\n".join(f'Bron: {{{{< prov "{p}" >}}}}' for p in PATHS)
    edit(book / "index.qmd", "Dit boek", lines + "\n\nDit boek")
    plan = load_plan(book)
    out = render_chapter(book, "index", plan.render_params("index"), cache_dir=tmp_path / "c")
    targets = [n["c"][2][0] for n in pa.elements(out.ast["blocks"], "Link")
               if "provenance-link" in n["c"][0][1]]
    assert targets == ["#" + source_anchor(p) for p in PATHS]


QUARTO_HTML = ("doc = { is_format = function(f) return f == 'html' end, "
               "input_file = INPUT }")
QUARTO_TYPST = "doc = { is_format = function(f) return f == 'typst' end }"


@pytest.mark.parametrize(("api", "page", "href"), [
    ("proefdruk = true", "chapters/01-een.qmd", "#num-demo.respons"),  # built-in shim
    (QUARTO_HTML, "chapters/01-een.qmd", "herkomst.qmd#num-demo.respons"),
    (QUARTO_HTML, "index.qmd", "chapters/herkomst.qmd#num-demo.respons"),
    (QUARTO_HTML, "chapters/herkomst.qmd", "#num-demo.respons"),
    (QUARTO_TYPST, "chapters/01-een.qmd", "#num-demo.respons"),
])
def test_num_shortcode_links_to_the_appendix_in_both_renderers(
        tmp_path: Path, api: str, page: str, href: str) -> None:
    """Under real Quarto (no shim) ``num`` links to the provenance appendix too: in HTML
    to the appendix's .qmd relative to the page (Quarto makes it .html), in the
    one-document formats to the anchor."""
    book = fixture_book(tmp_path / "book")
    lua = tmp_path / "call.lua"
    api = api.replace("INPUT", json.dumps(str(book / page)))
    num_lua = json.dumps(str(ROOT / "_extensions/proefdruk/num.lua"))
    lua.write_text(
        f"quarto = {{ project = {{ directory = {json.dumps(str(book))} }}, {api} }}\n"
        f"local sc = dofile({num_lua})\n"
        "function Pandoc(doc)\n"
        "  return pandoc.Pandoc({ pandoc.Plain({ sc.num({ 'demo.respons' }, {}, doc.meta) }) })\n"
        "end\n",
        encoding="utf-8")
    meta = "---\nproefdruk:\n  provenance: chapters/herkomst.qmd\n---\n"
    proc = pa.run(["-f", "markdown", "-t", "json", "--lua-filter", str(lua)], meta + "x",
                  cwd=book)
    assert proc.returncode == 0, proc.stderr
    node = json.loads(proc.stdout)["blocks"][0]["c"][0]
    assert pa.stringify(node) == "63,5\u00a0%"
    assert node["t"] == "Link" and "num" in node["c"][0][1]
    assert node["c"][2][0] == href
