"""The writing loop as an author lives it: ``proefdruk preview`` on the real book, a
chapter open in headless Chromium, and the sources edited on disk.

Each case works on a copy of the session's clean build (modification times kept, so the
preview starts with nothing to do), starts the preview as its own process, and never
reloads the page itself: what the page shows afterwards arrived through the preview.
After the preview settles, ``snakemake all`` must have nothing left to do, and Ctrl-C
must leave no lock and no half-written file.
"""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

import pytest
from fixtures.editions import accessibility
from fixtures.editions.browser import Browser
from fixtures.preview import Preview
from fixtures.robustness.harness import built_tree, copy_built, partial_files

from conftest import run_snakemake
from proefdruk.locks import lock_files

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.browser,
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian chromium"),
]

# Generous: on a shared CI machine a Snakemake start alone can take seconds.
BUILD_TIMEOUT = 600
READY = "document.documentElement.dataset.proefdrukPreview === 'ready'"


@pytest.fixture()
def project(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    return copy_built(built_tree(request), tmp_path / "project")


def page_of(project: Path, source: str) -> str:
    """The site-relative page of a chapter source, as the built book records it."""
    book = json.loads((project / "results/render/book.json").read_text(encoding="utf-8"))
    return next(c["href"] for c in book["chapters"] if c.get("source") == source)


def poll(browser: Browser, expression: str, timeout: float = BUILD_TIMEOUT):
    """Wait until ``expression`` is truthy, across the preview's reloads (while a page
    reloads there is briefly no document to ask)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = browser.evaluate(expression)
        except RuntimeError:
            value = None
        if value:
            return value
        time.sleep(0.1)
    raise TimeoutError(expression)


def settle_and_stop(preview: Preview, project: Path) -> None:
    """Wait for the background whole-book build (it succeeds), stop with Ctrl-C, and
    check what is left: no lock, no partial file, and nothing for `snakemake all` to do."""
    assert preview.wait_idle(BUILD_TIMEOUT)["problem"] is None
    assert preview.stop() == 0
    # A draft shown ahead of Snakemake was the page Snakemake then made.
    assert not [ln for ln in preview.output() if "differs from the page Snakemake" in ln]
    assert lock_files(project) == []
    assert partial_files(project) == []
    dry = run_snakemake(project, "-n", "all")
    assert dry.returncode == 0, dry.stdout[-3000:] + dry.stderr[-3000:]
    assert "Nothing to be done" in dry.stdout + dry.stderr, dry.stdout[-3000:]


# The overlay's text, wherever its elements live (its own shadow tree).
OVERLAY_TEXT = ("(e => e ? (e.shadowRoot || e).textContent : '')"
                "(document.getElementById('proefdruk-overlay'))")


def test_an_edit_shows_up_in_place_and_a_bad_citation_shows_an_overlay(
        project: Path, tmp_path: Path) -> None:
    source = "chapters/05-motieven.qmd"
    href = page_of(project, source)
    path = project / source
    original = path.read_text(encoding="utf-8")
    preview = Preview(project)
    try:
        preview.wait_idle(BUILD_TIMEOUT)
        with Browser(timeout=60) as browser:
            browser.viewport(1280, 800)
            browser.goto(preview.url + href)
            preview.wait_open(href)
            poll(browser, READY)
            browser.evaluate("window.scrollTo(0, 1500)")
            scrolled = browser.evaluate("window.scrollY")
            assert scrolled > 1000

            sentence = "Deze zin verscheen zonder dat de auteur de pagina herlaadde."
            path.write_text(original.rstrip("\n") + f"\n\n{sentence}\n", encoding="utf-8")
            poll(browser, f"{READY} && document.body.innerText.includes({json.dumps(sentence)})")
            assert abs(browser.evaluate("window.scrollY") - scrolled) <= 2

            lines = original.splitlines()
            at = next(i for i, ln in enumerate(lines) if "[@" in ln)
            lines[at] = lines[at].replace("[@", "[@onbekend-werk-2099; @", 1)
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            shown = poll(browser, OVERLAY_TEXT)
            assert "unknown citation key 'onbekend-werk-2099'" in shown
            assert f"{source}:{at + 1}" in shown
            assert "what to do:" in shown
            # Readable, not only present: the site's own styles (its `pre`) must not
            # reach the overlay (white on off-white, issue 31).
            readable = (accessibility.contrast(browser, "#proefdruk-overlay")
                        if accessibility.AXE.exists() else None)
            browser.screenshot(tmp_path / "overlay.png")  # for a person to look at

            path.write_text(original, encoding="utf-8")
            poll(browser, f"{READY} && !document.getElementById('proefdruk-overlay') && "
                          f"!document.body.innerText.includes({json.dumps(sentence)})")
            assert browser.errors == [], browser.errors[:5]
        if readable is not None:
            assert readable["violations"] == [], readable
            assert readable["passes"] >= 2 and readable["incomplete"] == [], readable
        # The reload client is added while serving, never written into a page on disk.
        written = [*(project / "_book").rglob("*.html"), *(project / "results").rglob("*.html")]
        assert written and not [p for p in written if "__proefdruk" in p.read_text("utf-8")]
        settle_and_stop(preview, project)
    finally:
        preview.stop()
    if readable is None:
        pytest.skip("the overlay's contrast was not checked: axe-core is not installed "
                    "(bash tools/setup-env installs it)")


def flip_one_answer(export: Path, column: str) -> str:
    """Flip ``column`` (0/1) of the first complete submission that answered it; the
    respondent id."""
    raw = export.read_text(encoding="utf-8-sig")
    sep = ";" if raw.splitlines()[0].count(";") > raw.splitlines()[0].count(",") else ","
    rows = list(csv.reader(io.StringIO(raw), delimiter=sep))
    col, status = rows[0].index(column), rows[0].index("status")
    for row in rows[1:]:
        if row[status] == "volledig" and row[col] in ("0", "1"):
            row[col] = "1" if row[col] == "0" else "0"
            out = io.StringIO()
            csv.writer(out, delimiter=sep, lineterminator="\n").writerows(rows)
            export.write_text(out.getvalue(), encoding="utf-8")
            return row[0]
    raise AssertionError(f"no complete submission answered {column}")


def test_a_changed_survey_answer_updates_figure_and_number_on_the_open_page(
        project: Path) -> None:
    key, figure = "motieven.mot.handel", "enquete-mot.svg"
    source = next(f"chapters/{p.name}" for p in sorted((project / "chapters").glob("*.qmd"))
                  if f"{{{{< num {key} >}}}}" in p.read_text(encoding="utf-8"))
    href = page_of(project, source)
    number = f"document.querySelector('a.num[data-key=\"{key}\"]').textContent"
    svg = (f"fetch(Array.from(document.images).find(i => i.src.endsWith('/{figure}')).src)"
           ".then(r => r.text())")
    preview = Preview(project)
    try:
        preview.wait_idle(BUILD_TIMEOUT)
        with Browser(timeout=60) as browser:
            browser.goto(preview.url + href)
            preview.wait_open(href)
            poll(browser, READY)
            before_number, before_svg = browser.evaluate(number), browser.evaluate(svg)
            flip_one_answer(project / "data/raw/survey/export.csv", "mot_handel")
            poll(browser, f"{READY} && {number} !== {json.dumps(before_number)}")
            # The page's number is the analysis step's new value (the combined registry,
            # results/numbers.json, is a whole-book output and follows later).
            step = project / f"results/numbers/{key.split('.')[0]}.json"
            fresh = json.loads(step.read_text("utf-8"))["numbers"][key]["display"]
            assert browser.evaluate(number) == fresh
            assert browser.evaluate(svg) != before_svg, "the figure did not change"
            assert browser.errors == [], browser.errors[:5]
        # Ctrl-C while the rest of the book still builds: it stops cleanly. (That the
        # settled preview leaves nothing for `snakemake all` is the first test's check.)
        assert preview.stop() == 0
        assert lock_files(project) == []
        assert partial_files(project) == []
    finally:
        preview.stop()
