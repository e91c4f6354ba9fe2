"""The preview's end of the page renderer (:mod:`proefdruk.preview.fastpage`).

Drafts are pages rendered ahead of Snakemake into a private folder, one subfolder per
request, so that a page being served is never overwritten. The helper keeps the tooling
imported; an edit to anything but a chapter source may change the tooling, so the
helper is then restarted before it renders again.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import tempfile
import threading
from pathlib import Path

from proefdruk.console import error_blocks
from proefdruk.preview.fastpage import HELPER, helper_env
from proefdruk.preview.forkserver import Helper

CHAPTER_SUFFIX = ".qmd"
TOOLING = ("proefdruk/", "_extensions/")


def tooling_changed(paths: list[str]) -> bool:
    """Whether code the helper may hold in memory changed: Python modules (the tooling's
    or the study's) and the tooling's and extension's other files."""
    return any(p.endswith(".py") or p.startswith(TOOLING) for p in paths)


def drafts_apply(paths: list[str]) -> bool:
    """Whether a save of ``paths`` may be shown as a draft first: only chapter sources
    changed (prose), so everything else a page reads is what Snakemake has made."""
    return bool(paths) and all(p.endswith(CHAPTER_SUFFIX) for p in paths)


class Drafts:
    """Render drafts of open pages in a warm helper; one request at a time."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folder = Path(tempfile.mkdtemp(prefix="proefdruk-preview-"))
        self._lock = threading.Lock()
        self._busy = threading.Lock()  # one request at a time, from either thread
        self._pid: int | None = None
        self._out: Path | None = None  # the folder of the request in progress
        self._count = 0
        self._helper = self._start()

    def _start(self) -> Helper:
        return Helper(HELPER, self.root, helper_env())

    def _started(self, pid: int) -> None:
        with self._lock:
            self._pid = pid

    def _ask(self, request: dict[str, object]) -> tuple[object, list[str]]:
        """One request to the helper (one at a time): its result (None when it failed
        or was cancelled) and the error blocks its steps printed."""
        with self._busy:
            self._count += 1
            out = self.folder / str(self._count)
            out.mkdir()
            with self._lock:
                self._out = out
            if not self._helper.alive():
                self._helper = self._start()
            code = self._helper.run([json.dumps({**request, "out": str(out)})],
                                    out / "output.txt", self._started)
            with self._lock:
                self._pid, self._out = None, None
            try:
                errors = error_blocks((out / "output.txt").read_text("utf-8", "replace"))
            except OSError:
                errors = []
            result = out / "result.json"
            if code != 0 or not result.is_file():
                return None, errors
            return json.loads(result.read_text("utf-8")), errors

    def render(self, changed: list[str] | None, open_pages: list[str]
               ) -> tuple[dict[str, Path], list[str]]:
        """Drafts of the ``open_pages`` whose chapter source is among ``changed`` (all of
        them when None): page -> file, and the error blocks of the pages that failed (a
        typed number, an unknown citation key: the very messages the rules' jobs give)."""
        result, errors = self._ask({"changed": changed, "open": open_pages})
        pages = {page: Path(p) for page, p in result.items()} if isinstance(result, dict) else {}
        return pages, errors

    def cancel(self) -> None:
        """Stop a render in progress (a newer save makes it stale)."""
        with self._lock:
            pid = self._pid
        if pid is not None:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def restart(self) -> None:
        """The tooling may have changed: the next render starts from a fresh import."""
        with self._busy:
            old, self._helper = self._helper, self._start()
        old.close()

    def discard(self) -> None:
        """Delete the request folders of drafts no longer served (all but the one a
        request in progress writes)."""
        with self._lock:
            busy = self._out
        for sub in self.folder.iterdir():
            if sub != busy:
                shutil.rmtree(sub, ignore_errors=True)

    def close(self) -> None:
        self.cancel()
        self._helper.close()
        shutil.rmtree(self.folder, ignore_errors=True)
