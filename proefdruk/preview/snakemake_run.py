"""One Snakemake run for the preview: started, cancelled cleanly, its errors read back.

The preview never writes a build output itself: Snakemake stays the one source of truth
for what is stale and how it is made, so a page in the preview is one that ``snakemake
all`` would write from the same sources (a draft shown ahead of a run,
:mod:`proefdruk.preview.drafter`, is replaced by the page the run makes). A run is a
child process in its own process group; cancelling it sends SIGINT to that group, exactly
what Ctrl-C in a terminal does, so Snakemake stops its jobs, removes their incomplete
outputs and releases its lock before it exits.
"""

from __future__ import annotations

import base64
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from proefdruk.console import error_blocks
from proefdruk.locks import BUILD_DIRS, clear_stale_locks
from proefdruk.preview.forkserver import Helper

__all__ = ["Outcome", "SnakemakeRunner", "error_blocks", "failed_outputs", "failure_summary"]

RULE_LINE = re.compile(r"^\s*(?:local)?(?:rule|checkpoint) (\w+):(?:[ \t].*)?$", re.MULTILINE)
CANCEL_GRACE_SECONDS = 30.0
HELPER = "proefdruk.preview.warm"
STEPS = re.compile(r"^(\d+) of (\d+) steps \((\d+%)\) done", re.MULTILINE)


@dataclass
class Outcome:
    """What one run did: its targets, whether it succeeded or was cancelled, the error
    blocks it printed (each once), and the rules whose jobs ran."""

    targets: tuple[str, ...]
    returncode: int
    cancelled: bool
    seconds: float
    output: str
    problems: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    failed_outputs: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.cancelled


def failed_outputs(output: str) -> list[str]:
    """The outputs of the jobs that failed (Snakemake's "Error in rule …" blocks)."""
    found: list[str] = []
    for block in output.split("Error in rule ")[1:]:
        m = re.search(r"^\s+output: (.*)$", block.split("\n\n", 1)[0], flags=re.MULTILINE)
        if m:
            found += [p.strip() for p in m.group(1).split(",") if p.strip()]
    return sorted(set(found))


def failure_summary(output: str, limit: int = 30) -> str:
    """When a run failed without a proefdruk error block (a crash, a Snakemake error):
    Snakemake's own message, from its first error line on, shortened."""
    lines = output.rstrip().splitlines()
    start = next((i for i, ln in enumerate(lines)
                  if re.search(r"(Error|Exception)\b", ln)), max(0, len(lines) - limit))
    tail = lines[start:start + limit]
    return "\n".join(tail) or "snakemake failed without a message"


def remove_incomplete(root: Path) -> list[Path]:
    """Delete the outputs of jobs that an interrupt stopped halfway.

    On Ctrl-C Snakemake kills its jobs but, unlike after an ordinary failure, leaves
    their outputs in place, only marked incomplete in ``.snakemake/incomplete/`` (one
    file per output, named by the URL-safe base64 of its path, split into ``@``-prefixed
    folders when long) for the next run to redo. The preview promises no half-written
    output, so those files go now; the mark stays and Snakemake redoes the job next
    time. Only files inside the build folders are touched.
    """
    marks = root / ".snakemake" / "incomplete"
    removed: list[Path] = []
    if not marks.is_dir():
        return removed
    for mark in marks.rglob("*"):
        if not mark.is_file():
            continue
        rel = mark.relative_to(marks).parts
        encoded = "".join(p.removeprefix("@") for p in rel)
        try:
            name = base64.urlsafe_b64decode(encoded).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            continue
        path = (root / name).resolve()
        if not path.is_relative_to(root.resolve()):
            continue
        inside = path.relative_to(root.resolve()).parts
        if not inside or inside[0] not in BUILD_DIRS or not path.is_file():
            continue
        path.unlink()
        removed.append(path)
    return removed


def snakemake_env() -> dict[str, str]:
    """The environment for a child Snakemake: this interpreter's scripts first on PATH,
    and no SNAKEMAKE_* variables of an outer run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNAKEMAKE")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


class SnakemakeRunner:
    """Runs one Snakemake at a time in ``root``; :meth:`cancel` may come from any thread.

    With ``warm`` (the default) runs are forked from a Snakemake that has already been
    imported (:mod:`proefdruk.preview.warm`), which saves its start-up on every save;
    without it, or if that helper is gone, each run starts a helper of its own. Either
    way a run dies with the preview, even a preview killed with ``kill -9``
    (:mod:`proefdruk.preview.forkserver`).
    """

    def __init__(self, root: Path, log: Path, warm: bool = True,
                 progress: Callable[[str], None] | None = None) -> None:
        self.root = root
        self.log = log
        self.progress = progress
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._done = threading.Event()
        self._done.set()
        self._cancelled = False
        self._warm = Helper(HELPER, root, snakemake_env()) if warm else None

    def _started(self, pid: int) -> None:
        with self._lock:
            self._pid = pid

    def _run_in(self, helper: Helper, args: list[str]) -> tuple[int, str] | None:
        out = self.log.with_name(self.log.stem + "-run.out")
        out.write_bytes(b"")
        finished = threading.Event()
        follower = threading.Thread(target=self._follow, args=(out, finished), daemon=True)
        if self.progress is not None:
            follower.start()
        try:
            code = helper.run(args, out, self._started)
        finally:
            finished.set()
            if follower.is_alive():
                follower.join(timeout=5)
        output = out.read_text(encoding="utf-8", errors="replace")
        out.unlink(missing_ok=True)
        return None if code is None else (code, output)

    def _run_cold(self, args: list[str]) -> tuple[int, str]:
        helper = Helper(HELPER, self.root, snakemake_env())
        try:
            result = self._run_in(helper, args)
        finally:
            helper.close()
        return result or (1, "the preview's Snakemake helper ended before the run finished")

    def _follow(self, out: Path, finished: threading.Event) -> None:
        """Report Snakemake's "N of M steps (P%) done" as the run goes."""
        last = None
        while True:
            done = finished.wait(0.3)
            try:
                found = STEPS.findall(out.read_text(encoding="utf-8", errors="replace"))
            except OSError:
                found = []
            if found and found[-1] != last and self.progress is not None:
                last = found[-1]
                self.progress(f"{last[0]} of {last[1]} steps ({last[2]})")
            if done:
                return

    def run(self, targets: list[str], extra: list[str] | None = None) -> Outcome:
        """Build ``targets`` and wait; the full output goes to the preview log."""
        args = [*(extra or []), *targets]
        start = time.monotonic()
        with self._lock:
            self._cancelled = False
            self._done.clear()
        self.log.parent.mkdir(parents=True, exist_ok=True)
        try:
            result = self._run_in(self._warm, args) if self._warm is not None else None
            if result is None:
                result = self._run_cold(args)
        finally:
            with self._lock:
                cancelled = self._cancelled
                self._pid = None
                self._done.set()
        code, output = result
        seconds = time.monotonic() - start
        with self.log.open("a", encoding="utf-8") as fh:
            fh.write(f"$ snakemake {' '.join(args)}\n{output}\n"
                     f"[exit {code}{', cancelled' if cancelled else ''}, {seconds:.2f} s]\n\n")
        outcome = Outcome(tuple(targets), code, cancelled, seconds, output,
                          rules=RULE_LINE.findall(output))
        if not outcome.ok and not cancelled:
            outcome.problems = error_blocks(output) or [failure_summary(output)]
            outcome.failed_outputs = failed_outputs(output)
        if cancelled:
            # A child that had to be killed cannot release its lock; nobody holds it now.
            clear_stale_locks(self.root)
            remove_incomplete(self.root)
        return outcome

    def cancel(self) -> bool:
        """Stop the running build as Ctrl-C would; True if one was running."""
        with self._lock:
            if self._done.is_set():
                return False
            self._cancelled = True
        threading.Thread(target=self._stop, daemon=True).start()
        return True

    def _stop(self) -> None:
        for sig, wait in ((signal.SIGINT, CANCEL_GRACE_SECONDS), (signal.SIGTERM, 5.0),
                          (signal.SIGKILL, 5.0)):
            deadline = time.monotonic() + 10
            while True:  # the run may not have its process yet
                with self._lock:
                    pid = self._pid
                if pid is not None or self._done.is_set() or time.monotonic() > deadline:
                    break
                time.sleep(0.01)
            if pid is None:
                return
            for _ in range(100):
                try:
                    # A forked child makes its own process group first thing; until
                    # then the group does not exist yet.
                    os.killpg(pid, sig)
                    break
                except ProcessLookupError:
                    if self._done.wait(timeout=0.01):
                        return
            if self._done.wait(timeout=wait):
                return

    def wait_idle(self, timeout: float = CANCEL_GRACE_SECONDS + 15) -> None:
        """Block until no run is in progress (after :meth:`cancel`)."""
        self._done.wait(timeout=timeout)

    def restart(self) -> None:
        """A Python file of the project changed: the warm helper holds the old module,
        so the next run starts from a new one (call between runs)."""
        if self._warm is not None:
            old, self._warm = self._warm, Helper(HELPER, self.root, snakemake_env())
            old.close()

    def close(self) -> None:
        """End the warm helper (after the last run)."""
        if self._warm is not None:
            self._warm.close()
