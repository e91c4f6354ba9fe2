"""tools/quarto-parity: its comparisons on small books, and one real run where Quarto is.

The comparison functions read two ``_book/`` folders; here they get tiny hand-written
ones (HTML only), so a link that points nowhere, a missing number or a notice shown twice
must show up as a difference. The real run renders a starter project both ways with the
Quarto found (``PROEFDRUK_QUARTO`` or ``quarto`` on PATH) and is skipped without one.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
QUARTO = os.environ.get("PROEFDRUK_QUARTO") or shutil.which("quarto")


def _load():
    loader = importlib.machinery.SourceFileLoader("quarto_parity",
                                                  str(ROOT / "tools/quarto-parity"))
    spec = importlib.util.spec_from_loader("quarto_parity", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


parity = _load()

PAGE = """<html><head>{meta}</head><body><main>
<h1 id="sec-a">Hoofdstuk 1 Inleiding</h1>
{notice}
<p>Er zijn <a href="{appendix}#num-a">42</a> gemeenten; zie Figuur 1.1 en Paragraaf 1.2.</p>
<figure id="fig-a"><figcaption>Figuur 1.1: Iets</figcaption></figure>
<p><a href="#fig-a">Figuur 1.1</a> <a class="footnote-ref" href="#fn1">1</a></p>
<p id="fn1">Noot.</p>
</main></body></html>"""
APPENDIX = '<html><body><h1>Herkomst</h1><p id="num-a">a</p><p id="claim-b">b</p></body></html>'
NOTICE = '<div class="notice"><p class="notice-title">Synthetische gegevens</p></div>'
FACTS = {"registry": {"a": {"display": "42"}}, "claims": {"b": {}},
         "notices": [{"title": "Synthetische gegevens"}]}


def _book(tmp: Path, name: str, *, appendix: str = "herkomst.html", notices: int = 1,
          meta: str = '<meta name="citation_title" content="Boek">') -> Path:
    book = tmp / name
    (book / "chapters").mkdir(parents=True)
    (book / "index.html").write_text(PAGE.format(meta=meta, notice=NOTICE * notices,
                                                 appendix="chapters/herkomst.html"),
                                     encoding="utf-8")
    (book / "chapters/01.html").write_text(PAGE.format(meta="", notice="",
                                                       appendix=appendix), encoding="utf-8")
    (book / "chapters/herkomst.html").write_text(APPENDIX, encoding="utf-8")
    (book / "citeer.bib").write_text("@phdthesis{x}\n", encoding="utf-8")
    return book


def _rows(tmp: Path, **theirs) -> dict[str, dict]:
    ours = parity.Edition(_book(tmp, "ours"))
    other = parity.Edition(_book(tmp, "theirs", **theirs))
    return {r["key"]: r for r in parity.compare(ours, other, FACTS)}


def test_the_same_book_is_the_same_on_every_point(tmp_path: Path) -> None:
    rows = _rows(tmp_path)
    assert [k for k, r in rows.items() if not r["same"]] == []
    assert rows["links"]["builtin"]["broken"] == 0
    assert rows["numbers"]["builtin"]["HTML"]["shown"] == 1


def test_a_broken_link_is_found_and_named(tmp_path: Path) -> None:
    rows = _rows(tmp_path, appendix="../chapters/chapters/herkomst.html")
    links = rows["links"]
    assert not links["same"]
    assert links["quarto"]["broken"] == 1
    assert "chapters/01.html: ../chapters/chapters/herkomst.html#num-a (no such file)" in \
        links["quarto"]["examples"]


def test_a_missing_anchor_is_broken_too() -> None:
    pages = {"a.html": '<a href="b.html#x">x</a><a href="#here">h</a><p id="here"></p>',
             "b.html": '<p id="y"></p>'}
    assert parity.broken_links(pages, lambda rel: rel in pages) == [
        "a.html: b.html#x (no such id)"]


def test_a_notice_shown_twice_and_other_scholar_tags_differ(tmp_path: Path) -> None:
    rows = _rows(tmp_path, notices=2, meta='<meta name="citation_title" content="[Boek]">')
    assert not rows["notices"]["same"]
    assert any("home page: built-in 1, Quarto 2" in d for d in rows["notices"]["differences"])
    assert not rows["scholar tags"]["same"]


def test_report_says_same_or_different_with_a_reason(tmp_path: Path) -> None:
    rows = list(_rows(tmp_path, notices=2).values())
    text = parity.report(rows, "1.10.18", "2026-12-08")
    assert "Quarto 1.10.18, run on 2026-12-08" in text
    assert "| Registry numbers | same:" in text
    notices = next(line for line in text.splitlines() if line.startswith("| Synthetic"))
    assert "different:" in notices and parity.REASONS["notices"] in notices
    # the same rows give the same report: nothing but the date and version varies
    assert parity.report(rows, "1.10.18", "2026-12-08") == text


def test_a_notice_above_main_counts_for_its_page(tmp_path: Path) -> None:
    """The built-in site shows the notices above <main>, Quarto's inside it: the same."""
    ours = parity.Edition(_book(tmp_path, "ours"))
    for book in (ours.book, _book(tmp_path, "theirs")):
        page = book / "chapters/01.html"
        text = page.read_text(encoding="utf-8")
        if book == ours.book:  # before <main>, as the built-in renderer writes it
            text = text.replace("<main>", NOTICE + "<main>")
        else:
            text = text.replace("</h1>", "</h1>" + NOTICE)
        page.write_text(text, encoding="utf-8")
    rows = {r["key"]: r for r in parity.compare(parity.Edition(ours.book),
                                                parity.Edition(tmp_path / "theirs"), FACTS)}
    assert rows["notices"]["same"], rows["notices"]["differences"]
    assert rows["notices"]["builtin"]["Synthetische gegevens"]["pages"] == 2


def test_references_on_unnumbered_pages_are_by_design(tmp_path: Path) -> None:
    """Quarto gives a reference on an unnumbered page the title: reported, not counted;
    the same change on a numbered page is a difference."""
    def book(name: str, page: str, words: str) -> parity.Edition:
        root = _book(tmp_path, name)
        path = root / page
        text = path.read_text(encoding="utf-8").replace("<h1 ", '<h1 class="unnumbered" ', 1) \
            if page == "index.html" else path.read_text(encoding="utf-8")
        path.write_text(text.replace("Paragraaf 1.2", words), encoding="utf-8")
        return parity.Edition(root)

    rows = {r["key"]: r for r in parity.compare(
        book("ours", "index.html", "Paragraaf 1.2"), book("theirs", "index.html", "Opzet"),
        FACTS)}
    assert rows["crossref words"]["same"]
    assert rows["crossref words"]["by design"] == [
        "HTML, unnumbered pages.Paragraaf: built-in 1, Quarto none"]
    text = parity.report(list(rows.values()), "1.10.18", "2026-12-08")
    assert parity.BY_DESIGN_REASONS["crossref words"] in text
    rows = {r["key"]: r for r in parity.compare(
        book("ours2", "chapters/01.html", "Paragraaf 1.2"),
        book("theirs2", "chapters/01.html", "Opzet"), FACTS)}
    assert not rows["crossref words"]["same"]


def test_differences_name_what_only_one_side_has() -> None:
    assert parity.differences({"a": [1, 2]}, {"a": [2, 3]}) == [
        "a: only built-in [1] (1), only Quarto [3] (1)"]
    assert parity.differences({"a": 1}, {"b": 1}) == ["a: built-in 1, Quarto none",
                                                      "b: built-in none, Quarto 1"]


@pytest.mark.e2e
@pytest.mark.release
@pytest.mark.xdist_group("builds")
@pytest.mark.skipif(QUARTO is None, reason="no real Quarto here (quarto on PATH or "
                    "PROEFDRUK_QUARTO); build one with ../shared/quarto-from-source")
def test_parity_runs_with_real_quarto(tmp_path: Path) -> None:
    project = tmp_path / "book"
    made = subprocess.run([sys.executable, "-m", "proefdruk", "new", str(project), "--lang",
                           "nl", "--title", "Pariteit", "--author", "A. Kandidaat"],
                          capture_output=True, text=True, timeout=300)
    assert made.returncode == 0, made.stderr
    # the jobs import proefdruk from the project folder first: this checkout's package
    (project / "proefdruk").symlink_to(ROOT / "proefdruk", target_is_directory=True)
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    report = tmp_path / "parity.md"
    result = subprocess.run([sys.executable, str(ROOT / "tools/quarto-parity"), "--quarto",
                             QUARTO, "--project", str(project), "--out", str(report)],
                            capture_output=True, text=True, timeout=3600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    text = report.read_text(encoding="utf-8")
    assert text.startswith("# Quarto parity")
    for _, title, _ in parity.POINTS:
        assert f"| {title} | " in text, title
    # the two renders happened in scratch copies: the project is as it was
    assert not (project / "_book").exists() and not (project / ".quarto").exists()
