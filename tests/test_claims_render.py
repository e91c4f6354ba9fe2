"""Claim-bound text: the extension's filter keeps the sentence the data support.

The filter is _extensions/proefdruk/claims.lua, which real Quarto runs as the extension's
filter and the built-in renderer runs after the shortcodes; these tests run it through the
built-in renderer on the fixture book (real pandoc) and once without the shim, as Quarto
would, so both paths select the same text.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from render_helpers import ROOT, edit, fixture_book

from proefdruk.errors import BuildError
from proefdruk.render.core import pandocast as pa
from proefdruk.render.core.chapter import render_chapter
from proefdruk.render.core.extension import filter_files
from proefdruk.render.workflow.plan import load_plan

TEXT = ('[[Hoog genoeg.]{when="true"} [Te laag.]{when="false"}]{.claim key="demo.hoog"}'
        ' en [B of C.]{.claim key="demo.groep" when="b c"}\n\n'
        '::: {.claim key="demo.groep"}\n::: {when="a"}\nAlinea A.\n:::\n'
        '::: {when="b"}\nAlinea B met {{< num demo.respons >}}.\n:::\n:::\n\n')


def claims(hoog: str = "true", groep: str = "b", synthetic: bool = True) -> dict:
    return {
        "demo.hoog": {"outcome": hoog, "kind": "boolean", "outcomes": ["false", "true"],
                      "rule": "respons boven de helft", "values": {"demo.respons": 0.63},
                      "synthetic": synthetic, "description": "Respons hoog"},
        "demo.groep": {"outcome": groep, "kind": "category", "outcomes": ["a", "b", "c"],
                       "rule": "grootste groep", "values": {"demo.respons": 0.63},
                       "synthetic": synthetic, "description": "Grootste groep"},
    }


def project(tmp_path: Path, extra: str = "", **kw: object) -> Path:
    book = fixture_book(tmp_path / "book")
    quarto = book / "_quarto.yml"
    quarto.write_text(quarto.read_text(encoding="utf-8") + "\nfilters:\n  - proefdruk\n",
                      encoding="utf-8")
    numbers = book / "results/numbers/demo.json"
    data = json.loads(numbers.read_text(encoding="utf-8"))
    data["claims"] = claims(**kw)  # type: ignore[arg-type]
    numbers.write_text(json.dumps(data), encoding="utf-8")
    edit(book / "index.qmd", "Dit boek", TEXT + extra + "Dit boek")
    return book


def render(book: Path, tmp_path: Path) -> dict:
    plan = load_plan(book)
    return render_chapter(book, "index", plan.render_params("index"),
                          cache_dir=tmp_path / "cache").ast


def plain(ast: dict) -> str:
    """The chapter as plain text (real pandoc), as a reader sees it."""
    proc = pa.run(["-f", "json", "-t", "plain", "--wrap=none"], json.dumps(ast), cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def spans(ast: dict, cls: str) -> list[dict]:
    return [s for s in pa.elements(ast["blocks"], "Span") if cls in s["c"][0][1]] + [
        d for d in pa.elements(ast["blocks"], "Div") if cls in d["c"][0][1]]


def test_the_filter_comes_from_the_extension_manifest() -> None:
    # placeholders.lua, docx-book.lua and titlepage.lua are Quarto's alone: under the
    # built-in renderer (quarto.proefdruk set) they return no filter and change nothing
    assert filter_files(ROOT, ["proefdruk"]) == ["_extensions/proefdruk/claims.lua",
                                                 "_extensions/proefdruk/placeholders.lua",
                                                 "_extensions/proefdruk/docx-book.lua",
                                                 "_extensions/proefdruk/titlepage.lua"]
    with pytest.raises(BuildError, match="neither a .lua file nor an extension"):
        filter_files(ROOT, ["geen-extensie"])


@pytest.mark.parametrize("hoog, groep, kept, dropped", [
    ("true", "b", ["Hoog genoeg.", "B of C.", "Alinea B"], ["Te laag.", "Alinea A."]),
    ("false", "a", ["Te laag.", "Alinea A."], ["Hoog genoeg.", "B of C.", "Alinea B"]),
])
def test_the_outcome_selects_the_text(tmp_path: Path, hoog: str, groep: str,
                                      kept: list[str], dropped: list[str]) -> None:
    book = project(tmp_path, hoog=hoog, groep=groep)
    if groep == "a":  # the span offers b and c only: give it the a-text too
        edit(book / "index.qmd", '[B of C.]{.claim key="demo.groep" when="b c"}',
             '[[B of C.]{when="b c"}[A.]{when="a"}]{.claim key="demo.groep"}')
    text = plain(render(book, tmp_path))
    for sentence in kept:
        assert sentence in text
    for sentence in dropped:
        assert sentence not in text


def test_synthetic_claims_are_underlined_and_daggered(tmp_path: Path) -> None:
    ast = render(project(tmp_path), tmp_path)
    marked = spans(ast, "claim-synthetic")
    assert len(marked) == 3
    first = marked[0]
    assert pa.get_kv(first["c"][0], "title") == "Berust op synthetische gegevens"
    assert first["c"][1][0]["t"] == "Underline"
    links = [n for n in pa.elements(ast["blocks"], "Link") if "claim-link" in n["c"][0][1]]
    assert [pa.stringify(n["c"][1]) for n in links] == ["†"] * 3
    assert links[0]["c"][2][0] == "#claim-demo.hoog"


def test_real_data_keeps_only_an_empty_link(tmp_path: Path) -> None:
    ast = render(project(tmp_path, synthetic=False), tmp_path)
    assert spans(ast, "claim-synthetic") == []
    assert list(pa.elements(ast["blocks"], "Underline")) == []
    assert "†" not in plain(ast)
    links = [n for n in pa.elements(ast["blocks"], "Link") if "claim-link" in n["c"][0][1]]
    assert len(links) == 3 and all(n["c"][1] == [] for n in links)


def test_an_outcome_without_text_stops_with_line_values_then_and_now(tmp_path: Path) -> None:
    book = project(tmp_path, '\nHier [Alleen A.]{.claim key="demo.groep" when="a"}.\n\n')
    (book / "_book").mkdir()
    (book / "_book/manifest.json").write_text(json.dumps({"claims": {"demo.groep": {
        "outcome": "a", "values": {"demo.respons": 0.31}}}}), encoding="utf-8")
    with pytest.raises(BuildError) as info:
        render(book, tmp_path)
    err = info.value
    lines = (book / "index.qmd").read_text(encoding="utf-8").splitlines()
    assert err.file == "index.qmd"
    assert "Alleen A." in lines[err.line - 1]
    text = str(err)
    assert "claim 'demo.groep' now has the outcome 'b'" in text
    assert "the chapter offers: a" in text
    assert "values now: demo.respons = 0.63" in text
    assert "outcome 'a' with demo.respons = 0.31 (last build" in text
    assert 'add an alternative [..]{when="b"}' in text


@pytest.mark.parametrize("snippet, message", [
    ('[x]{.claim key="demo.onbekend" when="true"}', "unknown claim 'demo.onbekend'"),
    ('[x]{.claim key="demo.groep" when="d"}', "has no outcome 'd'"),
    ('[x [y]{when="a"}]{.claim key="demo.groep"}', "text outside its alternatives"),
])
def test_mistakes_in_the_construct_are_named(tmp_path: Path, snippet: str,
                                             message: str) -> None:
    book = project(tmp_path, snippet + "\n\n")
    with pytest.raises(BuildError, match=message) as info:
        render(book, tmp_path)
    assert info.value.line is not None


def test_without_the_shim_quarto_selects_the_same_text(tmp_path: Path) -> None:
    """Real Quarto runs claims.lua without quarto.proefdruk: same choice, same marks."""
    book = project(tmp_path)
    lua = tmp_path / "run.lua"
    lua.write_text(
        f"quarto = {{ project = {{ directory = {json.dumps(str(book))} }} }}\n"
        f"local filters = dofile({json.dumps(str(ROOT / '_extensions/proefdruk/claims.lua'))})\n"
        "function Pandoc(doc) for _, f in ipairs(filters) do doc = doc:walk(f) end "
        "return doc end\n", encoding="utf-8")
    source = TEXT.replace("{{< num demo.respons >}}", "x")
    proc = pa.run(["-f", "markdown", "-t", "json", "--lua-filter", str(lua)], source, cwd=book)
    assert proc.returncode == 0, proc.stderr
    ast = json.loads(proc.stdout)
    text = plain(ast)
    assert "Hoog genoeg." in text and "Te laag." not in text and "Alinea A." not in text
    assert len(spans(ast, "claim-synthetic")) == 3
    links = [n["c"][2][0] for n in pa.elements(ast["blocks"], "Link")]
    assert links == ["#claim-demo.hoog", "#claim-demo.groep", "#claim-demo.groep"]
    bad = TEXT.replace('when="b c"', 'when="a"').replace("{{< num demo.respons >}}", "x")
    proc = pa.run(["-f", "markdown", "-t", "json", "--lua-filter", str(lua)], bad, cwd=book)
    assert proc.returncode != 0 and "offers no text" in proc.stderr


def test_the_plan_knows_which_lines_rely_on_which_claim(tmp_path: Path) -> None:
    """The appendix lists them; the chapter job depends on the claim's registry file."""
    book = project(tmp_path)
    plan = load_plan(book)
    lines = (book / "index.qmd").read_text(encoding="utf-8").splitlines()
    users = plan.claim_users()
    assert sorted(users) == ["demo.groep", "demo.hoog"]
    for key, places in users.items():
        for chapter, file, line in places:
            assert (chapter, file) == ("index", "index.qmd")
            assert f'key="{key}"' in lines[line - 1]
    assert "results/numbers/demo.json" in plan.chapter_inputs("index")
    # an entry of the appendix (class claim-entry) is no claim-bound text
    edit(book / "index.qmd", "Dit boek", '::: {#claim-x .provenance-entry .claim-entry '
         'key="demo.hoog"}\nTekst.\n:::\n\nDit boek')
    assert load_plan(book).claim_users() == users
