"""What the extension does so that real Quarto makes the book the built-in renderer makes
(issue #30), checked without Quarto: pandoc runs the filters and the typst wheel sets the
partials. The same points under real Quarto are in tests/test_new_real_quarto.py.

- Quarto's Typst floats (kinds quarto-float-fig, quarto-float-tbl) carry no numbering: the
  house design numbers them with their chapter, "Figuur 2.1", "Tabel A.1", and lists them
  as "Figuur 2.1: caption", as the built-in renderer's captions read.
- A glyph Libertinus lacks (the questionnaire's ☐) is set in DejaVu Sans, whatever other
  fonts the machine has (Quarto's Typst sees the system fonts).
- docx-book.lua: "1 Inleiding", "Bijlage A: Vragenlijst" and the part pages in the DOCX.
- typst-book.lua: the lists' titles and the part word in the book's language; figures at
  90 % of the text width, as the built-in PDF sets them.
- chapter-label.lua: the site's chapter titles with their word ("Hoofdstuk 1 Inleiding").
- placeholders.lua: a placeholder ORCID ("[ORCID iD]") is not published.
"""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

import pytest
import typst
from pypdf import PdfReader

from proefdruk.render.core import extension
from proefdruk.render.core import pandocast as pa
from proefdruk.render.editions.shared import figure_font_dir

ROOT = Path(__file__).resolve().parent.parent
EXT = ROOT / "_extensions" / "proefdruk"


def _quarto_float(kind: str, supplement: str, label: str, caption: str) -> str:
    """A float as Quarto 1.10's Typst writer emits it (layout/typst.lua, make_typst_figure)."""
    position = "top" if kind.endswith("tbl") else "bottom"
    return (f'#figure([#box(width: 2cm, height: 1cm)], caption: figure.caption('
            f'position: {position}, [{caption}]), kind: "{kind}", supplement: "{supplement}", )'
            f"<{label}>\n\n")


def _book_pdf(tmp_path: Path, body: str, system_fonts: bool = False) -> PdfReader:
    fmt = extension.typst_format(ROOT)
    # the partials around $body$ with the partials they include (titlepage.typ) beside them
    template = fmt.write_template(tmp_path)
    md = "---\ntitle: Titel\nlang: nl\nlof: true\nlot: true\n---\n\n" + body
    proc = pa.run(["-f", "markdown", "-t", "typst", f"--template={template}"], md, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    with figure_font_dir() as fonts:
        pdf = typst.compile(proc.stdout.encode("utf-8"), font_paths=fonts,
                            ignore_system_fonts=not system_fonts)
    return PdfReader(BytesIO(pdf))


def _text(reader: PdfReader) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


# What Quarto puts before the body of a Typst book (quarto-pre/book-numbering.lua): the
# float counters start again at every chapter.
QUARTO_RESET = """#show heading.where(level: 1): it => {
  counter(figure.where(kind: "quarto-float-fig")).update(0)
  counter(figure.where(kind: "quarto-float-tbl")).update(0)
  it
}
"""


def test_quarto_floats_are_numbered_with_their_chapter(tmp_path: Path) -> None:
    body = (
        "```{=typst}\n" + QUARTO_RESET + "#show: main-matter\n```\n\n# Een\n\nTekst.\n\n"
        "# Twee\n\n"
        "```{=typst}\n"
        + _quarto_float("quarto-float-fig", "Figuur", "fig-x", "Een figuur")
        + _quarto_float("quarto-float-tbl", "Tabel", "tbl-x", "Een tabel")
        + "Zie #ref(<fig-x>) en #ref(<tbl-x>).\n\n"
        "#show: appendices.with([Bijlagen])\n\n= Data\n\n"
        + _quarto_float("quarto-float-tbl", "Tabel", "tbl-y", "Bijlagetabel")
        + "Zie #ref(<tbl-y>).\n```\n")
    text = _text(_book_pdf(tmp_path, body))
    for expected in ("Figuur 2.1: Een figuur", "Tabel 2.1: Een tabel",
                     "Zie Figuur 2.1 en Tabel 2.1.", "Tabel A.1: Bijlagetabel",
                     "Zie Tabel A.1."):
        assert expected in text, (expected, text[:2000])
    assert "Figuur 1:" not in text and "Tabel 1:" not in text


def test_a_glyph_libertinus_lacks_is_set_in_dejavu_sans(tmp_path: Path) -> None:
    reader = _book_pdf(tmp_path, "# Vragen\n\n- [ ] Stedenband\n- ☐ Netwerk\n",
                       system_fonts=True)
    assert _text(reader).count("☐") == 2
    fonts = set()
    for page in reader.pages:
        for font in (page.get("/Resources", {}).get("/Font", {}) or {}).values():
            fonts.add(str(font.get_object().get("/BaseFont", "")).split("+")[-1])
    assert "DejaVuSans" in fonts, fonts
    assert not any("OpenSymbol" in f for f in fonts), fonts


def _harness(tmp_path: Path, harness: str, lua_filter: str) -> Path:
    """``harness`` (Lua that loads the extension's ``lua_filter``, named FILTER in it, and
    calls it as Quarto would) written to a file for pandoc's ``--lua-filter``."""
    lua = tmp_path / "call.lua"
    lua.write_text(harness.replace("FILTER", json.dumps(str(EXT / lua_filter))),
                   encoding="utf-8")
    return lua


def _pandoc(tmp_path: Path, md: str, *filters: Path, to: str = "json") -> str:
    """``md`` through pandoc and ``filters``, in order; the output, or the test fails."""
    args = [a for f in filters for a in ("--lua-filter", str(f))]
    proc = pa.run(["-f", "markdown", "-t", to, *args], md, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _metadata_comment(item: dict) -> str:
    # the stand-in's base64 is the identity: the comment carries the JSON itself
    return "<!-- quarto-file-metadata: " + json.dumps(item, separators=(",", ":")) + " -->"


DOCX_TEST = """
quarto = {
  doc = {
    is_format = function(f) return f == "docx" end,
    language = { ["crossref-apx-prefix"] = "Bijlage" },
  },
  json = { decode = pandoc.json.decode },
  base64 = { decode = function(s) return s end },
}
local f = dofile(FILTER)
function Pandoc(doc) return f[1].Pandoc(doc) or doc end
"""


@pytest.mark.parametrize(("lang", "part_word"), [("nl", "Deel"), ("en-GB", "Part")])
def test_docx_headings_and_parts_as_the_built_in_renderer_writes_them(
        tmp_path: Path, lang: str, part_word: str) -> None:
    """The headings as Quarto's crossref filter leaves them in a DOCX book (sections.lua:
    "1" ". " title; "Appendix" "A" " —" title) and the part divider it would drop; the
    part's word in the book's language, as proefdruk/locale has it."""
    part = _metadata_comment({"bookItemType": "part"})
    appendix = _metadata_comment({"bookItemType": "appendix"})
    md = (f"---\nlang: {lang}\n---\n\n"
          f"::: quarto-book-part\n```{{=html}}\n{part}\n```\n\n# Inleiding en opzet\n:::\n\n"
          "# 1[. ]{.dot}Inleiding {number=1}\n\n## 1.1 Aanleiding {number=1.1}\n\n"
          f"::: quarto-book-part\n```{{=html}}\n{appendix}\n```\n\n# Bijlagen {{.unnumbered}}\n"
          ":::\n\n# Appendix A —\u00a0Vragenlijst {number=A}\n")
    lua = _harness(tmp_path, DOCX_TEST, "docx-book.lua")
    # Quarto's ". " is one Str; the span stands in for it and is flattened here
    flatten = tmp_path / "flatten.lua"
    flatten.write_text('function Span(s) if s.classes:includes("dot") then '
                       'return pandoc.Str(". ") end end\n'
                       'function Header(h) if h.attributes.number == "A" then h.content = '
                       '{pandoc.Str("Appendix"), pandoc.Space(), pandoc.Str("A"), '
                       'pandoc.Space(), pandoc.Str("—"), pandoc.Space(), '
                       'pandoc.Str("Vragenlijst")} return h end end\n', encoding="utf-8")
    blocks = json.loads(_pandoc(tmp_path, md, flatten, lua))["blocks"]
    assert blocks[0] == {"t": "RawBlock", "c": ["openxml",
                                                '<w:p><w:r><w:br w:type="page"/></w:r></w:p>']}
    assert blocks[1]["t"] == "Div" and blocks[1]["c"][0][2] == [["custom-style", "Part"]]
    assert pa.stringify(blocks[1]["c"][1]) == f"{part_word} I · Inleiding en opzet"
    headers = [pa.stringify(b["c"][2]) for b in blocks if b["t"] == "Header"]
    # (the appendices' divider stays in its div: Quarto removes it from a DOCX)
    assert headers == ["1 Inleiding", "1.1 Aanleiding", "Bijlage A: Vragenlijst"]


PLACEHOLDER_TEST = """
quarto = { doc = {} }
local f = dofile(FILTER)
function Meta(meta) return f[1].Meta(meta) or meta end
"""


def test_a_placeholder_orcid_is_not_published(tmp_path: Path) -> None:
    md = ("---\nauthor:\n  - name: '[Naam promovendus]'\n    orcid: '[ORCID iD]'\n"
          "  - name: A. Promotor\n    orcid: 0000-0002-1825-0097\n---\n\nTekst.\n")
    lua = _harness(tmp_path, PLACEHOLDER_TEST, "placeholders.lua")
    authors = json.loads(_pandoc(tmp_path, md, lua))["meta"]["author"]["c"]
    assert "orcid" not in authors[0]["c"]
    assert pa.stringify(authors[1]["c"]["orcid"]["c"]) == "0000-0002-1825-0097"


TYPST_BOOK_TEST = """
quarto = {
  doc = {
    is_format = function(f) return f == "typst" end,
    language = { ["crossref-lof-title"] = "List of Figures",
                 ["crossref-lot-title"] = "List of Tables" },
    file_metadata = function() return { file = { bookItemType = "part" } } end,
  },
  utils = {
    file_metadata_filter = function() return {} end,
    combineFilters = function(list) return list[2] end,
  },
}
local f = dofile(FILTER)
function Pandoc(doc)
  doc.meta = f[1].Meta(doc.meta) or doc.meta
  local part = f[2].Header(pandoc.Header(1, "Findings"))
  local calls = {}
  for _, b in ipairs(part) do calls[#calls + 1] = b.text end
  doc.meta["calls"] = table.concat(calls, "|")
  return doc
end
"""


def test_quarto_typst_book_gets_the_list_titles_and_part_word_of_its_language(
        tmp_path: Path) -> None:
    """typst-show.typ reads the list titles as variables, which Quarto keeps under
    `language` only; a part is "Part I" in an English book, as proefdruk/locale has it."""
    lua = _harness(tmp_path, TYPST_BOOK_TEST, "typst-book.lua")
    meta = json.loads(_pandoc(tmp_path, "---\nlang: en-GB\n---\n\nText.\n", lua))["meta"]
    assert meta["crossref-lof-title"]["c"] == "List of Figures"
    assert meta["crossref-lot-title"]["c"] == "List of Tables"
    assert meta["calls"]["c"] == '#show: main-matter|#part-page("Part I", [Findings])'


IMAGE_TEST = TYPST_BOOK_TEST.replace("""function Pandoc(doc)
  doc.meta = f[1].Meta(doc.meta) or doc.meta""", """function Image(img)
  return f[3].Image(img)
end
function Pandoc(doc)
  doc.meta = f[1].Meta(doc.meta) or doc.meta""")


def test_quarto_typst_figures_are_set_at_the_built_in_width(tmp_path: Path) -> None:
    """The built-in PDF sets every figure at 90 % of the text width; Quarto's Typst at the
    full width, a ninth larger (two pages more in the study). An image's own width stays."""
    lua = _harness(tmp_path, IMAGE_TEST, "typst-book.lua")
    typst_text = _pandoc(tmp_path, "![Een figuur](a.svg)\n\n![Smal](b.svg){width=50%}\n",
                         lua, to="typst")
    assert 'image("a.svg", width: 90.0%)' in typst_text
    assert 'image("b.svg", width: 50.0%)' in typst_text


CHAPTER_LABEL_TEST = """
quarto = { doc = { is_format = function(f) return f == "html" end,
                   language = { ["crossref-ch-prefix"] = "Hoofdstuk" } } }
local f = dofile(FILTER)
function Meta(meta) return f[1].Meta(meta) or meta end
"""


def test_quarto_html_chapter_titles_get_the_chapter_word(tmp_path: Path) -> None:
    """Quarto's book titles a chapter page "[1]{.chapter-number} [Inleiding]{.chapter-title}"
    (book-chapters.ts); chapter-label.lua gives it the word the built-in site prints.
    A title without a chapter number (voorwoord, an appendix) is left alone."""
    lua = _harness(tmp_path, CHAPTER_LABEL_TEST, "chapter-label.lua")
    for title, expected in (
            ("'[[1]{.chapter-number}\u00a0 [Inleiding]{.chapter-title}]"
             "{#sec-inleiding .quarto-section-identifier}'", "Hoofdstuk 1\u00a0 Inleiding"),
            ("'Bijlage A Vragenlijst'", "Bijlage A Vragenlijst"),
            ("Voorwoord", "Voorwoord")):
        out = _pandoc(tmp_path, f"---\ntitle: {title}\n---\n\nTekst.\n", lua)
        assert pa.stringify(json.loads(out)["meta"]["title"]["c"]) == expected
