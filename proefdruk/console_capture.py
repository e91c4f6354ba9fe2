"""The jobs' own output during ``snakemake all``, held back and shown once, at the end.

A job that prints to the console (``promote: …``, a command's summary, an analysis
script's error block) writes straight to the terminal, under the progress display: the
display's redraw then leaves pieces of its box on screen (one even after "Workflow
finished"), the line itself is overwritten, and a script's error block, which the logger
also reads from the job's log, appears twice. The project's logger therefore points the
standard output and error of Snakemake, and so of every job it starts, at a pipe while
it runs, and writes its own lines to the real console. What the jobs printed is shown
after the run, error blocks once and last (:mod:`proefdruk.console`).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
import threading
from typing import TextIO

# The most a run keeps of what its jobs printed (the logs in logs/ have all of it).
LIMIT_BYTES = 1 << 20


class JobOutput:
    """File descriptors of this process (2, and 1 when it is a terminal) redirected into
    pipes, each read by a thread, until :meth:`stop` puts them back. Standard output is
    left alone when it is not a terminal: what a command prints there (``--lint json``)
    stays where a pipe reads it, in order."""

    def __init__(self, use_stdout: bool = False) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        self.fds = (1, 2) if os.isatty(1) else (2,)
        self._saved = {fd: os.dup(fd) for fd in (1, 2)}
        # Where the logger writes: the real console, as Snakemake would have.
        self.console: TextIO = os.fdopen(os.dup(self._saved[1 if use_stdout else 2]), "w",
                                         buffering=1, encoding="utf-8", errors="replace")
        self._chunks: dict[int, list[bytes]] = {fd: [] for fd in self.fds}
        self._size = 0
        self.dropped = 0
        self._threads = []
        for fd in self.fds:
            read, write = os.pipe()
            os.dup2(write, fd)
            os.close(write)
            thread = threading.Thread(target=self._drain, args=(read, fd), daemon=True,
                                      name=f"proefdruk-job-output-{fd}")
            thread.start()
            self._threads.append(thread)
        self._stopped = False
        atexit.register(self._replay)  # whatever ends the run, nothing printed is lost

    def _drain(self, read: int, fd: int) -> None:
        chunks = self._chunks[fd]
        while True:
            try:
                chunk = os.read(read, 65536)
            except OSError:
                return
            if not chunk:
                os.close(read)
                return
            chunks.append(chunk)
            self._size += len(chunk)
            while self._size > LIMIT_BYTES and len(chunks) > 1:
                old = chunks.pop(0)
                self._size -= len(old)
                self.dropped += len(old)

    def _replay(self) -> None:
        """At exit without :meth:`stop` (a crash): the console back, and what was held
        (a traceback, too) written to where it was meant to go."""
        for fd, text in self.stop().items():
            with contextlib.suppress(OSError):
                os.write(fd, text.encode("utf-8", errors="replace"))

    def stop(self) -> dict[int, str]:
        """Put the console back; what the jobs printed, per descriptor (empty after the
        first call)."""
        if self._stopped:
            return {}
        self._stopped = True
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        for fd, saved in self._saved.items():
            if fd in self.fds:
                os.dup2(saved, fd)  # the pipe's last writer here is closed: its reader ends
            os.close(saved)
        for thread in self._threads:  # a job still running may hold a pipe: do not hang
            thread.join(timeout=5)
        out = {fd: b"".join(chunks).decode("utf-8", errors="replace")
               for fd, chunks in self._chunks.items()}
        if self.dropped:
            out[2] = (f"[{self.dropped} bytes of earlier job output left out; the jobs' "
                      f"logs in logs/ have all of it]\n" + out.get(2, ""))
        return out
