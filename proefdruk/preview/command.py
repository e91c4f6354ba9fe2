"""``proefdruk preview``: the author's writing loop.

Serve the book (its staging folder) on 127.0.0.1, watch the sources, and after each save
let Snakemake bring the open pages up to date first and the rest of the book after (see
:mod:`proefdruk.preview.builder`). Started from the project root; Ctrl-C stops the build
that runs (Snakemake removes its incomplete outputs and its lock) and then the server.
"""

from __future__ import annotations

import signal
import sys
import threading
import time
import webbrowser
from pathlib import Path

import yaml
from watchfiles import watch

from proefdruk.errors import BuildError
from proefdruk.preview.builder import Builder
from proefdruk.preview.drafter import Drafter
from proefdruk.preview.drafts import Drafts
from proefdruk.preview.server import PreviewServer
from proefdruk.preview.snakemake_run import SnakemakeRunner
from proefdruk.preview.watch import ContentChanges, SourceFilter, relative
from proefdruk.promote import quarto_staging_folder, staging_folder

# Bursts of saves (an editor writing a backup, then the file) come as one change: the
# watcher waits this long after the last event before reporting. An editor's burst
# takes a few milliseconds; every millisecond here is one the author waits.
SETTLE_MS = 30
MAX_BURST_MS = 1000


def site_folder(root: Path, quarto: bool | None = None) -> str:
    """Where the build renders the book's output folder (``project: output-dir``) before
    it is promoted: the preview shows a page as soon as it is rendered, while _book/
    changes only when every edition of a build succeeded (proefdruk.promote). Under real
    Quarto it is Quarto's own staging folder; ``quarto`` says so when the caller already
    knows (:func:`renders_with_quarto` reads and checks the options)."""
    path = root / "_quarto.yml"
    if not path.is_file():
        raise BuildError("no _quarto.yml here: the preview starts from the project root",
                         file=path, expected="the project root (where _quarto.yml is)",
                         found=f"{root}", hint="cd to the project and run `proefdruk preview`")
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    output_dir = str((data.get("project") or {}).get("output-dir") or "_book")
    if renders_with_quarto(root) if quarto is None else quarto:
        return quarto_staging_folder(output_dir)
    return staging_folder(output_dir)


def renders_with_quarto(root: Path) -> bool:
    """Whether real Quarto makes the editions (config ``render.quarto``): it renders its
    own staging folder whole, so the preview serves that folder and builds it as one
    target. A configuration that does not pass its check counts as the built-in
    renderer: the build that follows reports the problem."""
    from proefdruk.errors import BuildErrors
    from proefdruk.preview.fastpage import load_config
    from proefdruk.render.workflow.book_rules import quarto_binary

    try:
        config = load_config(root)
    except (BuildError, BuildErrors, OSError, ValueError, yaml.YAMLError):
        return False
    return quarto_binary(config["render"]["quarto"]) is not None


class Console:
    """Short lines with the time; on a terminal, the running build's progress as one
    line that updates in place (not in logs or pipes, which keep only the summaries)."""

    def __init__(self) -> None:
        self.live = sys.stderr.isatty()
        self._lock = threading.Lock()
        self._progress = False

    def say(self, text: str) -> None:
        with self._lock:
            if self._progress:
                sys.stderr.write("\r\033[K")
                self._progress = False
            print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)

    def progress(self, text: str) -> None:
        with self._lock:
            sys.stderr.write(f"\r\033[K  … {text}")
            sys.stderr.flush()
            self._progress = True


def run(root: Path, port: int = 0, open_browser: bool = False) -> int:
    """Serve, watch and build until Ctrl-C (or SIGTERM); returns the exit status."""
    # Ctrl-C must stop the preview even when it was started with SIGINT ignored (as a
    # background job of a script is); the builds it starts then inherit the default too.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    root = root.resolve()
    site = site_folder(root)
    try:
        server = PreviewServer(root / site, port)
    except OSError as exc:
        raise BuildError(f"the preview cannot listen on 127.0.0.1:{port}", field="--port",
                         expected="a free port on this machine", found=str(exc),
                         hint="leave out --port (a free port is chosen and printed), or "
                              "choose another") from None
    console = Console()
    runner = SnakemakeRunner(root, root / "logs" / "preview.log",
                             progress=console.progress if console.live else None)
    drafts = Drafts(root)
    drafter = Drafter(drafts, server.hub, root / site, console.say)
    builder = Builder(runner, server.hub, site, console.say, drafter)
    stop = threading.Event()

    def terminate(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, terminate)
    server.start()
    print(f"Preview of {site}/ at {server.url}  (Ctrl-C stops)", flush=True)
    if open_browser:
        webbrowser.open(server.url)
    keep = SourceFilter(root)
    content = ContentChanges()
    content.prime(root, keep)
    drafter.start()
    builder.start()
    try:
        for changes in watch(root, watch_filter=keep, debounce=MAX_BURST_MS,
                             step=SETTLE_MS, stop_event=stop, raise_interrupt=True):
            paths = content({path for _, path in changes})
            if paths:
                builder.changed(relative(root, paths))
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        console.say("stopping: cancelling the running build …")
        builder.stop()
        runner.wait_idle()
        builder.join(timeout=10)
        drafter.join(timeout=10)
        runner.close()
        drafts.close()
        server.stop()
        signal.signal(signal.SIGTERM, previous)
        console.say("stopped.")
    return 0
