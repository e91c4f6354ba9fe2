"""The real book's HTML site in headless Chromium: what a reader of the finished study does.

The fixture-book tests (test_browser_editions.py) pin the site's behaviour; this one runs
the same checks on the whole dissertation as `snakemake all` builds it in a clean clone:
every link and anchor on every page resolves, search finds a word that only chapter 3
holds, no page logs a console error, and screenshots of a real chapter are kept in
test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urldefrag

import pytest
from fixtures.editions import browser as browser_mod

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.browser,
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian chromium"),
]


PAGE_JS = """(() => ({
  links: Array.from(document.querySelectorAll('a[href]')).map(a => a.href),
  ids: Array.from(document.querySelectorAll('[id]')).map(e => e.id),
  images: Array.from(document.images).map(i => [i.src, i.complete && i.naturalWidth > 0, i.alt]),
  text: (document.querySelector('main') || document.body).innerText,
}))()"""


@pytest.fixture(scope="module")
def site(clean_build: Path):
    book = json.loads((clean_build / "results/render/book.json").read_text(encoding="utf-8"))
    with browser_mod.serve(clean_build / "_book") as base, browser_mod.Browser() as browser:
        yield book, base, browser


def words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-zÀ-ÿ]{9,}", text)}


def test_every_link_and_anchor_of_the_book_resolves(site) -> None:
    book, base, browser = site
    pages: dict[str, dict] = {}
    for chapter in book["chapters"]:
        browser.goto(base + chapter["href"])
        pages[base + chapter["href"]] = browser.evaluate(PAGE_JS)
    checked = 0
    for url, info in pages.items():
        for src, loaded, alt in info["images"]:
            assert loaded, f"{url}: image {src} did not load"
            assert alt.strip(), f"{url}: image {src} has no alt text"
        for link in info["links"]:
            if not link.startswith(base):
                continue
            target, anchor = urldefrag(link)
            assert target in pages or target.endswith((".pdf", ".docx", ".json", ".bib", ".ris")), (
                f"{url}: link to a page that does not exist: {link}")
            if anchor and target in pages:
                assert anchor in pages[target]["ids"], f"{url}: dangling anchor {link}"
            checked += 1
    assert checked > 1000, checked
    assert browser.errors == [], browser.errors[:10]


def test_search_finds_a_word_only_chapter_three_holds(site) -> None:
    book, base, browser = site
    texts = {}
    for chapter in book["chapters"]:
        browser.goto(base + chapter["href"])
        texts[chapter["href"]] = browser.evaluate(PAGE_JS)["text"]
    theory = next(c["href"] for c in book["chapters"] if c.get("number") == "3")
    others = set().union(*(words(t) for h, t in texts.items() if h != theory))
    unique = sorted(words(texts[theory]) - others, key=lambda w: (-len(w), w))
    assert unique, "chapter 3 has no word of its own to search for"
    word = unique[0]
    browser.viewport(1280, 900)
    browser.goto(base + "index.html")
    browser.type_text("#zoekveld", word)
    hrefs = browser.wait_for(
        "(() => { const a = document.querySelectorAll('#zoekresultaten a');"
        " return a.length ? Array.from(a).map(x => x.getAttribute('href')) : null; })()")
    # a result opens its page with ?q=<word>, so that page marks the words found
    page, _, query = hrefs[0].split("#")[0].partition("?")
    assert page == theory and query == f"q={word}", (word, hrefs)
    assert browser.errors == [], browser.errors[:10]


def test_chapter_screenshots_at_desktop_and_phone_width(site, artifacts_dir: Path) -> None:
    book, base, browser = site
    chapter = next(c["href"] for c in book["chapters"] if c.get("number") == "5")
    browser.viewport(1280, 900)
    browser.goto(base + chapter)
    browser.screenshot(artifacts_dir / "book-chapter-desktop-1280.png")
    assert browser.evaluate("document.documentElement.scrollWidth") <= 1280
    browser.viewport(390, 844, mobile=True)
    browser.goto(base + chapter)
    assert browser.evaluate("document.documentElement.scrollWidth") <= 390, "scrolls sideways"
    browser.screenshot(artifacts_dir / "book-chapter-phone-390.png")
    for name in ("book-chapter-desktop-1280.png", "book-chapter-phone-390.png"):
        assert (artifacts_dir / name).stat().st_size > 20_000
    assert browser.errors == [], browser.errors[:10]
