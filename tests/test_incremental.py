"""Incremental equals clean: after any change, `snakemake all` gives what a clean build of
the same tree gives, byte for byte.

The property is checked the honest way: take the built project, change a tracked file in
a way that alters the book, run `snakemake all` incrementally, build the same tree from
scratch, and compare every file under results/ and _book/. A difference names the changed
file and the outputs that went stale. Each change must really alter the output (the
clean build differs from the one before the change), or the check would prove nothing.
tests/test_job_reads.py proves the premise for every file at once: in a traced clean
build, every project file a job reads is one of its declared inputs.

By default a deterministic sample runs: a few files of different kinds in one sequence,
ordered so that no later change re-runs a rule an earlier change should have re-run (a
missed dependency cannot be hidden), against one clean build. Marked slow (`pytest -m
slow tests/test_incremental.py`): the proof that the check fails when one derived code
input is removed on purpose, a `cp -p` restore, and the full set, one clean build per
file.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT, run_snakemake
from proefdruk.codedeps import code_files

OUTPUT_DIRS = ("results", "_book")
RUN_STATE = ("results", "_book", "logs", "benchmarks", ".snakemake", ".proefdruk-cache")


@dataclass(frozen=True)
class Change:
    """An edit of one tracked file that alters what the book shows."""

    path: str
    old: str | None  # text to replace; None: append ``new``
    new: str

    def apply(self, root: Path) -> None:
        target = root / self.path
        text = target.read_text(encoding="utf-8")
        if self.old is None:
            text += self.new
        else:
            assert self.old in text, f"{self.path}: the text to change is gone: {self.old!r}"
            text = text.replace(self.old, self.new, 1)
        target.write_text(text, encoding="utf-8")


def comment(path: str, mark: str = "#") -> Change:
    """A comment: alters the output where a provenance record hashes the file."""
    return Change(path, None, f"\n{mark} eigenschapstoets: incrementeel is schoon\n")


def sentence(path: str) -> Change:
    return Change(path, None, "\n\nEen zin die alleen de eigenschapstoets toevoegt.\n")


# Changes that alter the output of code no provenance record hashes.
PAGE_TEMPLATE = Change("proefdruk/render/editions/templates/page.html", "</body>",
                       "<!-- eigenschapstoets --></body>")
TYPST_TEMPLATE = Change("_extensions/proefdruk/typst-template.typ",
                        '#let accent = rgb("#1f4e6e")', '#let accent = rgb("#1f4e6f")')
LUA_FILTER = Change("proefdruk/render/core/lua/shortcodes.lua",
                    "    return value\n  end,\n  meta =",
                    '    value:insert(pandoc.Str("\u2020"))\n    return value\n  end,\n  meta =')
STYLESHEET = Change("proefdruk/render/editions/assets/proefdruk.css", None,
                    "\n/* eigenschapstoets */\n")
# The delimiter between works cited together: the book has such citations (a page locator,
# "p.", it has not, so changing that term would alter nothing and prove nothing).
CSL = Change("bibliography/dissertatie-nl.csl", '<layout suffix="." delimiter="; ">',
             '<layout suffix="." delimiter=" en ">')

# The CI sample, broad to narrow: each file's direct users are re-run by no later change.
SAMPLE = [
    comment("proefdruk/locale/formats.py"),
    LUA_FILTER,
    sentence("chapters/05-motieven.qmd"),
    PAGE_TEMPLATE,
    TYPST_TEMPLATE,
]


def outputs(root: Path) -> dict[str, str]:
    """SHA-256 of every file under results/ and _book/."""
    found = {}
    for folder in OUTPUT_DIRS:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file():
                found[path.relative_to(root).as_posix()] = hashlib.sha256(
                    path.read_bytes()).hexdigest()
    return found


def differences(a: dict[str, str], b: dict[str, str]) -> list[str]:
    return sorted(p for p in set(a) | set(b) if a.get(p) != b.get(p))


def build(root: Path, *args: str) -> str:
    result = run_snakemake(root, "all", *args)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return result.stdout + result.stderr


def copy_built(src: Path, dest: Path) -> Path:
    """The built project with its outputs, metadata and time stamps."""
    shutil.copytree(src, dest, symlinks=True)
    return dest


def copy_sources(src: Path, dest: Path) -> Path:
    """The same tree without anything a build made: what a clean build starts from."""
    shutil.copytree(src, dest, symlinks=True,
                    ignore=lambda d, names: [n for n in names if Path(d) == src
                                             and n in RUN_STATE])
    return dest


def stale_after(built: Path, changes: list[Change], work: Path) -> tuple[list[str], dict]:
    """Apply ``changes`` one by one to a copy of ``built``, each followed by an
    incremental build; then build the changed tree from scratch. Returns the outputs
    that differ (with the change that left each stale) and the clean outputs."""
    incremental = copy_built(built, work / "incremental")
    before = outputs(incremental)
    for change in changes:
        change.apply(incremental)
        build(incremental)
    clean = copy_sources(incremental, work / "clean")
    build(clean)
    clean_outputs = outputs(clean)
    assert differences(before, clean_outputs), "the changes altered no output"
    return differences(outputs(incremental), clean_outputs), clean_outputs


def report(changes: list[Change], stale: list[str]) -> str:
    return (f"incremental build differs from a clean build after changing "
            f"{', '.join(c.path for c in changes)}; stale outputs: {stale[:20]}")


@pytest.fixture(scope="module")
def sample_round(clean_build: Path, tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("incremental-sample")
    stale, clean = stale_after(clean_build, SAMPLE, work)
    return stale, clean


@pytest.mark.e2e
def test_incremental_equals_clean_for_a_sample_of_changes(sample_round) -> None:
    stale, _ = sample_round
    assert not stale, report(SAMPLE, stale)


# Removes the page template from the derived inputs inside the Snakemake process only
# (the project's files, which the provenance records hash, stay as they are).
SABOTAGE = """\
import proefdruk.rule_code as _rule_code

_derived = _rule_code.rule_code_files


def _without_the_page_template(rule, root="."):
    return [f for f in _derived(rule, root) if f != "proefdruk/render/editions/templates/page.html"]


_rule_code.rule_code_files = _without_the_page_template
"""


@pytest.mark.slow
@pytest.mark.e2e
def test_the_check_fails_when_a_derived_code_input_is_removed(
        clean_build: Path, sample_round, tmp_path: Path) -> None:
    """Without the page template among the page rule's derived inputs, a changed
    template leaves the pages stale, and the comparison says so."""
    _, clean = sample_round
    work = copy_built(clean_build, tmp_path / "sabotaged")
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(SABOTAGE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNAKEMAKE")}
    env["PYTHONPATH"] = os.pathsep.join([str(hook), str(work)])
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"

    def sabotaged_build() -> None:
        result = subprocess.run([sys.executable, "-m", "snakemake", "all"], cwd=work,
                                env=env, capture_output=True, text=True, timeout=1800)
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]

    sabotaged_build()  # the page rules' inputs changed: they re-run once, unchanged
    for change in SAMPLE:
        change.apply(work)
        sabotaged_build()
    stale = differences(outputs(work), clean)
    pages = [p for p in stale if re.fullmatch(r"_book/.+\.html", p)]
    assert pages, "removing a derived input went unnoticed"
    analysis = [p for p in stale if p.split("/")[1:2] in (["numbers"], ["tables"],
                                                         ["figures"], ["provenance"])]
    assert not analysis, analysis  # nothing upstream of the pages went stale


@pytest.mark.slow
@pytest.mark.e2e
def test_a_restored_old_file_still_counts_as_changed(clean_build: Path, tmp_path: Path) -> None:
    """`cp -p` from a backup: older time stamp, other content, consumers still rebuilt."""
    work = copy_built(clean_build, tmp_path / "restored")
    chapter = work / "chapters/05-motieven.qmd"
    backup = tmp_path / "05-motieven.qmd"
    shutil.copy2(chapter, backup)  # the backup keeps the old time stamp
    sentence("chapters/05-motieven.qmd").apply(work)
    build(work)
    edited = outputs(work)
    shutil.copy2(backup, chapter)  # restore: old content, old time stamp
    log = build(work)
    assert "render_chapter" in log, "the restored chapter was not re-rendered"
    restored = outputs(work)
    assert restored["_book/chapters/05-motieven.html"] != edited["_book/chapters/05-motieven.html"]
    assert not differences(restored, outputs(clean_build)), "restored build is stale"


# Scripts whose outputs carry no provenance record (the edition notices): a comment in
# them changes nothing a reader sees, so it would prove nothing; their text does.
TEXT_CHANGES = {
    name: Change(f"analysis/scripts/{name}", old, old.replace("README.md", "README.md, zie ook"))
    for name, old in (("documents_notice.py", '"Zie data/README.md (Documenten)."'),
                      ("survey_notice.py", '"Zie data/README.md (Enquête)."'))
}


def full_set(root: Path) -> list[Change]:
    """One output-altering change per tracked file of every kind the issue names."""
    changes = [sentence(p.relative_to(root).as_posix())
               for p in sorted((root / "chapters").glob("*.qmd"))
               if p.name not in ("references.qmd",)]
    scripts = sorted((root / "analysis" / "scripts").glob("*.py"))
    used = code_files(*scripts, root=root)  # modules no step imports change nothing
    changes += [TEXT_CHANGES.get(p.name) or comment(p.relative_to(root).as_posix())
                for p in scripts]
    changes += [comment(f) for f in used if f.startswith("analysis/") and f.endswith(".py")
                and "/scripts/" not in f and not f.endswith("__init__.py")]
    changes += [comment(f"proefdruk/{name}") for name in
                ("locale/formats.py", "numbers.py", "provenance.py", "files.py",
                 "scripting.py")]
    changes += [PAGE_TEMPLATE, TYPST_TEMPLATE, LUA_FILTER, STYLESHEET, CSL]
    return changes


@pytest.mark.slow
@pytest.mark.e2e
@pytest.mark.parametrize("change", full_set(ROOT), ids=lambda c: c.path)
def test_incremental_equals_clean_for_every_kind_of_file(
        clean_build: Path, tmp_path: Path, change: Change) -> None:
    stale, _ = stale_after(clean_build, [change], tmp_path)
    assert not stale, report([change], stale)
