"""What the preview builds after a save, and in which order.

An author looks at one page while writing. After a save the pages open in the browser are
brought up to date first (Snakemake decides what they need: for a prose edit that
chapter's page, for a changed survey answer the analysis steps and the page), and those
tabs reload. Then ``snakemake all`` brings the rest of the book (other pages, the PDF,
the DOCX, the search index, the manifest) up to date in the background. A newer save
cancels whatever still runs for an older one, so the next edit never waits for a PDF.

For a prose edit the open page is shown even before Snakemake has made it: as a draft
rendered by the same steps (:mod:`proefdruk.preview.drafter`), which Snakemake's page
then replaces; the two are compared, and a difference is reloaded and logged. After any
other change Snakemake first makes what the open pages read, then they are drafted.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from proefdruk.preview.drafter import Drafter
from proefdruk.preview.drafts import drafts_apply, tooling_changed
from proefdruk.preview.server import Hub
from proefdruk.preview.snakemake_run import Outcome, SnakemakeRunner

WHOLE_BOOK = "all"
# The rules that make a chapter's page from what it reads (proefdruk/build/rules/editions.smk): the
# page and the site's copies of its images, which a draft carries in its own folder.
PAGE_RULES = ("render_chapter", "chapter_page", "site_media")
# After a draft is shown, Snakemake waits at most this long for the tabs to load it.
SETTLE_SECONDS = 2.0


def with_media(root: Path, pages: list[str]) -> list[str]:
    """The Snakemake targets that show ``pages``: the pages, and the site's copies of the
    images they show. A page only links its images, so asking for the page does not make
    them. With the built-in renderer one job (rule site_media) copies them all, and its
    list of copies is the target. Real Quarto renders its staging folder whole (one
    directory output, images included), so that folder is the one target."""
    if not pages:
        return pages
    from proefdruk.preview.command import renders_with_quarto, site_folder
    from proefdruk.render.editions.media import MEDIA_LIST

    if renders_with_quarto(root):
        return [site_folder(root, quarto=True)]
    return [*pages, MEDIA_LIST]


class Builder(threading.Thread):
    """The build loop: one thread, one Snakemake run at a time."""

    def __init__(self, runner: SnakemakeRunner, hub: Hub, site: str,
                 say: Callable[[str], None], drafter: Drafter | None = None) -> None:
        super().__init__(name="preview-build", daemon=True)
        self.runner = runner
        self.drafter = drafter
        self.hub = hub
        self.site = site
        self.say = say
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._pending: set[str] = set()
        self._generation = 0
        self._problem_outputs: list[str] = []
        self.runs: list[Outcome] = []

    # --- called from other threads ---
    def changed(self, paths: set[str]) -> None:
        """Sources changed: whatever runs now is stale, so cancel it and start over."""
        with self._lock:
            self._pending |= paths
            self._generation += 1
            self.hub.busy = True
            generation = self._generation
        if self.drafter is not None:
            self.drafter.request(paths, generation)
        self.runner.cancel()
        self._wake.set()

    def stop(self) -> None:
        self._stopping.set()
        self.runner.cancel()
        if self.drafter is not None:
            self.drafter.stop()
        self._wake.set()

    # --- the loop ---
    def run(self) -> None:
        self.say("building what is missing (snakemake all) …")
        self._guarded(self._build, [WHOLE_BOOK], self._generation)
        while not self._stopping.is_set():
            with self._lock:
                if not self._pending:
                    self.hub.busy = False
            self._wake.wait()
            self._wake.clear()
            if self._stopping.is_set():
                break
            self.runner.wait_idle()
            with self._lock:
                paths, self._pending = sorted(self._pending), set()
                generation = self._generation
            if not paths:
                continue
            self.say("changed: " + ", ".join(paths))
            if tooling_changed(paths):
                self.runner.restart()  # its warm helper holds the old modules
            self._guarded(self._after_change, paths, generation)

    def _guarded(self, step: Callable[..., object], *args: object) -> None:
        """Run one step of the loop; a fault in the preview itself is reported, shown in
        the browser, and the loop goes on with the next save (the server never dies)."""
        try:
            step(*args)
        except Exception as exc:  # noqa: BLE001 - the loop must survive anything
            text = (f"error: the preview failed: {type(exc).__name__}: {exc}\n"
                    "  what to do: save again to retry; if it repeats, stop the preview "
                    "(Ctrl-C), run `snakemake all`, and report the message")
            self.hub.show_problem(text)
            self.say(text)

    def _stale(self, generation: int) -> bool:
        with self._lock:
            return generation != self._generation

    def _after_change(self, paths: list[str], generation: int) -> None:
        open_pages = [p for p in self.hub.open_pages()
                      if (Path(self.runner.root) / self.site / p).is_file()]
        pages = [f"{self.site}/{p}" for p in open_pages]
        if pages:
            if self.drafter is not None:
                self.drafter.wait(generation)
                if self._stale(generation):
                    return
                if not drafts_apply(paths) and not self._inputs_then_draft(pages, open_pages,
                                                                           generation):
                    return
                self.hub.wait_settled(SETTLE_SECONDS)
                if self._stale(generation):
                    return
            first = self._build(with_media(Path(self.runner.root), pages), generation)
            if first is None or not first.ok:
                return
        self._build([WHOLE_BOOK], generation, background=bool(pages))

    def _inputs_then_draft(self, pages: list[str], open_pages: list[str],
                           generation: int) -> bool:
        """After a change other than prose (data, analysis code, configuration): let
        Snakemake make what the open pages read first (everything upstream of the jobs
        that make them: the analysis steps), then draft the pages from it while Snakemake
        makes the pages themselves. Returns whether to go on (not when that run failed
        or a newer save came)."""
        assert self.drafter is not None
        outcome = self._build(pages, generation, label="what the open pages read",
                              extra=["--omit-from", *PAGE_RULES, "--"])
        if outcome is None or not outcome.ok:
            return False
        self.drafter.draft_now(open_pages, generation)
        return not self._stale(generation)

    def _problem_fixed(self) -> bool:
        """After a successful run: is the problem shown gone? A job that failed had its
        outputs removed; they exist again once it succeeded. (A run can succeed without
        redoing it: Snakemake passes over a missing intermediate whose consumers are up
        to date, e.g. when another file changed.) A failure before any job ran (the
        workflow could not be planned) is fixed by any successful run."""
        root = Path(self.runner.root)
        return all((root / p).exists() for p in self._problem_outputs)

    def _build(self, targets: list[str], generation: int, background: bool = False,
               label: str | None = None, extra: list[str] | None = None) -> Outcome | None:
        """Run Snakemake for ``targets``; report, reload, show or clear the problem.
        None when a newer change (or shutdown) cancelled it."""
        if background:
            self.say("rest of the book in the background (snakemake all) …")
        outcome = self.runner.run(targets, extra)
        self.runs.append(outcome)
        with self._lock:
            stale = generation != self._generation
        if outcome.cancelled or stale or self._stopping.is_set():
            return None
        if self.drafter is not None:
            self.drafter.confirm(outcome.ok, generation)
        reloaded = self.hub.refresh()
        what = label or ", ".join(targets)
        jobs = f"{len(outcome.rules)} job(s)" if outcome.rules else "nothing to do"
        if outcome.ok:
            if self._problem_fixed():
                self._problem_outputs = []
                self.hub.clear_problem()
            tail = f"; reloaded {', '.join(reloaded)}" if reloaded else ""
            self.say(f"ok: {what} ({jobs}, {outcome.seconds:.1f} s){tail}")
        else:
            text = "\n\n".join(outcome.problems)
            self._problem_outputs = outcome.failed_outputs
            self.hub.show_problem(text)
            self.say(f"failed: {what} ({outcome.seconds:.1f} s); the browser shows:\n{text}")
        return outcome
