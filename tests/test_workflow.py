"""The workflow itself: a plan without flags, lint-clean rules, logs on every rule."""

from __future__ import annotations

import json
import re
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
    # The archive and verify rules list the tracked files: make the copy a repository.
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.org"]
    subprocess.run(["git", "init", "-q"], cwd=dest, check=True)
    subprocess.run(["git", "add", "-A"], cwd=dest, check=True)
    subprocess.run([*git, "commit", "-qm", "copy"], cwd=dest, check=True)
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
    # A clean workflow prints no JSON at all; any lint is printed as JSON and fails.
    report = json.loads(result.stdout) if result.stdout.strip() else {}
    problems = report.get("rules", []) + report.get("snakefiles", [])
    assert problems == [], json.dumps(problems, indent=1)[:4000]


def test_every_rule_declares_a_log(source_copy: Path) -> None:
    """Every job of the whole build shows a log: in a forced dry run of `all`, `verify`
    and `archive`, each job block lists its log file."""
    result = run_snakemake(source_copy, "-n", "--forceall", "all", "verify", "archive")
    assert result.returncode == 0, result.stderr[-4000:]
    blocks = re.split(r"\n(?=(?:local)?rule \w+:)", result.stdout)
    jobs = [b for b in blocks if re.match(r"(?:local)?rule \w+:", b)]
    assert len(jobs) > 30, result.stdout[-2000:]
    missing = sorted({re.match(r"(?:local)?rule (\w+):", b).group(1) for b in jobs
                      if "\n    log:" not in b} - {"all"})
    assert missing == [], f"rules without log: {missing}"
