"""The citation style renders the dissertation's forms with pandoc's real citeproc.

Each test renders a small Markdown document against bibliography/dissertatie-nl.csl and
checks the exact strings in the HTML: footnote citations without parentheses, Dutch
particles, year suffixes and Dutch terms.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pypandoc
import pytest

ROOT = Path(__file__).resolve().parents[1]
CSL = ROOT / "bibliography" / "dissertatie-nl.csl"
REFS = ROOT / "bibliography" / "references.bib"
NS = {"csl": "http://purl.org/net/xbiblio/csl"}


def render(markdown: str, bib: Path = REFS) -> str:
    doc = "---\nlang: nl-NL\n---\n\n" + markdown
    return pypandoc.convert_text(doc, "html", format="markdown", extra_args=[
        "--citeproc", f"--bibliography={bib}", f"--csl={CSL}", "--wrap=none"])


def footnotes(html: str) -> list[str]:
    items = re.findall(r'<li id="fn\d+"><p>(.*?)<a href="#fnref', html, flags=re.S)
    return [re.sub(r"<[^>]+>", "", i).strip() for i in items]


def entries(html: str) -> list[str]:
    items = re.findall(r'<div id="ref-[^"]+" class="csl-entry"[^>]*>(.*?)</div>', html, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", i)).strip() for i in items]


def test_style_is_a_note_style() -> None:
    root = ET.parse(CSL).getroot()
    assert root.get("class") == "note" and root.get("version") == "1.0"
    assert root.get("demote-non-dropping-particle") == "display-and-sort"
    assert root.find("csl:citation", NS).get("disambiguate-add-year-suffix") == "true"


def test_footnote_citation_with_page_no_parentheses() -> None:
    html = render("Paradiplomatie is vergelijkend onderzocht.[@schiavon2019, p. 1]\n")
    assert footnotes(html) == ["Schiavon 2019, p. 1."]
    assert "(Schiavon" not in html


def test_prefix_and_multiple_works() -> None:
    html = render("Eerdere scripties.[O.a. @oranje1991; @gerlings1992; @simonsz2008]\n")
    assert footnotes(html) == ["O.a. Oranje 1991; Gerlings 1992; Simonsz 2008."]


def test_dutch_particles_in_citations_and_list() -> None:
    html = render("Stedendiplomatie.[@vanderpluijm2007]\n\nOok.[@vandenberg2021, pp. 3-5]\n\n"
                  "Verder.[@sassen1991; @oranje1991]\n")
    notes = footnotes(html)
    assert notes[0] == "Van der Pluijm &amp; Melissen 2007."
    assert notes[1] == "Van den Berg et al. 2021, pp. 3–5."
    listed = entries(html)
    pluijm = next(e for e in listed if "Melissen" in e)
    assert pluijm.startswith("Pluijm, R. van der, &amp; Melissen, J. (2007). City Diplomacy")
    # Sorted under P: after Oranje, before Sassen (not under V).
    order = [e.split(",")[0].split(" (")[0] for e in listed]
    assert order.index("Oranje") < order.index("Pluijm") < order.index("Sassen")


def test_same_authors_same_year_get_suffixes(tmp_path: Path) -> None:
    bib = tmp_path / "s.bib"
    bib.write_text(
        "@article{k1, author={Koelemaij, Jorn and Derudder, Ben}, title={Eerste},"
        " journaltitle={J}, year={2022}}\n"
        "@article{k2, author={Koelemaij, Jorn and Derudder, Ben}, title={Tweede},"
        " journaltitle={J}, year={2022}}\n", encoding="utf-8")
    html = render("Een.[@k1]\n\nTwee.[@k2]\n", bib)
    assert footnotes(html) == ["Koelemaij &amp; Derudder 2022a.", "Koelemaij &amp; Derudder 2022b."]
    assert "(2022a)" in entries(html)[0] and "(2022b)" in entries(html)[1]


def test_dutch_terms_red_zj_and_edition(tmp_path: Path) -> None:
    bib = tmp_path / "t.bib"
    bib.write_text("@misc{vngzj, author={{VNG}}, title={Handreiking internationaal beleid}}\n",
                   encoding="utf-8")
    html = render("Zonder jaar.[@vngzj]\n", bib)
    assert footnotes(html) == ["VNG z.j."]
    assert "VNG (z.j.). <em>Handreiking internationaal beleid</em>." in html
    html = render("Bundels.[@amiri2020; @keating1999, pp. 1-16; @taylor2016]\n")
    listed = entries(html)
    assert any(e.startswith("Amiri, S., &amp; Sevin, E. (red.) (2020).") for e in listed)
    assert any("In F. Aldecoa &amp; M. Keating (red.), Paradiplomacy in Action" in e
               for e in listed)
    assert any("World City Network: A Global Urban Analysis (2e dr.). Routledge." in e
               for e in listed)


def test_journal_article_layout() -> None:
    html = render("Het begrip.[@duchacek1984]\n")
    [entry] = entries(html)
    assert entry == ("Duchacek, I. D. (1984). The International Dimension of Subnational "
                     "Self-Government. Publius: The Journal of Federalism, 14(4), 5–31.")


@pytest.mark.parametrize("key", ["schiavon2019", "kuznetsov2015", "acuto2013"])
def test_in_text_citation_puts_year_in_note(key: str) -> None:
    html = render(f"Zoals @{key} laat zien.\n")
    assert len(footnotes(html)) == 1 and footnotes(html)[0].endswith(".")
