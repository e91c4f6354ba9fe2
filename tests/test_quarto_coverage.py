"""The Quarto coverage table, the renderer's warnings and its behaviour agree.

The list in proefdruk/render/core/quarto_features.py is the one source: docs/quarto-coverage.md
is generated from it, the checks warn from it, and these tests fail when a feature's
status and what the renderer does disagree. A fixture book (tests/fixtures/quarto) that
uses each construct a dissertation needs is rendered in HTML, PDF and DOCX with the real
renderer, and its section numbers, labels and page paths are compared with the values
Quarto documents.
"""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from quarto_book import build_quarto_book

from proefdruk.errors import BuildError
from proefdruk.render.core import quarto_checks
from proefdruk.render.core import quarto_features as qf
from proefdruk.render.core.project import load_project
from proefdruk.render.core.yamlfile import load

ROOT = Path(__file__).resolve().parent.parent

MINIMAL = """\
project:
  type: book
book:
  title: "T"
  chapters:
    - index.qmd
"""

# A value for each option whose honoured values are decided by a function.
GOOD_VALUES: dict[str, Any] = {
    "book.downloads": ["pdf", "docx"], "book.search": {"keyboard-shortcut": ["f"]},
    "book.repo-actions": ["edit"], "lightbox": True, "book.appendices": [],
    "book.author": "A. Auteur", "book.output-file": "boek", "bibliography": "refs.bib",
    "csl": "stijl.csl", "lang": "nl", "crossref": {"chapters": True},
    "language": {"crossref-ch-prefix": "Hoofdstuk"}, "execute": {"echo": False},
    "theme": {"light": "flatly", "dark": "darkly"},
}
# One example of each markdown construct, as an author writes it.
EXAMPLES: dict[str, str] = {
    "::: .callout-note/-tip/-warning/-important/-caution": "::: callout-note\nTekst.\n:::",
    "callout title=": '::: {.callout-tip title="Let op"}\nTekst.\n:::',
    "callout collapse=": '::: {.callout-tip collapse="true"}\nTekst.\n:::',
    "callout appearance=": '::: {.callout-note appearance="simple"}\nTekst.\n:::',
    "callout icon=": '::: {.callout-note icon=false}\nTekst.\n:::',
    "::: .panel-tabset": "::: panel-tabset\n## Een\n\nA\n\n## Twee\n\nB\n:::",
    "::: .content-visible / .content-hidden":
        '::: {.content-visible when-format="html"}\nAlleen HTML.\n:::',
    "when-profile=": '::: {.content-visible when-profile="druk"}\nTekst.\n:::',
    "{{< pagebreak >}}": "{{< pagebreak >}}",
    "::: .column-margin": "::: column-margin\nIn de marge.\n:::",
    "[…]{.aside}": "Een zin [met een kanttekening]{.aside}.",
    "::: .column-body-outset/.column-page/.column-screen (and -left/-right/-inset)":
        "::: column-page\nBreed.\n:::",
    "heading {.unnumbered}": "## Kop {.unnumbered}",
    "heading {.unlisted}": "## Kop {.unlisted}",
    "@fig- @tbl- @sec- cross-references": "Zie @fig-kaart en @sec-inleiding.",
    "@eq- @lst- @thm- and other cross-reference types": "Zie @eq-groei.",
    "{{< include >}}": "{{< include _deel.qmd >}}",
    "{{< var >}}": "{{< var universiteit >}}",
    "{{< meta >}}": "{{< meta title >}}",
    "{{< kbd >}}": "{{< kbd Ctrl-C >}}",
    "{{< env >}}": "{{< env HOME >}}",
    "{{< video >}}": "{{< video https://example.org/v.mp4 >}}",
    "{{< lipsum >}}": "{{< lipsum 1 >}}",
    "{{< placeholder >}}": "{{< placeholder 400 200 >}}",
    "{{< contents >}}": "{{< contents sec-x >}}",
    "{{< embed >}}": "{{< embed notebook.ipynb#fig-x >}}",
    "{{< version >}}": "{{< version >}}",
    "{{< downloadthis >}} and other extension shortcodes": "{{< num respons.n >}}",
    "```{mermaid} / ```{dot} diagrams": "```{mermaid}\ngraph LR; A --> B\n```",
    "```{=html} / ```{=typst} / ```{=openxml} raw blocks": "```{=typst}\n#v(1em)\n```",
    "figure layout-ncol= / layout=": '::: {#fig-x layout-ncol=2}\nTekst.\n:::',
}
# Documented as different and still warned where used (the table says so).
WARNED_WHEN_USED = {"when-profile="}


def _sample(f: qf.Feature) -> Any:
    if f.name in GOOD_VALUES:
        return GOOD_VALUES[f.name]
    if isinstance(f.honoured, tuple):
        return f.honoured[0] if f.honoured else "iets"
    return True


def _yaml(value: Any) -> str:
    return json.dumps(value)  # JSON is YAML, on one line


def _option_yaml(f: qf.Feature, value: Any) -> str:
    if f.kind == "option":
        return MINIMAL + f"{f.name}: {_yaml(value)}\n"
    key = f.name.split(".", 1)[1]
    section = "project:\n" if f.kind == "project" else "book:\n"
    return MINIMAL.replace(section, f"{section}  {key}: {_yaml(value)}\n", 1)


def test_names_are_unique_and_statuses_known() -> None:
    names = [f.name for f in qf.FEATURES]
    assert len(names) == len(set(names))
    assert {f.status for f in qf.FEATURES} <= set(qf.STATUSES)
    assert all(f.how.strip() for f in qf.FEATURES)


def test_the_docs_table_is_generated_from_the_list() -> None:
    text = (ROOT / "docs" / "quarto-coverage.md").read_text(encoding="utf-8")
    assert text == qf.coverage_markdown(), (
        "docs/quarto-coverage.md is stale: run "
        "`proefdruk quarto-coverage --write docs/quarto-coverage.md`")
    for f in qf.FEATURES:
        assert f.name in text


@pytest.mark.parametrize("feature", [f for f in qf.FEATURES if f.kind != "markdown"],
                         ids=lambda f: f.name)
def test_an_option_is_warned_exactly_when_the_table_says_it_is_not_followed(
        feature: qf.Feature) -> None:
    if feature.name in ("book.title", "book.chapters", "project.type"):
        return  # in every _quarto.yml already
    text = _option_yaml(feature, _sample(feature))
    data = load(text, "_quarto.yml")
    load_project_text(text)  # a documented key never stops the build
    warned = [w for w in quarto_checks.check_project(data) if w["key"] == feature.name]
    if not feature.honours(_sample(feature)):  # not implemented, or a value not followed
        assert len(warned) == 1, text
        line = text.splitlines()[warned[0]["line"] - 1]
        assert line.strip().startswith(feature.name.split(".")[-1] + ":")
    else:
        assert warned == [], (text, warned)


def load_project_text(text: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "_quarto.yml").write_text(text, encoding="utf-8")
        (Path(tmp) / "index.qmd").write_text("# T\n", encoding="utf-8")
        load_project(tmp)


def test_a_value_the_renderer_does_not_follow_is_warned_with_its_line() -> None:
    text = MINIMAL + "number-sections: false\nformat:\n  html:\n    toc-depth: 2\n"
    warnings = quarto_checks.check_project(load(text, "_quarto.yml"))
    assert [(w["key"], w["line"]) for w in warnings] == [("toc-depth", 10),
                                                          ("number-sections", 7)]
    assert "number-sections: false" in warnings[1]["message"]


def test_misspelt_keys_warn_at_the_top_and_stop_under_book() -> None:
    # Quarto keeps an unknown key as metadata; a likely misspelling is warned.
    text = MINIMAL + "mijn-eigen-sleutel: 1\nnumber-section: true\n"
    (w,) = quarto_checks.check_project(load(text, "_quarto.yml"))
    assert w["line"] == 8 and "did you mean `number-sections`" in w["message"]
    with pytest.raises(BuildError) as err:
        load_project_text(MINIMAL.replace("book:\n", "book:\n  hoofdstukken: []\n"))
    assert err.value.line == 4


def test_every_markdown_construct_has_an_example() -> None:
    assert set(EXAMPLES) == {f.name for f in qf.FEATURES if f.kind == "markdown"}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_a_construct_is_warned_exactly_when_the_table_says_it_is_not_implemented(
        name: str) -> None:
    feature = qf.by_name()[name]
    lines = ["Tekst ervoor.", ""] + EXAMPLES[name].splitlines()
    warnings = quarto_checks.check_markdown(lines, lambda i: ("h.qmd", i + 1))
    warned = [w for w in warnings if w["key"] == name]
    if feature.status == qf.MISSING or name in WARNED_WHEN_USED:
        assert warned and warned[0]["line"] == 3, (name, warnings)
    else:
        assert warnings == [], (name, warnings)


# --- the fixture book, rendered in every edition ---------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    result = build_quarto_book(tmp_path_factory.mktemp("quarto") / "boek")
    site = result["root"] / "_book"
    result["html"] = {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
                      for p in site.rglob("*.html")}
    pdf = site / "kenmerken.pdf"
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout.split("\f")
    result["pdf_pages"] = pages
    result["pdf"] = "\n".join(pages)
    with zipfile.ZipFile(site / "kenmerken.docx") as z:
        xml = z.read("word/document.xml").decode("utf-8") + z.read(
            "word/footnotes.xml").decode("utf-8")
    result["docx_xml"] = xml
    result["docx"] = re.sub(r"<[^>]+>", "", xml.replace('<w:br w:type="page"/>', "[PAGE]")
                            .replace("</w:p>", "\n"))
    return result


def test_pages_land_where_quarto_writes_them(built: dict[str, Any]) -> None:
    assert set(built["html"]) == {"index.html", "chapters/01-constructies.html",
                                  "chapters/02-verwijzingen.html"}
    hrefs = [c["href"] for c in built["book"]["chapters"]]
    assert hrefs == ["index.html", "chapters/01-constructies.html",
                     "chapters/02-verwijzingen.html"]
    search = (built["root"] / "_book" / "search.json").read_text(encoding="utf-8")
    assert '"href":"chapters/01-constructies.html#sec-na-tabs"' in search


def test_headings_in_callouts_and_tabsets_take_no_section_number(built: dict[str, Any]
                                                                 ) -> None:
    labels = built["book"]["labels"]
    # Quarto: 1.1 Eerste paragraaf, (callout and tab headings are no sections),
    # 1.2 Na de tabs, 1.3 Voorwaardelijk, 1.4 Marge, 1.5 Niet geïmplementeerd.
    got = {k: (v["number"], v["text"]) for k, v in labels.items() if k.startswith("sec-")}
    assert got == {
        "sec-constructies": ("1", "Hoofdstuk\u00a01"),
        "sec-eerste": ("1.1", "paragraaf\u00a01.1"),
        "sec-na-tabs": ("1.2", "paragraaf\u00a01.2"),
        "sec-voorwaardelijk": ("1.3", "paragraaf\u00a01.3"),
        "sec-marge": ("1.4", "paragraaf\u00a01.4"),
        "sec-niet": ("1.5", "paragraaf\u00a01.5"),
        "sec-verwijzingen": ("2", "Hoofdstuk\u00a02"),
        "sec-tweede": ("2.1", "paragraaf\u00a02.1"),
    }
    page = built["html"]["chapters/01-constructies.html"]
    numbers = re.findall(r'<span class="header-section-number">([\d.]+)</span>', page)
    assert numbers == ["1.1", "1.2", "1.3", "1.4", "1.5"]
    assert "1.2 Na de tabs" in built["pdf"] and "1.4 Marge" in built["pdf"]
    assert "1.2 Na de tabs" in built["docx"] and "1.4 Marge" in built["docx"]
    for text in (built["pdf"], built["docx"]):
        assert "Tab een" in text and "Tab twee" in text
        assert not re.search(r"\d\.\d+\.?\d*\s+Tab een", text)


def test_cross_references_link_across_the_moved_pages(built: dict[str, Any]) -> None:
    two = built["html"]["chapters/02-verwijzingen.html"]
    assert re.search(r'href="01-constructies\.html#sec-na-tabs"[^>]*>paragraaf\u00a01\.2<', two)
    assert re.search(r'href="01-constructies\.html#sec-marge"[^>]*>paragraaf\u00a01\.4<', two)
    home = built["html"]["index.html"]
    assert 'href="chapters/01-constructies.html#sec-na-tabs"' in home
    assert "Zie paragraaf 1.2 en paragraaf 1.4, en Figuur 2.1." in built["pdf"]
    assert "paragraaf 1.2" in built["docx"].replace("\u00a0", " ")


EDITION_WORDS = {
    # word: (HTML, PDF, DOCX), as Quarto's isFormat decides
    "ALLEENHTML": (True, False, False), "ALLEENPDF": (False, True, False),
    "ALLEENDOCX": (False, False, True), "NIETHTML": (False, True, True),
    "GEENDOCX": (True, True, False), "METAJA": (True, True, True),
    "METANEE": (False, False, False), "ALLEENLATEX": (False, False, False),
    "INLINEHTML": (True, False, False),
}


@pytest.mark.parametrize("word", sorted(EDITION_WORDS))
def test_conditional_content_per_edition(built: dict[str, Any], word: str) -> None:
    shown = (word in built["html"]["chapters/01-constructies.html"], word in built["pdf"],
             word in built["docx"])
    assert shown == EDITION_WORDS[word]


def _page_of(pages: list[str], text: str) -> int:
    return next(i for i, p in enumerate(pages) if text in p)


def test_pagebreak_in_every_edition_also_inside_a_callout(built: dict[str, Any]) -> None:
    pages = built["pdf_pages"]
    assert _page_of(pages, "Lange waarschuwing") > _page_of(pages, "METAJA")
    assert _page_of(pages, "BINNENCALLOUT") > _page_of(pages, "Voor de pagina-einde")
    between = built["docx"].split("METAJA", 1)[1].split("BINNENCALLOUT", 1)[0]
    assert between.count("[PAGE]") == 2
    assert "page-break-after: always" in built["html"]["chapters/01-constructies.html"]


def test_callouts_tabsets_and_margin_content_in_html(built: dict[str, Any]) -> None:
    page = built["html"]["chapters/01-constructies.html"]
    folded = re.search(r'<details class="callout callout-tip callout-collapse"[^>]*>', page)
    assert folded and " open" not in folded.group(0)
    assert "Verborgen tekst INKLAPTEKST" in page
    assert page.count('role="tab"') == 2 and 'role="tablist"' in page
    assert re.search(r'<aside class="column-margin">\s*<p>MARGETEKST', page)
    assert re.search(r'<span class="column-margin aside">ASIDETEKST</span>', page)
    # reference-location: margin: the footnote is a margin note, not an end note
    assert re.search(r'<span class="column-margin margin-note">.*VOETNOOTTEKST', page)
    assert 'class="footnotes' not in page
    assert "<kbd>Ctrl-C</kbd>" in page
    assert 'class="anchor-link"' in page


def test_print_editions_show_folded_and_margin_content(built: dict[str, Any]) -> None:
    for text in (built["pdf"], built["docx"]):
        for word in ("INKLAPTEKST", "TABEEN", "TABTWEE", "MARGETEKST", "ASIDETEKST",
                     "VOETNOOTTEKST", "Ctrl-C"):
            assert word in text, word


def test_book_options_reach_every_page(built: dict[str, Any]) -> None:
    page = built["html"]["chapters/02-verwijzingen.html"]
    assert 'href="../kenmerken.pdf" download>PDF<' in page
    assert 'href="../kenmerken.docx" download>Word (DOCX)<' in page
    assert ('href="https://example.org/git/kenmerkenboek/edit/main/chapters/'
            '02-verwijzingen.qmd">Pagina bewerken<') in page
    assert 'href="https://example.org/git/kenmerkenboek/issues/new">Een probleem melden<' \
        in page
    assert "Broncode bekijken" not in page  # not among repo-actions
    assert "Gemaakt met <strong>proefdruk</strong>" in page
    assert 'class="tool reader-toggle"' in page and 'class="tool theme-toggle"' in page
    assert 'data-search-keys="f/"' in page and 'data-lightbox="true"' in page
    assert '<meta name="citation_title" content="Verwijzingen">' in page
    assert '<meta name="citation_inbook_title" content="Kenmerkenboek">' in page
    assert ('<meta name="citation_pdf_url" content="https://example.org/boek/kenmerken.pdf">'
            in page)
    assert '<meta name="description" content="Een boek dat de Quarto-constructies' in page
    home = built["html"]["index.html"]
    assert '<img class="cover-image" src="media/figures/omslag.svg" ' \
           'alt="Omslag van het kenmerkenboek">' in home
    assert (built["root"] / "_book" / "media" / "figures" / "omslag.svg").is_file()


def test_unsupported_features_are_warned_with_file_and_line(built: dict[str, Any]) -> None:
    got = {(w["file"], w["line"], w["key"]) for r in built["reports"].values()
           for w in r["warnings"] if w["kind"] == quarto_checks.KIND}
    src = (built["root"] / "chapters" / "01-constructies.qmd").read_text().splitlines()

    def line(text: str) -> int:
        return next(i + 1 for i, x in enumerate(src) if text in x)

    f = "chapters/01-constructies.qmd"
    assert got == {
        (f, line('when-format="pdf"'), "::: .content-visible / .content-hidden"),
        (f, line("{{< video"), "{{< video >}}"),
        (f, line("{mermaid}"), "```{mermaid} / ```{dot} diagrams"),
        (f, line("::: column-page"), "::: .column-body-outset/.column-page/.column-screen "
                                     "(and -left/-right/-inset)"),
    }
    yml = (built["root"] / "_quarto.yml").read_text().splitlines()
    project = quarto_checks.check_project(load("\n".join(yml), "_quarto.yml"))
    keys = {w["key"]: yml[w["line"] - 1].strip() for w in project}
    assert keys == {"book.comments": "comments:", "book.sharing": "sharing: [twitter]",
                    "code-fold": "code-fold: true", "keep-typ": "keep-typ: true",
                    "format.pdf": "pdf:"}


def test_search_false_removes_the_search_box(tmp_path: Path) -> None:
    from proefdruk.render.editions import html
    from proefdruk.render.workflow.plan import load_plan

    (tmp_path / "_quarto.yml").write_text(MINIMAL.replace("book:\n", "book:\n  search: false\n"),
                                          encoding="utf-8")
    (tmp_path / "index.qmd").write_text("# Voorwoord\n\nTekst.\n", encoding="utf-8")
    book = load_plan(tmp_path).skeleton()
    assert book["site"]["search"] == {"enabled": False, "keys": []}
    page = html._render_page(book, book["chapters"][0], "<p>Tekst.</p>", [], "nl")
    assert 'id="zoekveld"' not in page and 'data-search-keys=""' in page
    book["site"]["search"] = {"enabled": True, "keys": ["f", "/", "s"]}
    page = html._render_page(book, book["chapters"][0], "<p>Tekst.</p>", [], "nl")
    assert 'id="zoekveld"' in page and 'data-search-keys="f/s"' in page


def test_front_matter_options_the_renderer_reads_only_from_the_project_are_warned() -> None:
    lines = ["---", "title: Hoofdstuk", "lang: en", "reference-location: margin",
             "mijn-sleutel: 1", "---", "", "# Kop"]
    meta = {"title": "Hoofdstuk", "lang": "en", "reference-location": "margin",
            "mijn-sleutel": 1}
    warnings = quarto_checks.check_front_matter(meta, "h.qmd", lines)
    assert [(w["key"], w["line"]) for w in warnings] == [("reference-location", 4)]
    assert "_quarto.yml" in warnings[0]["message"]
