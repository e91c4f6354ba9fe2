"""The provenance appendix in print and on the site (issue 31).

Printed, the appendix used to take a third of the dissertation: raw floats and every
rule's full list of SHA-256 hashes. A reader of the PDF needs per number the value as the
text shows it, what it counts and the step that made it, plus where the full records
are; the site keeps every record (the inputs' hashes folded in ``<details>``) and the
manifest keeps everything for ``verify``. One generated source serves both renderers
through Quarto's conditional content.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from render_helpers import fixture_book, provenance_appendix

from proefdruk.numbers import load_file
from proefdruk.render.core import pandocast as pa
from proefdruk.render.editions import herkomst
from proefdruk.render.workflow.plan import load_plan

SHA = re.compile(r"\b[0-9a-f]{64}\b")
# The printed appendix may take at most this share of the PDF's pages.
MAX_SHARE = 0.10


def appendix(book: Path, site_url: str | None = None) -> str:
    return provenance_appendix(book, site_url)


def forms(markdown: str) -> tuple[list, list]:
    """The blocks only the site shows and the blocks only print shows."""
    proc = pa.run(["-f", "markdown", "-t", "json"], markdown, cwd=Path.cwd())
    assert proc.returncode == 0, proc.stderr
    site: list = []
    printed: list = []
    for div in pa.elements(json.loads(proc.stdout)["blocks"], "Div"):
        classes, attrs = div["c"][0][1], dict(div["c"][0][2])
        if attrs.get("when-format") == "html":
            if "content-visible" in classes:
                site += div["c"][1]
            elif "content-hidden" in classes:
                printed += div["c"][1]
    return site, printed


def raw_text(blocks: list, fmt: str) -> str:
    return "\n".join(b["c"][1] for b in pa.elements(blocks, "RawBlock") if b["c"][0] == fmt)


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fixture_book(tmp_path_factory.mktemp("prov") / "book")


def test_print_shows_display_values_keys_and_steps_but_no_hashes(book: Path) -> None:
    site, printed = forms(appendix(book))
    text = pa.stringify(printed) + json.dumps(printed, ensure_ascii=False)
    assert "63,5\u00a0%" in text  # demo.respons as the text shows it
    assert "0.635" not in text  # not the raw float
    assert "respons" in text and "demo.respons" not in text  # key without its namespace
    record = json.loads((book / "results/provenance/demo.json").read_text(encoding="utf-8"))
    assert record["rule"] in text and record["script"] in text
    assert not SHA.search(text), "full hashes belong to the site and the manifest"
    assert "manifest.json" in text  # where the full records are


def test_the_site_keeps_every_record_with_hashes_folded(book: Path) -> None:
    body = appendix(book)
    site, _ = forms(body)
    html = raw_text(site, "html")
    assert html.count("<details") == html.count("</details>") >= 1
    site_text = json.dumps(site)  # code spans included
    for path in sorted((book / "results" / "numbers").glob("*.json")):
        record = load_file(path)["provenance"]
        for sha in record["inputs"].values():
            assert sha in site_text
        assert record.get("script_sha256") in (None, *re.findall(r"[0-9a-f]{64}", site_text))
    for key in load_plan(book).number_users():
        assert f"#num-{key} " in body or f"{{#num-{key} " in body
    # the details open after the visible rule and script and close after the inputs
    folded = body.split('<details class="provenance-inputs">')[1].split("</details>")[0]
    assert SHA.search(folded)


def test_site_url_names_the_manifest_online_else_the_archive(book: Path) -> None:
    _, printed = forms(appendix(book, site_url="https://example.org/boek/"))
    text = pa.stringify(printed)
    assert "https://example.org/boek/manifest.json" in text
    _, printed = forms(appendix(book))
    text = pa.stringify(printed)
    assert "https://" not in text and "depotarchief" in text


def test_the_pdf_sets_the_appendix_in_the_compact_block(book: Path) -> None:
    body = appendix(book)
    assert body.startswith("```{=typst}\n#provenance-block[\n```")
    assert body.rstrip().endswith("```{=typst}\n]\n```")


# --- the study, built (e2e) ---------------------------------------------------------

def outline_pages(reader) -> list[tuple[str, int]]:
    """The PDF's top-level bookmarks as (title, 0-based page), in order."""
    out = []
    for item in reader.outline:
        if isinstance(item, list):
            continue
        out.append((item.title, reader.get_destination_page_number(item)))
    return out


@pytest.mark.e2e
def test_printed_appendix_is_at_most_a_tenth_of_the_pdf(request) -> None:
    import yaml
    from fixtures.robustness.harness import built_tree
    from pypdf import PdfReader

    project = built_tree(request)
    name = yaml.safe_load((project / "_quarto.yml").read_text(encoding="utf-8"))["book"][
        "output-file"]
    reader = PdfReader(project / "_book" / f"{name}.pdf")
    total = len(reader.pages)
    marks = outline_pages(reader)
    [start] = [i for i, (title, _) in enumerate(marks) if "Herkomst" in title]
    first = marks[start][1]
    last = marks[start + 1][1] if start + 1 < len(marks) else total
    pages = last - first
    assert pages >= 3, "the appendix is there and lists something"
    assert pages / total <= MAX_SHARE, f"appendix {pages} of {total} pages"
    text = "".join(reader.pages[i].extract_text() for i in range(first, last))
    assert not SHA.search(text)
    assert re.search(r"\d+,\d\s%", text)  # display values, Dutch decimal comma


@pytest.mark.e2e
def test_html_appendix_keeps_every_record(request) -> None:
    from fixtures.robustness.harness import built_tree

    project = built_tree(request)
    html = (project / "_book" / "chapters" / "herkomst.html").read_text(encoding="utf-8")
    registry = json.loads((project / "results" / "numbers.json").read_text(encoding="utf-8"))
    md = (project / "results" / "book" / "herkomst.md").read_text(encoding="utf-8")
    listed = re.findall(r"\{#num-(\S+) \.provenance-entry", md)
    assert len(listed) > 50
    for key in listed:
        assert f'id="num-{key}"' in html, key
    for path in sorted((project / "results" / "numbers").glob("*.json")):
        data = load_file(path)
        if not any(k in listed for k in data["numbers"]):
            continue
        for sha in data["provenance"]["inputs"].values():
            assert sha in html, (path.name, sha)
    assert "<details" in html and "<details open" not in html
    assert registry  # the full registry stays beside the appendix


def test_a_printed_claim_keeps_its_outcome_values_and_synthetic_mark() -> None:
    """What a reviewer needs of a claim in print: the outcome, the values it was decided
    on as the text shows them, and whether it rests on synthetic data."""
    from proefdruk.locale.words import locale_for

    entry = {"description": "Meer aanvulling dan doorkruising", "outcome": "true",
             "outcomes": ["false", "true"], "rule": "a > b", "synthetic": True,
             "values": {"ns.a": 0.5325443786982249, "ns.b": 0.22727272727272727}}
    lines = herkomst._claim_entry("ns.claim", entry, [], {}, locale_for("nl"),
                                  {"ns.a": "53,3\u00a0%"})
    _, printed = forms("\n".join(lines))
    text = pa.stringify(printed)
    assert "ns.a = 53,3\u00a0%" in text and "ns.b = 0.2273" in text
    assert "0.5325443786982249" not in text
    assert "berust op synthetische gegevens" in text
    assert "true" in json.dumps(printed)  # the outcome, as a code span
