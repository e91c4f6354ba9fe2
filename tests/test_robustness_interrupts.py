"""Interrupted and concurrent builds: kill -9 at the worst moment, then just rebuild.

A build that is killed (power cut, closed laptop, out of memory) must not leave anything
that the next ``snakemake all`` mistakes for finished work, nor a lock that makes it
refuse. Each case starts from a copy of the session's clean build, makes a step re-run,
kills a process while that step works, runs ``snakemake all`` again and compares every
file under results/ and _book/ with the clean build: byte for byte.

A step is made to re-run with ``--forcerun`` rather than by touching a source: Snakemake
9 compares input checksums, so a touched but unchanged file re-runs nothing, and a
changed source would (rightly) change the provenance records.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest
from fixtures.robustness.harness import built_tree, copy_built, partial_files, snapshot

from conftest import run_snakemake
from proefdruk.errors import BuildError
from proefdruk.locks import (
    clear_stale_locks,
    is_snakemake_command,
    lock_files,
    refuse_second_build,
)

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def built(request: pytest.FixtureRequest) -> Path:
    return built_tree(request)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNAKEMAKE")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def _start(work: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "snakemake", *args], cwd=work,
                            env=_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)


def _wait_for(pred: Callable[[], object], timeout: float, what: str,
              proc: subprocess.Popen | None = None) -> object:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = pred()
        if found:
            return found
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"Snakemake ended before {what}:\n"
                                 + proc.communicate()[0][-3000:])
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _job_process(main: subprocess.Popen, marker: str) -> Callable[[], psutil.Process | None]:
    """A descendant of Snakemake whose command line contains ``marker`` (the job)."""
    def find() -> psutil.Process | None:
        try:
            for child in psutil.Process(main.pid).children(recursive=True):
                try:
                    cmd = " ".join(child.cmdline())
                except psutil.NoSuchProcess:
                    continue
                if marker in cmd and "/bin/sh" not in cmd and "bash" not in cmd.split()[0]:
                    return child
        except psutil.NoSuchProcess:
            return None
        return None
    return find


def _same_as_clean(work: Path, clean: Path) -> None:
    """Every file under results/ and _book/ equals the clean build's.

    Snakemake rebuilds a missing intermediate only when something needs it: after a kill
    the editions and every published result are rebuilt at once, while an intermediate
    (a chapter's resolved AST under results/render/) that the killed job removed waits
    for the next edit that needs it. Such files are asked for explicitly and must then
    come back byte-identical, too.
    """
    want, got = snapshot(clean), snapshot(work)
    missing = sorted(set(want) - set(got))
    published = ("_book/", "results/data/", "results/tables/", "results/figures/",
                 "results/numbers/", "results/fragments/", "results/notices/")
    assert not [p for p in missing if p.startswith(published)], missing
    if missing:
        result = run_snakemake(work, *missing)
        assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
        got = snapshot(work)
    differ = sorted(p for p in set(want) | set(got) if want.get(p) != got.get(p))
    assert not differ, f"after recovery these differ from the clean build: {differ[:12]}"
    assert not partial_files(work), partial_files(work)


@pytest.fixture
def work(built: Path, tmp_path: Path) -> Path:
    return copy_built(built, tmp_path / "project")


def _kill_job_while_it_runs(work: Path, rule: str, command: str, attempts: int = 5) -> str:
    """Force ``rule`` to run, kill -9 its job process, and return Snakemake's output once
    Snakemake has reported the failure. A job can exit just before the signal lands (a
    zombie waiting to be reaped ignores it); that run interrupted nothing and is repeated.
    """
    for _attempt in range(attempts):
        main = _start(work, "all", "--forcerun", rule)
        job = _wait_for(_job_process(main, command), 120, f"the {rule} job", main)
        job.send_signal(signal.SIGKILL)
        out = main.communicate(timeout=600)[0]
        if main.returncode != 0:
            return out
    pytest.fail(f"{rule} finished before each of {attempts} kills landed")


def test_kill_analysis_job_then_rebuild(work: Path, built: Path) -> None:
    """kill -9 of the job process while an analysis rule runs; Snakemake reports the
    failure; the next `snakemake all` completes and equals the clean build."""
    out = _kill_job_while_it_runs(work, "survey_prepare", "survey_prepare")
    assert "survey_prepare" in out
    result = run_snakemake(work, "all")
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    _same_as_clean(work, built)


def test_kill_main_process_while_rendering(work: Path, built: Path) -> None:
    """kill -9 of Snakemake itself (and of its jobs, as a power cut would) while a
    chapter renders: the lock it leaves is cleared with a message, and the next
    `snakemake all` rebuilds the interrupted step and equals the clean build."""
    main = _start(work, "all", "--forcerun", "render_chapter")
    job = _wait_for(_job_process(main, "render-chapter"), 120, "a render-chapter job", main)
    assert lock_files(work), "Snakemake holds no lock while it runs"
    tree = [psutil.Process(main.pid), *psutil.Process(main.pid).children(recursive=True)]
    for proc in tree:
        try:
            proc.send_signal(signal.SIGKILL)
        except psutil.NoSuchProcess:
            continue
    main.wait(timeout=30)
    psutil.wait_procs([job], timeout=30)
    assert lock_files(work), "kill -9 should have left Snakemake's lock behind"
    result = run_snakemake(work, "all")
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-4000:]
    assert "removed a stale Snakemake lock" in log
    assert "cannot be locked" not in log
    assert not lock_files(work)
    _same_as_clean(work, built)


def test_kill_render_job_then_rebuild(work: Path, built: Path) -> None:
    """kill -9 of the PDF job (the longest step of rendering); then rebuild."""
    _kill_job_while_it_runs(work, "book_pdf", "proefdruk pdf")
    result = run_snakemake(work, "all")
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    _same_as_clean(work, built)


def test_two_concurrent_builds(work: Path, built: Path) -> None:
    """Two `snakemake all` in one checkout: the second refuses clearly while the first
    runs (its lock is not mistaken for a stale one), the first finishes cleanly.

    The refusal must come before the second run plans anything: Snakemake's own lock
    check comes after planning, and a plan made while the first run rewrites its outputs
    fails with a misleading "deleted by a concurrent process" (seen in CI)."""
    first = _start(work, "all", "--forcerun", "render_chapter")  # long enough to overlap
    _wait_for(lambda: lock_files(work), 120, "the first run's lock", first)
    second = run_snakemake(work, "all")
    out = first.communicate(timeout=900)[0]
    log2 = second.stdout + second.stderr
    assert first.returncode == 0, out[-4000:]
    assert second.returncode != 0, "the second run did not refuse:\n" + log2[-3000:]
    assert "another Snakemake build is running in this directory" in log2, log2[-3000:]
    assert "cannot be locked" in log2
    assert "concurrent process" not in log2
    assert "removed a stale Snakemake lock" not in log2
    _same_as_clean(work, built)


# --- the stale-lock rule itself, without a build -----------------------------------------

def test_is_snakemake_command() -> None:
    assert is_snakemake_command(["/venv/bin/python", "-m", "snakemake", "all"])
    assert is_snakemake_command(["/venv/bin/python3", "/venv/bin/snakemake", "all"])
    assert is_snakemake_command(["snakemake", "--cores", "2"])
    assert not is_snakemake_command(["bash", "-c", "cd x && snakemake all"])
    assert not is_snakemake_command(["python", "-m", "pytest", "tests/test_snakemake.py"])


def test_stale_lock_is_removed_live_one_kept(tmp_path: Path, capfd) -> None:
    """A lock stays while a Snakemake process works here, and goes once none does."""
    locks = tmp_path / ".snakemake" / "locks"
    locks.mkdir(parents=True)
    (locks / "0.input.lock").write_text("data/raw/x.csv\n")
    (locks / "0.output.lock").write_text("results/x.csv\n")
    stand_in = tmp_path / "snakemake"  # a process whose program is called snakemake
    stand_in.write_text("import time\ntime.sleep(120)\n")
    live = subprocess.Popen([sys.executable, str(stand_in)], cwd=tmp_path)
    try:
        _wait_for(lambda: psutil.Process(live.pid).cmdline()[1:2] == [str(stand_in)], 10,
                  "the stand-in Snakemake process")
        assert clear_stale_locks(tmp_path) == []
        assert len(lock_files(tmp_path)) == 2
        with pytest.raises(BuildError, match=f"cannot be locked(.|\\n)*kill {live.pid}"):
            refuse_second_build(tmp_path)
    finally:
        live.kill()
        live.wait()
    assert len(clear_stale_locks(tmp_path)) == 2
    assert lock_files(tmp_path) == []
    refuse_second_build(tmp_path)  # nobody left to refuse for
    assert "removed a stale Snakemake lock" in capfd.readouterr().err


def test_half_written_files_of_dead_jobs_are_removed(tmp_path: Path) -> None:
    """An atomic write killed between writing and renaming leaves '.name.tmp-PID'; the
    next run removes it when that process is gone, and never touches a live writer's."""
    results = tmp_path / "results" / "tables"
    results.mkdir(parents=True)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    orphan = results / f".x.md.tmp-{dead.pid}"
    orphan.write_text("half")
    live = results / f".y.md.tmp-{os.getpid()}"
    live.write_text("being written")
    kept = results / "x.md"
    kept.write_text("done")
    clear_stale_locks(tmp_path)
    assert not orphan.exists() and live.exists() and kept.exists()


def test_a_wrapper_is_not_a_snakemake_process() -> None:
    """Finding 9: `timeout 900 snakemake all`, `nice` or `/usr/bin/time` around a build
    made the wrapper pass for another live build (refused, "kill <wrapper pid>")."""
    for wrapper in (["timeout", "900"], ["nice", "-n", "10"], ["/usr/bin/time", "-v"],
                    ["env", "FOO=1"]):
        assert not is_snakemake_command([*wrapper, "snakemake", "all"]), wrapper
        assert not is_snakemake_command([*wrapper, "/venv/bin/python", "-m", "snakemake"])
    assert is_snakemake_command(["/usr/bin/python3.11", "-u", "-m", "snakemake", "all"])


@pytest.mark.parametrize("wrapper", [["timeout", "300"], ["nice", "-n", "5"],
                                     ["/usr/bin/time"]])
def test_stale_lock_is_cleared_under_any_wrapper(tmp_path: Path, wrapper: list[str]) -> None:
    """A stale lock and a build started through a wrapper, while an unrelated wrapper
    (whose Snakemake is gone) still runs in the same directory: the lock is cleared."""
    if not Path(wrapper[0]).exists() and not shutil.which(wrapper[0]):
        pytest.skip(f"{wrapper[0]} is not installed")
    root = Path(__file__).resolve().parent.parent
    (tmp_path / "Snakefile").write_text(
        f"import sys\nsys.path.insert(0, {str(root)!r})\n"
        "from proefdruk.workflow import setup_environment\n"
        "setup_environment(workflow.basedir, 0)\n"
        "rule all:\n    output: 'x.txt'\n    shell: 'echo hallo > {output}'\n",
        encoding="utf-8")
    locks = tmp_path / ".snakemake" / "locks"
    locks.mkdir(parents=True)
    (locks / "0.input.lock").write_text("x\n")
    (locks / "0.output.lock").write_text("x.txt\n")
    # A wrapper still alive here whose command line names snakemake, although what it
    # runs is no Snakemake (a stand-in that only sleeps).
    stand_in = tmp_path / "bin" / "snakemake"
    stand_in.parent.mkdir()
    stand_in.write_text("#!/bin/sh\nsleep 120\n", encoding="utf-8")
    stand_in.chmod(0o755)
    leftover = subprocess.Popen(["timeout", "120", str(stand_in)], cwd=tmp_path)
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SNAKEMAKE")}
        done = subprocess.run([*wrapper, sys.executable, "-m", "snakemake", "--cores", "1"],
                              cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=300)
    finally:
        leftover.kill()
        leftover.wait()
    log = done.stdout + done.stderr
    assert done.returncode == 0, log[-3000:]
    assert "removed a stale Snakemake lock" in log
    assert "another Snakemake build" not in log
    assert (tmp_path / "x.txt").read_text() == "hallo\n"
