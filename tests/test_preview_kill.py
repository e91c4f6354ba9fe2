"""A preview killed with ``kill -9`` runs no cleanup of its own: what it started must
still go with it (a Snakemake run left behind would hold the lock and keep writing), and
the next ``snakemake all`` must simply run."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil

from conftest import run_snakemake
from proefdruk.locks import lock_files

SNAKEFILE = """\
rule all:
    input: "results/x.txt"

rule slow:
    output: "results/x.txt"
    shell: "test -e go || sleep 120; echo x > {output}"
"""


def alive(procs: list[psutil.Process]) -> list[psutil.Process]:
    out = []
    for p in procs:
        try:
            if p.status() != psutil.STATUS_ZOMBIE:
                out.append(p)
        except psutil.NoSuchProcess:
            continue
    return out


def test_kill_9_of_the_preview_takes_its_builds_along_and_leaves_no_lock(
        tmp_path: Path) -> None:
    (tmp_path / "_quarto.yml").write_text("project:\n  type: book\n", encoding="utf-8")
    (tmp_path / "Snakefile").write_text(SNAKEFILE, encoding="utf-8")
    (tmp_path / "profiles" / "default").mkdir(parents=True)
    (tmp_path / "profiles/default/config.yaml").write_text("cores: 1\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNAKEMAKE")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "proefdruk", "preview"], cwd=tmp_path, env=env,
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True)
    try:
        assert proc.stdout is not None
        assert re.match(r"Preview of \S*_book/ at http://", proc.stdout.readline())
        preview = psutil.Process(proc.pid)
        deadline = time.monotonic() + 120
        # The first build runs: its job (sleep) is a descendant of the preview.
        while not any(c.name() == "sleep" for c in alive(preview.children(recursive=True))):
            assert time.monotonic() < deadline, "the first build never started its job"
            time.sleep(0.1)
        started = preview.children(recursive=True)
        assert len(started) >= 3, started  # helper, Snakemake, the job's shell and sleep
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        deadline = time.monotonic() + 10
        while left := alive(started):
            assert time.monotonic() < deadline, f"left behind: {[p.cmdline() for p in left]}"
            time.sleep(0.1)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert lock_files(tmp_path) == [], "a lock was left behind"
    (tmp_path / "go").touch()
    result = run_snakemake(tmp_path, "all")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert (tmp_path / "results/x.txt").read_text() == "x\n"
