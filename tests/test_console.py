"""What ``snakemake all`` prints (proefdruk/console.py, the default profile's logger).

A real failing build (an unknown citation key in a copy of the clean build) must show
each error block once, last, both as CI sees it (no terminal: Snakemake's own lines) and
as an author at a terminal sees it (a pseudo-terminal: the progress display).
"""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures.robustness.harness import built_tree, copy_built

from conftest import run_snakemake
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


@pytest.mark.e2e
def test_at_a_terminal_a_progress_display_and_each_error_once_last(broken: Path) -> None:
    main, child = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNAKEMAKE")}
    env.update(TERM="xterm", COLUMNS="120",
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}")
    proc = subprocess.Popen([sys.executable, "-m", "snakemake", "all"], cwd=broken,
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
    assert proc.wait(timeout=600) != 0
    output = ANSI.sub("", b"".join(chunks).decode("utf-8", "replace")).replace("\r", "")
    assert "Workflow Progress" in output and "job(s) to run" in output
    assert "✗ failed" in output
    assert "CalledProcessError" not in output, "the failed command line is not repeated"
    assert_each_error_once_and_last(output)


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
