"""W6 and W7: the author's writing loop, measured the way the author feels it.

``proefdruk preview`` runs in a built project with the chapter open in real headless
Chromium. The clock starts when the source file is written and stops when the new text
(W6) or the new number (W7) is in the page's DOM, with the page settled. Between two
edits the preview is left to finish its background work (PDF, DOCX, search index), so
every edit starts from the same state.

The floor is pandoc rendering that one chapter page alone (with citeproc), as in W3.
For W7 the analysis steps the changed answer must rerun are timed as well: Snakemake
making the build products the page's chapter reads after such a change, minus a no-op
run of the same command.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fixtures.editions.browser import Browser  # noqa: E402
from fixtures.preview import Preview  # noqa: E402

WORDS = ("Aldusdan", "Voortsdan", "Derhalvedan", "Evenweldan", "Bovendiendan", "Immersdan",
         "Echterdan", "Kortomdan", "Tevensdan", "Ookaldan")
SETTLED = "document.documentElement.dataset.proefdrukPreview === 'ready'"
TIMEOUT = 900.0


def page_of(project: Path, source: str) -> str:
    book = json.loads((project / "results/render/book.json").read_text(encoding="utf-8"))
    return next(c["href"] for c in book["chapters"] if c.get("source") == source)


def _poll(browser: Browser, expression: str, timeout: float = TIMEOUT) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = browser.evaluate(expression)
        except RuntimeError:  # between documents while the page reloads
            value = None
        if value:
            return value
        time.sleep(0.01)
    raise TimeoutError(expression)


def _loop(project: Path, href: str, reps: int, edit: Callable[[int], str],
          done: Callable[[int, str], str]) -> list[float]:
    """Open ``href`` in the preview; per rep: ``edit`` (returns a token), then time until
    ``done(rep, token)`` (a JavaScript condition) holds in the settled page."""
    seconds = []
    preview = Preview(project)
    try:
        preview.wait_idle(TIMEOUT)
        with Browser(timeout=120) as browser:
            browser.goto(preview.url + href)
            preview.wait_open(href)
            _poll(browser, SETTLED)
            for rep in range(reps):
                start = time.perf_counter()
                token = edit(rep)
                _poll(browser, f"{SETTLED} && ({done(rep, token)})")
                seconds.append(time.perf_counter() - start)
                preview.wait_idle(TIMEOUT)
    finally:
        try:
            preview.stop(timeout=300)
        except Exception as exc:  # never hide the error that ended the loop
            print(f"preview did not stop cleanly: {exc}", file=sys.stderr)
    return seconds


def w6_word_edit(project: Path, chapter: str, reps: int) -> list[float]:
    """Append one new word to ``chapter`` per rep; time until it is on the open page."""
    path = project / chapter
    original = path.read_text(encoding="utf-8").rstrip("\n")

    def edit(rep: int) -> str:
        word = WORDS[rep % len(WORDS)] + str(rep // len(WORDS) or "")
        path.write_text(f"{original} {word}.\n", encoding="utf-8")
        return word

    try:
        return _loop(project, page_of(project, chapter), reps, edit,
                     lambda rep, word: f"document.body.innerText.includes({json.dumps(word)})")
    finally:
        path.write_text(original + "\n", encoding="utf-8")


def w7_survey_answer(project: Path, key: str, reps: int,
                     change: Callable[[Path], str]) -> tuple[list[float], list[str], str]:
    """Flip one survey answer per rep; time until the number ``key`` changes on the page
    of the chapter that uses it. Returns the times, notes and that chapter's source."""
    chapter = next(f"chapters/{p.name}" for p in sorted((project / "chapters").glob("*.qmd"))
                   if f"{{{{< num {key} >}}}}" in p.read_text(encoding="utf-8"))
    number = f"document.querySelector('a.num[data-key=\"{key}\"]').textContent"
    step = project / f"results/numbers/{key.split('.')[0]}.json"
    changes: list[str] = []

    def edit(rep: int) -> str:
        before = json.loads(step.read_text(encoding="utf-8"))["numbers"][key]["display"]
        changes.append(change(project))
        return before

    seconds = _loop(project, page_of(project, chapter), reps, edit,
                    lambda rep, before: f"{number} !== {json.dumps(before)}")
    return seconds, [f"page {page_of(project, chapter)}", *changes], chapter


def analysis_seconds(project: Path, chapter: str, change: Callable[[Path], str],
                     snakemake: Callable[..., list[str]], env: dict[str, str],
                     reps: int) -> float:
    """The analysis steps one changed answer reruns for the page of ``chapter``: Snakemake
    making the build products that chapter reads (its numbers, figures and tables) after
    the same kind of change, minus the same command with nothing to do."""
    plan = subprocess.run([sys.executable, "-m", "proefdruk", "plan"], cwd=project,
                          env=env, check=True, capture_output=True, text=True).stdout
    book = json.loads((project / "results/render/book.json").read_text(encoding="utf-8"))
    cid = next(c["id"] for c in book["chapters"] if c.get("source") == chapter)
    targets = [f for f in json.loads(plan)["inputs"][cid] if f.startswith("results/")]

    def once() -> float:
        start = time.perf_counter()
        subprocess.run(snakemake(*targets), cwd=project, env=env, check=True,
                       capture_output=True)
        return time.perf_counter() - start

    changed = []
    for _ in range(reps):
        change(project)
        changed.append(once())
    idle = statistics.median(once() for _ in range(reps))
    return max(0.0, statistics.median(changed) - idle)


def page_floor(project: Path, chapter: str, reps: int) -> float:
    """pandoc rendering the chapter page alone (markdown to HTML with citeproc)."""
    import pypandoc

    pandoc = pypandoc.get_pandoc_path()
    cite = ["--citeproc", f"--bibliography={project / 'bibliography/references.bib'}",
            f"--csl={project / 'bibliography/dissertatie-nl.csl'}"]
    out = Path(tempfile.mkdtemp()) / "page.html"

    def once() -> float:
        start = time.perf_counter()
        subprocess.run([pandoc, str(project / chapter), "-s", "-o", str(out), *cite],
                       check=True, capture_output=True)
        return time.perf_counter() - start

    return statistics.median(once() for _ in range(reps))
