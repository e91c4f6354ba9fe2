"""The title page of a Dutch dissertation (issue 31), from ``thesis:`` in _quarto.yml.

The formula, "door", the candidate, "geboren te …" and on the back the promotors, the
copromotors and the committee: built by proefdruk/thesis_page.py for the built-in
renderer and by the extension's titlepage.lua under real Quarto, with the same words
(proefdruk/locale/{nl,en}.yml) and the same text. Placeholders are listed by publish.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from proefdruk import bookmeta, thesis_page
from proefdruk.locale.words import locale_for
from proefdruk.render.core import pandocast as pa

ROOT = Path(__file__).resolve().parent.parent
LUA = ROOT / "_extensions" / "proefdruk" / "titlepage.lua"

FILLED = {
    "book": {"title": "Titel", "author": [{"name": "Anna de Vries"}]},
    "citation": {"publisher": "Universiteit Leiden"},
    "lang": "nl",
    "thesis": {
        "rector": "prof. dr. R. Rector",
        "board": "het college voor promoties",
        "defence": {"date": "dinsdag 3 maart 2026", "time": "13.45"},
        "birthplace": "Utrecht",
        "promotors": [{"name": "prof. dr. J. Jansen"}, {"name": "prof. dr. P. Pietersen"}],
        "copromotors": [{"name": "dr. K. Klaassen"}],
        "committee": [{"name": "prof. dr. L. Lodewijks", "affiliation": "Universiteit Gent"},
                      {"name": "dr. M. Maas"}],
    },
}


def test_the_dutch_formula_and_the_back_from_metadata() -> None:
    page = thesis_page.build(FILLED, locale_for("nl"))
    assert page["formula"] == (
        "Proefschrift ter verkrijging van de graad van doctor aan de Universiteit Leiden, "
        "op gezag van de rector magnificus prof. dr. R. Rector, volgens besluit van het "
        "college voor promoties in het openbaar te verdedigen op dinsdag 3 maart 2026 om "
        "13.45 uur")
    assert (page["by"], page["author"], page["born"]) == (
        "door", "Anna de Vries", "geboren te Utrecht")
    assert page["roles"] == [
        {"label": "Promotores", "names": ["prof. dr. J. Jansen", "prof. dr. P. Pietersen"]},
        {"label": "Copromotor", "names": ["dr. K. Klaassen"]},
        {"label": "Promotiecommissie",
         "names": ["prof. dr. L. Lodewijks, Universiteit Gent", "dr. M. Maas"]}]
    assert bookmeta.from_config(FILLED).title_page_open == ()


def test_an_english_book_gets_a_plain_english_form() -> None:
    config = {**FILLED, "lang": "en"}
    page = thesis_page.build(config, locale_for("en"))
    assert page["formula"].startswith("Thesis submitted for the degree of Doctor at "
                                      "Universiteit Leiden")
    assert page["by"] == "by" and page["born"] == "born in Utrecht"
    assert [r["label"] for r in page["roles"]] == ["Supervisors", "Co-supervisor",
                                                   "Doctoral committee"]


def test_no_defence_no_formula() -> None:
    config = {**FILLED, "thesis": {"promotors": [{"name": "x"}]}}
    assert thesis_page.build(config, locale_for("nl")) is None
    assert bookmeta.from_config(config).title_page_open == ()


def test_open_keys_show_and_are_listed_for_publish() -> None:
    config = json.loads(json.dumps(FILLED))
    config["thesis"]["rector"] = "[naam rector magnificus]"
    del config["thesis"]["birthplace"]
    config["thesis"]["committee"] = [{"name": "[Naam lid]"}]
    page = thesis_page.build(config, locale_for("nl"))
    assert "[naam rector magnificus]" in page["formula"]
    assert page["born"] == "geboren te [thesis.birthplace]"
    todo = bookmeta.missing(bookmeta.from_config(config))
    assert {"thesis.rector", "thesis.birthplace", "thesis.committee"} <= set(todo)
    assert "thesis.defence.date" not in todo


def test_the_study_lists_its_title_page_placeholders() -> None:
    todo = bookmeta.missing(bookmeta.load(ROOT))
    for key in ("thesis.rector", "thesis.defence.date", "thesis.defence.time",
                "thesis.birthplace", "thesis.committee"):
        assert key in todo


def test_lua_words_are_the_locale_words() -> None:
    lua = LUA.read_text(encoding="utf-8")
    for lang in ("nl", "en"):
        table = re.search(rf"\n  {lang} = \{{\n(.*?)\n  \}},", lua, re.S).group(1)
        words = dict(re.findall(r'\["([a-z-]+)"\] = "(.*)",', table))
        expected = {k: v for k, v in locale_for(lang).words.items()
                    if k.startswith("proefdruk-thesis-")}
        assert words == expected, lang


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_lua_and_python_set_the_same_page(tmp_path: Path, lang: str) -> None:
    """titlepage.lua as real Quarto runs it (a minimal ``quarto`` API for the opening
    page of the HTML site) gives the text thesis_page.build gives."""
    config = {**FILLED, "lang": lang}
    shim = tmp_path / "shim.lua"
    shim.write_text(
        "quarto = { doc = { is_format = function(f) return f == 'html' end, "
        "input_file = '/book/index.qmd' } }\n"
        f"return dofile({json.dumps(str(LUA))})\n", encoding="utf-8")
    meta = "---\n" + yaml.safe_dump({k: v for k, v in config.items() if k != "book"},
                                     allow_unicode=True)
    meta += yaml.safe_dump({"author": config["book"]["author"]}, allow_unicode=True)
    proc = pa.run(["-f", "markdown", "-t", "json", "--lua-filter", str(shim)],
                  meta + "---\n\nTekst.\n", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    [div] = [b for b in json.loads(proc.stdout)["blocks"] if b["t"] == "Div"]
    assert div["c"][0][1] == ["thesis-title-page"]
    paras = [pa.stringify(b) for b in div["c"][1] if b["t"] == "Para"]
    page = thesis_page.build(config, locale_for(lang))
    assert paras == [page["formula"], page["by"], page["author"], page["born"]]
    [dl] = [b for b in div["c"][1] if b["t"] == "DefinitionList"]
    roles = [{"label": pa.stringify(term), "names": [pa.stringify(d) for d in defs]}
             for term, defs in dl["c"]]
    assert roles == page["roles"]


# --- the built-in renderer's three editions ------------------------------------------

@pytest.fixture(scope="module")
def thesis_book(tmp_path_factory: pytest.TempPathFactory) -> dict:
    from fixtures.editions import build as fixture

    book = fixture.build_fixture_book(tmp_path_factory.mktemp("thesis") / "project")
    book["thesis_page"] = thesis_page.build(FILLED, locale_for("nl"))
    return book


def test_pdf_title_page_and_its_back(thesis_book: dict, tmp_path: Path) -> None:
    from pypdf import PdfReader

    from proefdruk.render.editions import typst_pdf

    out = tmp_path / "boek.pdf"
    typst_pdf.write_pdf(thesis_book, out, paper="170x240", pdfa=False)
    reader = PdfReader(out)
    front = " ".join(reader.pages[0].extract_text().split())
    assert "Proefschrift ter verkrijging van de graad van doctor aan de Universiteit " \
           "Leiden" in front
    assert "13.45 uur" in front and "door" in front and "geboren te Utrecht" in front
    back = reader.pages[1].extract_text()
    assert "Promotores" in back and "prof. dr. P. Pietersen" in back
    assert "Promotiecommissie" in back and "Universiteit Gent" in back


def test_docx_and_site_carry_the_formula(thesis_book: dict, tmp_path: Path) -> None:
    import docx

    from proefdruk.render.editions import html
    from proefdruk.render.editions.docx import write_docx

    out = tmp_path / "boek.docx"
    write_docx(thesis_book, out)
    paragraphs = [(p.style.name, p.text) for p in docx.Document(str(out)).paragraphs]
    formula = [t for s, t in paragraphs if s == "Thesis Formula"]
    assert formula[0].startswith("Proefschrift ter verkrijging") and "Anna de Vries" in formula
    assert ("Thesis Committee", "Copromotor") in paragraphs
    assert not any(s == "Author" for s, _ in paragraphs)  # the name once, after "door"
    cover = html._cover(thesis_book)
    assert '<p class="cover-formula">Proefschrift ter verkrijging' in cover
    assert "<dt>Promotores</dt>" in cover and "<dd>dr. M. Maas</dd>" in cover
