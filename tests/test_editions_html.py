"""The HTML edition, written from a small fixture book in the core's AST shape.

Checks what a reader and a reviewer rely on without a browser: every page has the
notices, Dutch navigation and the book's numbering; cross-chapter links point at the
page that holds the label; figures are published with their text alternative; the
search index knows which chapter holds a word; and two builds give the same bytes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fixtures.editions import build as fixture

from proefdruk.errors import BuildError
from proefdruk.render.editions import html


def write_site(root: Path) -> tuple[dict, Path]:
    book = fixture.build_fixture_book(root)
    out = root / "_book"
    html.write_assets(out)
    for chapter in book["chapters"]:
        html.write_chapter_page(book, chapter["id"], out / chapter["href"])
    html.write_search_index(book, out / "search.json")
    return book, out


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, Path]:
    return write_site(tmp_path_factory.mktemp("html") / "project")


def page(out: Path, href: str) -> str:
    return (out / href).read_text(encoding="utf-8")


def test_every_page_has_lang_notice_and_dutch_navigation(site):
    book, out = site
    for chapter in book["chapters"]:
        text = page(out, chapter["href"])
        assert text.startswith("<!DOCTYPE html>\n<html lang=\"nl\">")
        # the opening page shows the notice in its text (a callout, as under Quarto);
        # every other page repeats it as a banner
        banner = 'class="notice notice-warning"' in text
        assert "Synthetische gegevens" in text
        assert banner == (chapter["id"] != "index"), chapter["id"]
        assert "Inhoudsopgave" in text and 'placeholder="Zoeken"' in text
        assert text.count("<h1") == 1, chapter["href"]
    middle = page(out, "02-methode.html")
    assert 'rel="prev" href="01-inleiding.html"' in middle and "Vorige" in middle
    assert 'rel="next" href="03-geschiedenis.html"' in middle and "Volgende" in middle
    assert "Op deze pagina" in middle


def test_numbers_parts_and_labels_follow_the_book(site):
    _, out = site
    text = page(out, "02-methode.html")
    assert '<span class="chapter-label">Hoofdstuk 2</span>' in text
    assert '<span class="header-section-number">2.1</span> Respons' in text
    assert "Deel I · Inleiding en opzet" in text
    assert '<span class="toc-part-number">Deel II</span>Bevindingen' in text
    appendix = page(out, "bijlage-vragenlijst.html")
    assert '<span class="chapter-label">Bijlage A</span>' in appendix
    # a fragment's ### right under the title becomes h2 (no skipped level) and, being
    # .unlisted, stays out of "Op deze pagina"
    assert '<h2 class="unnumbered unlisted" id="toelichting-bij-de-vragen">' in appendix
    toc = appendix.split('<nav class="page-toc"', 1)[-1].split("</nav>", 1)[0]
    assert 'href="#toelichting-bij-de-vragen"' not in toc
    assert '<span class="caption-label">Figuur 2.1</span>' in text
    history = page(out, "03-geschiedenis.html")
    assert '<div class="callout callout-note" role="note">' in history
    assert '<div class="callout-title">\nOpmerking\n</div>' in history
    refs = page(out, "references.html")
    assert 'id="ref-kuznetsov2015" class="csl-entry"' in refs
    # an English chapter in a Dutch book says so, for screen readers and hyphenation
    assert '<main id="inhoud" class="content" tabindex="-1" lang="en-GB">' in page(
        out, "summary.html")
    assert '<main id="inhoud" class="content" tabindex="-1">' in text


def test_cross_references_point_at_the_page_that_holds_the_label(site):
    _, out = site
    intro = page(out, "01-inleiding.html")
    assert 'href="02-methode.html#fig-respons" class="xref"' in intro
    assert 'href="herkomst.html#num-respons.n" class="num"' in intro
    methods = page(out, "02-methode.html")
    assert 'href="#tbl-respons" class="xref"' in methods  # same page stays local
    # every local target exists on its page, every page target exists with its anchor
    for file in sorted(out.glob("*.html")):
        for href in re.findall(r'href="([^"]+)"', file.read_text(encoding="utf-8")):
            if href.startswith(("http", "site_libs/", "mailto:")):
                continue
            name, _, anchor = href.partition("#")
            target = out / name if name else file
            assert target.is_file(), f"{file.name}: {href}"
            if anchor:
                assert f'id="{anchor}"' in target.read_text(encoding="utf-8"), \
                    f"{file.name}: {href}"


def test_figures_are_published_with_their_text_alternative(site):
    _, out = site
    text = page(out, "02-methode.html")
    src = re.search(r'<img src="([^"]+)" alt="([^"]*)"', text)
    assert src, "no figure on the methods page"
    assert src.group(1) == "media/figures/respons.svg"
    assert (out / src.group(1)).read_bytes().startswith(b"<?xml")
    assert src.group(2).startswith("Staafdiagram met de respons")
    for file in out.glob("*.html"):
        for img in re.findall(r"<img [^>]*>", file.read_text(encoding="utf-8")):
            assert re.search(r'alt="[^"]+"', img), f"{file.name}: {img}"


def test_search_index_finds_the_chapter_that_holds_a_word(site):
    _, out = site
    entries = json.loads((out / "search.json").read_text(encoding="utf-8"))
    word = fixture.UNIQUE_WORDS["03-geschiedenis"]
    hits = {e["href"].split("#")[0] for e in entries if word in e["text"].lower()}
    assert hits == {"03-geschiedenis.html"}
    by_href = {e["href"]: e for e in entries}
    # each provenance entry is its own hit, without its checksums
    assert by_href["herkomst.html#num-respons.n"]["section"].startswith("respons.n")
    sections = {e["section"] for e in entries}
    assert "2.1 Respons" in sections and "A.1 Blok 1: beleid" in sections
    # footnote text (here citeproc's citation) is searchable too
    assert any("Kuznetsov 2015, p. 27" in e["text"] for e in entries
               if e["href"].startswith("01-"))


def test_assets_are_local_and_pages_name_no_machine_paths(site):
    book, out = site
    for name in ("proefdruk.css", "proefdruk.js", "favicon.svg",
                 "fonts/source-serif-4-latin-400-normal.woff2"):
        assert (out / "site_libs" / name).is_file()
    root = str(book["root"])
    for file in list(out.glob("*.html")) + [out / "search.json", out / "site_libs/proefdruk.css"]:
        text = file.read_text(encoding="utf-8")
        assert root not in text, file.name
        assert "https://" not in text.replace("https://schemas", ""), file.name


def test_two_builds_give_identical_bytes(site, tmp_path):
    _, first = site
    _, second = write_site(tmp_path / "project")
    files_a = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert files_a == files_b
    for rel in files_a:
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel


def test_unresolved_link_and_missing_image_stop_with_the_chapter(tmp_path):
    book = fixture.build_fixture_book(tmp_path / "project")
    intro = next(c for c in book["chapters"] if c["id"] == "01-inleiding")
    ast_path = tmp_path / "project" / intro["ast"]
    ast = json.loads(ast_path.read_text(encoding="utf-8"))
    ast["blocks"].append({"t": "Para", "c": [{"t": "Link", "c": [
        ["", ["xref"], []], [{"t": "Str", "c": "Figuur 9.9"}], ["#fig-bestaat-niet", ""]]}]})
    ast_path.write_text(json.dumps(ast), encoding="utf-8")
    with pytest.raises(BuildError) as err:
        html.write_chapter_page(book, "01-inleiding", tmp_path / "out" / "01-inleiding.html")
    assert "chapters/01-inleiding.qmd" in str(err.value) and "#fig-bestaat-niet" in str(err.value)
    assert not (tmp_path / "out" / "01-inleiding.html").exists()
    (tmp_path / "project" / "results" / "figures" / "respons.svg").unlink()
    with pytest.raises(BuildError, match="image in the chapter does not exist"):
        html.write_chapter_page(book, "02-methode", tmp_path / "out" / "02-methode.html")
