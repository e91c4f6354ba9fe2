"""Incremental equals clean, for the options too (issue #27, "Every option that reaches a
job is one of its inputs"): for every option in the tool's schema and the study's,
changing it in config/config.yaml and building incrementally gives, byte for byte, what a
clean build with that option gives.

The options are read from the schemas, so a new option fails
test_every_option_is_exercised_or_excluded until it has a value here (or an exclusion
with its reason). The tool's options and the starter's own are exercised on the starter
of `proefdruk new` (a cold build of seconds): one base build per module, copied (with
Snakemake's records and the files' times) for each incremental build. The study's own
options need the whole study, twice per option: they run with the slow tier
(`pytest -m slow`).
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT, clone_project, run_snakemake
from proefdruk.config_schema import TOOL_SCHEMA
from proefdruk.new import TEMPLATE, create
from proefdruk.verify import RUN_ONLY

STUDY_SCHEMA = ROOT / "config" / "schema.yaml"
STARTER_SCHEMA = TEMPLATE / "base" / "config" / "schema.yaml"

# The reports the build writes about its own run (results/reports: timings, paths) are
# not the book; everything else under _book/ and results/ is compared.
NOT_COMPARED = tuple(p for p in RUN_ONLY if p.startswith("results/"))


def _words_file(project: Path) -> str:
    (project / "config" / "other-claim-words.yaml").write_text(
        "comparative:\n  nl: [meest]\n  en: [most]\n", encoding="utf-8")
    return "config/other-claim-words.yaml"


def _allowlist(project: Path) -> str:
    (project / "config" / "other-allowlist.yaml").write_text(
        'allow:\n  - phrase: "24 municipalities"\n    reason: "the synthetic sample\'s size, '
        'fixed by design"\n', encoding="utf-8")
    return "config/other-allowlist.yaml"


# option -> another valid value (or a function that prepares the project and returns it)
Value = Any | Callable[[Path], Any]
STARTER_VALUES: dict[str, Value] = {
    "source_date_epoch": 1780000000,
    "render.paper": "a4",
    "render.pdfa": True,
    "render.pdfua": True,
    "render.cell_timeout": 30,
    "prose_allowlist": _allowlist,
    "claims.words": _words_file,
    "claims.strict": False,
    "promote.reserve_mb": 1,
    "archive_exclude": ["notes/"],
    "analysis.agree_from": 3,  # the starter's own schema
}
# (Values the study's data and chapters allow: the export holds one wave, the notes run
# to 2025, and the chapters cite each of the four periods' numbers, so one is added.)
STUDY_VALUES: dict[str, Value] = {
    "survey.weighting": True,
    "survey.golf": 1,
    "survey.size_classes_min_coverage": 0.5,
    "documents.last_year": 2030,
    "documents.note_periods": [[1975, 1984], [1985, 1994], [1995, 2004], [2005, 2014],
                               [2015, 2024]],
    "documents.min_hits": 3,
    "documents.agreement_from": 2010,
}
EXCLUDED: dict[str, str] = {
    "render.quarto": "needs a Quarto installation (CI has none); the builds under real "
                     "Quarto are tests/test_new_real_quarto.py and the study's release check",
}


def options(schema_file: Path) -> set[str]:
    """Every option the schema describes, as a dotted path to a leaf."""
    def walk(schema: dict[str, Any], prefix: str) -> set[str]:
        found: set[str] = set()
        for key, sub in (schema.get("properties") or {}).items():
            if sub.get("type") == "object" and "properties" in sub:
                found |= walk(sub, f"{prefix}{key}.")
            else:
                found.add(prefix + key)
        return found
    return walk(yaml.safe_load(schema_file.read_text(encoding="utf-8")), "")


def test_every_option_is_exercised_or_excluded() -> None:
    every = options(TOOL_SCHEMA) | options(STARTER_SCHEMA) | options(STUDY_SCHEMA)
    covered = set(STARTER_VALUES) | set(STUDY_VALUES) | set(EXCLUDED)
    assert not every - covered, (f"options {sorted(every - covered)} have no value in "
                                 "STARTER_VALUES/STUDY_VALUES nor a reason in EXCLUDED")
    assert not covered - every, f"not options any more: {sorted(covered - every)}"
    assert set(STUDY_VALUES) == options(STUDY_SCHEMA)


def set_option(project: Path, option: str, value: Value) -> None:
    """Write ``option: value`` into the project's config/config.yaml."""
    if callable(value):
        value = value(project)
    path = project / "config" / "config.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    *parents, leaf = option.split(".")
    node = config
    for key in parents:
        node = node.setdefault(key, {})
    node[leaf] = value
    path.write_text(yaml.safe_dump(config, sort_keys=True), encoding="utf-8")


def tree(root: Path) -> dict[str, str]:
    out = {}
    for top in ("_book", "results"):
        for p in sorted((root / top).rglob("*")):
            rel = p.relative_to(root).as_posix()
            if p.is_file() and not rel.startswith(NOT_COMPARED):
                out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def differences(a: dict[str, str], b: dict[str, str]) -> list[str]:
    return sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))


def build(project: Path) -> None:
    result = run_snakemake(project, "all", timeout=1800)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]


def copy_built(src: Path, dest: Path) -> Path:
    """A built project copied with its Snakemake records and the files' times."""
    shutil.copytree(src, dest, symlinks=True)
    return dest


def incremental_equals_clean(built: Path, fresh: Path, tmp_path: Path, option: str,
                             value: Any) -> None:
    """``option`` set to ``value`` in a copy of the built project and in a fresh one that
    was never built; both built; the two trees byte for byte the same."""
    incremental = copy_built(built, tmp_path / "incremental")
    for project in (incremental, fresh):
        set_option(project, option, value)
        build(project)
    diff = differences(tree(incremental), tree(fresh))
    assert not diff, f"{option}: incremental and clean builds differ in {diff}"


# --- the tool's options (and the starter's own), on the starter ------------------------

@pytest.fixture(scope="module")
def starter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = create(tmp_path_factory.mktemp("options-base") / "thesis", lang="en")
    build(project)
    return project


@pytest.mark.parametrize("option", sorted(STARTER_VALUES))
def test_a_changed_option_builds_what_a_clean_build_gives(
        starter: Path, tmp_path: Path, option: str) -> None:
    incremental_equals_clean(starter, create(tmp_path / "clean", lang="en"), tmp_path,
                             option, STARTER_VALUES[option])


# --- the study's own options, on the study (slow tier) ---------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("option", sorted(STUDY_VALUES))
def test_a_changed_study_option_builds_what_a_clean_build_gives(
        clean_build: Path, tmp_path: Path, option: str) -> None:
    incremental_equals_clean(clean_build, clone_project(tmp_path / "clean"), tmp_path,
                             option, STUDY_VALUES[option])
