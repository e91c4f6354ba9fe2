"""The published site as a library, a search engine and a reader use it, in Chromium:
downloads that work, scholarly metadata on every page, "Citeer dit boek", and a
`snakemake publish` folder that works offline from a plain static server."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from fixtures.editions import browser as browser_mod

from conftest import run_snakemake
from proefdruk import bookmeta, citation_files
from proefdruk.render.core.pandocast import elements

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.browser,
    pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian chromium"),
]

HEAD_JS = """(() => {
  const m = {};
  for (const e of document.querySelectorAll('meta[name], meta[property]')) {
    const k = e.getAttribute('name') || e.getAttribute('property');
    (m[k] = m[k] || []).push(e.content);
  }
  return m;
})()"""

FETCH_JS = """(async () => {
  const out = {};
  for (const a of document.querySelectorAll('a[download]')) {
    const r = await fetch(a.href);
    const b = new Uint8Array(await r.arrayBuffer());
    out[a.getAttribute('href')] = [r.status, String.fromCharCode(...b.slice(0, 12))];
  }
  return out;
})()"""


def _pages(root: Path) -> list[str]:
    book = json.loads((root / "results/render/book.json").read_text(encoding="utf-8"))
    return [c["href"] for c in book["chapters"]]


def test_every_page_has_downloads_and_scholarly_metadata(clean_build: Path) -> None:
    quarto = yaml.safe_load((clean_build / "_quarto.yml").read_text(encoding="utf-8"))
    meta = bookmeta.from_config(quarto)
    output = quarto["book"]["output-file"]
    with browser_mod.serve(clean_build / "_book") as base, browser_mod.Browser() as browser:
        for href in _pages(clean_build):
            browser.goto(base + href)
            tags = browser.evaluate(HEAD_JS)
            assert tags["citation_language"] == ["nl"], href
            assert tags["citation_author"] == [a.name for a in meta.authors], href
            assert tags["citation_publication_date"] == [meta.date], href
            assert tags["DC.title"] == [meta.full_title] and tags["DC.language"] == ["nl"]
            assert tags["og:site_name"] == [meta.title] and tags["og:type"] == ["book"]
            assert tags["citation_pdf_url"][0].endswith(f"{output}.pdf"), href
            downloads = browser.evaluate(FETCH_JS)
            pdf = next(v for k, v in downloads.items() if k.endswith(f"{output}.pdf"))
            docx = next(v for k, v in downloads.items() if k.endswith(f"{output}.docx"))
            assert pdf[0] == 200 and pdf[1].startswith("%PDF"), (href, pdf)
            assert docx[0] == 200 and docx[1].startswith("PK"), (href, docx)
        # A chapter names the works it cites (citation_reference), and only those.
        chapter = next(h for h in _pages(clean_build) if h.endswith("05-motieven.html"))
        browser.goto(base + chapter)
        refs = browser.evaluate(HEAD_JS).get("citation_reference", [])
        ast = json.loads((clean_build / "results/render/chapters/05-motieven.json")
                         .read_text(encoding="utf-8"))
        cited = {c["citationId"] for cite in elements(ast["blocks"], "Cite")
                 for c in cite["c"][0]}
        assert refs and len(refs) == len(cited), (len(refs), sorted(cited))
        assert any("citation_author=van der Pluijm, Rogier" in r for r in refs)
        # "Citeer dit boek" on the home page: the house style, BibTeX and RIS.
        browser.goto(base + "index.html")
        entry = browser.evaluate("document.querySelector('.cite-book .cite-entry').textContent")
        house = citation_files.house_style(meta, clean_build / quarto["csl"], cwd=clean_build)
        assert entry == house["entry"]
        files = browser.evaluate(FETCH_JS)
        assert files["citeer.bib"][0] == 200 and files["citeer.bib"][1].startswith("@phdthesis")
        assert files["citeer.ris"][0] == 200 and files["citeer.ris"][1].startswith("TY  - THES")
        assert browser.errors == [], browser.errors[:5]


def test_a_published_edition_works_offline_from_a_static_server(
        clean_build: Path, tmp_path: Path) -> None:
    work = tmp_path / "project"
    shutil.copytree(clean_build, work, symlinks=True)
    result = run_snakemake(work, "publish")
    assert result.returncode == 0, result.stderr[-3000:]
    version = yaml.safe_load((work / "_quarto.yml").read_text(encoding="utf-8"))
    version = str(version["thesis"]["edition"]["version"])
    folder = work / "published" / version
    kept = work / "published/manifests" / f"{version}.json"
    assert kept.read_bytes() == (work / "_book/manifest.json").read_bytes()
    for extra in ("CITATION.cff", "datacite.json", "internationaal-beleid-gemeenten.zip"):
        assert (folder / extra).is_file(), extra
    # Offline: the browser may reach nothing but the static server on loopback.
    with browser_mod.serve(folder) as base, browser_mod.Browser() as browser:
        elsewhere: list[str] = []
        for href in _pages(work)[:6]:
            browser.goto(base + href)
            # every script, style sheet, font and image comes from the folder itself
            elsewhere += browser.evaluate(
                "performance.getEntriesByType('resource').map(e => e.name)"
                ".filter(u => !u.startsWith(location.origin))")
            statuses = browser.evaluate(
                "Promise.all(Array.from(document.querySelectorAll('a[href]'))"
                ".map(a => a.href.split('#')[0]).filter(u => u.startsWith(location.origin))"
                ".filter((u, i, all) => all.indexOf(u) === i)"
                ".map(u => fetch(u, {method: 'HEAD'}).then(r => [u, r.status])))")
            bad = [s for s in statuses if s[1] != 200]
            assert bad == [], (href, bad[:5])
        assert elsewhere == [], elsewhere[:5]
        browser.viewport(1280, 900)
        browser.goto(base + "index.html")
        browser.type_text("#zoekveld", "stedenband")
        hits = browser.wait_for("document.querySelectorAll('#zoekresultaten a').length")
        assert hits > 0
        assert browser.evaluate(FETCH_JS)
        assert browser.errors == [], browser.errors[:5]
