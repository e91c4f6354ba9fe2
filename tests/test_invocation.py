"""Which Snakemake runs may clear a stale lock, and which must refuse beside a live build.

The Snakefile learns what Snakemake is about to do only from the command line, so the
classification is checked against Snakemake's own parser, flag by flag, and through
``setup_environment`` as the Snakefile calls it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
import snakemake

from proefdruk.invocation import RunKind, run_kind
from proefdruk.locks import lock_files
from proefdruk.workflow import setup_environment

MAIN = str(Path(snakemake.__file__).parent / "__main__.py")  # python -m snakemake


@pytest.mark.parametrize(("args", "kind"), [
    (["all"], RunKind.BUILD),
    ([], RunKind.BUILD),
    (["--cores", "2", "all", "--forcerun", "render_chapter"], RunKind.BUILD),
    (["--touch"], RunKind.BUILD),
    (["--report", "r.html", "--report-after-run"], RunKind.BUILD),
    (["-n", "all"], RunKind.QUERY),
    (["-np"], RunKind.QUERY),
    (["--dry-run"], RunKind.QUERY),
    (["--lint"], RunKind.QUERY),
    (["--nolock", "all"], RunKind.QUERY),
    (["--unlock"], RunKind.QUERY),
    (["--summary"], RunKind.QUERY),
    (["--dag"], RunKind.QUERY),
    (["--list-changes", "code"], RunKind.QUERY),
    (["--report", "r.html"], RunKind.QUERY),
    (["--mode", "remote", "--nolock", "results/x.csv"], RunKind.SUBPROCESS),
    (["--mode", "subprocess"], RunKind.SUBPROCESS),
])
@pytest.mark.parametrize("program", ["/venv/bin/snakemake", MAIN])
def test_run_kind(program: str, args: list[str], kind: RunKind) -> None:
    assert run_kind([program, *args]) is kind


def test_other_programs_are_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    """pytest or a script that parses the Snakefile through the API is not classified
    (its arguments could look like targets), and a line Snakemake's parser rejects says
    nothing on the terminal."""
    assert run_kind(["/venv/bin/pytest", "tests/test_x.py"]) is RunKind.UNKNOWN
    assert run_kind([]) is RunKind.UNKNOWN
    assert run_kind(["/venv/bin/snakemake", "--no-such-option"]) is RunKind.UNKNOWN
    assert capsys.readouterr().err == ""


@pytest.fixture
def locked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory holding a lock that no live process owns, as the cwd of this test."""
    locks = tmp_path / ".snakemake" / "locks"
    locks.mkdir(parents=True)
    (locks / "0.input.lock").write_text("data/raw/x.csv\n")
    monkeypatch.chdir(tmp_path)
    for name in ("PYTHONPATH", "SOURCE_DATE_EPOCH", "MPLBACKEND", "PYTHONHASHSEED"):
        monkeypatch.setenv(name, os.environ.get(name, ""))
    monkeypatch.setattr(sys, "path", list(sys.path))
    return tmp_path


def test_build_clears_a_dead_runs_lock(locked: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", [MAIN, "all"])
    setup_environment(locked, 0)
    assert lock_files(locked) == []


def test_cluster_job_leaves_the_lock_alone(locked: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A job on a cluster node sees no Snakemake process there, yet the lock belongs to
    the live run that submitted it, on the login node."""
    monkeypatch.setattr(sys, "argv", [MAIN, "--mode", "remote", "--nolock", "x"])
    setup_environment(locked, 0)
    assert len(lock_files(locked)) == 1
