"""The locale tables and formats (proefdruk/locale): complete, overridable, with fallback.

Real files only: the shipped tables, _quarto.yml files and language files written to a
temporary project, read by the same functions the renderer uses.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest
import yaml

from proefdruk.errors import BuildError
from proefdruk.locale import formats
from proefdruk.locale.words import (
    LINT_LISTS,
    TABLES,
    lint_words,
    load_locale,
    locale_for,
    table,
)
from proefdruk.render.core import yamlfile
from proefdruk.render.core.quarto_checks import check_project

NBSP = "\u00a0"


def test_tables_have_the_same_keys_and_no_empty_word() -> None:
    keys = {lang: set(table(lang)) for lang in TABLES}
    assert keys["nl"] == keys["en"], keys["nl"] ^ keys["en"]
    for lang in TABLES:
        empty = [k for k, v in table(lang).items() if not v.strip()]
        assert not empty, f"{lang}: empty words {empty}"


def test_quarto_keys_agree_with_quarto_where_quarto_has_them() -> None:
    """Keys without the proefdruk- prefix are Quarto's own, so language: overrides in
    _quarto.yml mean the same to both renderers."""
    quarto_keys = {"toc-title-document", "crossref-fig-title", "crossref-ch-prefix",
                   "section-title-references", "callout-note-title", "search-label"}
    assert quarto_keys <= set(table("en"))
    assert table("en")["crossref-fig-title"] == "Figure"
    assert table("nl")["crossref-fig-title"] == "Figuur"


def test_numbers_per_language() -> None:
    assert formats.format_number(1234.5, 1, lang="nl") == "1.234,5"
    assert formats.format_number(1234.5, 1, lang="en") == "1,234.5"
    assert formats.format_percent(0.634, lang="nl") == f"63,4{NBSP}%"
    assert formats.format_percent(0.125, lang="en-GB") == "12.5%"
    assert formats.format_number(-2.5, 0, lang="en") == "\u22123"  # half away from zero
    assert formats.format_p(0.0004, lang="en") == f"p{NBSP}<{NBSP}0.001"
    assert formats.parse_number("1,234.5", lang="en") == 1234.5
    assert formats.parse_number(f"63,4{NBSP}%", lang="nl") == 63.4


def test_dates_per_language() -> None:
    assert formats.format_date(dt.date(2026, 12, 8), lang="nl") == "8 december 2026"
    assert formats.format_date("2026-01-01", lang="en") == "1 January 2026"
    assert formats.format_date("2026", lang="en") == "2026"
    with pytest.raises(ValueError, match="ISO"):
        formats.format_date("8-12-2026", lang="nl")


def test_dutch_module_keeps_its_names() -> None:
    from proefdruk import dutch

    assert dutch.format_number(1234.5, 1) == "1.234,5"
    assert dutch.format_percent(0.634) == f"63,4{NBSP}%"


def test_number_set_formats_in_its_language(tmp_path: Path) -> None:
    from proefdruk.numbers import NumberSet, load_file

    nl, en = NumberSet("demo"), NumberSet("demo", lang="en")
    for ns in (nl, en):
        ns.percent("resp", 217, 342, "Respons")
        ns.count("n", 12345, "Aantal")
    assert nl.numbers["demo.resp"]["display"] == f"63,5{NBSP}%"
    assert en.numbers["demo.resp"]["display"] == "63.5%"
    assert en.numbers["demo.n"]["display"] == "12,345"
    en.write(tmp_path / "demo.json", {"rule": "r"})
    assert load_file(tmp_path / "demo.json")["lang"] == "en"


def _project(tmp: Path, body: str) -> Path:
    (tmp / "_quarto.yml").write_text(body, encoding="utf-8")
    return tmp


def test_language_mapping_and_per_language_variation(tmp_path: Path) -> None:
    root = _project(tmp_path, "lang: en-US\nlanguage:\n  crossref-fig-title: Fig.\n"
                    "  en:\n    crossref-tbl-title: Tab.\n  en-US:\n    crossref-tbl-title: Tbl.\n"
                    "  nl:\n    crossref-tbl-title: Tabel\n")
    loc = load_locale(root)
    assert loc.word("crossref-fig-title") == "Fig."
    assert loc.word("crossref-tbl-title") == "Tbl."  # most specific variation wins
    assert loc.word("crossref-ch-prefix") == "Chapter"
    assert loc.format_number(1234.5, 1) == "1,234.5"


def test_language_file_and_its_variations(tmp_path: Path) -> None:
    (tmp_path / "_language.yml").write_text("proefdruk-nav-next: Onwards\n", encoding="utf-8")
    (tmp_path / "_language-en.yml").write_text("proefdruk-nav-previous: Back\n",
                                                encoding="utf-8")
    root = _project(tmp_path, "lang: en\nlanguage: _language.yml\n")
    loc = load_locale(root)
    assert loc.word("proefdruk-nav-next") == "Onwards"
    assert loc.word("proefdruk-nav-previous") == "Back"
    assert loc.files == ("_language.yml", "_language-en.yml")


def test_missing_language_file_says_which(tmp_path: Path) -> None:
    root = _project(tmp_path, "lang: en\nlanguage: missing.yml\n")
    with pytest.raises(BuildError) as err:
        load_locale(root)
    text = str(err.value)
    assert "missing.yml" in text and "language" in text


def test_unknown_language_falls_back_to_english_with_one_warning(tmp_path: Path) -> None:
    loc = locale_for("de-DE")
    assert loc.fallback and loc.word("crossref-fig-title") == "Figure"
    assert len(loc.warnings()) == 1
    assert not locale_for("nl").warnings() and not locale_for("en-GB").warnings()
    root = _project(tmp_path, "project:\n  type: book\nbook:\n  title: T\n  chapters: []\n"
                    "lang: de\n")
    data = yamlfile.load_file(root / "_quarto.yml", display="_quarto.yml")
    warnings = [w for w in check_project(data) if w["key"] == "lang"]
    assert len(warnings) == 1 and warnings[0]["line"] == 6
    assert "English" in warnings[0]["message"]


def test_language_keys_are_checked_against_the_tables(tmp_path: Path) -> None:
    root = _project(tmp_path, "lang: en\nlanguage:\n  crossref-fig-titel: Fig\n"
                    "  crossref-fig-title: Fig\n  en:\n    search-label: Find\n")
    data = yamlfile.load_file(root / "_quarto.yml", display="_quarto.yml")
    keys = [w["key"] for w in check_project(data)]
    assert keys == ["language.crossref-fig-titel"]


def test_tables_are_code_inputs_of_the_renderer_but_not_of_number_formatting() -> None:
    """A changed word re-renders what shows it; an analysis step formatting numbers does
    not depend on the tables (proefdruk.codedeps derives both)."""
    from proefdruk.codedeps import code_files

    root = Path(__file__).resolve().parent.parent
    renderer = code_files("proefdruk.render.editions.html", root=root)
    assert "proefdruk/locale/nl.yml" in renderer and "proefdruk/locale/en.yml" in renderer
    numbers = code_files("proefdruk.numbers", root=root)
    assert "proefdruk/locale/formats.py" in numbers
    assert not [f for f in numbers if f.endswith(".yml") or f.endswith("words.py")]


def test_tables_are_valid_yaml_with_words_and_lint_lists() -> None:
    for path in TABLES.values():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert set(data) == {"words", "lint"}
        assert all(isinstance(v, str) for v in data["words"].values())
        assert set(data["lint"]) == set(LINT_LISTS)
    assert "hoofdstuk" in lint_words("label-words") and "chapter" in lint_words("label-words")


def test_prose_lint_reads_its_vocabulary_from_the_tables(tmp_path: Path) -> None:
    """Label words of both tables exempt the number after them; other digits are found."""
    from proefdruk.lint_prose import lint_text

    text = ("Zie hoofdstuk 3 en tabel 4 tot en met 6, p. 12; see chapter 2 and table 5 "
            "on 3 March. In de jaren '90 en de 20e eeuw. Maar 17 gemeenten deden mee.\n")
    found = [f.text for f in lint_text(text, "x.qmd")]
    assert found == ["17"]


def test_archive_readme_in_the_books_language(tmp_path: Path) -> None:
    from proefdruk.archive import book_lang, readme_text
    from proefdruk.locale.documents import archive_title

    en = readme_text("A Book", "deposit", "manifest.json", [], "en")
    assert en.startswith("# A Book: deposit for a data repository")
    assert "- (none)" in en and "depot" not in en.lower()
    nl = readme_text("Een boek", "depot", "manifest.json", ["x.csv"], "nl")
    assert "Opnieuw bouwen" in nl and "results/deposit/x.csv" in nl or "x.csv" in nl
    assert archive_title("en-GB") == "Dissertation" and archive_title("nl") == "Proefschrift"
    _project(tmp_path, "lang: en-US\n")
    assert book_lang(tmp_path) == "en-US"


def test_bibliography_report_in_english(tmp_path: Path) -> None:
    from proefdruk.bibliography import check, render_markdown

    bib = tmp_path / "refs.bib"
    bib.write_text("@book{doe2020,\n  author = {Doe, Jane},\n  title = {A Book},\n"
                   "  publisher = {Press},\n  address = {Leiden},\n  year = {2020}\n}\n",
                   encoding="utf-8")
    chapter = tmp_path / "ch.qmd"
    chapter.write_text("# Ch\n\nAs @doe2020 says.\n", encoding="utf-8")
    report = check([str(bib)], [str(chapter)])
    en, nl = render_markdown(report, "en"), render_markdown(report)
    assert en.startswith("# Check of the bibliography") and "None." in en
    assert nl.startswith("# Controle van de literatuurlijst") and "Geen." in nl
    nl_only = tokens_of(" ".join(table("nl").values())) - tokens_of(" ".join(table("en").values()))
    assert not tokens_of(en) & nl_only


def tokens_of(text: str) -> set[str]:
    return {t for t in re.findall(r"[^\W\d_]+", text.lower()) if len(t) > 1}


def _manifest(path: Path, display: str, sha: str) -> None:
    import json

    from proefdruk.manifest import SCHEMA

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({
        "schema": SCHEMA, "claims": {},
        "numbers": {"demo.n": {"display": display, "value": 1}},
        "files": {"results/figures/a.svg": {"group": "figure", "sha256": sha, "bytes": 1},
                  "_book/chapters/a.html": {"group": "edition", "sha256": sha, "bytes": 1}},
    }), encoding="utf-8")


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_changes_report_in_the_books_language(tmp_path: Path, lang: str) -> None:
    """The changes report speaks the book's lang: (read from its _quarto.yml)."""
    from proefdruk.changes import write_report

    _project(tmp_path, f"lang: {lang}\n")
    _manifest(tmp_path / "old" / "manifest.json", "1", "a" * 64)
    _manifest(tmp_path / "_book" / "manifest.json", "2", "b" * 64)
    write_report(tmp_path / "old" / "manifest.json", tmp_path / "out", tmp_path)
    md = (tmp_path / "out" / "wijzigingen.md").read_text(encoding="utf-8")
    page = (tmp_path / "out" / "wijzigingen.html").read_text(encoding="utf-8")
    words = table(lang)
    for key in ("proefdruk-changes-title", "proefdruk-changes-numbers",
                "proefdruk-changes-figures", "proefdruk-changes-status-changed",
                "proefdruk-changes-page-missing"):
        assert words[key] in md and html.escape(words[key]) in page, key
    other = "nl" if lang == "en" else "en"
    foreign = tokens_of(" ".join(table(other).values())) - tokens_of(" ".join(words.values()))
    prose = re.sub(r"`[^`]*`|\S+/\S+", " ", md)  # paths and keys are not words
    assert not tokens_of(prose) & foreign, sorted(tokens_of(prose) & foreign)
    assert f'<html lang="{lang}">' in page


def test_the_extensions_dutch_fallback_words_match_the_dutch_table() -> None:
    """words.lua keeps Dutch words for real Quarto (which has no proefdruk tables); they
    must be the table's, or the two renderers would print different words."""
    lua = (Path(__file__).resolve().parent.parent / "_extensions" / "proefdruk"
           / "words.lua").read_text(encoding="utf-8")
    pairs = dict(re.findall(r'\["([a-z-]+)"\] = "([^"]*)"', lua))
    assert pairs and all(table("nl")[k] == v for k, v in pairs.items()), pairs


def test_consistency_check_reads_an_english_registry(tmp_path: Path) -> None:
    """Display forms are re-read in their own language (the file's lang), so an English
    registry passes the same checks a Dutch one does, and a wrong print still fails."""
    from proefdruk.consistency import check_entry
    from proefdruk.numbers import NumberSet, merge

    ns = NumberSet("demo", lang="en")
    ns.percent("resp", 217, 342, "Response")
    ns.share("weighted", 0.4567, "Weighted share")
    ns.count("n", 12345, "Towns")
    ns.value("mean", 1234.567, "Mean", decimals=2)
    from scipy import stats

    ns.statistic("chi", 12.41, float(stats.chi2.sf(12.41, 3)), "Chi-squared", test="chi2",
                 df=3)
    ns.write(tmp_path / "demo.json", {"rule": "r", "script": "s", "inputs": {},
                                      "software": {}})
    merged = merge([tmp_path / "demo.json"])
    assert merged["demo.resp"]["display"] == "63.5%" and merged["demo.resp"]["lang"] == "en"
    outcomes = {k: check_entry(k, e).status for k, e in merged.items()}
    assert outcomes == {"demo.chi": "ok", "demo.mean": "ok", "demo.n": "ok",
                        "demo.resp": "ok", "demo.weighted": "ok"}, outcomes
    wrong = {**merged["demo.resp"], "display": "63,5\u00a0%"}  # Dutch print, English file
    assert check_entry("demo.resp", wrong).status == "fail"


def test_unknown_word_key_says_where_to_add_it() -> None:
    with pytest.raises(BuildError) as err:
        locale_for("en").word("proefdruk-no-such-word")
    assert "proefdruk/locale/" in str(err.value)


def test_crossref_options_win_over_language_as_in_quarto() -> None:
    from proefdruk.render.core.terms import terms_for

    terms = terms_for("en", {"sec-prefix": "§"}, {"crossref-sec-prefix": "Sect.",
                                                  "crossref-fig-title": "Fig."})
    assert terms["sec"] == "§" and terms["fig"] == "Fig." and terms["ch"] == "Chapter"
    assert terms_for("nl-NL")["and"] == "en" and terms_for("en")["and"] == "and"
