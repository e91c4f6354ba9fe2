"""Synthetic claims are marked in every edition, and only while the data are synthetic.

The claim filter (_extensions/proefdruk/claims.lua, run by real pandoc as the built-in
renderer runs it) turns a claim-bound passage of the fixture book into what the edition
writers receive; the HTML page is then read in real headless Chromium, the PDF through
pdftotext and the DOCX as its XML. With ``synthetic: false`` none of the marks appear.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from fixtures.editions import browser as browser_mod
from fixtures.editions import build as fixture

from proefdruk.render.core import pandocast as pa
from proefdruk.render.editions import docx, html, typst_pdf

ROOT = Path(__file__).resolve().parent.parent
CLAIMS_LUA = ROOT / "_extensions" / "proefdruk" / "claims.lua"
PASSAGE = ('Uit de gegevens volgt: [[De stedenband overheerst.]{when="true"}'
           '[De stedenband overheerst niet.]{when="false"}]{.claim key="demo.stedenband"}'
           ' Dat is alles.\n')


def claim_blocks(root: Path, synthetic: bool) -> list[dict]:
    """The passage as the claim filter leaves it (real pandoc, the project's Lua)."""
    numbers = root / "results" / "numbers"
    numbers.mkdir(parents=True, exist_ok=True)
    (numbers / "demo.json").write_text(json.dumps({"schema": 1, "numbers": {}, "claims": {
        "demo.stedenband": {"outcome": "true", "kind": "boolean", "outcomes": ["false", "true"],
                            "rule": "r", "values": {"demo.x": 1}, "synthetic": synthetic,
                            "description": "d"}}}), encoding="utf-8")
    lua = root / "run.lua"
    lua.write_text(
        f"quarto = {{ proefdruk = true, project = {{ directory = {json.dumps(str(root))} }} }}\n"
        f"local filters = dofile({json.dumps(str(CLAIMS_LUA))})\n"
        "function Pandoc(doc) for _, f in ipairs(filters) do doc = doc:walk(f) end "
        "return doc end\n", encoding="utf-8")
    proc = pa.run(["-f", "markdown", "-t", "json", "--lua-filter", str(lua)], PASSAGE, cwd=root)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)["blocks"]


def edition_book(root: Path, synthetic: bool) -> dict:
    """The fixture book with the passage in chapter 3 and the claim's appendix entry."""
    book = fixture.build_fixture_book(root)
    by_id = {c["id"]: c for c in book["chapters"]}
    chapter = root / by_id["03-geschiedenis"]["ast"]
    ast = json.loads(chapter.read_text(encoding="utf-8"))
    ast["blocks"] += claim_blocks(root, synthetic)
    chapter.write_text(json.dumps(ast, ensure_ascii=False), encoding="utf-8")
    appendix = root / by_id["herkomst"]["ast"]
    ast = json.loads(appendix.read_text(encoding="utf-8"))
    ast["blocks"].append({"t": "Div", "c": [["claim-demo.stedenband", ["provenance-entry"], []],
                                            [{"t": "Para", "c": pa.str_inlines("De bewering.")}]]})
    appendix.write_text(json.dumps(ast, ensure_ascii=False), encoding="utf-8")
    book["labels"]["claim-demo.stedenband"] = {"chapter": "herkomst", "kind": "claim",
                                               "number": None, "text": "demo.stedenband"}
    return book


@pytest.fixture(scope="module", params=[True, False], ids=["synthetic", "real"])
def editions(request, tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("claims-editions") / "project"
    book = edition_book(root, request.param)
    out = root / "_book"
    html.write_assets(out)
    for chapter in book["chapters"]:
        html.write_chapter_page(book, chapter["id"], out / chapter["href"])
    typst_pdf.write_pdf(book, out / "boek.pdf", paper="170x240", pdfa=False)
    docx.write_docx(book, out / "boek.docx")
    return request.param, book, out


MARK_JS = """(() => Array.from(document.querySelectorAll('span.claim')).map(s => {
  const u = s.querySelector('u');
  const a = s.querySelector('a.claim-link');
  return {text: s.innerText, title: s.getAttribute('title'),
          underline: u ? getComputedStyle(u).textDecorationStyle : null,
          dagger: a ? a.innerText : null, href: a ? a.href : null};
}))()"""


@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian chromium")
def test_html_in_chromium(editions) -> None:
    synthetic, book, out = editions
    href = next(c["href"] for c in book["chapters"] if c["id"] == "03-geschiedenis")
    with browser_mod.serve(out) as base, browser_mod.Browser() as browser:
        browser.goto(base + href)
        marks = browser.evaluate(MARK_JS)
        assert len(marks) == 1 and marks[0]["text"].startswith("De stedenband overheerst.")
        assert "niet" not in marks[0]["text"]
        if synthetic:
            assert marks[0]["title"] == "Berust op synthetische gegevens"
            assert marks[0]["underline"] == "dotted"
            assert marks[0]["dagger"] == "†"
        else:
            assert marks[0]["title"] is None and marks[0]["underline"] is None
            assert marks[0]["dagger"] == ""
        assert marks[0]["href"].endswith("#claim-demo.stedenband")
        browser.goto(marks[0]["href"])
        assert browser.evaluate("!!document.getElementById('claim-demo.stedenband')")
        assert browser.errors == [], browser.errors[:5]


def test_pdf_text(editions) -> None:
    synthetic, _book, out = editions
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (bash tools/setup-env installs it)")
    text = subprocess.run(["pdftotext", str(out / "boek.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "De stedenband overheerst." in flat
    assert ("De stedenband overheerst.†" in flat.replace(" †", "†")) is synthetic
    assert ("†" in text) is synthetic


def test_docx_runs(editions) -> None:
    synthetic, _book, out = editions
    with zipfile.ZipFile(out / "boek.docx") as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    start = xml.index("De stedenband overheerst.")
    paragraph = xml[xml.rfind("<w:p>", 0, start) if "<w:p>" in xml[:start] else
                    xml.rfind("<w:p ", 0, start):xml.index("</w:p>", start)]
    assert ('<w:u w:val="single"' in paragraph or "<w:u " in paragraph) is synthetic
    assert ("†" in paragraph) is synthetic
    assert ('w:val="superscript"' in paragraph) is synthetic
