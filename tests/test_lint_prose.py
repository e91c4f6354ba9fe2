"""The prose lint stops a finding typed into a chapter, and only that."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_verify import fixture_build  # noqa: F401  (the built fixture study)

from proefdruk.errors import BuildError, BuildErrors
from proefdruk.lint_prose import (
    collect_uses,
    lint_text,
    load_allowlist,
    main,
    mask_markup,
    report_path_for,
)


def flagged(text: str, allow: tuple[str, ...] = ()) -> list[str]:
    return [f.text for f in lint_text(text, "ch.qmd", allow)]


@pytest.mark.parametrize("sentence, expected", [
    ("Van de gemeenten antwoordde 63,4 % met ja.", ["63,4"]),
    ("Er reageerden 217 gemeenten.", ["217"]),
    ("Een bedrag van 1.200 euro per jaar.", ["1.200"]),
    ("In 2019 was 2019% van iets onmogelijk.", ["2019"]),
    ("De steekproef telde n = 1998 gemeenten.", ["1998"]),
    ("De gemeente eindigde op de 3e plaats.", ["3"]),
    ("| ja | 7 |", ["7"]),
])
def test_typed_findings_are_flagged(sentence: str, expected: list[str]) -> None:
    assert flagged(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "Sinds 1945 sluiten gemeenten stedenbanden; rond 2010 nam dit af.",
    "In de periode 1945–1990 en in de jaren '90 groeide het aantal banden.",
    "Zie hoofdstuk 3 en 4, paragraaf 2.3 en deelvragen 1 tot en met 5.",
    "Het citaat staat op p. 12 en op blz. 14-15 van het rapport.",
    "Op 1 januari 2024 telde Nederland gemeenten in de 20e eeuw-traditie.",
    "De G4, de G40 en COVID-19 kwamen aan de orde, net als CO2 en 5G.",
    "Zie @fig-tijdlijn en @tbl-respons-provincie en @sec-methode.",
    "Dit volgt uit eerder werk.^[Zie @schiavon2019 [p. 12]; ook [@kuznetsov2015, pp. 3-5].]",
    "Eerder onderzoek [O.a. @oranje1991; @gerlings1992, hoofdstuk 2] wees dit uit.",
    "Het percentage is {{< num respons.percentage >}} en `{python} 3 + 4` ook.",
    "Zie <https://vng.nl/2021/rapport-12> en [het rapport](https://x.nl/r2.html){width=80%}.",
    "Kamerstukken II 2019/20, 35 300 V, nr. 12 en Stb. 2023, 45 regelen dit.",
    "![Bijschrift.](../results/figures/fig-2.svg){#fig-2 fig-alt='Figuur'}",
    "<!-- 17 gemeenten, nog na te gaan -->",
    "De vijf deelvragen worden in words geschreven: tweehonderd gemeenten.",
])
def test_documented_exceptions_pass(sentence: str) -> None:
    assert flagged(sentence) == []


def test_markup_regions_are_masked_but_lines_kept() -> None:
    text = ("---\ntitle: Hoofdstuk 4\ndate: 2026-01-01\n---\n\n```{python}\nx = 42\n```\n"
            "\n::: {.callout-note appearance=\"simple\" #note-1}\nTekst 5.\n:::\n")
    masked = mask_markup(text)
    assert masked.count("\n") == text.count("\n")
    findings = lint_text(text, "h4.qmd")
    assert [(f.line, f.text) for f in findings] == [(11, "5")]


def test_heading_section_numbers_and_list_markers_pass() -> None:
    text = "## 2.3 Respons {#sec-respons}\n\n1. eerste punt\n2. tweede punt\n"
    assert flagged(text) == []


def test_a_finding_names_file_line_and_column() -> None:
    text = "# Titel\n\nDe respons was 63 procent.\n"
    (f,) = lint_text(text, "chapters/02-methodologie.qmd")
    assert (f.file, f.line, f.column, f.text) == ("chapters/02-methodologie.qmd", 3, 16, "63")
    assert "63 procent" in f.context


def test_allowlist_admits_a_documented_design_constant(tmp_path: Path) -> None:
    allow = tmp_path / "allow.yaml"
    allow.write_text('allow:\n  - phrase: "342 gemeenten"\n    reason: "populatie 2024"\n',
                     encoding="utf-8")
    phrases = load_allowlist(allow)
    text = "Alle 342 gemeenten kregen de vragenlijst; 217 antwoordden.\n"
    assert [f.text for f in lint_text(text, "x.qmd", phrases)] == ["217"]


def test_allowlist_entry_without_reason_is_refused(tmp_path: Path) -> None:
    allow = tmp_path / "allow.yaml"
    allow.write_text('allow:\n  - phrase: "342 gemeenten"\n', encoding="utf-8")
    with pytest.raises(BuildError) as exc:
        load_allowlist(allow)
    assert "reason" in str(exc.value)


def test_number_uses_follow_includes_and_skip_quarto_shortcodes(tmp_path: Path) -> None:
    (tmp_path / "frag.md").write_text("Deel: {{< num motieven.top >}}\n", encoding="utf-8")
    ch = tmp_path / "ch.qmd"
    ch.write_text("A {{< num respons.n >}}\n{{< var book.title >}}\n"
                  "{{< include frag.md >}}\n", encoding="utf-8")
    uses = collect_uses([ch])
    assert sorted(uses) == ["motieven.top", "respons.n"]
    assert uses["respons.n"][0][1] == 1


def test_cli_fails_on_a_typed_number_and_writes_nothing(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture) -> None:
    ch = tmp_path / "ch.qmd"
    ch.write_text("# T\n\nEr waren 58 procent ja-stemmers.\n", encoding="utf-8")
    out = tmp_path / "lint.json"
    assert main([str(ch), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "ch.qmd:3" in err and "'58'" in err and "what to do" in err
    assert not out.exists()


def test_cli_reports_unused_and_unknown_keys(tmp_path: Path) -> None:
    registry = tmp_path / "numbers.json"
    registry.write_text(json.dumps({"respons.n": {"value": 3, "display": "3"},
                                    "respons.ongebruikt": {"value": 1, "display": "1"}}),
                        encoding="utf-8")
    ch = tmp_path / "ch.qmd"
    ch.write_text("Het zijn er {{< num respons.n >}}.\n", encoding="utf-8")
    out = tmp_path / "lint.json"
    assert main([str(ch), "--registry", str(registry), "--out", str(out)]) == 0
    rep = json.loads(out.read_text(encoding="utf-8"))
    assert rep["unused"] == ["respons.ongebruikt"]
    assert rep["warnings"] == []  # unused numbers are information, not warnings
    assert [(w["key"], w["keys"]) for w in rep["info"]] == [
        ("respons", ["respons.ongebruikt"])]
    ch.write_text("Het zijn er {{< num respons.nn >}}.\n", encoding="utf-8")
    assert main([str(ch), "--registry", str(registry), "--out", str(out)]) == 1


def test_findings_error_lists_every_finding() -> None:
    from proefdruk.lint_prose import findings_error

    err = findings_error(lint_text("A 1 b 22 c 333.\n", "x.qmd"))
    assert isinstance(err, BuildErrors) and len(err.errors) == 3


def test_report_path_per_chapter() -> None:
    assert report_path_for("chapters/01-inleiding.qmd") == \
        "results/reports/prose-lint/chapters/01-inleiding.json"
    assert report_path_for("index.qmd") == "results/reports/prose-lint/index.json"


def test_the_projects_own_chapters_type_no_findings() -> None:
    """The book's chapters as committed: every digit in prose is a documented exception."""
    root = Path(__file__).resolve().parent.parent
    files = sorted(root.glob("chapters/*.qmd")) + sorted(root.glob("index.qmd"))
    if not files:
        pytest.skip("no chapters yet")
    from proefdruk.lint_prose import lint_files

    findings = lint_files(files, root / "config" / "prose-allowlist.yaml")
    assert findings == [], "\n".join(f.render() for f in findings)


def test_the_build_stops_on_a_typed_number_before_rendering(fixture_build: Path,  # noqa: F811
                                                             tmp_path: Path) -> None:
    from test_verify import built_copy

    from conftest import run_snakemake

    project = built_copy(fixture_build, tmp_path / "study")
    chapter = project / "chapters" / "01-toy.qmd"
    chapter.write_text(chapter.read_text(encoding="utf-8")
                       + "\nPrecies 58 procent zei ja.\n", encoding="utf-8")
    result = run_snakemake(project, "all")
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert "chapters/01-toy.qmd:7" in out and "'58'" in out
    assert "Error in rule prose_lint_chapter" in out
    # The page was not re-rendered from the faulty chapter.
    page = project / "_book" / "chapters" / "01-toy.html"
    assert "Precies" not in page.read_text(encoding="utf-8")
