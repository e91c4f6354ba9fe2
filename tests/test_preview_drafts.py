"""The preview's drafts: a page rendered ahead of Snakemake must be the very page
Snakemake then makes, and rendering it must write nothing into the build's outputs."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures.robustness.harness import built_tree, copy_built, snapshot

from conftest import run_snakemake
from proefdruk.console import error_blocks
from proefdruk.preview.builder import PAGE_RULES, with_media
from proefdruk.preview.drafts import Drafts, drafts_apply, tooling_changed
from proefdruk.promote import staging_folder

pytestmark = pytest.mark.e2e

SOURCE = "chapters/05-motieven.qmd"
PAGE = "chapters/05-motieven.html"


@pytest.fixture()
def project(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    return copy_built(built_tree(request), tmp_path / "project")


def test_a_prose_draft_is_byte_identical_to_snakemake_s_page(project: Path) -> None:
    site = project / staging_folder("_book")
    path = project / SOURCE
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(i for i, ln in enumerate(lines) if ln and ln[0].isalpha() and "[@" in ln)
    lines[at] = lines[at].replace(" ", " uitdrukkelijk ", 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = snapshot(project)

    drafts = Drafts(project)
    try:
        shown, errors = drafts.render([SOURCE], [PAGE, "index.html"])
    finally:
        folder = drafts.folder
        draft = shown[PAGE].read_bytes() if PAGE in shown else b""
        drafts.close()
    assert list(shown) == [PAGE], "only the edited chapter's open page is drafted"
    assert errors == []
    assert b"uitdrukkelijk" in draft
    assert snapshot(project) == before, "the draft wrote into the build's outputs"
    assert not folder.exists(), "the drafts' folder outlived the preview"

    result = run_snakemake(project, f"{staging_folder('_book')}/{PAGE}")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert (site / PAGE).read_bytes() == draft


def test_after_a_data_change_the_page_is_drafted_from_what_snakemake_made(
        project: Path) -> None:
    """A changed survey answer: Snakemake makes what the open page reads (not the page),
    the page is drafted from it (with its new figures), and Snakemake's page is the
    same."""
    from test_preview_browser import flip_one_answer

    site = project / staging_folder("_book")
    flip_one_answer(project / "data/raw/survey/export.csv", "mot_handel")
    target = f"{staging_folder('_book')}/{PAGE}"
    # What the preview's first run does: everything upstream of the page's two jobs.
    made = run_snakemake(project, "--omit-from", *PAGE_RULES, "--", target)
    assert made.returncode == 0, made.stdout[-3000:] + made.stderr[-3000:]
    assert "rule survey_motieven:" in made.stderr and "rule render_chapter:" not in made.stderr
    drafts = Drafts(project)
    try:
        shown, _ = drafts.render(None, [PAGE])
        draft = shown[PAGE].read_bytes()
        draft_site = shown[PAGE].parents[1]
        figure = (draft_site / "media/figures/enquete-mot.svg").read_bytes()
    finally:
        drafts.close()
    assert figure != (site / "media/figures/enquete-mot.svg").read_bytes(), "figure unchanged"
    # What the preview's second run asks for: the page and the site's image copies.
    result = run_snakemake(project, *with_media(project, [target]))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert (site / PAGE).read_bytes() == draft
    assert (site / "media/figures/enquete-mot.svg").read_bytes() == figure


def test_a_draft_that_fails_gives_the_message_of_the_rule_s_job(project: Path) -> None:
    path = project / SOURCE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("[@", "[@onbekend-werk-2099; @", 1), encoding="utf-8")
    drafts = Drafts(project)
    try:
        pages, errors = drafts.render([SOURCE], [PAGE])
    finally:
        drafts.close()
    assert pages == {}
    assert len(errors) == 1 and "unknown citation key 'onbekend-werk-2099'" in errors[0]
    result = run_snakemake(project, f"{staging_folder('_book')}/{PAGE}")
    assert result.returncode != 0
    log = (project / "logs/render_chapter/05-motieven.log").read_text(encoding="utf-8")
    assert error_blocks(log) == errors


def test_only_chapter_sources_are_drafted_and_code_restarts_the_helper() -> None:
    assert drafts_apply(["chapters/05-motieven.qmd", "index.qmd"])
    assert not drafts_apply(["chapters/05-motieven.qmd", "data/raw/survey/export.csv"])
    assert not drafts_apply([])
    assert tooling_changed(["analysis/mrq.py"])
    assert tooling_changed(["_extensions/proefdruk/num.lua"])
    assert not tooling_changed(["chapters/05-motieven.qmd", "bibliography/references.bib"])


def test_no_drafts_when_real_quarto_makes_the_pages(project: Path, tmp_path: Path) -> None:
    """With config render.quarto the pages come from `quarto render`; a draft by the
    built-in renderer would not be that page, so none is made."""
    quarto = tmp_path / "quarto"
    quarto.write_text("#!/bin/sh\necho 1.9.0\n", encoding="utf-8")
    quarto.chmod(0o755)
    (project / "config/config.yaml").write_text(f"render:\n  quarto: {quarto}\n",
                                                encoding="utf-8")
    drafts = Drafts(project)
    try:
        assert drafts.render([SOURCE], [PAGE]) == ({}, [])
        assert drafts.render(None, [PAGE]) == ({}, [])
    finally:
        drafts.close()
