"""The house design is the Quarto extension's Typst format, and the built-in renderer sets
the PDF with exactly those files: one design, not two.

Checked here without Quarto: the manifest declares the format (partials, filters,
citeproc), the built-in renderer finds the same files, the table filter gives every
column at least the width of its longest word (measured by Typst in the book's font), and
the structure filter Quarto runs emits the same calls the built-in renderer writes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typst
import yaml

from proefdruk.render.core import extension
from proefdruk.render.core import pandocast as pa

ROOT = Path(__file__).resolve().parent.parent
EXT = ROOT / "_extensions" / "proefdruk"
TEXT_WIDTH_PT = 131 / 25.4 * 72  # 170 mm minus the 22 + 17 mm margins


def test_manifest_declares_the_typst_format_both_renderers_use() -> None:
    manifest = yaml.safe_load((EXT / "_extension.yml").read_text(encoding="utf-8"))
    typst_fmt = manifest["contributes"]["formats"]["typst"]
    assert typst_fmt["citeproc"] is True  # Typst's own citations lose particles and prefixes
    assert {"typst-template.typ", "typst-show.typ"} <= set(typst_fmt["template-partials"])
    fmt = extension.typst_format(ROOT)
    assert [p.name for p in fmt.partials] == ["typst-template.typ", "typst-show.typ"]
    assert {p.name for p in fmt.filters} == {"table-widths.lua", "typst-book.lua",
                                              "notices.lua"}
    assert set(extension.typst_files(ROOT)) >= {
        "_extensions/proefdruk/typst-template.typ", "_extensions/proefdruk/typst-show.typ",
        "_extensions/proefdruk/table-widths.lua", "_extensions/proefdruk/_extension.yml"}
    assert not (ROOT / "proefdruk" / "render" / "editions" / "templates" / "book.typ").exists()


def test_scss_theme_keeps_the_sites_palette() -> None:
    css = (ROOT / "proefdruk/render/editions/assets/proefdruk.css").read_text(encoding="utf-8")
    scss = (EXT / "proefdruk.scss").read_text(encoding="utf-8")
    palette: dict[str, str] = {}
    for name, value in re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", css):
        palette.setdefault(name, value)  # the light palette; a dark one may follow
    themed = dict(re.findall(r"\$proefdruk-([a-z-]+):\s*(#[0-9a-fA-F]{6})", scss))
    assert themed and all(palette[name] == value for name, value in themed.items())


def table_markdown(rows: list[list[str]]) -> str:
    head, *body = rows
    lines = ["| " + " | ".join(head) + " |", "|:---|" + "---:|" * (len(head) - 1)]
    lines += ["| " + " | ".join(r) + " |" for r in body]
    return "\n".join(lines) + "\n"


def column_fractions(markdown: str) -> list[float]:
    """The widths table-widths.lua gives, as fractions of the text width."""
    proc = pa.run(["-f", "markdown", "-t", "typst", "--lua-filter",
                   str(EXT / "table-widths.lua")], markdown, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    m = re.search(r"columns: \(([^)]*)\)", proc.stdout)
    assert m, proc.stdout[:400]
    return [float(x.strip().rstrip("%")) / 100 for x in m.group(1).split(",") if x.strip()]


def word_widths(words: list[str], size_pt: float) -> dict[str, float]:
    """Width of each word in the book's table type, measured by Typst."""
    items = ", ".join(json.dumps(w, ensure_ascii=False) for w in words)
    src = (f"#let words = ({items},)\n#context for w in words {{ [#metadata((w, measure("
           f'text(font: "Libertinus Serif", size: {size_pt}pt, hyphenate: false, w))'
           ".width.pt())) <w>] }\n")
    found = typst.query(src.encode("utf-8"), "<w>", field="value")
    return {w: float(x) for w, x in (json.loads(found) if isinstance(found, str) else found)}


def unbreakable(text: str) -> list[str]:
    """What a line cannot break: words; a web address breaks after / ? & = - . as in
    Typst (and table-widths.lua)."""
    out: list[str] = []
    for token in text.split():
        if "://" in token or token.startswith("www."):
            out += [p for p in re.findall(r"[^/?&=.-]*[/?&=.-]?", token) if p]
        else:
            out.append(token)
    return out


def assert_columns_fit(rows: list[list[str]], fractions: list[float]) -> None:
    size = round(9.0 * (0.85 if len(fractions) >= 7 else 1), 2)
    longest = [max((w for r in rows for w in unbreakable(r[j])), key=len, default="")
               for j in range(len(fractions))]
    widths = word_widths([w for w in longest if w], size)
    for j, word in enumerate(longest):
        room = fractions[j] * TEXT_WIDTH_PT - size  # the cell inset: 0.5em each side
        assert not word or widths[word] <= room, (j, word, widths[word], room)
    assert sum(fractions) <= 1.001  # (pandoc rounds each width to 0.01 %)


STELLINGEN = [
    ["Stelling", "Helemaal mee oneens", "Mee oneens", "Neutraal", "Mee eens",
     "Helemaal mee eens", "Weet niet / geen mening", "Basis"],
    ["De wettelijke ruimte voor gemeentelijk internationaal beleid is voldoende.",
     "7 %", "21 %", "32 %", "28 %", "11 %", "2 %", "180"],
    ["Europese regels, zoals die over staatssteun en aanbesteding, beperken onze "
     "internationale activiteiten.", "4 %", "16 %", "26 %", "35 %", "14 %", "4 %", "182"],
]


def test_statement_column_gets_the_room_and_no_column_is_narrower_than_a_word() -> None:
    fractions = column_fractions(table_markdown(STELLINGEN))
    assert fractions[0] == max(fractions)  # the statements, not a sliver
    assert fractions[0] > 2 * fractions[3]
    assert_columns_fit(STELLINGEN, fractions)


def test_a_narrow_table_stays_narrow() -> None:
    rows = [["Antwoord", "Aantal", "%"], ["Stimulerend", "29", "16,1 %"],
            ["Welwillend maar afwachtend", "56", "31,1 %"]]
    fractions = column_fractions(table_markdown(rows))
    assert sum(fractions) < 0.6 and fractions[0] > fractions[1]
    assert_columns_fit(rows, fractions)


STRUCTURE_TEST = """
quarto = {
  doc = {
    is_format = function(f) return f == "typst" end,
    language = { ["section-title-appendices"] = "Bijlagen" },
    file_metadata = function() return { file = CURRENT } end,
  },
  utils = {
    file_metadata_filter = function() return {} end,
    combineFilters = function(list) return list[2] end,
  },
}
local f = dofile(FILTER)[2]  -- [1]: the list titles (Meta), [2]: the structure
local out = {}
local items = {
  { { bookItemType = "chapter" }, pandoc.Header(1, "Voorwoord", pandoc.Attr("", {"unnumbered"})) },
  { { bookItemType = "part" }, pandoc.Header(1, "Inleiding [en] opzet") },
  { { bookItemType = "chapter" }, pandoc.Header(1, "Inleiding") },
  { { bookItemType = "chapter" }, pandoc.Header(1, "Methode") },
  { { bookItemType = "appendix", bookItemNumber = 1 },
    pandoc.Header(1, "Appendices", pandoc.Attr("", {"unnumbered"})) },
  { { bookItemType = "appendix", bookItemNumber = 1 }, pandoc.Header(1, "Vragenlijst") },
  { { bookItemType = "appendix", bookItemNumber = 2 }, pandoc.Header(1, "Data") },
}
for _, item in ipairs(items) do
  CURRENT = item[1]
  local r = f.Header(item[2])
  if r == nil then r = { item[2] } elseif r.t then r = { r } end
  for _, b in ipairs(r) do
    out[#out + 1] = b.t == "RawBlock" and b.text or ("H:" .. pandoc.utils.stringify(b))
  end
end
function Pandoc(doc)
  return pandoc.Pandoc({ pandoc.Plain({ pandoc.Str(table.concat(out, "|")) }) })
end
"""


def test_quarto_structure_filter_emits_the_built_in_renderers_calls(tmp_path: Path) -> None:
    lua = tmp_path / "structure.lua"
    lua.write_text(STRUCTURE_TEST.replace("FILTER", json.dumps(str(EXT / "typst-book.lua"))),
                   encoding="utf-8")
    proc = pa.run(["-f", "markdown", "-t", "plain", "--lua-filter", str(lua)], "x", cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().split("|") == [
        # the main matter (arabic 1) starts on the first part page, as in the built-in PDF
        "H:Voorwoord", "#show: main-matter", '#part-page("Deel I", [Inleiding \\[en\\] opzet])',
        "H:Inleiding", "H:Methode", "#show: appendices.with([Bijlagen])", "H:Vragenlijst",
        "H:Data"]


def test_built_in_writer_uses_the_same_calls() -> None:
    """The calls the template defines are the calls both renderers emit."""
    template = (EXT / "typst-template.typ").read_text(encoding="utf-8")
    writer = (ROOT / "proefdruk/render/editions/typst_pdf.py").read_text(encoding="utf-8")
    for name in ("main-matter", "appendices", "part-page", "title-pages", "callout",
                 "provenance-block", "bibliography-block", "caplabel", "prov"):
        assert f"#let {name}(" in template or f"#let {name} =" in template, name
    for call in ("#show: main-matter", "#show: appendices.with(", "#part-page("):
        assert call in writer, call


@pytest.mark.parametrize("paper", ["170x240", "a4"])
def test_the_partials_compile_for_both_papers(tmp_path: Path, paper: str) -> None:
    """typst-show.typ filled in by pandoc (as Quarto fills it) gives a PDF of that size."""
    fmt = extension.typst_format(ROOT)
    template = fmt.write_template(tmp_path)
    md = ("---\ntitle: Titel [met] haken\nauthor: '[Naam promovendus]'\ndate: '2026'\n"
          f"papersize: {paper}\ntoc: true\nlang: nl\n---\n\n# Inleiding\n\nTekst.\n")
    proc = pa.run(["-f", "markdown", "-t", "typst", f"--template={template}"], md, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    pdf = typst.compile(proc.stdout.encode("utf-8"), ignore_system_fonts=True)
    from io import BytesIO

    from pypdf import PdfReader

    reader = PdfReader(BytesIO(pdf))
    width_mm = float(reader.pages[0].mediabox.width) / 72 * 25.4
    assert round(width_mm) == (170 if paper == "170x240" else 210)
    first = reader.pages[0].extract_text()
    assert "[Naam promovendus]" in first and "2026" in first and "\\[" not in first


def _cell_rows(table: dict) -> list[list[str]]:
    """Header and body rows of a pandoc JSON table as plain text cells."""
    def rows(row_list: list) -> list[list[str]]:
        return [[pa.stringify(cell[4]) for cell in row[1]] for row in row_list]

    head, bodies, foot = table["c"][3], table["c"][4], table["c"][5]
    out = rows(head[1])
    for body in bodies:
        out += rows(body[2]) + rows(body[3])
    return out + rows(foot[1])


@pytest.mark.e2e
def test_every_table_of_the_book_fits_its_columns(clean_build: Path) -> None:
    """No column of any table in the book is narrower than its longest word (header
    words included, so no header runs into its neighbour), measured in the PDF's font."""
    checked = 0
    for ast_path in sorted((clean_build / "results/render/chapters").glob("*.json")):
        ast = json.loads(ast_path.read_text(encoding="utf-8"))
        for table in pa.elements(ast["blocks"], "Table"):
            rows = _cell_rows(table)
            doc = {"pandoc-api-version": ast["pandoc-api-version"], "meta": {},
                   "blocks": [table]}
            proc = pa.run(["-f", "json", "-t", "typst", "--lua-filter",
                           str(EXT / "table-widths.lua")], json.dumps(doc), cwd=ROOT)
            assert proc.returncode == 0, proc.stderr
            m = re.search(r"columns: \(([^)]*)\)", proc.stdout)
            assert m, (ast_path.name, proc.stdout[:300])
            fractions = [float(x.strip().rstrip("%")) / 100
                         for x in m.group(1).split(",") if x.strip()]
            assert_columns_fit(rows, fractions)
            checked += 1
    assert checked >= 15  # every table of the book (18 when this was written)


@pytest.mark.e2e
def test_short_tables_stay_on_one_page(clean_build: Path) -> None:
    """Tabel 6.1 (six answers and a base) is not split across pages."""
    from pypdf import PdfReader

    pdf = next((clean_build / "_book").glob("*.pdf"))
    pages = [" ".join((p.extract_text() or "").split()) for p in PdfReader(pdf).pages]
    start = [i for i, t in enumerate(pages) if "Tabel 6.1 " in t and "Lijst van" not in t]
    assert start, "Tabel 6.1 not found"
    page = pages[start[-1]]
    for answer in ("Stimulerend", "Belemmerend", "Weet niet", "Basis"):
        assert answer in page, answer


NOTICES_TEST = """
quarto = {
  project = { directory = ROOT },
  doc = { is_format = function(f) return f == FORMAT end },
}
local f = dofile(FILTER)
function Pandoc(doc) return f[1].Pandoc(doc) or doc end
"""


@pytest.mark.parametrize(("fmt", "page", "expected"), [
    ("html", "# Inleiding\n\nTekst.\n", ["Header", "Div", "Para"]),
    ("html", "# Voorwoord\n\n::: {.callout-warning .notice}\nAl hier.\n:::\n",
     ["Header", "Div"]),
    ("typst", "# Inleiding\n\nTekst.\n", ["Header", "Para"]),
    # the PDF's notice keeps no id: Quarto's Typst writer would take "notice-x" for a
    # cross-reference of the unknown type "notice" and warn
    ("typst", "# Voorwoord\n\n::: {#notice-x .callout-warning .notice}\nAl hier.\n:::\n",
     ["Header", "Div"]),
])
def test_quarto_html_pages_carry_the_notices(tmp_path: Path, fmt: str, page: str,
                                             expected: list[str]) -> None:
    """notices.lua gives every HTML page under Quarto the notices the opening page
    includes, right under the title, as the built-in site's banner does."""
    (tmp_path / "results" / "book").mkdir(parents=True)
    (tmp_path / "results" / "book" / "notices.md").write_text(
        '::: {#notice-x .callout-warning .notice title="Synthetisch"}\nLet op.\n:::\n',
        encoding="utf-8")
    lua = tmp_path / "call.lua"
    lua.write_text(NOTICES_TEST.replace("ROOT", json.dumps(str(tmp_path)))
                   .replace("FORMAT", json.dumps(fmt))
                   .replace("FILTER", json.dumps(str(EXT / "notices.lua"))), encoding="utf-8")
    proc = pa.run(["-f", "markdown", "-t", "json", "--lua-filter", str(lua)], page,
                  cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    blocks = json.loads(proc.stdout)["blocks"]
    assert [b["t"] for b in blocks] == expected
    if expected == ["Header", "Div", "Para"]:
        assert blocks[1]["c"][0][0] == "notice-x"
    if fmt == "typst" and "Div" in expected:
        assert blocks[1]["c"][0][0] == "" and "notice" in blocks[1]["c"][0][1]
