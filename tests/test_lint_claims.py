"""The prose lint's second rule: a sentence that states a finding is bound to a claim."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from proefdruk.errors import BuildErrors
from proefdruk.lint_claims import lint_text, load_words
from proefdruk.lint_prose import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "claims" / "hoofdstuk-lint.qmd"
WORDS = ROOT / "config" / "claim-words.yaml"
REGISTRY = {"demo.zwaarst": {"kind": "text", "value": "economisch", "display": "economisch"}}


def expected_lines(marker: str) -> list[int]:
    lines = FIXTURE.read_text(encoding="utf-8").splitlines()
    return [i for i, line in enumerate(lines, 1) if f"<!-- {marker} -->" in line]


def test_every_unbound_sentence_of_the_fixture_is_found_and_nothing_else() -> None:
    words = load_words(WORDS)
    found = lint_text(FIXTURE.read_text(encoding="utf-8"), "chapters/05-fixture.qmd", words,
                      REGISTRY)
    assert [u.line for u in found] == expected_lines("ONGEBONDEN")
    first = found[0]
    assert first.word.lower() == "meeste" and "economische motieven" in first.sentence


def test_concluding_words_count_only_in_the_conclusion_files() -> None:
    words = load_words(WORDS)
    text = FIXTURE.read_text(encoding="utf-8")
    in_conclusion = lint_text(text, "chapters/10-conclusie.qmd", words, REGISTRY)
    assert [u.line for u in in_conclusion] == sorted(
        expected_lines("ONGEBONDEN") + expected_lines("CONCLUDEREND"))
    assert lint_text(text, "chapters/03-theoretisch-kader.qmd", words, REGISTRY) == []


def test_a_registry_ranking_needs_the_registry() -> None:
    """Without the registry the lint cannot know that demo.zwaarst is a text value."""
    found = lint_text(FIXTURE.read_text(encoding="utf-8"), "chapters/05-fixture.qmd",
                      load_words(WORDS), None)
    assert len(found) == len(expected_lines("ONGEBONDEN")) + 1


def test_strict_mode_stops_with_file_line_and_what_to_do(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    chapters = tmp_path / "chapters"
    chapters.mkdir()
    (chapters / "05-x.qmd").write_text("# X\n\nDe meeste gemeenten doen mee.\n",
                                       encoding="utf-8")
    (tmp_path / "numbers.json").write_text("{}", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "report.json"
    args = ["chapters/05-x.qmd", "--out", str(out), "--registry", "numbers.json",
            "--claim-words", str(WORDS)]
    assert main(args) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [w["line"] for w in report["warnings"] if w.get("kind") == "unbound-claim"] == [3]
    out.unlink()
    assert main([*args, "--strict-claims"]) == 1
    assert not out.exists()


def test_strict_error_text() -> None:
    from proefdruk.lint_claims import Unbound, as_errors

    err = as_errors([Unbound("chapters/05-x.qmd", 3, "meeste", "De meeste gemeenten.")])
    assert isinstance(err, BuildErrors)
    text = str(err)
    assert "chapters/05-x.qmd:3" in text and "'meeste'" in text
    assert re.search(r"claim", text)


def test_the_real_chapters_have_no_unbound_claims() -> None:
    """Strict mode on the book itself: every finding in words is bound (the registry's
    text values are approximated by the ranking keys the chapters use)."""
    words = load_words(WORDS)
    registry = {}
    for qmd in sorted((ROOT / "chapters").glob("*.qmd")):
        for m in re.finditer(r"\{\{<\s*num\s+(\S+)\s*>\}\}", qmd.read_text(encoding="utf-8")):
            if re.search(r"\.(meest_\w+|piekdecennium)$", m.group(1)):
                registry[m.group(1)] = {"kind": "text"}
    found = []
    for qmd in sorted((ROOT / "chapters").glob("*.qmd")):
        rel = qmd.relative_to(ROOT).as_posix()
        found += lint_text(qmd.read_text(encoding="utf-8"), rel, words, registry)
    assert found == [], "\n".join(f"{u.file}:{u.line}: {u.message()}" for u in found)
