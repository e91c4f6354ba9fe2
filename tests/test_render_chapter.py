"""One chapter through the whole core: numbering, Dutch labels, references, shortcodes,
escaping, citations, and errors that name the file and line to fix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from render_helpers import edit, fixture_book

from proefdruk.errors import BuildError
from proefdruk.render.core import pandocast as pa
from proefdruk.render.core.chapter import render_chapter
from proefdruk.render.workflow.plan import load_plan


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return fixture_book(tmp_path / "book")


def render(book: Path, chapter_id: str) -> Any:
    plan = load_plan(book)
    return render_chapter(book, chapter_id, plan.render_params(chapter_id),
                          cache_dir=book / ".cache")


def html(ast: dict[str, Any]) -> str:
    proc = pa.run(["-f", "json", "-t", "html", "--wrap=none"], json.dumps(ast), cwd=".")
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def links(ast: dict[str, Any], cls: str) -> list[tuple[str, str]]:
    return [(n["c"][2][0], pa.stringify(n["c"][1])) for n in pa.elements(ast["blocks"], "Link")
            if cls in n["c"][0][1]]


def test_numbering_and_dutch_labels(book: Path) -> None:
    out = render(book, "01-een")
    labels = out.labels["labels"]
    assert labels["sec-een"]["text"] == "Hoofdstuk\u00a01"
    assert labels["sec-achtergrond"]["text"] == "paragraaf\u00a01.1"
    assert labels["fig-tijdlijn"]["text"] == "Figuur\u00a01.1"
    assert labels["tbl-respons"]["text"] == "Tabel\u00a01.1"
    headers = list(pa.elements(out.ast["blocks"], "Header"))
    assert [pa.get_kv(h["c"][1], "number") for h in headers] == ["1", "1.1", "1.2"]
    captions = [pa.stringify(s["c"][1]) for s in pa.elements(out.ast["blocks"], "Span")
                if "caption-label" in s["c"][0][1]]
    assert captions == ["Figuur\u00a01.1", "Tabel\u00a01.1"]


def test_appendix_letters_and_subfigures(book: Path) -> None:
    out = render(book, "bijlage-a")
    assert out.labels["labels"]["sec-bijlage"]["text"] == "Bijlage\u00a0A"
    assert out.labels["labels"]["sec-bijlage-details"]["number"] == "A.1"
    two = render(book, "02-twee")
    assert two.labels["labels"]["fig-panelen"]["number"] == "2.1"
    assert two.labels["labels"]["fig-panelen-b"]["number"] == "2.1b"
    figure = next(f for f in pa.elements(two.ast["blocks"], "Figure")
                  if f["c"][0][0] == "fig-panelen")
    assert [b["c"][0][0] for b in figure["c"][2] if b["t"] == "Figure"] == [
        "fig-panelen-a", "fig-panelen-b"]


def test_cross_chapter_references_become_links(book: Path) -> None:
    out = render(book, "01-een")
    xrefs = links(out.ast, "xref")
    assert ("#fig-panelen", "Figuur\u00a02.1") in xrefs       # other chapter
    assert ("#sec-twee", "Hoofdstuk\u00a02") in xrefs
    assert ("#fig-panelen-a", "2.1a") in xrefs                  # [-@fig-x]: number only
    assert ("#tbl-respons", "Tabel\u00a01.1") in xrefs         # same chapter
    two = render(book, "02-twee")
    assert ("#sec-achtergrond", "Paragraaf\u00a01.1") in links(two.ast, "xref")  # @Sec-
    assert ("#sec-bijlage", "Bijlage\u00a0A") in links(two.ast, "xref")
    assert not list(pa.elements(out.ast["blocks"], "Cite")) or all(
        not c["c"][0][0]["citationId"].startswith(("fig-", "sec-", "tbl-"))
        for c in pa.elements(out.ast["blocks"], "Cite"))


def test_unresolved_reference_names_file_and_line(book: Path) -> None:
    edit(book / "chapters" / "02-twee.qmd", "Zie @tbl-getypt", "Zie @tbl-bestaatniet")
    with pytest.raises(BuildError, match="tbl-bestaatniet") as err:
        render(book, "02-twee")
    assert (err.value.file, err.value.line) == ("chapters/02-twee.qmd", 19)


def test_number_shortcode_links_to_provenance(book: Path) -> None:
    out = render(book, "01-een")
    nums = links(out.ast, "num")
    assert ("#num-demo.respons", "63,5\u00a0%") in nums


def test_data_strings_stay_literal(book: Path) -> None:
    out = render(book, "01-een")
    page = html(out.ast)
    # A registry value and a _variables.yml value full of markup arrive as plain text.
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{&lt; var universiteit &gt;}}" \
           " @janssen2020 *x*" in page
    assert "@janssen2020 *geen nadruk*" in page
    assert "Letterlijk: {{&lt; var universiteit &gt;}}" in page   # escaped shortcode
    assert "<code>Testuniversiteit</code>" in page                # shortcode in code


def test_commented_shortcodes_stay_literal(book: Path) -> None:
    edit(book / "index.qmd", "Dit boek", "Zo: {{</* var universiteit */>}} en "
         "`{{</* num a.b */>}}` naast `{{< var universiteit >}}`.\n\nDit boek")
    page = html(render(book, "index").ast)
    assert "Zo: {{&lt; var universiteit &gt;}} en <code>{{&lt; num a.b &gt;}}</code>" \
           " naast <code>Testuniversiteit</code>." in page


def test_unknown_number_key_names_chapter_and_line(book: Path) -> None:
    edit(book / "chapters" / "01-een.qmd", "{{< num demo.respons >}}", "{{< num demo.nergens >}}")
    with pytest.raises(BuildError, match="demo.nergens") as err:
        render(book, "01-een")
    assert (err.value.file, err.value.line) == ("chapters/01-een.qmd", 7)
    assert "demo.respons" in str(err.value)   # the keys that do exist are suggested


def test_unknown_shortcode_in_included_file(book: Path) -> None:
    (book / "chapters" / "inc.md").write_text("Eerst.\n\nDan {{< onbekend x >}}.\n")
    edit(book / "chapters" / "02-twee.qmd", "Terug naar", "{{< include inc.md >}}\n\nTerug naar")
    with pytest.raises(BuildError, match="unknown shortcode 'onbekend'") as err:
        render(book, "02-twee")
    assert (err.value.file, err.value.line) == ("chapters/inc.md", 3)


def test_unknown_variable(book: Path) -> None:
    edit(book / "index.qmd", "{{< var universiteit >}}", "{{< var faculteit >}}")
    with pytest.raises(BuildError, match="faculteit") as err:
        render(book, "index")
    assert (err.value.file, err.value.line) == ("index.qmd", 3)


def test_pagebreak_and_meta(book: Path) -> None:
    edit(book / "index.qmd", "Dit boek", "Titel: {{< meta book.title >}}.\n\nDit boek")
    out = render(book, "index")
    assert "Titel: Proefboek." in html(out.ast)
    one = render(book, "01-een")
    assert any("pagebreak" in d["c"][0][1] for d in pa.elements(one.ast["blocks"], "Div"))


def test_images_project_relative_and_missing_image(book: Path) -> None:
    out = render(book, "01-een")
    assert out.labels["images"] == ["results/figures/demo.svg"]
    assert "#src-results-figures-demo-svg" in [t for t, _ in links(out.ast, "provenance-link")]
    assert "#src-results-tables-demo-md" in [t for t, _ in links(out.ast, "provenance-link")]
    edit(book / "chapters" / "02-twee.qmd", "![Rechts](../results/figures/demo.svg)",
         "![Rechts](../results/figures/weg.svg)")
    with pytest.raises(BuildError, match="results/figures/weg.svg") as err:
        render(book, "02-twee")
    assert (err.value.file, err.value.line) == ("chapters/02-twee.qmd", 8)


def test_citations_in_text_and_footnotes(book: Path) -> None:
    out = render(book, "01-een")
    page = html(out.ast)
    assert "Janssen (2020)" in page
    assert "12" in page and "Vries" in page
    notes = list(pa.elements(out.ast["blocks"], "Note"))
    assert notes and "Janssen" in pa.stringify(notes[0]["c"][0]["c"])
    assert not any(d["c"][0][0] == "refs" for d in pa.elements(out.ast["blocks"], "Div"))


def test_references_chapter_lists_the_cited_works(book: Path) -> None:
    """As in Quarto: the works the book cites, not every entry of the .bib (issue 20,
    finding 12: a 5,000-entry export made every edition list 5,000 works)."""
    out = render(book, "references")
    assert out.labels["bibliography_ids"] == ["ref-devries2019", "ref-janssen2020"]


def test_nocite_adds_works_and_at_star_lists_every_entry(book: Path) -> None:
    source = book / "chapters" / "references.qmd"
    text = source.read_text(encoding="utf-8")
    source.write_text('---\nnocite: "@ongebruikt2018"\n---\n' + text, encoding="utf-8")
    assert render(book, "references").labels["bibliography_ids"] == [
        "ref-devries2019", "ref-janssen2020", "ref-ongebruikt2018"]
    source.write_text('---\nnocite: "@*"\n---\n' + text, encoding="utf-8")
    assert "ref-ongebruikt2018" in render(book, "references").labels["bibliography_ids"]


def test_unknown_citation_key_is_an_error(book: Path) -> None:
    edit(book / "chapters" / "02-twee.qmd", "Zie @tbl-getypt",
         "Zie @nietbestaand2021 en @tbl-getypt")
    with pytest.raises(BuildError, match="nietbestaand2021") as err:
        render(book, "02-twee")
    assert (err.value.file, err.value.line) == ("chapters/02-twee.qmd", 19)


def test_scan_and_pandoc_agree_on_every_label(book: Path) -> None:
    plan = load_plan(book)
    for cid in plan.chapter_ids:
        out = render_chapter(book, cid, plan.render_params(cid), cache_dir=book / ".c")
        planned = plan.chapter(cid).labels
        # (the provenance appendix's entries come from its generated include)
        assert {k: (v["kind"], v["number"], v["text"]) for k, v in out.labels["labels"].items()
                if v["kind"] not in ("num", "src")} \
            == {k: (v["kind"], v["number"], v["text"]) for k, v in planned.items()}, cid


def test_same_sources_same_bytes(book: Path, tmp_path: Path) -> None:
    a = render(book, "01-een")
    other = fixture_book(tmp_path / "other")
    b = render(other, "01-een")
    assert json.dumps(a.ast) == json.dumps(b.ast)
    assert a.labels == b.labels


def test_code_cells_run_before_parsing_and_their_reads_are_inputs(book: Path) -> None:
    edit(book / "chapters" / "02-twee.qmd", "Zie @tbl-getypt", (
        "```{python}\n#| echo: false\nfrom pathlib import Path\n"
        "rows = Path(\"results/tables/demo.md\").read_text().splitlines()\n"
        "print(f\"Regels in tabel: {len(rows)}\")\n```\n\n"
        "Uitkomst: `{python} 6 * 7`.\n\nZie @tbl-getypt"))
    plan = load_plan(book)
    inputs = plan.chapter_inputs("02-twee")
    assert "results/tables/demo.md" in inputs
    out = render_chapter(book, "02-twee", plan.render_params("02-twee"),
                         cache_dir=book / ".cache", declared_inputs=inputs)
    page = html(out.ast)
    assert "Regels in tabel: 4" in page and "Uitkomst: 42." in page
    assert out.labels["cell_reads"] == ["results/tables/demo.md"]
    # Only the subfigure layout (layout-ncol, not implemented) is warned, with its line.
    assert [(w["key"], w["line"]) for w in out.report["warnings"]] == [
        ("figure layout-ncol= / layout=", 5)]
    # References after the cell still resolve, and errors keep pointing at true lines.
    assert ("#tbl-getypt", "Tabel\u00a02.1") in links(out.ast, "xref")
    edit(book / "chapters" / "02-twee.qmd", "Zie @tbl-getypt", "Zie @tbl-nergens")
    lines = (book / "chapters" / "02-twee.qmd").read_text().splitlines()
    with pytest.raises(BuildError) as err:
        render_chapter(book, "02-twee", load_plan(book).render_params("02-twee"),
                       cache_dir=book / ".cache")
    assert err.value.line is not None and "@tbl-nergens" in lines[err.value.line - 1]


def test_escaped_data_in_a_generated_table_stays_literal(book: Path) -> None:
    from proefdruk.markdown import escape_markdown

    name = "<script>x</script> {{< var universiteit >}} @janssen2020 *y*"
    table = book / "results" / "tables" / "demo.md"
    table.write_text(table.read_text() + f"| {escape_markdown(name)} | 1 |\n")
    page = html(render(book, "01-een").ast)
    assert "<td style=\"text-align: left;\">&lt;script&gt;x&lt;/script&gt; {{&lt; var " \
           "universiteit &gt;}} @janssen2020 *y*</td>" in page


def test_title_from_front_matter_becomes_the_heading(book: Path) -> None:
    (book / "index.qmd").write_text("---\ntitle: \"Woord vooraf\"\n---\n\nTekst.\n")
    plan = load_plan(book)
    assert plan.chapter("index").title == "Woord vooraf"
    out = render(book, "index")
    first = out.ast["blocks"][0]
    assert first["t"] == "Header" and first["c"][0] == 1
    assert pa.stringify(first["c"][2]) == "Woord vooraf"
    assert "unnumbered" in first["c"][1][1]
    assert out.labels["title"] == "Woord vooraf"


def test_a_failing_cell_after_an_include_points_at_the_written_line(book: Path) -> None:
    (book / "chapters" / "inc.md").write_text("Een.\n\nTwee.\n\nDrie.\n")
    edit(book / "chapters" / "02-twee.qmd", "Terug naar", (
        "{{< include inc.md >}}\n\n"
        "```{python}\n#| echo: false\nx = 1\nraise ValueError('kapot')\n```\n\nTerug naar"))
    lines = (book / "chapters" / "02-twee.qmd").read_text().splitlines()
    with pytest.raises(BuildError) as err:
        render_chapter(book, "02-twee", load_plan(book).render_params("02-twee"),
                       cache_dir=book / ".cache")
    assert err.value.file == "chapters/02-twee.qmd"
    assert "raise ValueError" in lines[err.value.line - 1]
    assert "kapot" in str(err.value) and "Traceback" in str(err.value)


def test_include_outside_the_project_is_an_error(book: Path) -> None:
    edit(book / "chapters" / "02-twee.qmd", "Terug naar",
         "{{< include ../../buiten.md >}}\n\nTerug naar")
    with pytest.raises(BuildError, match="include points outside the project") as err:
        render(book, "02-twee")
    assert err.value.file == "chapters/02-twee.qmd"


def test_an_absolute_include_is_refused_as_absolute(book: Path) -> None:
    """Finding 11: `/etc/passwd` was reported as a missing `etc/passwd`."""
    edit(book / "chapters" / "02-twee.qmd", "Terug naar",
         "{{< include /etc/passwd >}}\n\nTerug naar")
    with pytest.raises(BuildError) as err:
        render(book, "02-twee")
    text = str(err.value)
    assert "an absolute include path is read from the project root" in text
    assert "/etc/passwd (read as etc/passwd" in text
    assert err.value.file == "chapters/02-twee.qmd" and err.value.line


def test_a_chapter_with_a_byte_order_mark_renders_as_without(book: Path) -> None:
    """Finding 11: a UTF-8 BOM hid the front matter and surfaced as a cross-reference
    error in another chapter. Quarto skips the mark; so does the renderer."""
    before = render(book, "02-twee")
    source = book / "chapters" / "02-twee.qmd"
    source.write_bytes(b"\xef\xbb\xbf" + source.read_bytes())
    after = render(book, "02-twee")
    assert after.labels == before.labels
    assert html(after.ast) == html(before.ast)
    assert render(book, "01-een").labels["labels"]
