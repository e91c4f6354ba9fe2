"""What ``snakemake all`` prints (proefdruk/console.py, the default profile's logger).

A real failing build (an unknown citation key, or a survey answer out of range, in a copy
of the clean build) must show each error block once, last, both as CI sees it (no
terminal: two lines per job) and as an author at a terminal sees it (a pseudo-terminal:
the progress display, with nothing else written while it is up). A piped cold build of
the starter stays a compact log that still names every job.
"""

from __future__ import annotations

import csv
import io
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures.robustness.harness import built_tree, copy_built

from conftest import run_snakemake
from proefdruk import new
from proefdruk.console import error_blocks, failure_report

CHAPTER = "chapters/05-motieven.qmd"
KEY = "onbekend-werk-2099"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]")


@pytest.fixture()
def broken(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A built project whose chapter 5 cites a key the bibliography lacks."""
    project = copy_built(built_tree(request), tmp_path / "project")
    path = project / CHAPTER
    path.write_text(path.read_text(encoding="utf-8").replace("[@", f"[@{KEY}; @", 1),
                    encoding="utf-8")
    return project


def assert_each_error_once_and_last(output: str) -> None:
    blocks = [b for b in error_blocks(output) if KEY in b]
    assert blocks, output[-3000:]
    for block in blocks:
        first_line = block.splitlines()[0]
        assert output.count(first_line) == 1, f"shown {output.count(first_line)}x: {first_line}"
        assert "what to do:" in block
    tail = output.rstrip().splitlines()[-1]
    assert tail.startswith("  what to do:"), output[-1500:]


@pytest.mark.e2e
def test_a_failing_build_shows_each_error_once_last_without_a_terminal(broken: Path) -> None:
    result = run_snakemake(broken, "all")
    assert result.returncode != 0
    # Snakemake's own lines stay (tools and tests read them); its logs are not repeated.
    assert "Error in rule " in result.stderr
    assert_each_error_once_and_last(result.stderr)
    assert KEY not in result.stdout


def at_a_terminal(project: Path, *args: str) -> tuple[int, str]:
    """``snakemake *args`` in a pseudo-terminal: exit status and the raw bytes shown."""
    main, child = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNAKEMAKE")}
    env.update(TERM="xterm", COLUMNS="120",
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}")
    proc = subprocess.Popen([sys.executable, "-m", "snakemake", *args], cwd=project,
                            stdin=child, stdout=child, stderr=child, env=env)
    os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the terminal closed with the last process
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    return proc.wait(timeout=600), b"".join(chunks).decode("utf-8", "replace")


def plain(raw: str) -> str:
    return ANSI.sub("", raw).replace("\r", "")


@pytest.mark.e2e
def test_at_a_terminal_a_progress_display_and_each_error_once_last(broken: Path) -> None:
    code, raw = at_a_terminal(broken, "all")
    assert code != 0
    output = plain(raw)
    assert "Workflow Progress" in output and "job(s) to run" in output
    assert "✗ failed" in output
    assert "CalledProcessError" not in output, "the failed command line is not repeated"
    assert_each_error_once_and_last(output)


def break_survey(project: Path) -> str:
    """An answer out of range in the survey export (a `script:` rule reads it); the
    respondent's id."""
    export = project / "data/raw/survey/export.csv"
    text = export.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    rows[5]["org_budget"] = "7"
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\r\n"
                            if "\r\n" in text else "\n")
    writer.writeheader()
    writer.writerows(rows)
    export.write_text(buf.getvalue(), encoding="utf-8")
    return rows[5]["response_id"]


@pytest.mark.e2e
def test_a_script_error_at_a_terminal_once_last_and_nothing_under_the_display(
        request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """An analysis script prints its error block to stderr and to its log: at a terminal
    it used to appear twice, the first time written under the progress display (which
    then left pieces of its box on screen). Now nothing but the display writes while it
    is up; the block comes once, after it."""
    project = copy_built(built_tree(request), tmp_path / "project")
    rid = break_survey(project)
    code, raw = at_a_terminal(project, "all")
    assert code != 0
    output = plain(raw)
    first = "error: invalid answer to org_budget"
    assert output.count(first) == 1, output[-4000:]
    assert f"respondent {rid}" in output
    assert output.rstrip().splitlines()[-1].startswith("  what to do:"), output[-2000:]
    # Every frame of the display comes before the first thing a job printed.
    last_frame = max(raw.rfind(ch) for ch in "╭╰│")
    assert last_frame < raw.find(first), "a job wrote while the progress display was up"


@pytest.mark.e2e
def test_a_script_error_without_a_terminal_once_and_last(request: pytest.FixtureRequest,
                                                         tmp_path: Path) -> None:
    project = copy_built(built_tree(request), tmp_path / "project")
    break_survey(project)
    result = run_snakemake(project, "all")
    assert result.returncode != 0
    first = "error: invalid answer to org_budget"
    assert result.stderr.count(first) == 1, result.stderr[-4000:]
    assert result.stderr.rstrip().splitlines()[-1].startswith("  what to do:")


@pytest.mark.e2e
def test_a_piped_cold_build_is_a_compact_log_that_names_every_job(tmp_path: Path) -> None:
    """The starter's cold build through a pipe: four lines per job (it was about 15), in
    Snakemake's words (a rule's line, its outputs and jobid, the step count with the
    job that finished), the job table as one line; the full log in .snakemake/log/."""
    root = tmp_path / "boek"
    assert new.main([str(root), "--lang", "nl"]) == 0
    result = run_snakemake(root, "all")
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stderr.splitlines()
    steps = re.findall(r"^(\d+) of (\d+) steps \(\d+%\) done", result.stderr, re.MULTILINE)
    jobs = int(steps[-1][1])
    assert steps[-1][0] == steps[-1][1] and jobs >= 10
    rules = re.findall(r"^(?:local)?rule (\w+):$", result.stderr, re.MULTILINE)
    assert len(rules) == jobs, rules
    finished = re.findall(r"; Finished jobid: (\d+) ", result.stderr)
    assert len(set(finished)) == jobs
    assert len(lines) <= 4 * jobs + 12, (len(lines), jobs, result.stderr[-3000:])
    assert re.search(r"^Job stats: \d+ job\(s\) of \d+ rule\(s\)$", result.stderr, re.M)
    for noise in ("    input:", "    reason:", "Select jobs to execute", "\nFinished jobid",
                  "SNAKEMAKE\n========="):
        assert noise not in result.stderr, noise
    complete = re.search(r"Complete log\(s\): (\S+)", result.stderr)
    assert complete and "    input:" in Path(complete.group(1)).read_text(encoding="utf-8")


def test_a_failed_job_without_an_error_block_shows_the_end_of_its_log(tmp_path: Path) -> None:
    log = tmp_path / "job.log"
    log.write_text("\n".join(f"regel {i}" for i in range(40)) + "\nTraceback: boom\n",
                   encoding="utf-8")
    report = failure_report([("stap", [str(log)]), ("andere", [str(tmp_path / "weg.log")])])
    assert f"rule stap failed; the end of {log}:" in report
    assert "Traceback: boom" in report and "regel 5\n" not in report
    assert "rule andere failed without a message" in report


def test_the_same_error_from_two_jobs_is_shown_once(tmp_path: Path) -> None:
    block = ("error: unknown number key 'x.y'\n  where:    chapters/a.qmd:3\n"
             "  what to do: check the spelling of the key")
    for name in ("a.log", "b.log"):
        (tmp_path / name).write_text(f"prelude\n{block}\n", encoding="utf-8")
    report = failure_report([("een", [str(tmp_path / "a.log")]),
                             ("twee", [str(tmp_path / "b.log")])])
    assert report == block


def test_a_message_of_several_lines_is_read_whole() -> None:
    """A failed cell's error quotes the cell and its traceback before where/what to do."""
    block = ("error: a Python cell raised ZeroDivisionError: division by zero\n\n"
             ">  206 | gemiddelde = sum(waarden) / (len(waarden) - 3)\n\n"
             "ZeroDivisionError: division by zero\n"
             "  where:    chapters/03-theoretisch-kader.qmd:206\n"
             "  what to do: fix the code or the data it reads and render again")
    assert error_blocks(f"prelude\n{block}\nWorkflowError:\nboom") == [block]
    assert error_blocks("error: no details here\nnext line") == ["error: no details here"]


def test_held_output_and_a_crash_traceback_reach_the_console(tmp_path: Path) -> None:
    """The jobs' output is held while Snakemake runs; if the run dies before the logger
    closes, what was held and the traceback still reach stderr, in order."""
    script = tmp_path / "crash.py"
    script.write_text(
        "import subprocess, sys\n"
        "from proefdruk.console_capture import JobOutput\n"
        "held = JobOutput()\n"
        "subprocess.run([sys.executable, '-c', 'import sys; print(\"from a job\", "
        "file=sys.stderr)'], check=True)\n"
        "raise RuntimeError('the run died')\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
                            timeout=60)
    assert result.returncode == 1
    assert result.stderr.index("from a job") < result.stderr.index("RuntimeError: the run")
