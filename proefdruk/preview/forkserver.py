"""A warm helper process that forks a fresh copy of itself per job and dies with the preview.

Most of a short job (a Snakemake run, a chapter page) is spent importing Python modules.
A fork server imports them once; each job then runs in a forked child, a clean copy of
the warm process, in its own session so that a signal to its group reaches everything the
job started. The preview keeps two of them: :mod:`proefdruk.preview.warm` (Snakemake) and
:mod:`proefdruk.preview.fastpage` (the page renderer).

A helper must never outlive the preview, not even one killed with ``kill -9``, which runs
no cleanup: a Snakemake run left behind would hold the project's lock and keep writing.
So the server asks Linux to send it SIGTERM when its parent dies (``PR_SET_PDEATHSIG``;
elsewhere a thread polls the parent), and on SIGTERM it stops the running job's group as
Ctrl-C would, then by force, and exits. Each forked child asks the same of its parent.

Protocol on stdin/stdout, one JSON object per line: ``{"args": [...], "output": path}``
in; ``{"pid": n}`` when the child started and ``{"exit": code}`` when it ended, out.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

PR_SET_PDEATHSIG = 1
# How long a job gets to stop as after Ctrl-C (Snakemake removes its lock and the
# outputs of the jobs it kills) before its whole group is killed.
STOP_GRACE_SECONDS = 5.0


def die_with_parent(parent: int, sig: int = signal.SIGTERM) -> None:
    """Have ``sig`` sent to this process when ``parent`` ends, however it ends."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl")
    except (OSError, AttributeError):  # not Linux: watch the parent instead

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(0.5)
            os.kill(os.getpid(), sig)

        threading.Thread(target=watch, name="parent-watch", daemon=True).start()
    if os.getppid() != parent:  # it ended before the request took effect
        os.kill(os.getpid(), sig)


def stop_group(pid: int, grace: float = STOP_GRACE_SECONDS) -> None:
    """Stop the job whose group leader is ``pid``: SIGINT to the group (as Ctrl-C), then
    SIGKILL once ``grace`` seconds passed; reaps the leader."""
    for sig, wait in ((signal.SIGINT, grace), (signal.SIGKILL, grace)):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done = pid
            if done == pid:
                break
            time.sleep(0.02)
        else:
            continue
        break
    # The leader may be gone while members of its group still run.
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _child(job: Callable[[list[str]], int], args: list[str], output: str,
           child_death_signal: int) -> None:
    """In the forked child: run ``job(args)`` with its output in ``output``; never returns."""
    os.setsid()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    die_with_parent(os.getppid(), child_death_signal)
    fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    code = 1
    try:
        code = job(args)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except KeyboardInterrupt:
        code = 130
    except BaseException:  # noqa: BLE001 - the child reports, the server lives on
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def serve(job: Callable[[list[str]], int], *, after_stop: Callable[[], None] | None = None,
          child_death_signal: int = signal.SIGINT) -> None:
    """Answer job requests on stdin until it closes, or until SIGTERM (the parent died).

    ``after_stop`` runs after a job was stopped that way (Snakemake: remove a lock it
    could not remove itself). A parent process id in ``sys.argv[1]`` ties this server's
    life to it."""
    running: list[int] = []

    def terminate(signum: int, frame: object) -> None:
        for pid in running:
            stop_group(pid)
        if running and after_stop is not None:
            after_stop()
        os._exit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)
    # Ctrl-C in the preview's terminal is the preview's to handle; it cancels the job.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if len(sys.argv) > 1:
        die_with_parent(int(sys.argv[1]))
    out = sys.stdout
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(job, request["args"], request["output"], child_death_signal)
        running.append(pid)
        out.write(json.dumps({"pid": pid}) + "\n")
        out.flush()
        _, status = os.waitpid(pid, 0)
        running.remove(pid)
        out.write(json.dumps({"exit": os.waitstatus_to_exitcode(status)}) + "\n")
        out.flush()


class Helper:
    """The preview's end of a fork server: start it, hand it jobs one at a time, end it."""

    def __init__(self, module: str, cwd: Path, env: dict[str, str]) -> None:
        self.module = module
        # Its own session: Ctrl-C in the preview's terminal is for the preview, which
        # then cancels the job. The preview's process id ties the helper's life to it.
        self.proc = subprocess.Popen(
            [sys.executable, "-m", module, str(os.getpid())], cwd=cwd, env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, start_new_session=True)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def run(self, args: list[str], output: Path, started: Callable[[int], None]) -> int | None:
        """Run one job with its output in ``output``; its exit status, or None when the
        helper is gone (the caller falls back or reports)."""
        if not self.alive():
            return None
        assert self.proc.stdin is not None and self.proc.stdout is not None
        try:
            self.proc.stdin.write(json.dumps({"args": args, "output": str(output)}) + "\n")
            self.proc.stdin.flush()
            started(json.loads(self.proc.stdout.readline())["pid"])
            return int(json.loads(self.proc.stdout.readline())["exit"])
        except (OSError, ValueError, KeyError):
            return None

    def close(self, timeout: float = 10.0) -> None:
        """End the helper after its last job (closing its input ends its loop)."""
        if not self.alive():
            return
        assert self.proc.stdin is not None
        with contextlib.suppress(OSError):
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.terminate()
            self.proc.wait()
