"""Failed builds never touch the published editions (finding 8 of issue 20).

Five different builds fail in a row on a copy of the session's clean build: a duplicate
BibTeX key, a codebook change that breaks the numbers, a chapter with an unknown number,
a bad page size in the config and a full disk while publishing. After each, every byte
under ``_book/`` is that of the last good build. Then the sources are whole again and
``snakemake all`` succeeds with the same edition.

The real study takes minutes per failing build, so that sequence is marked slow; the
fixture study (tests/fixtures/verify, the same publish and manifest rules) runs the
same kind of sequence in seconds by default.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from fixtures.robustness.harness import built_tree, copy_built, snapshot

from conftest import run_snakemake

FULL_DISK = "promote={reserve_mb: 1000000000000}"


def _fails_leaving_book(work: Path, before: dict[str, str], *args: str) -> str:
    result = run_snakemake(work, "all", *args)
    log = result.stdout + result.stderr
    assert result.returncode != 0, f"the broken build succeeded:\n{log[-3000:]}"
    after = snapshot(work, ("_book",))
    changed = sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p))
    assert not changed, f"a failed build changed the published edition: {changed[:10]}"
    return log


def _edit(path: Path, old: str, new: str, count: int = 1) -> str:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return text


# --- the fast sample: the fixture study --------------------------------------------


@pytest.fixture
def fixture_study(tmp_path: Path) -> Path:
    from test_verify import make_fixture_project

    project = make_fixture_project(tmp_path / "study")
    result = run_snakemake(project, "all")
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    return project


def test_failed_fixture_builds_leave_the_edition_alone(fixture_study: Path) -> None:
    work = fixture_study
    before = snapshot(work, ("_book",))
    assert "_book/manifest.json" in before
    chapter = work / "chapters" / "01-toy.qmd"
    good = _edit(chapter, "{{< num toy.ja >}}", "{{< num toy.bestaat_niet >}}")
    _fails_leaving_book(work, before)
    chapter.write_text(good, encoding="utf-8")

    # A changed page that would be published, but the disk is full.
    page_source = work / "index.qmd"
    good_index = page_source.read_text(encoding="utf-8")
    page_source.write_text(good_index + "\nEen nieuwe zin.\n", encoding="utf-8")
    log = _fails_leaving_book(work, before, "--config", FULL_DISK)
    assert "error: the disk is full" in log and "what to do:" in log
    assert "OSError" not in log
    page_source.write_text(good_index, encoding="utf-8")

    result = run_snakemake(work, "all")
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert snapshot(work, ("_book",)) == before


def test_a_hand_edited_edition_is_published_again(fixture_study: Path) -> None:
    """The promote record notices a damaged _book/ and the next build repairs it."""
    work = fixture_study
    before = snapshot(work, ("_book",))
    (work / "_book" / "chapters" / "01-toy.html").write_text("edited by hand", encoding="utf-8")
    (work / "_book" / "index.html").unlink()
    result = run_snakemake(work, "all")
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-3000:]
    assert "differs from what was published last" in log
    assert re.search(r"rule promote:", log)
    assert snapshot(work, ("_book",)) == before


# --- the real study: five failing builds in a row ----------------------------------


@pytest.fixture(scope="module")
def built(request: pytest.FixtureRequest) -> Path:
    return built_tree(request)


@pytest.mark.slow
@pytest.mark.e2e
def test_five_failing_builds_in_a_row(built: Path, tmp_path: Path) -> None:
    work = copy_built(built, tmp_path / "project")
    before = snapshot(work, ("_book",))
    assert any(p.endswith(".pdf") for p in before) and "_book/manifest.json" in before

    bib = work / "bibliography" / "references.bib"
    text = bib.read_text(encoding="utf-8")
    first = re.search(r"@\w+\{[^@]+", text).group(0)
    bib.write_text(text + "\n" + first, encoding="utf-8")  # the same key twice
    _fails_leaving_book(work, before)
    bib.write_text(text, encoding="utf-8")

    codebook = work / "data" / "raw" / "survey" / "codebook.yaml"
    good_codebook = _edit(codebook, "  - id: motieven\n", "  - id: beweegredenen\n")
    _fails_leaving_book(work, before)
    codebook.write_text(good_codebook, encoding="utf-8")

    chapter = sorted((work / "chapters").glob("0*-*.qmd"))[0]
    good_chapter = chapter.read_text(encoding="utf-8")
    chapter.write_text(good_chapter + "\nZie {{< num respons.bestaat_niet >}}.\n",
                       encoding="utf-8")
    _fails_leaving_book(work, before)
    chapter.write_text(good_chapter, encoding="utf-8")

    _fails_leaving_book(work, before, "--config", "render={paper: a5}")

    # The full disk: the editions must be published again (a changed chapter page),
    # and the publish step finds too little space.
    chapter.write_text(good_chapter + "\nEen nieuwe alinea zonder getallen.\n",
                       encoding="utf-8")
    log = _fails_leaving_book(work, before, "--config", FULL_DISK)
    assert "error: the disk is full" in log and "OSError" not in log
    chapter.write_text(good_chapter, encoding="utf-8")

    result = run_snakemake(work, "all")
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert snapshot(work, ("_book",)) == before
    shutil.rmtree(work, ignore_errors=True)
