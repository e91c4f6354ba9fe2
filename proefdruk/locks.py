"""Remove Snakemake's directory lock when the run that took it is dead.

Snakemake locks the working directory (``.snakemake/locks/N.input.lock`` and
``N.output.lock``) for the duration of a run and removes the lock when it exits. When the
main process is killed (``kill -9``, a closed laptop lid that ends the session, an
out-of-memory kill) the lock stays, and every later ``snakemake all`` refuses with
"Directory cannot be locked" until someone finds ``--unlock``. A dissertation is rebuilt
by people who are not engineers, so a lock that nobody holds any more is cleared here.

The lock files name no process, so "nobody holds it" is decided the only way left: no
other live Snakemake process has this directory as its working directory. When one does,
the lock is left alone and the second run refuses clearly, as Snakemake intends; two
concurrent runs never write the same outputs.

This must run while the Snakefile is parsed (``proefdruk.workflow.setup_environment``):
Snakemake reads and takes its lock only after parsing, so a stale lock removed here is
gone before Snakemake looks. For the same reason a second build is refused here, by
:func:`refuse_second_build`: Snakemake itself would only refuse after working out its
plan, and while it does so the first build is deleting and rewriting the very files it
inspects, so it may stop with a misleading "file was deleted by a concurrent process".
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path

import psutil

from proefdruk.errors import BuildError

LOCK_DIR = Path(".snakemake") / "locks"
# proefdruk.provenance.atomic_write_* write ".<name>.tmp-<pid>" and rename it into place;
# a process killed between the two leaves the temporary file behind.
TEMP_NAME = re.compile(r"^\..+\.tmp-(\d+)$")
BUILD_DIRS = ("results", "_book")
# Modules that run Snakemake builds: Snakemake itself, and the preview's fork server
# (proefdruk.preview.warm), whose children are Snakemake runs under its command line.
SNAKEMAKE_MODULES = ("snakemake", "proefdruk.preview.warm")


def lock_files(workdir: str | Path) -> list[Path]:
    """The lock files Snakemake left in ``workdir`` (empty when there is no lock)."""
    folder = Path(workdir) / LOCK_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name.endswith(".lock"))


def is_snakemake_command(cmdline: Iterable[str]) -> bool:
    """Whether a command line *is* Snakemake (``snakemake …``, ``python -m snakemake …``,
    ``python /venv/bin/snakemake …``), not merely mentions it.

    The program itself must be Snakemake or a Python interpreter running it. A wrapper
    (``timeout 900 snakemake all``, ``nice``, ``/usr/bin/time``, ``bash -c "… snakemake
    all"``) is not a Snakemake process: the Snakemake it started is its child and is found
    on its own, and a wrapper whose Snakemake was killed must not pass for a live build.
    """
    args = list(cmdline)
    if not args:
        return False
    program = os.path.basename(args[0])
    if program == "snakemake" or program.startswith("snakemake-script"):
        return True
    if not re.match(r"^python[0-9.]*$", program):
        return False
    rest = args[1:]
    while rest and rest[0].startswith("-") and rest[0] != "-m":
        rest = rest[1:]  # interpreter options such as -u
    if rest[:1] == ["-m"]:
        return len(rest) > 1 and rest[1] in SNAKEMAKE_MODULES
    return bool(rest) and os.path.basename(rest[0]) == "snakemake"


def live_snakemake_here(workdir: str | Path, me: int | None = None) -> list[int]:
    """Process ids of other live Snakemake processes whose working directory is ``workdir``."""
    target = Path(workdir).resolve()
    me = os.getpid() if me is None else me
    # The processes this one runs under (the preview's fork server) are not another build.
    try:
        mine = {me, *(p.pid for p in psutil.Process(me).parents())}
    except psutil.Error:
        mine = {me}
    found = []
    for proc in psutil.process_iter(["pid", "cmdline", "status"]):
        try:
            if proc.pid in mine or proc.info["status"] == psutil.STATUS_ZOMBIE:
                continue
            if not is_snakemake_command(proc.info["cmdline"] or []):
                continue
            if Path(proc.cwd()).resolve() == target:
                found.append(proc.pid)
        except (psutil.NoSuchProcess, psutil.AccessDenied, FileNotFoundError):
            continue
    return sorted(found)


def orphaned_temp_files(workdir: str | Path) -> list[Path]:
    """Temporary files of atomic writes whose writing process no longer exists."""
    found = []
    for name in BUILD_DIRS:
        for dirpath, _, files in os.walk(Path(workdir) / name):
            for f in files:
                m = TEMP_NAME.match(f)
                if m and not psutil.pid_exists(int(m.group(1))):
                    found.append(Path(dirpath) / f)
    return sorted(found)


def clear_stale_locks(workdir: str | Path | None = None) -> list[Path]:
    """Remove the locks in ``workdir`` (default: here) if no live Snakemake holds them,
    and the temporary files that killed jobs left half-written.

    Returns the lock files removed and says so on stderr; returns nothing and leaves the
    lock when another Snakemake process runs in this directory.
    """
    workdir = Path.cwd() if workdir is None else Path(workdir)
    for temp in orphaned_temp_files(workdir):
        temp.unlink(missing_ok=True)
    stale = lock_files(workdir)
    if not stale or live_snakemake_here(workdir):
        return []
    removed = []
    for path in stale:
        try:
            path.unlink()
            removed.append(path)
        except FileNotFoundError:
            continue
    if removed:
        print(
            f"proefdruk: removed a stale Snakemake lock in {workdir / LOCK_DIR} "
            f"({len(removed)} file(s)): the run that took it is no longer alive "
            "(killed or crashed). Unfinished outputs of that run are rebuilt.",
            file=sys.stderr,
        )
    return removed


def refuse_second_build(workdir: str | Path | None = None) -> None:
    """Stop a build at once when another Snakemake build holds this directory's lock.

    Called only for runs that will build (not for dry runs, ``--lint`` or cluster jobs),
    after :func:`clear_stale_locks`, so a lock still present here belongs to a live run.
    Nothing has been read or written yet when this refuses.
    """
    workdir = Path.cwd() if workdir is None else Path(workdir)
    if not lock_files(workdir):
        return
    others = live_snakemake_here(workdir)
    if not others:
        return
    pids = ", ".join(str(pid) for pid in others)
    raise BuildError(
        "another Snakemake build is running in this directory, so it cannot be locked "
        "for a second one; nothing was changed",
        file=workdir / LOCK_DIR,
        expected="no other build running here",
        found=f"a lock held by the live Snakemake process(es) {pids}",
        hint="wait for that build to finish and run `snakemake all` again (it then does "
             "only what is left), or stop it first (kill " + pids + "); a dry run "
             "(`snakemake -n`) may run alongside it",
    )
