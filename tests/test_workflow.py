"""The workflow itself: a plan without flags, lint-clean rules, logs on every rule."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, run_snakemake


@pytest.fixture(scope="module")
def source_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tracked sources only, so these checks see what a clean clone sees."""
    dest = tmp_path_factory.mktemp("workflow") / "project"
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split("\n")
    for name in filter(None, files):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    return dest


def test_dry_run_prints_the_plan_without_cores_flag(source_copy: Path) -> None:
    result = run_snakemake(source_copy, "-n", "all")
    assert result.returncode == 0, result.stderr[-4000:]
    text = result.stdout + result.stderr
    assert "Job stats:" in text
    assert "Error" not in text


def test_lint_is_clean(source_copy: Path) -> None:
    result = run_snakemake(source_copy, "--lint", "json")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    report = json.loads(result.stdout)
    problems = report.get("rules", []) + report.get("snakefiles", [])
    assert problems == [], json.dumps(problems, indent=1)[:4000]


def test_every_rule_declares_a_log(source_copy: Path) -> None:
    result = run_snakemake(source_copy, "--list-rules")
    rules = [r for r in result.stdout.split() if r and r != "all"]
    assert rules, result.stderr[-2000:]
    text = "\n".join(p.read_text(encoding="utf-8")
                     for p in sorted((source_copy / "workflow/rules").glob("*.smk")))
    for rule in rules:
        start = text.find(f"rule {rule}:")
        assert start >= 0, f"rule {rule} not found in workflow/rules"
        nxt = text.find("\nrule ", start + 1)
        body = text[start: nxt if nxt > 0 else len(text)]
        assert "log:" in body, f"rule {rule} declares no log:"
