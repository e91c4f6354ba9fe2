"""The HTML-only Quarto behaviours, in the real headless Chromium.

The fixture book (tests/fixtures/quarto) is rendered with the real renderer and served
locally; each test does what a reader does (click a tab, hover a reference, press a key)
and checks what the page shows. Console errors and failed loads fail the tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.editions import browser as browser_mod
from quarto_book import build_quarto_book

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian chromium"),
]

CHAPTER = "chapters/01-constructies.html"
REFS = "chapters/02-verwijzingen.html"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    built = build_quarto_book(tmp_path_factory.mktemp("quarto-browser") / "boek")
    with browser_mod.serve(built["root"] / "_book") as base, browser_mod.Browser() as browser:
        browser.viewport(1600, 1000)
        yield base, browser
        assert browser.errors == [], browser.errors


def press(browser: browser_mod.Browser, key: str) -> None:
    for kind in ("keyDown", "keyUp"):
        params = {"type": kind, "key": key}
        if len(key) == 1:  # a character; named keys (Escape) carry no text
            params["text"] = key
        browser.send("Input.dispatchKeyEvent", params)


def visible(browser: browser_mod.Browser, selector: str) -> bool:
    return browser.evaluate(
        f"(() => {{ const e = document.querySelector({selector!r});"
        " return !!e && e.getClientRects().length > 0; })()")


def test_tabs_switch_and_only_one_panel_shows(site) -> None:
    base, browser = site
    browser.goto(base + CHAPTER)
    assert visible(browser, ".tab-pane.active") and "TABEEN" in browser.evaluate(
        "document.querySelector('.tab-pane.active').textContent")
    assert not visible(browser, ".tab-pane:not(.active)")
    browser.evaluate("document.querySelectorAll('.tabset-nav [role=tab]')[1].click()")
    assert "TABTWEE" in browser.evaluate(
        "document.querySelector('.tab-pane.active').textContent")
    assert browser.evaluate("document.querySelectorAll('.tabset-nav [role=tab]')[1]"
                            ".getAttribute('aria-selected')") == "true"


def test_a_collapsed_callout_opens_on_click(site) -> None:
    base, browser = site
    browser.goto(base + CHAPTER)
    assert browser.evaluate("document.querySelector('details.callout').open") is False
    browser.evaluate("document.querySelector('details.callout summary').click()")
    assert browser.evaluate("document.querySelector('details.callout').open") is True


def test_margin_content_sits_in_the_margin_on_a_wide_screen(site) -> None:
    base, browser = site
    browser.goto(base + CHAPTER)
    left, right, text_right, toc_left = browser.evaluate(
        "(() => { const m = document.querySelector('aside.column-margin').getBoundingClientRect();"
        " return [m.left, m.right, document.querySelector('main').getBoundingClientRect().right,"
        " document.querySelector('.page-toc').getBoundingClientRect().left]; })()")
    assert left >= text_right - 1  # right of the text column
    assert right <= toc_left + 1  # and clear of "Op deze pagina"


def test_lightbox_opens_a_figure_full_size(site) -> None:
    base, browser = site
    browser.goto(base + REFS)
    browser.evaluate("document.querySelector('figure img').click()")
    assert browser.wait_for("!!document.querySelector('.lightbox img.lightbox-full')")
    press(browser, "Escape")
    assert browser.wait_for("!document.querySelector('.lightbox')")


def test_hovering_a_cross_reference_previews_its_target_on_another_page(site) -> None:
    base, browser = site
    browser.goto(base + REFS)
    browser.hover('a.xref[href$="#sec-na-tabs"]')
    text = browser.wait_for(
        "(document.querySelector('.xref-popup') || {}).textContent", timeout=10)
    assert "Na de tabs" in text and "nummer 1.2" in text


def test_the_search_query_is_highlighted_on_the_target_page(site) -> None:
    base, browser = site
    browser.goto(base + CHAPTER + "?q=margetekst")
    marks = browser.evaluate(
        "Array.from(document.querySelectorAll('mark.search-match')).map(m => m.textContent)")
    assert marks == ["MARGETEKST"]


def test_a_key_jumps_to_the_search_box(site) -> None:
    base, browser = site
    browser.goto(base + CHAPTER)
    assert browser.evaluate("document.activeElement.id") != "zoekveld"
    press(browser, "f")
    assert browser.evaluate("document.activeElement.id") == "zoekveld"
    assert browser.evaluate("document.getElementById('zoekveld').value") == ""


def test_heading_anchors_reader_mode_and_dark_theme(site) -> None:
    base, browser = site
    browser.goto(base + CHAPTER)
    assert browser.evaluate("document.querySelector('#sec-marge .anchor-link')"
                            ".getAttribute('href')") == "#sec-marge"
    assert visible(browser, ".book-toc")
    browser.evaluate("document.querySelector('.reader-toggle').click()")
    assert not visible(browser, ".book-toc") and not visible(browser, ".page-toc")
    browser.evaluate("document.querySelector('.reader-toggle').click()")
    assert visible(browser, ".book-toc")
    light = browser.evaluate("getComputedStyle(document.body).backgroundColor")
    browser.evaluate("document.querySelector('.theme-toggle').click()")
    dark = browser.evaluate("getComputedStyle(document.body).backgroundColor")
    assert light == "rgb(255, 255, 255)" and dark == "rgb(21, 24, 27)"
    browser.evaluate("document.querySelector('.theme-toggle').click()")


def test_code_blocks_get_a_copy_button(site) -> None:
    base, browser = site
    browser.goto(base + CHAPTER)
    assert browser.evaluate("document.querySelector('pre.has-copy > button.code-copy')"
                            ".textContent") == "Kopieer"
