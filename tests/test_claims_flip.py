"""The prose follows the data: a contrasting export flips claims, and the book follows.

A copy of the session's clean build gets the contrasting synthetic export
(``data/generate_survey.py --tegenbeeld``) instead of the default one, as an author would
swap in the real export. The build must then print the alternative sentences the chapters
offer; and where a chapter binds a sentence to the old outcome only, the build must stop
with the chapter, the line, the values now and then (the last build's manifest), and what
to do. Two more builds: slow, so deselected by default; tests/test_claims_render.py is the
fast sample of the same behaviour on the fixture book.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_snakemake

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

DEFAULT = {  # the outcomes of the committed synthetic export
    "bevindingen.motief_zwaarst": "economisch",
    "bevindingen.congruentie_boven_concurrentie": "true",
    "bevindingen.aanvulling_boven_concurrentie": "true",
    "bevindingen.afwijking_minderheid": "true",
    "bevindingen.rijk_belemmering_ondergeschikt": "true",
}


def outcomes(project: Path) -> dict[str, str]:
    claims = json.loads((project / "results/claims.json").read_text(encoding="utf-8"))
    return {key: entry["outcome"] for key, entry in claims.items()}


def contrasting_copy(clean_build: Path, dest: Path) -> Path:
    """The built project with the contrasting export in place of the default one."""
    project = Path(shutil.copytree(clean_build, dest, symlinks=True))
    assert outcomes(project) == {**outcomes(project), **DEFAULT}, "default outcomes changed"
    subprocess.run([sys.executable, "data/generate_survey.py", "--tegenbeeld"],
                   cwd=project, check=True, capture_output=True)
    return project


@pytest.fixture(scope="module")
def flipped(clean_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = contrasting_copy(clean_build, tmp_path_factory.mktemp("flip") / "project")
    result = run_snakemake(project, "all")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return project


def test_the_contrasting_export_flips_at_least_three_claims(flipped: Path) -> None:
    now = outcomes(flipped)
    flips = {k for k, v in DEFAULT.items() if now[k] != v}
    assert len(flips) >= 3, now


def test_the_book_prints_the_alternative_sentences(flipped: Path) -> None:
    page = (flipped / "_book/chapters/08-congruentie.html").read_text(encoding="utf-8")
    if outcomes(flipped)["bevindingen.congruentie_boven_concurrentie"] == "false":
        assert "wijst niet in die richting" in page
        assert "wijst in dezelfde richting" not in page
        assert 'data-outcome="false"' in page
    summary = (flipped / "_book/chapters/summary.html").read_text(encoding="utf-8")
    assert "do not share this view" in summary and "sing the same tune" not in summary


def test_a_sentence_without_text_for_the_new_outcome_stops_the_build(
        clean_build: Path, tmp_path: Path) -> None:
    project = contrasting_copy(clean_build, tmp_path / "project")
    chapter = project / "chapters/08-congruentie.qmd"
    lines = chapter.read_text(encoding="utf-8").splitlines()
    lines.append("")
    lines.append('[Het oordeel van gemeenten is congruent.]'
                 '{.claim key="bevindingen.congruentie_boven_concurrentie" when="true"}')
    chapter.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_snakemake(project, "all")
    out = result.stdout + result.stderr
    assert result.returncode != 0
    assert ("claim 'bevindingen.congruentie_boven_concurrentie' now has the outcome 'false', "
            "and the chapter offers no text for it") in out
    assert f"where:    chapters/08-congruentie.qmd:{len(lines)}" in out
    assert "expected: text for the outcome 'false' (the chapter offers: true)" in out
    assert "values now: rijk.rijk_concurrentie.eens = " in out
    assert "then: outcome 'true' with rijk.rijk_concurrentie.eens = " in out
    assert "(last build, _book/manifest.json)" in out
    assert 'add an alternative [..]{when="false"}' in out
