"""The preview's build side without a browser: errors read once, the watch filter, and a
real Snakemake run cancelled the way a newer save cancels it."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import pytest
from watchfiles import Change

from proefdruk.locks import is_snakemake_command
from proefdruk.preview.snakemake_run import SnakemakeRunner, error_blocks, failure_summary
from proefdruk.preview.watch import SourceFilter, build_dirs

BLOCK = """error: unknown citation key 'x2099'
  where:    chapters/05-motieven.qmd:14, field 'x2099'
  expected: an entry in bibliography/references.bib
  found:    x2099
  what to do: add the entry to the .bib file or correct the key"""


def test_each_error_block_is_read_once_whole() -> None:
    output = "\n".join([
        "rule render_chapter:", "    jobid: 3", BLOCK,
        "Error in rule render_chapter:", "    jobid: 3",
        "Logfile logs/render_chapter/05-motieven.log:", "    " + BLOCK.replace("\n", "\n    "),
        "WorkflowError:", "error: typed number\n  where:    chapters/a.qmd:2",
    ])
    assert error_blocks(output) == [BLOCK, "error: typed number\n  where:    chapters/a.qmd:2"]


def test_a_failure_without_a_block_shows_snakemake_s_own_message() -> None:
    out = "Building DAG of jobs...\nMissingInputException in rule x:\nMissing input files"
    assert failure_summary(out).startswith("MissingInputException")


def test_sources_are_watched_and_build_products_are_not(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("/results/\n/verslagen/\n*.pyc\nnotes/\n")
    assert {"results", "verslagen", "_book", ".snakemake"} <= build_dirs(tmp_path)
    assert "notes" not in build_dirs(tmp_path)
    keep = SourceFilter(tmp_path)
    for rel in ("chapters/05.qmd", "_quarto.yml", "data/raw/survey/export.csv",
                "analysis/mrq.py", "_extensions/proefdruk/num.lua", "notes/x.md"):
        assert keep(Change.modified, str(tmp_path / rel)), rel
    for rel in ("results/numbers.json", "_book/index.html", "verslagen/a.md",
                ".snakemake/log/x.log", "chapters/.05.qmd.swp", "chapters/05.qmd~",
                "results/.x.json.tmp-123", "analysis/__pycache__/m.cpython-311.pyc"):
        assert not keep(Change.modified, str(tmp_path / rel)), rel


@pytest.mark.parametrize("warm", [True, False], ids=["forked-warm", "plain"])
def test_cancel_stops_snakemake_like_ctrl_c_no_lock_no_partial_output(
        tmp_path: Path, warm: bool) -> None:
    (tmp_path / "Snakefile").write_text(
        'rule slow:\n    output: "results/out.txt"\n'
        '    shell: "echo half > {output}; test -e go || sleep 60; echo done >> {output}"\n')
    steps: list[str] = []
    runner = SnakemakeRunner(tmp_path, tmp_path / "logs" / "preview.log", warm=warm,
                             progress=steps.append)

    result = {}
    thread = threading.Thread(target=lambda: result.update(o=runner.run(["--cores", "1",
                                                                       "results/out.txt"])))
    thread.start()
    deadline = time.monotonic() + 120
    while not (tmp_path / "results/out.txt").exists():
        assert time.monotonic() < deadline, "the job never started"
        time.sleep(0.05)
    assert runner.cancel()
    thread.join(timeout=60)
    outcome = result["o"]
    assert outcome.cancelled and not outcome.ok
    assert not (tmp_path / "results/out.txt").exists(), "half-written output left behind"
    locks = tmp_path / ".snakemake" / "locks"
    assert not locks.exists() or not any(locks.iterdir()), "lock left behind"
    assert "$ snakemake --cores 1 results/out.txt" in (tmp_path / "logs/preview.log").read_text()
    assert not runner.cancel(), "nothing runs any more"
    # The next run after a cancel finishes the job; a warm runner forks again.
    (tmp_path / "go").touch()
    again = runner.run(["--cores", "1", "results/out.txt"])
    runner.close()
    assert again.ok, again.output[-2000:]
    assert again.rules == ["slow"]
    if warm:  # the console follows the forked run's progress
        assert steps[-1] == "1 of 1 steps (100%)"
    assert (tmp_path / "results/out.txt").read_text() == "half\ndone\n"


def test_the_preview_fork_server_counts_as_a_snakemake_process() -> None:
    assert is_snakemake_command(["/venv/bin/python", "-m", "proefdruk.preview.warm"])
    assert not is_snakemake_command(["/venv/bin/python", "-m", "proefdruk.preview"])


def test_the_outputs_of_failed_jobs_are_read_from_snakemake_s_error_blocks() -> None:
    from proefdruk.preview.snakemake_run import failed_outputs

    out = ("Error in rule render_chapter:\n    message: None\n    jobid: 1\n"
           "    output: results/render/chapters/05.json, results/render/labels/05.json\n"
           "    log: logs/render_chapter/05.log (check log file(s) for error details)\n\n"
           "Shutting down\nError in rule other:\n    jobid: 2\n\n")
    assert failed_outputs(out) == ["results/render/chapters/05.json",
                                   "results/render/labels/05.json"]


def test_a_busy_port_is_a_clear_error_not_a_traceback(tmp_path: Path, capsys) -> None:
    import socket

    from proefdruk.cli import main

    (tmp_path / "_quarto.yml").write_text("project:\n  type: book\n", encoding="utf-8")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["--root", str(tmp_path), "preview", "--port", str(port)]) == 1
    err = capsys.readouterr().err
    assert f"error: the preview cannot listen on 127.0.0.1:{port}" in err
    assert "what to do: leave out --port" in err


def test_outside_a_project_the_preview_says_where_to_start(tmp_path: Path, capsys) -> None:
    from proefdruk.cli import main

    assert main(["--root", str(tmp_path), "preview"]) == 1
    assert "the preview starts from the project root" in capsys.readouterr().err


def test_a_fault_in_the_loop_is_shown_and_the_loop_goes_on(tmp_path: Path) -> None:
    from proefdruk.preview.builder import Builder
    from proefdruk.preview.server import Hub

    said: list[str] = []
    hub = Hub(tmp_path)
    builder = Builder(SnakemakeRunner(tmp_path, tmp_path / "log", warm=False), hub,
                      "_book", said.append)

    def broken(*args: object) -> None:
        raise OSError("disk full")

    builder._guarded(broken)
    assert hub.problem is not None and "OSError: disk full" in hub.problem
    assert "what to do:" in said[-1]


def test_a_new_time_stamp_on_unchanged_content_is_not_a_save(tmp_path: Path) -> None:
    """The workflow re-stamps a changed source when it starts; that is not a new edit."""
    import os

    from proefdruk.preview.watch import ContentChanges

    f = tmp_path / "05.qmd"
    f.write_text("een\n", encoding="utf-8")
    changes = ContentChanges()
    assert changes({str(f)}) == {str(f)}
    os.utime(f)
    assert changes({str(f)}) == set()
    f.write_text("twee\n", encoding="utf-8")
    assert changes({str(f)}) == {str(f)}
    f.unlink()
    assert changes({str(f)}) == {str(f)}


def test_priming_records_sources_only(tmp_path: Path) -> None:
    from proefdruk.preview.watch import ContentChanges

    (tmp_path / "chapters").mkdir()
    (tmp_path / "results").mkdir()
    src, out = tmp_path / "chapters/01.qmd", tmp_path / "results/x.json"
    src.write_text("a", encoding="utf-8")
    out.write_text("b", encoding="utf-8")
    changes = ContentChanges()
    changes.prime(tmp_path, SourceFilter(tmp_path))
    assert changes({str(src)}) == set(), "a primed source with the same content is no save"
    assert changes({str(out)}) == {str(out)}, "build products are not primed"


def test_ctrl_c_stops_the_preview_even_when_started_with_sigint_ignored(tmp_path: Path) -> None:
    """A background job of a script starts with SIGINT ignored; Ctrl-C (or the test's
    SIGINT) must still stop the preview and the build it runs, leaving no lock."""
    import os
    import signal
    import subprocess
    import sys

    (tmp_path / "_quarto.yml").write_text("project:\n  type: book\n", encoding="utf-8")
    (tmp_path / "Snakefile").write_text(
        'rule all:\n    output: "results/x.txt"\n'
        '    shell: "sleep 60; echo x > {output}"\n')
    (tmp_path / "profiles" / "default").mkdir(parents=True)
    (tmp_path / "profiles/default/config.yaml").write_text("cores: 1\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNAKEMAKE")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "proefdruk", "preview"], cwd=tmp_path, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    try:
        assert proc.stdout is not None
        assert re.match(r"Preview of \S*_book/ at http://127\.0\.0\.1:\d+/", proc.stdout.readline())
        deadline = time.monotonic() + 120
        while not (tmp_path / ".snakemake" / "locks").is_dir() or not any(
                (tmp_path / ".snakemake" / "locks").iterdir()):
            assert time.monotonic() < deadline, "the first build never started"
            time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    locks = tmp_path / ".snakemake" / "locks"
    assert not locks.exists() or not any(locks.iterdir()), "lock left behind"
    assert not (tmp_path / "results" / "x.txt").exists()
