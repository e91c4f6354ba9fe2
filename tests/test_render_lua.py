"""The project's Quarto extension: the Lua that real Quarto runs is the Lua we run.

The built-in renderer loads ``_extensions/proefdruk/*.lua`` through a small shim; these
tests check that the extension is a well-formed Quarto extension, that the Lua and the
Python halves agree on provenance anchors, and that the ``num`` shortcode also works
without the shim (as under real Quarto, which has no provenance appendix).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from render_helpers import ROOT, edit, fixture_book

from proefdruk.render import pandocast as pa
from proefdruk.render.chapter import render_chapter
from proefdruk.render.extension import known_shortcodes, shortcode_files
from proefdruk.render.plan import load_plan
from proefdruk.render.slug import source_anchor

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


@pytest.mark.parametrize("shim", [True, False])
def test_num_shortcode_with_and_without_the_shim(tmp_path: Path, shim: bool) -> None:
    """Without the shim (real Quarto), ``num`` prints the same text in a span."""
    book = fixture_book(tmp_path / "book")
    lua = tmp_path / "call.lua"
    directory = json.dumps(str(book))
    flag = ", proefdruk = true" if shim else ""
    num_lua = json.dumps(str(ROOT / "_extensions/proefdruk/num.lua"))
    lua.write_text(
        f"quarto = {{ project = {{ directory = {directory} }}{flag} }}\n"
        f"local sc = dofile({num_lua})\n"
        "function Pandoc(doc)\n"
        "  return pandoc.Pandoc({ pandoc.Plain({ sc.num({ 'demo.respons' }, {}, doc.meta) }) })\n"
        "end\n",
        encoding="utf-8")
    proc = pa.run(["-f", "markdown", "-t", "json", "--lua-filter", str(lua)], "x", cwd=book)
    assert proc.returncode == 0, proc.stderr
    node = json.loads(proc.stdout)["blocks"][0]["c"][0]
    assert pa.stringify(node) == "63,5\u00a0%"
    assert node["t"] == ("Link" if shim else "Span")
    assert "num" in node["c"][0][1]
