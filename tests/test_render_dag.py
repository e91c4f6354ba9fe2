"""The incremental property of the book rules, measured with real Snakemake.

A prose edit in one chapter must re-render that chapter and its page (plus the
whole-book files), but no other chapter page; a renumbered figure must re-render exactly
the chapters that refer to it; a changed figure file only the chapters that show it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from render_helpers import ROOT, edit, fixture_book

SNAKEFILE = """\
import os, sys
sys.path.insert(0, {root!r})
os.environ["PYTHONPATH"] = {root!r}
from proefdruk.config_schema import validate_config
validate_config(config, workflow.basedir)  # the real schema (copied), its defaults
from proefdruk.build import RULES_DIR
include: str(RULES_DIR / "common.smk")


# The fixture ships the outputs of its one analysis step; this rule declares them, as the
# step's rule would (only declared outputs become inputs of the book rules).
rule fixture_analysis:
    output:
        "results/numbers/demo.json",
        "results/provenance/demo.json",
        "results/notices/demo.json",
        "results/figures/demo.svg",
        "results/tables/demo.md",
    shell:
        "echo 'the fixture ships these files' >&2; exit 1"


include: str(RULES_DIR / "editions.smk")

rule all:
    input:
        [t for t in BOOK_TARGETS if t.endswith(".html")],
        "results/render/book.json",
    default_target: True
"""


def snakemake(work: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNAKEMAKE")}
    # rules call `python` from PATH (the real Snakefile's setup_environment does this)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    proc = subprocess.run([sys.executable, "-m", "snakemake", "--cores", "2", "--nolock",
                           *args], cwd=work, env=env, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]
    return proc.stdout + proc.stderr


def planned(work: Path, *args: str) -> dict[str, set[str]]:
    """rule -> outputs a dry run would make."""
    out = snakemake(work, "-n", *args)
    jobs: dict[str, set[str]] = {}
    for block in re.split(r"\n(?=rule |localrule )", out):
        m = re.match(r"(?:local)?rule (\w+):", block)
        o = re.search(r"output: ([^\n]+)", block)
        if m and o:
            jobs.setdefault(m.group(1), set()).update(x.strip() for x in o.group(1).split(","))
    return jobs


def pages(jobs: dict[str, set[str]]) -> set[str]:
    return {Path(p).stem for p in jobs.get("chapter_page", set())}


def renders(jobs: dict[str, set[str]]) -> set[str]:
    return {Path(p).stem for p in jobs.get("render_chapter", set()) if "/chapters/" in p}


def workflow_copy(dest: Path) -> Path:
    """The fixture book with the book rules and a private copy of the tooling."""
    work = fixture_book(dest)
    # The workflow writes the generated sources itself (rules provenance_appendix and
    # book_notices).
    shutil.rmtree(work / "results" / "book")
    # The rules come from the private copy of the tooling below (proefdruk/build/rules/),
    # checked against the tool's own schema. The rules name the project's environment
    # (conda: environment.yml).
    shutil.copy(ROOT / "environment.yml", work / "environment.yml")
    # A private copy of the tooling: the rules depend on the renderer's code, and the
    # measurement must not see edits made to the working tree while it runs.
    shutil.copytree(ROOT / "proefdruk", work / "tooling" / "proefdruk",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (work / "Snakefile").write_text(SNAKEFILE.format(root=str(work / "tooling")),
                                    encoding="utf-8")
    return work


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("proefdruk.render.editions.html")
    work = workflow_copy(tmp_path_factory.mktemp("dag") / "book")
    snakemake(work)
    return work


def test_missing_figure_stops_before_anything_runs(tmp_path: Path) -> None:
    work = workflow_copy(tmp_path / "book")
    edit(work / "chapters" / "02-twee.qmd", "![Rechts](../results/figures/demo.svg)",
         "![Rechts](../results/figures/ontbreekt.svg)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNAKEMAKE")}
    proc = subprocess.run([sys.executable, "-m", "snakemake", "-n", "--nolock"], cwd=work,
                          env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert "results/figures/ontbreekt.svg" in out and "chapters/02-twee.qmd:8" in out


@pytest.mark.e2e
def test_full_build_then_nothing_to_do(built: Path) -> None:
    assert (built / "results/staging/_book" / "chapters" / "01-een.html").is_file()
    assert (built / "results/staging/_book" / "chapters" / "herkomst.html").is_file()
    assert planned(built) == {}
    book = json.loads((built / "results" / "render" / "book.json").read_text())
    assert [(c["id"], c["kind"], c["number"], c["href"]) for c in book["chapters"]] == [
        ("index", "front", None, "index.html"), ("01-een", "chapter", "1", "chapters/01-een.html"),
        ("02-twee", "chapter", "2", "chapters/02-twee.html"),
        ("references", "references", None, "chapters/references.html"),
        ("bijlage-a", "appendix", "A", "chapters/bijlage-a.html"),
        ("herkomst", "provenance", "B", "chapters/herkomst.html")]
    assert book["chapters"][1]["part"] == "Deel een"
    assert book["chapters"][1]["ast"] == "results/render/chapters/01-een.json"
    assert book["labels"]["fig-panelen"] == {"chapter": "02-twee", "kind": "fig",
                                             "number": "2.1", "text": "Figuur\u00a02.1"}
    assert book["labels"]["num-demo.respons"]["chapter"] == "herkomst"
    assert book["labels"]["src-results-figures-demo-svg"]["chapter"] == "herkomst"
    assert book["labels"]["ref-janssen2020"]["chapter"] == "references"
    assert [n["id"] for n in book["notices"]] == ["demo"]
    assert (book["title"], book["lang"], book["output_file"]) == (
        "Proefboek", "nl", "proefboek")
    assert "paper" not in book and "pdfa" not in book  # the PDF rule's options alone
    report = json.loads((built / "results" / "reports" / "provenance.json").read_text())
    assert report["warnings"] == [] or {w["kind"] for w in report["warnings"]} <= {
        "unused-number"}
    # the generated sources both renderers read
    appendix = (built / "results" / "book" / "herkomst.md").read_text(encoding="utf-8")
    assert "::: {#num-demo.respons .provenance-entry" in appendix
    notices = (built / "results" / "book" / "notices.md").read_text(encoding="utf-8")
    assert '.callout-warning .notice title="Synthetische gegevens"' in notices
    # this workflow renders into the staging folder (no promote rule in the fixture)
    index = (built / "results/staging/_book" / "index.html").read_text(encoding="utf-8")
    assert "De gegevens in dit testboek zijn synthetisch." in index


@pytest.mark.e2e
def test_prose_edit_rerenders_only_that_chapter_page(built: Path) -> None:
    edit(built / "chapters" / "02-twee.qmd", "Terug naar", "Nu met meer proza. Terug naar")
    jobs = planned(built)
    assert renders(jobs) == {"02-twee"}
    assert pages(jobs) == {"02-twee"}
    assert "provenance_appendix" not in jobs
    assert "book_json" in jobs
    snakemake(built)
    assert planned(built) == {}


@pytest.mark.e2e
def test_renumbered_figure_rerenders_the_chapters_that_cite_it(built: Path) -> None:
    svg = "../results/figures/demo.svg"
    edit(built / "chapters" / "02-twee.qmd", "::: {#fig-panelen",
         f"![Nieuw]({svg}){{#fig-nieuw fig-alt=\"Nieuw.\"}}\n\n::: {{#fig-panelen")
    jobs = planned(built)
    # 01-een refers to fig-panelen (now 2.2); bijlage-a and index do not.
    assert renders(jobs) == {"01-een", "02-twee"}
    assert pages(jobs) == {"01-een", "02-twee"}
    snakemake(built)
    ast = (built / "results" / "render" / "chapters" / "01-een.json").read_text()
    assert "Figuur\u00a02.2" in ast


@pytest.mark.e2e
def test_changed_figure_rerenders_only_chapters_that_show_it(built: Path) -> None:
    fig = built / "results" / "figures" / "demo.svg"
    fig.write_text(fig.read_text().replace("black", "red"), encoding="utf-8")
    jobs = planned(built)
    assert renders(jobs) == {"01-een", "02-twee"}
    assert pages(jobs) == {"01-een", "02-twee"}
    # One job copies the site's images again (the pages only link them): asked for the
    # pages and the site's copies, Snakemake plans it once, and no page more.
    copy = "results/staging/_book/media/figures/demo.svg"
    jobs = planned(built, "all", copy)
    assert copy in jobs["site_media"]
    assert pages(jobs) == {"01-een", "02-twee"}


@pytest.mark.e2e
def test_another_paper_size_reruns_the_pdf_alone(built: Path) -> None:
    """Paper size and PDF/A reach the PDF rule only: with the PDF built, a change of
    either plans the PDF again and no page (the fixture's default target is the pages)."""
    pdf = "results/staging/_book/proefboek.pdf"
    snakemake(built, "all", pdf)  # earlier tests left edits planned, not built
    assert planned(built, "all", pdf) == {}
    for change in ("render={paper: a4}", "render={pdfa: true}"):
        jobs = planned(built, "all", pdf, "--config", change)
        assert set(jobs) == {"book_pdf"}, (change, jobs)
