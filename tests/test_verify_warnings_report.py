"""One warnings report folds every check's JSON report into a file and a summary line."""

from __future__ import annotations

import json
from pathlib import Path

from proefdruk.warnings_report import main, read_reports, summary_line


def test_reports_of_every_shape_are_folded(tmp_path: Path, capsys) -> None:
    (tmp_path / "bibliography.json").write_text(json.dumps({
        "check": "bibliography", "summary": "40 entries",
        "warnings": [{"key": "sassen1991", "message": "entry is not cited"},
                     {"file": "bibliography/references.bib", "line": 12,
                      "message": "x-todo: publisher"}],
        "errors": []}), encoding="utf-8")
    (tmp_path / "render.json").write_text(json.dumps({"warnings": ["long caption in 04"]}),
                                          encoding="utf-8")
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    paths = sorted(tmp_path.glob("*.json"))
    reports = read_reports(paths)
    assert [r["check"] for r in reports] == ["bibliography", "broken", "render"]
    assert summary_line(reports).startswith("warnings: 4 (bibliography 2, broken 1, render 1)")
    out = tmp_path / "warnings.md"
    assert main([*map(str, paths), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "- warning: sassen1991: entry is not cited" in text
    assert "bibliography/references.bib:12: x-todo: publisher" in text
    assert "report could not be read" in text
    printed = capsys.readouterr().out
    assert printed.count("\n") == 1 and "warnings: 4" in printed


def test_no_reports_no_warnings(tmp_path: Path) -> None:
    out = tmp_path / "w.md"
    assert main(["--out", str(out)]) == 0
    assert "warnings: 0; errors: 0; 0 check(s)" in out.read_text(encoding="utf-8")


def test_a_findings_list_is_split_by_level(tmp_path: Path) -> None:
    (tmp_path / "bibliography.json").write_text(json.dumps({"findings": [
        {"level": "warning", "key": "duchacek1987", "message": "entry is never cited",
         "file": "bibliography/references.bib", "line": 67},
        {"level": "todo", "key": "boonstra2021", "message": "incomplete: title"},
        {"level": "error", "message": "duplicate key"}]}), encoding="utf-8")
    (report,) = read_reports([tmp_path / "bibliography.json"])
    assert (len(report["warnings"]), len(report["todo"]), len(report["errors"])) == (1, 1, 1)
    assert summary_line([report]) == ("warnings: 1 (bibliography 1); open points for the "
                                      "author: 1; errors: 1; 1 check(s)")
    assert report["warnings"][0] == ("bibliography/references.bib:67: duchacek1987: entry is "
                                     "never cited")


def test_glob_adds_reports_that_no_rule_could_list(tmp_path: Path) -> None:
    for ch in ("01", "02"):
        (tmp_path / f"render-{ch}.json").write_text(json.dumps(
            {"chapter": ch, "warnings": [f"long caption in {ch}"]}), encoding="utf-8")
    out = tmp_path / "w.md"
    assert main(["--glob", str(tmp_path / "*.json"), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "warnings: 2 (render 2)" in text


def test_information_is_listed_but_not_counted(tmp_path: Path) -> None:
    """Registry numbers no chapter uses are a fact, not a problem: in the report once,
    under information, and not in the warning count."""
    (tmp_path / "prose-lint.json").write_text(json.dumps({
        "check": "prose-lint", "warnings": [], "errors": [],
        "info": [{"key": "respons", "file": "results/numbers/respons.json",
                  "message": "2 number(s) not used by any chapter: respons.a, respons.b"}]}),
        encoding="utf-8")
    (tmp_path / "bibliography.json").write_text(json.dumps({"findings": [
        {"level": "info", "message": "49 entries"},
        {"level": "warning", "message": "entry is never cited", "key": "x2000"}]}),
        encoding="utf-8")
    out = tmp_path / "warnings.md"
    assert main([*map(str, sorted(tmp_path.glob("*.json"))), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[2] == "warnings: 1 (bibliography 1); errors: 0; 2 check(s)"
    assert text.count("respons.a") == 1
    assert "- information: results/numbers/respons.json: 2 number(s) not used" in text
    # One language: the report's own words are English, like every message it quotes.
    for dutch in ("Waarschuwingen", "waarschuwing", "open punt", "fout:", "Bron:"):
        assert dutch not in text
