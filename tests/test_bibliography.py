"""The bibliography checks (proefdruk.bibliography) on the real .bib and on broken ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from proefdruk import bibliography as bib

ROOT = Path(__file__).resolve().parents[1]
REFS = ROOT / "bibliography" / "references.bib"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def codes(report: bib.Report, level: str) -> list[str]:
    return [f.code for f in report.findings if f.level == level]


def test_project_bibliography_has_no_errors() -> None:
    report = bib.check([REFS], [])
    assert report.errors == [], [f.message for f in report.errors]
    keys = {e.key for e in report.entries}
    # The works the study cites (issue 6): a sample across authors, years and kinds.
    for key in ("acuto2013", "schiavon2019", "kuznetsov2015", "vanderpluijm2007",
                "koelemaij2022flanders", "koelemaij2022onbekend", "vng2021a", "oranje1991",
                "boonstra2021"):
        assert key in keys


def test_incomplete_entries_are_listed_not_failed() -> None:
    report = bib.check([REFS], [])
    todo = {f.key for f in report.findings if f.level == "todo"}
    assert "oranje1991" in todo and "vng2006" in todo
    assert "schiavon2019" not in todo
    md = bib.render_markdown(report)
    assert "| `oranje1991` | Oranje 1991 |" in md


def test_syntax_error_names_file_line_and_entry(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.bib",
                 "@book{ok2000,\n  author = {A, B},\n  title = {T},\n  year = {2000},\n}\n\n"
                 "@book{broken2001,\n  author = {C, D},\n  title = {Unclosed,\n\n"
                 "@book{next2002, author = {E, F}, title = {U}, year = {2002}}\n")
    report = bib.check([path], [])
    [err] = [f for f in report.errors if f.code == "syntax"]
    assert err.file == str(path) and err.line == 7 and err.key == "broken2001"
    rendered = err.as_error().render()
    assert f"{path}:7" in rendered and "broken2001" in rendered


def test_duplicate_keys_in_one_and_across_files(tmp_path: Path) -> None:
    one = write(tmp_path, "one.bib",
                "@misc{a2000, author={A, B}, title={T}, year={2000}}\n"
                "@misc{a2000, author={A, B}, title={U}, year={2000}}\n")
    two = write(tmp_path, "two.bib", "@misc{b2001, author={C, D}, title={V}, year={2001}}\n")
    three = write(tmp_path, "three.bib", "@misc{b2001, author={C, D}, title={W}, year={2001}}\n")
    report = bib.check([one, two, three], [])
    dups = [f for f in report.errors if f.code == "duplicate-key"]
    assert {(Path(f.file).name, f.line, f.key) for f in dups} == {
        ("one.bib", 2, "a2000"), ("three.bib", 1, "b2001")}


def test_required_fields_and_x_todo(tmp_path: Path) -> None:
    path = write(tmp_path, "r.bib",
                 "@article{x2000, author={A, B}, title={T}, year={2000}}\n"
                 "@thesis{y2001, author={C}, year={2001}, x-todo={title, type, institution}}\n")
    report = bib.check([path], [])
    missing = [f for f in report.errors if f.code == "missing-field"]
    assert [(f.key, f.field) for f in missing] == [("x2000", "journaltitle")]
    assert [f.key for f in report.findings if f.code == "todo"] == ["y2001"]


@pytest.mark.parametrize(("isbn", "ok"), [
    ("978-90-5031-116-8", True), ("978-90-5031-116-7", False),
    ("0-306-40615-2", True), ("0-306-40615-3", False), ("080442957X", True), ("12345", False),
])
def test_isbn_checksum(isbn: str, ok: bool) -> None:
    assert bib.isbn_ok(isbn) is ok


def test_doi_and_isbn_findings(tmp_path: Path) -> None:
    path = write(tmp_path, "d.bib",
                 "@article{a2000, author={A, B}, title={T}, journaltitle={J}, year={2000},"
                 " doi={https://doi.org/10.1000/xyz}}\n"
                 "@article{b2000, author={A, B}, title={U}, journaltitle={J}, year={2000},"
                 " doi={10.1080/03071847.2018.1562014}}\n"
                 "@book{c2000, author={A, B}, title={V}, year={2000}, isbn={978-90-5031-116-7}}\n")
    report = bib.check([path], [])
    assert sorted((f.code, f.key) for f in report.errors) == [("bad-doi", "a2000"),
                                                              ("bad-isbn", "c2000")]


def test_near_duplicates_match_latex_and_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, "n.bib",
                 "@book{muller2010, author={M{\\\"u}ller, J{\\'e}r{\\^o}me}, "
                 "title={Die St{\\\"a}dte}, year={2010}}\n"
                 "@book{mueller2010, author={Müller, Jérôme}, title={Die Städte}, year={2010}}\n"
                 "@book{other2010, author={Müller, Jérôme}, title={Andere Städte}, year={2010}}\n")
    report = bib.check([path], [])
    near = [f for f in report.findings if f.code == "near-duplicate"]
    assert [f.key for f in near] == ["mueller2010"]
    assert "muller2010" in near[0].message


def test_latex_to_unicode() -> None:
    assert bib.latex_to_unicode("M{\\\"u}ller, Lef{\\`e}vre, \\'Ecole, {\\ss}, Kr{\\o}yer") == \
        "Müller, Lefèvre, École, ß, Krøyer"


def test_scan_citations_ignores_crossrefs_mail_and_code(tmp_path: Path) -> None:
    chapter = write(tmp_path, "h.qmd",
                    "---\ntitle: X\n---\n"
                    "Zie @fig-tijdlijn en @tbl-respons, @sec-inleiding.\n"
                    "Mail info@vng.nl of `@notakey` [O.a. @oranje1991; @gerlings1992, p. 3].\n"
                    "```python\nx = '@incode'\n```\n"
                    "<!-- @commented -->\n"
                    "Volgens @schiavon2019. En {{< num respons.n >}} met [-@acuto2013].\n")
    found = [(c.key, c.line) for c in bib.scan_citations(chapter)]
    assert found == [("oranje1991", 5), ("gerlings1992", 5), ("schiavon2019", 10),
                     ("acuto2013", 10)]


def test_unknown_cited_key_names_file_line_key(tmp_path: Path) -> None:
    refs = write(tmp_path, "r.bib", "@misc{a2000, author={A, B}, title={T}, year={2000}}\n"
                                    "@misc{b2000, author={A, B}, title={U}, year={2000}}\n")
    chapter = write(tmp_path, "c.qmd", "Tekst.\n\nZoals gezegd [@a2000; @a2001, p. 4].\n")
    report = bib.check([refs], [chapter])
    [err] = report.errors
    assert (err.code, err.file, err.line, err.key) == ("unknown-key", str(chapter), 3, "a2001")
    assert "a2000" in (err.hint or "")
    assert [f.key for f in report.findings if f.code == "unused"] == ["b2000"]


def test_cli_writes_reports_or_nothing(tmp_path: Path) -> None:
    refs = write(tmp_path, "r.bib", "@misc{a2000, author={A, B}, title={T}, year={2000}}\n")
    good = write(tmp_path, "good.qmd", "Zie [@a2000].\n")
    bad = write(tmp_path, "bad.qmd", "Zie [@zzz1999].\n")
    out_json, out_md = tmp_path / "out" / "b.json", tmp_path / "out" / "b.md"
    args = ["--bib", str(refs), "--json", str(out_json), "--markdown", str(out_md)]
    assert bib.main([*args, "--chapters", str(bad)]) == 1
    assert not out_json.exists() and not out_md.exists()
    assert bib.main([*args, "--chapters", str(good)]) == 0
    data = json.loads(out_json.read_text())
    assert data["counts"]["errors"] == 0 and data["cited_keys"] == ["a2000"]
    assert out_md.read_text().startswith("# Controle van de literatuurlijst")
