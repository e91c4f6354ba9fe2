"""The notices and the provenance appendix are generated Quarto sources.

Both renderers read them through ordinary includes (``index.qmd`` and
``chapters/herkomst.qmd``), so what a reader must see is in the sources, not added by
one renderer. Data text must stay literal markdown; a book whose numbers link to a
provenance appendix must have one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from render_helpers import edit, fixture_book

from proefdruk.errors import BuildError, BuildErrors
from proefdruk.render.core import pandocast as pa
from proefdruk.render.editions import herkomst
from proefdruk.render.editions.notices import load_notices, notices_markdown
from proefdruk.render.workflow.plan import load_plan

TRICKY = 'Let op {{< var x >}} @janssen2020 <script>x</script> *a* `b` [c](d) $e$ --'


def read(markdown: str) -> dict:
    proc = pa.run(["-f", "markdown", "-t", "json"], markdown, cwd=Path.cwd())
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_notices_become_callouts_with_literal_text(tmp_path: Path) -> None:
    path = tmp_path / "n.json"
    path.write_text(json.dumps({"id": "x y", "level": "warning", "title": "Synthetisch.",
                                "text": TRICKY}), encoding="utf-8")
    ast = read(notices_markdown(load_notices([str(path)])))
    [div] = ast["blocks"]
    assert div["t"] == "Div"
    ident, classes, attrs = div["c"][0]
    assert (ident, classes) == ("notice-x-y", ["callout-warning", "notice"])
    assert dict(attrs)["title"] == "Synthetisch"
    assert pa.stringify(div["c"][1]) == TRICKY
    assert not list(pa.elements(div["c"][1], "Cite")) and not list(pa.elements(div["c"][1], "Link"))


def test_no_notices_is_an_empty_include() -> None:
    assert read(notices_markdown([]))["blocks"] == []


def test_an_incomplete_or_unknown_notice_names_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "n.json"
    path.write_text(json.dumps({"id": "a", "level": "loud", "title": "t", "text": "x"}),
                    encoding="utf-8")
    with pytest.raises(BuildError) as err:
        load_notices([str(path)])
    assert err.value.file == str(path) and err.value.field == "level"
    path.write_text(json.dumps({"id": "a", "level": "warning", "title": "t"}),
                    encoding="utf-8")
    with pytest.raises(BuildError) as err:
        load_notices([str(path)])
    assert err.value.field == "text"


def test_appendix_entries_are_anchored_and_values_stay_literal(tmp_path: Path) -> None:
    book = fixture_book(tmp_path / "book")
    plan = load_plan(book)
    body, warnings = herkomst.build(
        [str(book / "results/numbers/demo.json")],
        [str(book / "results/provenance/demo.json")],
        generated=plan.generated_files(), users=plan.number_users(),
        titles=plan.display_titles())
    assert warnings == []
    ast = read(body)
    entries = {d["c"][0][0]: d for d in pa.elements(ast["blocks"], "Div") if d["c"][0][0]}
    assert set(entries) == {"num-demo.naam", "num-demo.respons",
                            "src-results-figures-demo-svg", "src-results-tables-demo-md"}
    literal = "<script>alert(1)</script> {{< var universiteit >}} @janssen2020 *x*"
    # the display form once per edition (HTML's full entry, print's line); the raw
    # value is a code span
    for form in entry_forms(entries["num-demo.naam"]).values():
        assert pa.stringify(form).count(literal) == 1
    assert not list(pa.elements(ast["blocks"], "Cite"))
    assert "{{</* var universiteit */>}}" in body  # Quarto's literal shortcode in code
    respons = entry_forms(entries["num-demo.respons"])
    assert "weergave: 63,5\u00a0%" in pa.stringify(respons["html"])
    assert "noemer: 342" in pa.stringify(respons["html"])
    assert "63,5\u00a0%" in pa.stringify(respons["print"])


def entry_forms(entry: dict) -> dict[str, list]:
    """An appendix entry's two forms: ``html`` (the site) and ``print`` (PDF, DOCX)."""
    forms = {}
    for div in entry["c"][1]:
        if div["t"] != "Div":
            continue
        classes, attrs = div["c"][0][1], dict(div["c"][0][2])
        if "content-visible" in classes and attrs.get("when-format") == "html":
            forms["html"] = div["c"][1]
        if "content-hidden" in classes and attrs.get("when-format") == "html":
            forms["print"] = div["c"][1]
    assert set(forms) == {"html", "print"}, entry
    return forms


def test_numbers_without_a_provenance_appendix_stop_the_plan(tmp_path: Path) -> None:
    book = fixture_book(tmp_path / "book")
    edit(book / "_quarto.yml", "    - chapters/herkomst.qmd\n", "")
    with pytest.raises(BuildError) as err:
        load_plan(book)
    assert "no provenance appendix" in str(err.value) and err.value.file == "_quarto.yml"


def test_an_appendix_without_its_include_is_named(tmp_path: Path) -> None:
    book = fixture_book(tmp_path / "book")
    edit(book / "chapters" / "herkomst.qmd", "{{< include ../results/book/herkomst.md >}}",
         "")
    with pytest.raises(BuildError) as err:
        load_plan(book)
    assert err.value.file == "chapters/herkomst.qmd"


def test_figure_without_extension_takes_the_svg_and_a_png_can_be_made(tmp_path: Path) -> None:
    """``![..](../results/figures/demo)`` resolves to the SVG (HTML, PDF); rule
    figure_png's command writes the PNG next to it for Quarto's DOCX."""
    import subprocess
    import sys

    from proefdruk.render.core.chapter import render_chapter

    book = fixture_book(tmp_path / "book")
    edit(book / "chapters" / "02-twee.qmd", "(../results/figures/demo.svg)",
         "(../results/figures/demo)")
    plan = load_plan(book)
    assert "results/figures/demo.svg" in plan.scans["02-twee"].images
    out = render_chapter(book, "02-twee", plan.render_params("02-twee"),
                         cache_dir=tmp_path / "c")
    assert "results/figures/demo.svg" in out.labels["images"]
    png = tmp_path / "demo.png"
    proc = subprocess.run([sys.executable, "-m", "proefdruk", "svg-png", "--svg",
                           str(book / "results/figures/demo.svg"), "--out", str(png)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_shown_figure_without_a_provenance_record_stops_the_build(tmp_path: Path) -> None:
    """Forgetting the provenance output used to keep the build green while the appendix
    said "Geen herkomstrecord gevonden" (or showed a stale record)."""
    book = fixture_book(tmp_path / "book")
    plan = load_plan(book)
    with pytest.raises(BuildErrors) as err:
        herkomst.build([str(book / "results/numbers/demo.json")], [],
                       generated=plan.generated_files(), users=plan.number_users(),
                       titles=plan.display_titles())
    named = {e.file for e in err.value.errors}
    assert {"results/figures/demo.svg", "results/tables/demo.md"} <= named
    assert all("no provenance record" in e.message for e in err.value.errors)
    assert "provenance=" in err.value.errors[0].hint
