"""Every project file a job reads is one of its declared inputs: the premise of issue #14.

tests/test_incremental.py proves "incremental equals clean" by its consequence, one clean
rebuild per changed file, for a sample of files. This proves the premise for every file
and every job at once: a clean `snakemake all` in a fresh clone runs under strace, and
each job's whole process tree (the Python it starts, pandoc, Typst ...) may open, for
reading, only its declared inputs (derived code included, proefdruk/rule_code.py), its
own outputs and what it wrote itself. With content-based rerun triggers
(proefdruk/content_check.py) a change to any tracked file then re-runs every job that
read it. tests/fixtures/jobtrace.py does the tracing; its NOT_INPUTS lists the reads
that are not inputs, each with the reason.

The second test shows the check can fail: the same trace, with one file a job really read
taken out of that job's recorded inputs, must name the job and the file.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from fixtures import jobtrace

from conftest import clone_project, run_snakemake, which_or_skip


@pytest.fixture(scope="module")
def traced_build(tmp_path_factory: pytest.TempPathFactory
                 ) -> tuple[Path, dict[int, jobtrace.Process], list[jobtrace.Job]]:
    """A clean clone built once under strace: the project, its processes, its jobs."""
    strace = which_or_skip("strace")
    probe = subprocess.run([strace, "-f", "-qq", "-o", "/dev/null", "true"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"strace cannot trace here (ptrace refused?): {probe.stderr.strip()}")
    work = tmp_path_factory.mktemp("job-reads")
    project = clone_project(work / "project")
    trace = work / "trace"
    trace.mkdir()
    result = run_snakemake(
        project, "all", "--skip-script-cleanup",  # the wrappers name each job's script
        wrapper=(strace, *jobtrace.STRACE_OPTIONS, "-o", str(trace / "t")))
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return project, jobtrace.read_trace(trace), jobtrace.read_jobs(project)


@pytest.mark.e2e
def test_every_project_file_a_job_reads_is_one_of_its_inputs(traced_build) -> None:
    project, processes, jobs = traced_build
    assert len(jobs) > 50, f"only {len(jobs)} jobs recorded: was the build clean?"
    used: set[jobtrace.NotAnInput] = set()
    findings = jobtrace.undeclared_reads(processes, jobs, project, used)
    assert not findings, jobtrace.describe(findings)
    unused = [e.reason for e in (*jobtrace.NOT_INPUTS, *jobtrace.OPEN_FINDINGS)
              if e not in used and e.clean]
    assert not unused, f"entries that excuse no read any more, remove them: {unused}"


# Files a job is known to read, each taken out of its rule's recorded inputs in turn: a
# template (opened by name), a tooling module (imported, read as __pycache__/*.pyc after
# the first job compiled it) and a chapter (read by pandoc's Lua and Python alike).
REMOVED = [
    ("chapter_page", "proefdruk/render/editions/templates/page.html"),
    ("survey_response", "proefdruk/locale/formats.py"),
    ("render_chapter", "chapters/05-motieven.qmd"),
]


@pytest.mark.e2e
@pytest.mark.parametrize(("rule", "path"), REMOVED, ids=[p for _, p in REMOVED])
def test_the_check_names_a_read_file_missing_from_the_inputs(
        traced_build, rule: str, path: str) -> None:
    project, processes, jobs = traced_build
    sabotaged = [jobtrace.Job(j.rule, j.outputs, j.logs, j.inputs - {path})
                 if j.rule == rule else j for j in jobs]
    assert any(path in j.inputs for j in jobs if j.rule == rule), f"{rule} lacks {path}"
    before = {(str(f.job), u) for f in jobtrace.undeclared_reads(processes, jobs, project)
              for u in f.undeclared}
    after = {(str(f.job), u) for f in jobtrace.undeclared_reads(processes, sabotaged, project)
             for u in f.undeclared}
    new = after - before
    assert new, f"removing {path} from {rule}'s inputs went unnoticed"
    assert {u for _, u in new} == {path}, new  # that file, nothing else
    assert all(job.startswith(f"rule {rule} ") for job, _ in new), new
