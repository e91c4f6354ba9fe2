"""When drafts are rendered, shown and replaced by Snakemake's pages.

The drafter is its own thread so that a draft of the newest save starts at once, even
while the build of an older save is still being cancelled (Snakemake may take a second or
two to stop its jobs and clean up). The build loop waits for the draft of its save before
it starts Snakemake: on a small machine the two would otherwise share the cores and the
draft, which the author is waiting for, would come later.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from proefdruk.preview.drafts import Drafts, drafts_apply, tooling_changed
from proefdruk.preview.server import Hub

# The build loop never waits longer than this for a draft (a slow chapter with cells).
WAIT_SECONDS = 30.0


class Drafter(threading.Thread):
    """Render drafts of the open pages for each save, newest save first."""

    def __init__(self, drafts: Drafts, hub: Hub, site: Path,
                 say: Callable[[str], None]) -> None:
        super().__init__(name="preview-drafts", daemon=True)
        self.drafts = drafts
        self.hub = hub
        self.site = site
        self.say = say
        self._cond = threading.Condition()
        self._paths: set[str] = set()
        self._wanted = 0  # the newest save's generation
        self._done = 0  # the newest generation the drafter has finished with
        self._shown: int | None = None  # the generation of the drafts being served
        self._problem: str | None = None  # the error text a draft showed
        self._stopping = False

    def request(self, paths: set[str], generation: int) -> None:
        """A save (``generation``) changed ``paths``: draft it, dropping older work."""
        with self._cond:
            self._paths |= paths
            self._wanted = generation
            self._cond.notify_all()
        self.drafts.cancel()

    def wait(self, generation: int, timeout: float = WAIT_SECONDS) -> None:
        """Until the draft of ``generation`` is shown or given up, or a newer save came."""
        with self._cond:
            self._cond.wait_for(lambda: self._stopping or self._done >= generation
                                or self._wanted > generation, timeout=timeout)

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        self.drafts.cancel()

    def run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._stopping or self._wanted > self._done)
                if self._stopping:
                    return
                paths, self._paths = sorted(self._paths), set()
                generation = self._wanted
            try:
                finished = self._draft(paths, generation)
            except Exception as exc:  # noqa: BLE001 - a draft is only a head start
                self.say(f"no draft: {type(exc).__name__}: {exc}")
                finished = True
            with self._cond:
                if not finished:  # cancelled by a newer save: draft these paths too
                    self._paths |= set(paths)
                self._done = max(self._done, generation)
                self._cond.notify_all()

    def _current(self, generation: int) -> bool:
        with self._cond:
            return generation == self._wanted and not self._stopping

    def _draft(self, paths: list[str], generation: int) -> bool:
        """Draft and show the open pages of the chapters in ``paths``; False when a
        newer save made the work stale."""
        if tooling_changed(paths):
            self.drafts.restart()  # the next draft starts from a fresh import
        open_pages = [p for p in self.hub.open_pages() if (self.site / p).is_file()]
        if not open_pages or not drafts_apply(paths):
            return True
        start = time.monotonic()
        drafts, errors = self.drafts.render(paths, open_pages)
        if not self._current(generation):
            return False
        self._show(drafts, errors, generation, start)
        return True

    def draft_now(self, open_pages: list[str], generation: int) -> None:
        """Draft and show every open page now (the build loop calls this once Snakemake
        has made what they read, after a change other than prose)."""
        start = time.monotonic()
        drafts, errors = self.drafts.render(None, open_pages)
        if self._current(generation):
            self._show(drafts, errors, generation, start)

    def _show(self, drafts: dict[str, Path], errors: list[str], generation: int,
              start: float) -> None:
        """Show the drafts, or the errors that kept a page from being drafted: the same
        message the job gives, at once (Snakemake's run then confirms it). A problem a
        draft showed goes when the next draft succeeds."""
        if errors:
            self._problem = "\n\n".join(errors)
            self.hub.show_problem(self._problem)
            self.say(f"draft failed; the browser shows:\n{self._problem}")
        elif self._problem is not None and self.hub.problem == self._problem:
            self.hub.clear_problem()
            self._problem = None
        if not drafts:
            return
        with self._cond:
            self._shown = generation
        reloaded = self.hub.show_drafts(drafts)
        self.say(f"draft of {', '.join(sorted(drafts))} ({time.monotonic() - start:.1f} s)"
                 + (f"; reloaded {', '.join(reloaded)}" if reloaded else "")
                 + "; Snakemake confirms …")

    def confirm(self, ok: bool, generation: int) -> None:
        """Snakemake has made the open pages of ``generation`` (or failed): serve its
        files instead of the drafts. A draft of this very save that differs from
        Snakemake's page is a bug in the draft renderer: the tab then reloads with
        Snakemake's page (the caller refreshes the tabs) and the log says so."""
        drafts = self.hub.drop_drafts()
        with self._cond:
            shown, self._shown = self._shown, None
        if not drafts:
            return
        if ok and shown == generation:
            for page, path in sorted(drafts.items()):
                if path.read_bytes() != (self.site / page).read_bytes():
                    self.say(f"warning: the draft of {page} differs from the page Snakemake "
                             "made; showing Snakemake's. Please report this (logs/preview.log"
                             " has the run).")
        self.drafts.discard()
