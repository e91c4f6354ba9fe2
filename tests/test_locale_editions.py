"""An English book gets no Dutch word from the tool, a Dutch book no English one.

Two fixture books go through the real renderer (every chapter through the core, then the
HTML site with its scripts, the Typst PDF and the DOCX, as the book rules do): the English
one in tests/fixtures/locale/book-en and the Dutch one the renderer tests use
(tests/fixtures/render/book). The text a reader gets (HTML text and the labels screen
readers read, the scripts' messages, pdftotext's text of the PDF, the DOCX's text) must
hold no word that only the other language's table has, apart from words the author wrote
in the book's own sources.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from render_helpers import write_generated_sources

from proefdruk.locale.words import table
from proefdruk.render.core.chapter import render_chapter, write_outputs
from proefdruk.render.editions import docx, html, typst_pdf
from proefdruk.render.editions.book import assemble, page_book
from proefdruk.render.workflow.plan import load_plan

ROOT = Path(__file__).resolve().parent.parent
BOOKS = {"en": ROOT / "tests" / "fixtures" / "locale" / "book-en",
         "nl": ROOT / "tests" / "fixtures" / "render" / "book"}
NOT_WORDS = {"proefdruk-lang-tag"}  # a language tag, never printed as text
READ_ALOUD = ("aria-label", "title", "placeholder", "alt")
SCRIPT_WORDS = re.compile(r"(?:\.(?:textContent|innerText|title|placeholder)\s*=|"
                          r"setAttribute\(\"(?:aria-label|title|placeholder|alt)\",)"
                          r"([^;]*);")


def tokens(text: str) -> set[str]:
    """The words of ``text``; single letters ("n.d.", "p.") say nothing of a language."""
    # whole words only: the letters of a SHA-256 in the provenance appendix ("5de7") are
    # no word of any language
    return {t for t in re.findall(r"\b[^\W\d_]{2,}\b", text.lower())}


def table_tokens(lang: str) -> set[str]:
    return tokens(" ".join(v for k, v in table(lang).items() if k not in NOT_WORDS))


def source_tokens(book: Path) -> set[str]:
    """Words the author wrote: what the book's own sources hold is not the tool's."""
    out: set[str] = set()
    for path in book.rglob("*"):
        if path.is_file() and path.suffix in (".qmd", ".md", ".yml", ".bib", ".json"):
            out |= tokens(path.read_text(encoding="utf-8"))
    return out


class _Text(HTMLParser):
    """Visible text and what a screen reader reads out (aria-label, title, ...)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        self.parts += [v for k, v in attrs if k in READ_ALOUD and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text(site: Path) -> str:
    parts: list[str] = []
    for page in sorted(site.rglob("*.html")):
        parser = _Text()
        parser.feed(page.read_text(encoding="utf-8"))
        parts += parser.parts
    for script in sorted((site / "site_libs").glob("*.js")):
        code = re.sub(r"/\*.*?\*/", "", script.read_text(encoding="utf-8"), flags=re.S)
        code = re.sub(r"^\s*//[^\n]*", "", code, flags=re.M)
        # what the scripts show or read out: text, titles and labels they set
        for expr in SCRIPT_WORDS.findall(code):
            parts += re.findall(r'"((?:[^"\\\n]|\\.)*)"', expr)
    return "\n".join(parts)


def pdf_text(pdf: Path) -> str:
    proc = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True)
    return proc.stdout


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        xml = "\n".join(z.read(n).decode("utf-8") for n in z.namelist()
                        if n.startswith("word/") and n.endswith(".xml")
                        and ("document" in n or "footnotes" in n))
    return " ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def build(src: Path, dest: Path) -> Path:
    """Render the fixture book at ``src`` into ``dest/_book`` with the real renderer."""
    shutil.copytree(src, dest)
    shutil.copytree(ROOT / "_extensions", dest / "_extensions")
    write_generated_sources(dest)
    plan = load_plan(dest)
    render = dest / "results" / "render"
    labels = []
    for cid in plan.chapter_ids:
        out = render_chapter(dest, cid, plan.render_params(cid), cache_dir=dest / ".cache")
        label_file = render / "labels" / f"{cid}.json"
        write_outputs(out, render / "chapters" / f"{cid}.json", label_file,
                      dest / "results" / "reports" / f"render-{cid}.json")
        labels.append(str(label_file))
    notices = sorted(str(p) for p in (dest / "results" / "notices").glob("*.json"))
    book = assemble(dest, labels, notices)
    book["root"] = str(dest)
    site = dest / "_book"
    skeleton = plan.skeleton()
    html.write_assets(site, plan.project.locale())
    for chapter in plan.chapters:
        page = page_book(skeleton, str(render / "labels" / f"{chapter.id}.json"), notices,
                         plan.page_labels(chapter.id))
        page["root"] = str(dest)
        html.write_chapter_page(page, chapter.id, site / chapter.href)
    typst_pdf.write_pdf(book, site / "book.pdf", paper="170x240", pdfa=False)
    docx.write_docx(book, site / "book.docx")
    return site


@pytest.fixture(scope="module", params=sorted(BOOKS))
def edition(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    lang = request.param
    site = build(BOOKS[lang], tmp_path_factory.mktemp(f"locale-{lang}") / "book")
    return lang, site


def _foreign(lang: str) -> set[str]:
    other = "nl" if lang == "en" else "en"
    return table_tokens(other) - table_tokens(lang) - source_tokens(BOOKS[lang])


@pytest.mark.parametrize("reader", ["html", "pdf", "docx"])
def test_no_word_of_the_other_language(edition, reader: str) -> None:
    lang, site = edition
    text = {"html": lambda: html_text(site), "pdf": lambda: pdf_text(site / "book.pdf"),
            "docx": lambda: docx_text(site / "book.docx")}[reader]()
    assert len(text) > 200, f"{reader}: too little text to judge"
    leaked = sorted(tokens(text) & _foreign(lang))
    assert not leaked, f"{lang} book, {reader} edition: words of the other table: {leaked}"


def test_the_book_speaks_its_own_language(edition) -> None:
    """The check above is not vacuous: the book's own words are there."""
    lang, site = edition
    text = html_text(site) + pdf_text(site / "book.pdf") + docx_text(site / "book.docx")
    words = table(lang)
    for key in ("crossref-fig-title", "crossref-ch-prefix", "toc-title-document",
                "proefdruk-nav-next", "proefdruk-provenance-numbers"):
        assert words[key] in text, (lang, key)
    scripts = html_text(site)
    for key in ("copy-button-tooltip", "proefdruk-search-unavailable", "proefdruk-footnote"):
        assert words[key] in scripts, (lang, key)
    if lang == "en":
        assert "63.5%" in text and "1,342" in text
        assert "Chapter 1" in text and "Appendix A" in text and "Part I" in text
        assert words["callout-note-title"] in text and "Section 1.2" in text
        with zipfile.ZipFile(site / "book.docx") as z:  # Word checks English spelling
            assert 'w:val="en-GB"' in z.read("word/styles.xml").decode("utf-8")


def test_citation_block_in_english() -> None:
    from proefdruk.locale.words import locale_for
    from proefdruk.render.editions.site_meta import citation_block

    record = {"citation": {"entry": "Author (2026). A Test Book.", "note": "Author, Book."},
              "edition": "0.1", "bibtex": "cite.bib", "ris": "cite.ris"}
    block = citation_block(record, "", locale_for("en"))
    parser = _Text()
    parser.feed(block)
    text = " ".join(parser.parts)
    assert "Cite this book" in text and "In a footnote" in text
    assert not tokens(text) & (table_tokens("nl") - table_tokens("en"))
