"""Data strings cannot inject markup into any edition, and every name survives intact.

A partner city, a source note or an author's name is data: it is printed, never
interpreted. One build plants a hostile partner name (raw HTML, a Quarto shortcode, Typst
and LaTeX commands, a citation key, maths and emphasis) in the partnership register,
includes the table that lists it in a chapter (as an author would), and cites two
references whose authors have non-ASCII names, once as LaTeX escapes and once in UTF-8.
Then each edition is read back the way a reader's tool reads it: the HTML parsed (no live
script; the literal text visible), the PDF's text extracted with pypdf, the DOCX's table
cells read with python-docx, the chapter AST written as LaTeX by pandoc, and the Markdown
table read back by pandoc.
"""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import docx
import pypandoc
import pypdf
import pytest
from fixtures.robustness.harness import built_tree, copy_built, partial_files

from conftest import run_snakemake

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def built(request: pytest.FixtureRequest) -> Path:
    return built_tree(request)

HOSTILE = ('Oxford <script>alert("x")</script> {{< var x >}} #set text(red) '
           '\\input{/etc/passwd} @vng2006 $x^2$ *nadruk* [link](http://e.example)')
# A municipality name from the register (it reaches the same table through its code).
MUNICIPALITY = ('Leiden <img src=x onerror=alert(2)> {{< num respons.aangeschreven >}} '
                '#import "x.typ" \\include{y} @acuto2013 ~~weg~~')
CHAPTER = "chapters/04-ontwikkeling.qmd"
TABLE = "results/tables/partnerschappen-bronnen.md"
BIB_ENTRIES = r"""
@book{robuust_latex,
  author    = {Gr{\"o}nemeyer, J{\'e}r{\^o}me and {\c{C}}elik, Ay{\c{s}}e},
  title     = {Steden over de grens},
  year      = {2019},
  publisher = {Boom},
  location  = {Amsterdam},
}

@book{robuust_utf8,
  author    = {Ødegård, Søren and Nuñez, Iñigo},
  title     = {Gemeenten in Europa},
  year      = {2021},
  publisher = {Boom},
  location  = {Amsterdam},
}
"""
NAMES = ("Grönemeyer", "Çelik", "Ødegård", "Nuñez")


class _Text(HTMLParser):
    """Visible text and the contents of every <script> element of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.scripts: list[str] = []
        self.handlers: list[tuple[str, str, str]] = []  # (tag, on* attribute, value)
        self._in: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.handlers += [(tag, k, v or "") for k, v in attrs if k.startswith("on")]
        if tag in ("img", "br", "meta", "link", "input", "hr", "source"):
            return  # void elements have no end tag
        self._in.append(tag)
        if tag == "script":
            self.scripts.append("")

    def handle_endtag(self, tag):
        while self._in and self._in.pop() != tag:
            pass

    def handle_data(self, data):
        if "script" in self._in:
            self.scripts[-1] += data
        elif "style" not in self._in:
            self.text.append(data)


def _squash(text: str) -> str:
    """Text without line breaks, spaces and the soft hyphens of Typst's hyphenation."""
    return "".join(text.replace("\u00ad", "").split())


@pytest.fixture(scope="module")
def planted(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = copy_built(built, tmp_path_factory.mktemp("inject") / "project")
    reg = work / "data/raw/partnerships/partnerschappen.csv"
    rows = list(csv.reader(io.StringIO(reg.read_text(encoding="utf-8"))))
    col = rows[0].index("partnerstad")
    target = next(r for r in rows[1:] if r[col] == "Oxford")
    target[col] = HOSTILE
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\n").writerows(rows)
    reg.write_text(buf.getvalue(), encoding="utf-8")
    register = work / "data/raw/gemeenten-2024.csv"
    rows = list(csv.reader(io.StringIO(register.read_text(encoding="utf-8"))))
    leiden = next(r for r in rows if r[0] == "GM0546")
    leiden[1] = MUNICIPALITY
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\n").writerows(rows)
    register.write_text(buf.getvalue(), encoding="utf-8")
    bib = work / "bibliography/references.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + BIB_ENTRIES, encoding="utf-8")
    chapter = work / CHAPTER
    chapter.write_text(
        chapter.read_text(encoding="utf-8").rstrip("\n")
        + "\n\nDe bronnen van de partnerschappen staan in @tbl-robuust-bronnen. "
          "Over steden in Europa schreven ook anderen [@robuust_latex; @robuust_utf8].\n\n"
          "{{< include ../results/tables/partnerschappen-bronnen.md >}}\n\n"
          ": Gedocumenteerde partnerschappen met bron. {#tbl-robuust-bronnen}\n",
        encoding="utf-8")
    result = run_snakemake(work, "all")
    assert result.returncode == 0, (result.stdout + result.stderr)[-5000:]
    assert not partial_files(work)
    return work


def test_markdown_table_keeps_the_name_as_text(planted: Path) -> None:
    md = (planted / TABLE).read_text(encoding="utf-8")
    assert not re.search(r"(?<!\\)[<{@#$~]", md.split("\n", 2)[2]), "unescaped markup"
    plain = pypandoc.convert_text(md, "plain", format="markdown", extra_args=["--wrap=none"])
    assert _squash(HOSTILE) in _squash(plain)
    assert _squash(MUNICIPALITY) in _squash(plain)


def test_html_shows_the_name_and_runs_nothing(planted: Path) -> None:
    page = (planted / "_book/chapters/04-ontwikkeling.html").read_text(encoding="utf-8")
    parser = _Text()
    parser.feed(page)
    assert not any("alert(" in s for s in parser.scripts), "the planted script is live"
    assert not any("alert" in v for _, _, v in parser.handlers), parser.handlers
    visible = " ".join(parser.text)
    for planted_text in (HOSTILE, MUNICIPALITY):
        assert " ".join(planted_text.split()) in " ".join(visible.split())
    assert '<a href="http://e.example"' not in page
    for name in NAMES:
        assert name in visible, f"{name} missing from the chapter's citations"


def test_pdf_prints_the_name_literally(planted: Path) -> None:
    pdf = next((planted / "_book").glob("*.pdf"))
    text = _squash("".join(p.extract_text() or "" for p in pypdf.PdfReader(pdf).pages))
    for token in ('<script>alert("x")</script>', "{{<varx>}}", "#settext(red)",
                  "\\input{/etc/passwd}", "@vng2006", "$x^2$", "*nadruk*",
                  "<img src=x onerror=alert(2)>", "{{< num respons.aangeschreven >}}",
                  '#import "x.typ"', "\\include{y}", "@acuto2013", "~~weg~~"):
        assert _squash(token) in text, f"{token!r} is not printed literally in the PDF"
    for name in NAMES:
        assert name in text


def test_docx_holds_the_name_literally(planted: Path) -> None:
    document = docx.Document(str(next((planted / "_book").glob("*.docx"))))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    for planted_text in (HOSTILE, MUNICIPALITY):
        assert any(" ".join(planted_text.split()) in " ".join(c.split()) for c in cells)
    body = "\n".join(p.text for p in document.paragraphs)
    xml = document.part.element.xml
    assert "alert(" not in re.sub(r"<w:t[^>]*>[^<]*</w:t>", "", xml)
    for name in NAMES:
        assert name in body or name in xml


def test_latex_writer_gets_text_not_commands(planted: Path) -> None:
    """The chapter's resolved AST holds the name as text, so a LaTeX edition would print
    it: pandoc escapes the backslash and braces instead of running \\input."""
    ast = (planted / "results/render/chapters/04-ontwikkeling.json").read_text(
        encoding="utf-8")
    latex = pypandoc.convert_text(ast, "latex", format="json")
    assert "\\input{/etc/passwd}" not in latex
    assert "\\textbackslash{}input" in latex or "\\textbackslash input" in latex
    assert "\\#set" in latex
    assert "\\include{y}" not in latex
    assert "\\textbackslash{}include" in latex or "\\textbackslash include" in latex


def test_free_text_answers_never_reach_an_edition(built: Path) -> None:
    """Open answers stay in results/data (pseudonymised); no edition prints them, so the
    escaping above is the only way data text reaches a reader."""
    export = (built / "data/raw/survey/export.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(export)))
    answers = {r[c] for r in rows for c in ("slot_opmerkingen", "rijk_afwijking_toelichting")
               if len(r.get(c, "")) > 25}
    assert answers
    for path in (built / "_book").rglob("*"):
        if path.suffix in (".html", ".json"):
            text = path.read_text(encoding="utf-8", errors="replace")
            leaked = [a for a in answers if a in text]
            assert not leaked, f"{path.name} prints free-text answers: {leaked[:2]}"
