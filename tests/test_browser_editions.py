"""The HTML edition in a real headless Chromium, served on 127.0.0.1.

What a reader does: follows every link (each page and anchor must exist), searches for
a word that only chapter 3 holds, hovers a footnote, opens the contents on a phone. No
page may log a console error or fail to load a resource. Screenshots at desktop and
phone widths are kept in test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urldefrag

import pytest
from fixtures.editions import browser as browser_mod
from fixtures.editions import build as fixture

from proefdruk.render.editions import html

HERE = Path(__file__).parent
ARTIFACTS = HERE.parent / "test-artifacts"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian chromium"),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("browser") / "project"
    book = fixture.build_fixture_book(root)
    out = root / "_book"
    html.write_assets(out)
    for chapter in book["chapters"]:
        html.write_chapter_page(book, chapter["id"], out / chapter["href"])
    html.write_search_index(book, out / "search.json")
    with browser_mod.serve(out) as base, browser_mod.Browser() as browser:
        yield book, base, browser


LINKS_JS = """(() => ({
  links: Array.from(document.querySelectorAll('a[href]')).map(a => a.href),
  ids: Array.from(document.querySelectorAll('[id]')).map(e => e.id),
  images: Array.from(document.images).map(i => [i.src, i.complete && i.naturalWidth > 0, i.alt]),
  lang: document.documentElement.lang,
  headings: Array.from(document.querySelectorAll('main h1, main h2, main h3, main h4'))
    .map(h => Number(h.tagName[1])),
  styled: getComputedStyle(document.body).fontFamily,
}))()"""


def test_every_link_and_anchor_resolves_without_console_errors(site):
    book, base, browser = site
    pages = {}
    for chapter in book["chapters"]:
        browser.goto(base + chapter["href"])
        pages[base + chapter["href"]] = browser.evaluate(LINKS_JS)
    pages_by_url = dict(pages)
    checked = 0
    for url, info in pages.items():
        assert info["lang"] == "nl"
        assert "Source Serif 4" in info["styled"]
        assert info["headings"][0] == 1 and info["headings"].count(1) == 1, url
        for a, b in zip(info["headings"], info["headings"][1:], strict=False):
            assert b <= a + 1, f"{url}: heading level jumps from h{a} to h{b}"
        for src, loaded, alt in info["images"]:
            assert loaded, f"{url}: image {src} did not load"
            assert alt.strip(), f"{url}: image {src} has no alt text"
        for link in info["links"]:
            if not link.startswith(base):
                continue
            target, anchor = urldefrag(link)
            if target not in pages_by_url:
                browser.goto(target)
                pages_by_url[target] = browser.evaluate(LINKS_JS)
            if anchor:
                assert anchor in pages_by_url[target]["ids"], f"{url}: {link}"
            checked += 1
    assert checked > 50
    assert browser.errors == [], browser.errors


def test_search_for_a_chapter_three_word_finds_chapter_three(site):
    _, base, browser = site
    browser.viewport(1280, 900)
    browser.goto(base + "index.html")
    browser.type_text("#zoekveld", fixture.UNIQUE_WORDS["03-geschiedenis"])
    hrefs = browser.wait_for(
        "(() => { const a = document.querySelectorAll('#zoekresultaten a');"
        " return a.length ? Array.from(a).map(x => x.getAttribute('href')) : null; })()")
    assert [h.split("#")[0].split("?")[0] for h in hrefs] == ["03-geschiedenis.html"]
    # the result carries the query, so the page it opens can mark the words (?q=)
    assert all("?q=" in h for h in hrefs)
    assert browser.evaluate("document.querySelector('#zoekresultaten mark').textContent"
                            ).lower() == fixture.UNIQUE_WORDS["03-geschiedenis"]
    browser.evaluate("document.querySelector('#zoekresultaten a').click()")
    browser.wait_event("Page.loadEventFired")
    assert browser.evaluate("location.pathname") == "/03-geschiedenis.html"
    browser.type_text("#zoekveld", "xyzzyonbekend")
    assert "Geen resultaten" in browser.wait_for(
        "document.getElementById('zoekstatus').textContent")
    assert browser.errors == [], browser.errors


def test_footnote_opens_in_place(site):
    _, base, browser = site
    browser.viewport(1280, 900)
    browser.goto(base + "01-inleiding.html")
    browser.hover("a.footnote-ref")
    text = browser.wait_for("document.querySelector('.fn-popup')?.textContent")
    assert text.startswith("1") and "Kuznetsov 2015, p. 27." in text
    assert browser.errors == [], browser.errors


def test_screenshots_at_desktop_and_phone_width(site):
    _, base, browser = site
    if ARTIFACTS.exists():
        for old in ARTIFACTS.glob("html-*.png"):
            old.unlink()
    browser.viewport(1280, 900)
    browser.goto(base + "02-methode.html")
    browser.screenshot(ARTIFACTS / "html-desktop-1280.png")
    browser.screenshot(ARTIFACTS / "html-desktop-1280-full.png", full_page=True)
    width = browser.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280
    browser.viewport(390, 844, mobile=True)
    browser.goto(base + "02-methode.html")
    assert browser.evaluate("document.documentElement.scrollWidth") <= 390, "page scrolls sideways"
    assert browser.evaluate("getComputedStyle(document.querySelector('.sidebar')).transform"
                            ) != "none"
    browser.screenshot(ARTIFACTS / "html-phone-390.png")
    browser.evaluate("document.querySelector('.nav-toggle').click()")
    time.sleep(0.4)
    assert browser.evaluate("document.querySelector('.nav-toggle').getAttribute('aria-expanded')"
                            ) == "true"
    browser.screenshot(ARTIFACTS / "html-phone-390-contents.png")
    for name in ("html-desktop-1280.png", "html-phone-390.png"):
        assert (ARTIFACTS / name).stat().st_size > 10_000
    assert browser.errors == [], browser.errors


CONTRAST_JS = """(() => {
  const parse = c => c.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => { const f = v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const bg = el => {
    for (; el; el = el.parentElement) {
      const v = parse(getComputedStyle(el).backgroundColor);
      if (v.length < 4 || v[3] > 0) return v.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const out = [];
  const text = 'p, a, li, figcaption, caption, th, td, h1, h2, h3, span';
  document.querySelectorAll(text).forEach(el => {
    if (!el.textContent.trim() || el.offsetParent === null) return;
    const fg = parse(getComputedStyle(el).color).slice(0, 3);
    const [l1, l2] = [lum(fg), lum(bg(el))].sort((a, b) => b - a);
    out.push([el.tagName + '.' + el.className, (l1 + 0.05) / (l2 + 0.05)]);
  });
  return out;
})()"""


def test_text_contrast_meets_wcag_aa(site):
    _, base, browser = site
    browser.viewport(1280, 900)
    for page in ("02-methode.html", "index.html"):
        browser.goto(base + page)
        ratios = browser.evaluate(CONTRAST_JS)
        assert len(ratios) > 40
        low = [(name, round(ratio, 2)) for name, ratio in ratios if ratio < 4.5]
        assert low == [], f"{page}: text below 4.5:1 contrast: {low[:10]}"


def test_print_stylesheet_keeps_text_and_notices_and_drops_navigation(site):
    _, base, browser = site
    browser.viewport(1280, 900)
    browser.goto(base + "02-methode.html")
    browser.send("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        shown = browser.evaluate(
            "['.sidebar', '.page-toc', '.page-nav', '.search', '.notice', 'main h1', 'figure']"
            ".map(s => [s, getComputedStyle(document.querySelector(s)).display])")
    finally:
        browser.send("Emulation.setEmulatedMedia", {"media": ""})
    display = dict(shown)
    assert display[".sidebar"] == "none" and display[".page-toc"] == "none"
    assert display[".page-nav"] == "none" and display[".search"] == "none"
    assert display[".notice"] != "none" and display["main h1"] != "none"
    assert display["figure"] != "none"


def test_footnote_opens_on_a_tap_and_a_second_tap_follows_it(site):
    _, base, browser = site
    browser.viewport(390, 844, mobile=True)
    browser.goto(base + "01-inleiding.html")
    browser.evaluate("document.querySelector('a.footnote-ref').click()")
    assert "Kuznetsov 2015" in browser.wait_for(
        "document.querySelector('.fn-popup')?.textContent")
    assert browser.evaluate("location.hash") == ""
    browser.evaluate("document.querySelector('a.footnote-ref').click()")
    assert browser.evaluate("location.hash") == "#fn1"
    browser.evaluate("document.querySelector('main p').click()")
    assert browser.evaluate("document.querySelector('.fn-popup')") is None
    assert browser.errors == [], browser.errors
