"""The real book's site passes an automated accessibility audit: axe-core, the engine
behind most audit tools, run inside headless Chromium on every page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixtures.editions import accessibility
from fixtures.editions import browser as browser_mod

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.browser,
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian chromium"),
    pytest.mark.skipif(not accessibility.AXE.exists(),
                       reason="axe-core is not installed (bash tools/setup-env installs it)"),
]


def test_no_serious_or_critical_violation_on_any_page(clean_build: Path) -> None:
    book = json.loads((clean_build / "results/render/book.json").read_text(encoding="utf-8"))
    pages = [ch["href"] for ch in book["chapters"]]
    assert len(pages) >= 17
    found = {}
    # The provenance appendix is long: axe needs more than the default 20 s on a busy CI.
    with browser_mod.serve(clean_build / "_book") as base, \
            browser_mod.Browser(timeout=180) as browser:
        for page in pages:
            bad = accessibility.severe(accessibility.audit(browser, base + page))
            if bad:
                found[page] = [(v["id"], v["impact"], v["nodes"][:3]) for v in bad]
        # an open footnote popup is part of the page a reader audits too
        browser.goto(base + pages[4])
        if browser.evaluate("!!document.querySelector('a.footnote-ref')"):
            browser.hover("a.footnote-ref")
            browser.wait_for("!!document.getElementById('fn-popup')")
            violations = [v["id"] for v in accessibility.run(browser)
                          if v["id"] in ("region", "link-in-text-block")
                          or v["impact"] in accessibility.SEVERE]
            assert violations == [], violations
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
