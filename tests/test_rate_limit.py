"""A local build runs without Snakemake's job submission rate limit (proefdruk/workflow.py).

Real Snakemake on a small workflow of twelve one-second jobs: with the limit lifted the
scheduler makes a round per finished job; with Snakemake's default limit it also makes a
round per second per earlier round (the timer chains the lift removes). An explicit
limit other than the default is kept.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

SNAKEFILE = """\
from snakemake.scheduling import job_scheduler
from proefdruk.workflow import lift_local_rate_limit

ROUNDS = []
_select = job_scheduler.JobScheduler.job_selector

def counted(self, jobs):
    ROUNDS.append(len(jobs))
    return _select(self, jobs)

job_scheduler.JobScheduler.job_selector = counted

onstart:
    {onstart}

onsuccess:
    print("LIMITER", workflow.scheduler.job_rate_limiter is not None, "ROUNDS", len(ROUNDS))

rule all:
    input: expand("out/{{i}}.txt", i=range(12))

rule one:
    output: "out/{{i}}.txt"
    shell: "sleep 1; touch {{output}}"
"""


def run(tmp_path: Path, onstart: str, *args: str) -> tuple[bool, int]:
    work = tmp_path / "wf"
    work.mkdir(parents=True)
    (work / "Snakefile").write_text(SNAKEFILE.format(onstart=onstart), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNAKEMAKE")}
    env["PYTHONPATH"] = str(ROOT)
    out = subprocess.run([sys.executable, "-m", "snakemake", "-c2", *args], cwd=work,
                         env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    found = re.search(r"LIMITER (True|False) ROUNDS (\d+)", out.stdout + out.stderr)
    assert found, out.stdout[-2000:] + out.stderr[-2000:]
    return found.group(1) == "True", int(found.group(2))


def test_the_default_limit_is_lifted_for_a_local_build(tmp_path: Path) -> None:
    limited, rounds = run(tmp_path / "a", "lift_local_rate_limit(workflow)")
    assert not limited
    # one round at the start and at most one per finished job
    assert rounds <= 13
    kept, default_rounds = run(tmp_path / "b", "pass")
    assert kept
    assert default_rounds > rounds  # the timer chains, which the lift removes


def test_an_explicit_limit_is_kept(tmp_path: Path) -> None:
    limited, _ = run(tmp_path, "lift_local_rate_limit(workflow)",
                     "--max-jobs-per-timespan", "50/1s")
    assert limited
