"""One analysis step runs alone with exactly the inputs, outputs and params the Snakefile
gives it (`proefdruk step <rule>`), and gives the bytes the workflow gives."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT


def step(work: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNAKEMAKE")}
    env["PYTHONPATH"] = str(work)
    return subprocess.run([sys.executable, "-m", "proefdruk", "step", *args], cwd=work, env=env,
                          capture_output=True, text=True, timeout=600)


def test_show_lists_what_the_snakefile_declares() -> None:
    out = step(ROOT, "survey_response", "--show")
    assert out.returncode == 0, out.stderr[-3000:]
    assert "numbers: results/numbers/respons.json" in out.stdout
    assert "data: results/data/survey.csv" in out.stdout
    assert "proefdruk/locale/formats.py" in out.stdout  # the derived code inputs too
    assert "golf: None" in out.stdout


def test_an_unknown_rule_names_the_known_ones() -> None:
    out = step(ROOT, "survey_respons", "--show")
    assert out.returncode == 1
    assert "no rule named 'survey_respons'" in out.stderr and "survey_response" in out.stderr


@pytest.mark.e2e
def test_a_step_run_alone_gives_the_workflows_bytes(clean_build: Path, tmp_path: Path) -> None:
    work = tmp_path / "project"
    shutil.copytree(clean_build, work, symlinks=True)
    outputs = ["results/numbers/respons.json", "results/tables/respons-provincie.md",
               "results/figures/respons-provincie.svg",
               "results/provenance/survey_response.json"]
    built = {p: hashlib.sha256((work / p).read_bytes()).hexdigest() for p in outputs}
    for p in outputs:
        (work / p).unlink()
    # the script run by hand finds its rule and gets its files from the Snakefile
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNAKEMAKE")}
    env["PYTHONPATH"] = str(work)
    out = subprocess.run([sys.executable, "analysis/scripts/survey_response.py"], cwd=work,
                         env=env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    again = {p: hashlib.sha256((work / p).read_bytes()).hexdigest() for p in outputs}
    assert again == built
    shared = step(work, "--show", "survey_motieven")
    assert shared.returncode == 0, shared.stderr[-3000:]
    ambiguous = subprocess.run([sys.executable, "analysis/scripts/survey_section.py"],
                               cwd=work, env=env, capture_output=True, text=True, timeout=600)
    assert ambiguous.returncode != 0 and "proefdruk step" in ambiguous.stderr
