"""Hostile and broken inputs against the real workflow: clear errors, nothing lost.

Each case copies the session's one clean build, breaks one input the way another tool or
a tired author would, runs Snakemake, and checks three things: the run stops (non-zero
exit); the message names the file, the row or line, the field, what was expected, what
was found and what to do; every file already built is still there, byte for byte (see
tests/fixtures/robustness/harness.py for the one exception Snakemake makes). Dialects a
survey tool or Dutch Excel writes (Windows-1252, UTF-8 with BOM, semicolons with decimal
commas) are not errors: they must give the same analysis file as the original export.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from fixtures.robustness.harness import (
    assert_clear_message,
    assert_nothing_lost,
    built_tree,
    copy_built,
    partial_files,
    snapshot,
)

from conftest import run_snakemake

pytestmark = pytest.mark.e2e

EXPORT = "data/raw/survey/export.csv"
BIB = "bibliography/references.bib"
SURVEY_DATA = "results/data/survey.csv"
# The bibliography check's report: a changed .bib also re-renders every chapter, and which
# job fails first then depends on scheduling; the check names every problem at once.
BIB_REPORT = "results/reports/bibliography.json"


@pytest.fixture(scope="session")
def built(request: pytest.FixtureRequest) -> Path:
    """The clean build, checked to be up to date (a copy must not rebuild anything)."""
    clean_build = built_tree(request)
    result = run_snakemake(clean_build, "-n", "all")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Nothing to be done" in result.stdout + result.stderr, (
        "the clean build is not up to date:\n" + result.stdout[-3000:])
    return clean_build


@pytest.fixture
def work(built: Path, tmp_path: Path) -> Path:
    return copy_built(built, tmp_path / "project")


def _log(result: subprocess.CompletedProcess) -> str:
    return result.stdout + "\n" + result.stderr


def _fails_cleanly(work: Path, *needles: str, target: str = "all", **message) -> str:
    """Run ``target`` after the case broke an input; check the failure and the files."""
    before = snapshot(work)
    result = run_snakemake(work, target)
    log = _log(result)
    assert result.returncode != 0, "the build did not stop:\n" + log[-3000:]
    assert_clear_message(log, *needles, **message)
    assert_nothing_lost(work, before, log)
    return log


# --- survey export ----------------------------------------------------------------------

def _read_export(work: Path) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO((work / EXPORT).read_text(encoding="utf-8"))))
    return rows[0], rows[1:]


def _write_export(work: Path, header: list[str], rows: list[list[str]],
                  encoding: str = "utf-8", delimiter: str = ",",
                  newline: str = "\n") -> None:
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=delimiter, lineterminator=newline).writerows([header, *rows])
    (work / EXPORT).write_bytes(buf.getvalue().encode(encoding))


def _decimal_commas(header: list[str], rows: list[list[str]]) -> list[list[str]]:
    """What Dutch Excel does to numbers with a fraction: 2.1 becomes 2,1."""
    out = []
    for row in rows:
        out.append([v.replace(".", ",") if v.replace(".", "", 1).isdigit() and "." in v
                    else v for v in row])
    return out


@pytest.mark.parametrize("dialect", ["windows-1252", "utf-8-bom", "dutch-excel"])
def test_export_dialects_read_the_same(work: Path, built: Path, dialect: str) -> None:
    """The three ways a Dutch office saves the export give the same analysis file."""
    header, rows = _read_export(work)
    if dialect == "windows-1252":
        _write_export(work, header, rows, encoding="cp1252")
    elif dialect == "utf-8-bom":
        _write_export(work, header, rows, encoding="utf-8-sig")
    else:  # Excel, Dutch locale: semicolons, ANSI, CRLF, decimal commas
        _write_export(work, header, _decimal_commas(header, rows), encoding="cp1252",
                      delimiter=";", newline="\r\n")
    result = run_snakemake(work, SURVEY_DATA)
    assert result.returncode == 0, _log(result)[-4000:]
    assert (work / SURVEY_DATA).read_bytes() == (built / SURVEY_DATA).read_bytes()
    summary = json.loads((work / "results/data/survey-summary.json").read_text())
    original = json.loads((built / "results/data/survey-summary.json").read_text())
    expected_dialect = {"windows-1252": ("cp1252", ","), "utf-8-bom": ("utf-8-sig", ","),
                        "dutch-excel": ("cp1252", ";")}[dialect]
    assert (summary.pop("codering"), summary.pop("scheidingsteken")) == expected_dialect
    original.pop("codering"), original.pop("scheidingsteken")
    assert summary == original
    assert not partial_files(work)


def test_export_with_bad_values_lists_every_problem(work: Path, built: Path) -> None:
    """Unknown municipality, an answer outside the codebook, a respondent id used twice:
    all three reported in one pass, each with its row, column, expected and found. Once
    the export is corrected, `snakemake all` is back to the clean build, byte for byte."""
    original = (work / EXPORT).read_bytes()
    header, rows = _read_export(work)
    col = {name: i for i, name in enumerate(header)}
    rows[2][col["gemeentecode"]] = "GM9999"
    single = next(c for c in ("org_portefeuille", "org_nota", "org_budget") if c in col)
    answered = next(i for i, r in enumerate(rows) if r[col[single]] and i > 3)
    rows[answered][col[single]] = "77"
    rows[7][col["response_id"]] = rows[1][col["response_id"]]
    _write_export(work, header, rows)
    _fails_cleanly(
        work, EXPORT,
        "row 3", "field 'gemeentecode'", "'GM9999'", "municipality not in the register",
        f"row {answered + 1}", f"field '{single}'", "'77'",
        "row 8", "field 'response_id'", "also row 2",
    )
    (work / EXPORT).write_bytes(original)
    result = run_snakemake(work, "all")
    assert result.returncode == 0, _log(result)[-3000:]
    assert snapshot(work) == snapshot(built)


def test_export_with_missing_and_extra_column(work: Path) -> None:
    header, rows = _read_export(work)
    drop = header.index("org_budget")
    header = [h for i, h in enumerate(header) if i != drop] + ["opmerking_extra"]
    rows = [[v for i, v in enumerate(r) if i != drop] + ["x"] for r in rows]
    _write_export(work, header, rows)
    _fails_cleanly(work, EXPORT, "row 0", "field 'org_budget'", "column missing",
                   "field 'opmerking_extra'", "not described in the codebook")


@pytest.mark.parametrize(("content", "needles"), [
    (b"", ("export is empty", "line 1")),
    (None, ("row 1", "no submissions")),
], ids=["empty-file", "header-only"])
def test_export_without_submissions(work: Path, content: bytes | None,
                                    needles: tuple[str, ...]) -> None:
    if content is None:
        header, _ = _read_export(work)
        _write_export(work, header, [])
    else:
        (work / EXPORT).write_bytes(content)
    needles = tuple(n.replace("line 1", f"{EXPORT}:1") for n in needles)
    _fails_cleanly(work, EXPORT, *needles)


def _peak_rss_of_tree(proc: subprocess.Popen, samples: list[int]) -> None:
    """Sample the resident memory of Snakemake and all its jobs until it exits."""
    root = psutil.Process(proc.pid)
    while proc.poll() is None:
        total = 0
        try:
            for p in [root, *root.children(recursive=True)]:
                try:
                    total += p.memory_info().rss
                except psutil.NoSuchProcess:
                    continue
        except psutil.NoSuchProcess:
            break
        samples.append(total)
        time.sleep(0.2)


def test_hundredfold_export_stays_within_memory(work: Path, record_property) -> None:
    """100 waves of the same 342 municipalities: validated and analysed within memory."""
    original_rows = sum(1 for _ in (work / EXPORT).open(encoding="utf-8")) - 1
    subprocess.run([sys.executable, "data/generate_survey.py", "--golven", "100"],
                   cwd=work, check=True, capture_output=True)
    n_rows = sum(1 for _ in (work / EXPORT).open(encoding="utf-8")) - 1
    assert n_rows >= 90 * original_rows  # each wave draws its own nonresponse
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNAKEMAKE")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "snakemake", "survey_all"], cwd=work,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    samples: list[int] = []
    _peak_rss_of_tree(proc, samples)
    out = proc.communicate()[0]
    seconds = time.monotonic() - start
    assert proc.returncode == 0, out[-4000:]
    bench = work / "benchmarks/survey_prepare/run.tsv"
    header, values = bench.read_text().splitlines()[:2]
    job_rss = float(dict(zip(header.split("\t"), values.split("\t"), strict=True))["max_rss"])
    tree_mb = max(samples) / 2**20
    record_property("rows", n_rows)
    record_property("survey_prepare_max_rss_mb", job_rss)
    record_property("tree_peak_rss_mb", round(tree_mb, 1))
    record_property("seconds", round(seconds, 1))
    print(f"100x export: {n_rows} rows, survey_prepare max RSS {job_rss:.0f} MB, "
          f"peak RSS of Snakemake and its jobs {tree_mb:.0f} MB, {seconds:.0f} s")
    assert job_rss < 1024, f"survey_prepare used {job_rss:.0f} MB for {n_rows} rows"
    assert tree_mb < 2048
    summary = json.loads((work / "results/data/survey-summary.json").read_text())
    assert summary["inzendingen"] == n_rows


# --- bibliography -----------------------------------------------------------------------

def _first_entry(bib: str) -> str:
    start = bib.index("\n@") + 1
    return bib[start:bib.index("\n}\n", start) + 3]


def test_bibliography_duplicate_missing_field_and_absent_key(work: Path) -> None:
    bib = (work / BIB).read_text(encoding="utf-8")
    dup = _first_entry(bib)
    key = dup.split("{", 1)[1].split(",", 1)[0]
    no_title = ("@book{robuust_zonder_titel,\n  author = {Jansen, Piet},\n"
                "  year = {2020},\n  publisher = {Boom},\n  location = {Amsterdam},\n}\n")
    (work / BIB).write_text(bib + "\n" + dup + "\n" + no_title, encoding="utf-8")
    chapter = work / "chapters/01-inleiding.qmd"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text + "\nZie ook [@bestaat_niet_2031].\n", encoding="utf-8")
    log = _fails_cleanly(work, BIB, key, "robuust_zonder_titel", "title",
                         "bestaat_niet_2031", "01-inleiding.qmd", target=BIB_REPORT)
    assert "duplicate" in log.lower() or "twice" in log.lower()


def test_bibliography_unbalanced_braces(work: Path) -> None:
    bib = (work / BIB).read_text(encoding="utf-8")
    broken = ("@article{robuust_haakje,\n  author = {Jansen, Piet},\n"
              "  title = {Een {titel met een open haakje},\n  journaltitle = {Bestuur},\n"
              "  year = {2020},\n}\n")
    line = bib.count("\n") + 2
    (work / BIB).write_text(bib + "\n" + broken, encoding="utf-8")
    log = _fails_cleanly(work, BIB, target=BIB_REPORT)
    assert f"{BIB}:{line}" in log or "robuust_haakje" in log, log[-3000:]


# --- chapters and configuration ---------------------------------------------------------

CHAPTER = "chapters/03-theoretisch-kader.qmd"


def _edit(work: Path, rel: str, change) -> None:
    path = work / rel
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


def _append_paragraph(text: str, para: str) -> str:
    return text.rstrip("\n") + "\n\n" + para + "\n"


def _line_of(work: Path, rel: str, needle: str) -> int:
    lines = (work / rel).read_text(encoding="utf-8").splitlines()
    return next(i for i, ln in enumerate(lines, start=1) if needle in ln)


CHAPTER_CASES = {
    "front-matter": (lambda t: "---\ntitle: [niet gesloten\n---\n\n" + t, ":2"),
    # a name no chapter text contains (chapter 3 cites a key ending in "onbekend")
    "unknown-shortcode": (lambda t: _append_paragraph(t, "Tekst {{< geenshortcode x >}}."),
                          "geenshortcode"),
    "unknown-number-key": (
        lambda t: _append_paragraph(t, "Het zijn {{< num respons.bestaat_niet >}} gemeenten."),
        "respons.bestaat_niet"),
    "unresolved-crossref": (lambda t: _append_paragraph(t, "Zie @fig-bestaat-niet."),
                            "fig-bestaat-niet"),
    "missing-figure": (
        lambda t: _append_paragraph(
            t, "![Ontbreekt.](../results/figures/bestaat-niet.svg){#fig-ontbreekt}"),
        "bestaat-niet.svg"),
}


@pytest.mark.parametrize("case", sorted(CHAPTER_CASES))
def test_broken_chapter(work: Path, case: str) -> None:
    change, needle = CHAPTER_CASES[case]
    _edit(work, CHAPTER, change)
    log = _fails_cleanly(work, CHAPTER, needle)
    if case != "front-matter":
        line = _line_of(work, CHAPTER, needle.split(":")[-1] if ":" in needle else needle)
        assert f"{CHAPTER}:{line}" in log, log[-3000:]


def test_malformed_quarto_yml(work: Path) -> None:
    _edit(work, "_quarto.yml", lambda t: t.replace("lang: nl", "lang: nl: be", 1))
    line = _line_of(work, "_quarto.yml", "lang: nl: be")
    _fails_cleanly(work, f"_quarto.yml:{line}", "malformed YAML")


def test_code_cell_that_raises(work: Path) -> None:
    cell = ("```{python}\n#| label: robuust-cel\nwaarden = [1, 2, 3]\n"
            "gemiddelde = sum(waarden) / (len(waarden) - 3)\n```")
    _edit(work, CHAPTER, lambda t: _append_paragraph(t, cell))
    line = _line_of(work, CHAPTER, "gemiddelde = sum(waarden)")
    _fails_cleanly(work, f"{CHAPTER}:{line}", "ZeroDivisionError", "gemiddelde = sum(waarden)",
                   "Traceback", traceback_ok=True, parts=("where:", "what to do:"))
