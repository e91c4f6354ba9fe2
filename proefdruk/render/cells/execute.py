"""Executable code cells in a chapter: run them in a Jupyter kernel, or serve the cache.

The renderer calls :func:`run_cells` on a chapter's markdown before pandoc parses it.
Every ```` ```{python} ```` cell and inline `` `{python} expr` `` is replaced by the
markdown of its output (Quarto's meaning of the ``#|`` options and of ``execute:`` in
``_quarto.yml``, ``_metadata.yml`` and the front matter).

Why a cache of our own: Quarto's freeze hashes only the cell source, so a changed CSV is
served stale. Here the kernel records every project file the cells open (an audit hook,
see :mod:`proefdruk.render.cells.kernel_boot`) and the cache entry stores their SHA-256; an entry
is served only while all of them are unchanged. An unchanged chapter never starts a kernel;
prose edits do not invalidate it (only cell sources, options and inputs are in the key).

Text without cells returns at once, without importing YAML, nbclient or the kernel code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from proefdruk.errors import BuildError
from proefdruk.render.cells import kernel_options as options

__all__ = ["CellResult", "run_cells"]


@dataclass
class CellResult:
    """A chapter with its cells replaced by their output.

    ``reads`` are the project files the cells read (project-relative, sorted, unique), for
    the renderer's dependency tracking; ``executed`` is False when served from the cache.
    """

    text: str
    reads: list[str]
    executed: bool


_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n]*?)[ \t]*$")
_PYTHON_INFO = re.compile(r"^\{\s*python\s*\}$")
_VERBATIM_INFO = re.compile(r"^\{\{\s*python\s*\}\}$")
_PYTHON_LIKE = re.compile(r"^\{\s*python")  # {python3}, {python echo=false}: not valid
_INLINE = re.compile(r"^\{python\}[ \t]+(?P<expr>.+?)\s*$", re.S)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


@dataclass
class Chunk:
    """One thing to run: a fenced cell or an inline expression, in document order."""

    kind: Literal["cell", "inline"]
    code: str
    line: int
    start: int
    end: int
    cell_options: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    lines: int = 1


@dataclass
class Parsed:
    """The chapter split into what runs and what is copied; ``literals`` are edits that
    show a ```` ```{{python}} ```` cell verbatim, as Quarto does."""

    chunks: list[Chunk]
    literals: list[tuple[int, int, str]]
    front_matter: dict[str, Any]


def run_cells(text: str, source: Path, *, root: Path, cache_dir: Path) -> CellResult:
    """Replace every cell of ``text`` (the chapter ``source``) by its output markdown.

    Cells run with ``root`` (the project root) as working directory, in document order, in
    one kernel per chapter. Figures are written to ``cache_dir`` and referenced by a path
    relative to the chapter's folder (Quarto's rule for image paths). Raises
    :class:`BuildError` naming the chapter, the line and the traceback when a cell raises
    (unless the cell says ``error: true``).
    """
    if "python" not in text:  # the hot path: most chapters have no cells
        return CellResult(text=text, reads=[], executed=False)
    root = Path(root).resolve()
    cache_dir = Path(cache_dir)
    if not cache_dir.is_absolute():
        cache_dir = root / cache_dir
    source = Path(source) if Path(source).is_absolute() else root / source
    chapter = options.relative(source, root)

    parsed = parse_chapter(text, chapter)
    if not parsed.chunks:
        out = _splice(text, parsed, []) if parsed.literals else text
        return CellResult(text=out, reads=[], executed=False)
    effective = options.resolve(
        parsed.front_matter, [c.cell_options for c in parsed.chunks], root, source, chapter
    )
    for chunk, chosen in zip(parsed.chunks, effective, strict=True):
        chunk.options = chosen

    from proefdruk.render.cells import kernel_cache

    key = kernel_cache.cache_key(chapter, [(c.kind, c.code, c.options) for c in parsed.chunks])
    entry = kernel_cache.load_valid(cache_dir, chapter, key, root)
    if entry is not None:
        return CellResult(
            text=_splice(text, parsed, entry.fragments), reads=entry.reads, executed=False
        )

    from proefdruk.render.cells import kernel_run

    run = kernel_run.execute(parsed.chunks, chapter=chapter, root=root, cache_dir=cache_dir)
    entry = kernel_cache.store(cache_dir, chapter, key, root, run.fragments, run.files,
                               run.dirs, run.figures)
    return CellResult(text=_splice(text, parsed, run.fragments), reads=entry.reads,
                      executed=True)


# --- parsing -----------------------------------------------------------------------------


def parse_chapter(text: str, chapter: str = "<chapter>") -> Parsed:
    """Find cells and inline expressions, skipping front matter and other code blocks."""
    # Split on "\n" only, as editors and error messages count lines (splitlines would
    # also break at form feeds and Unicode line separators).
    lines = re.findall(r"[^\n]*\n|[^\n]+$", text)
    offsets = [0]
    for ln in lines:
        offsets.append(offsets[-1] + len(ln))

    front: dict[str, Any] = {}
    i = 0
    if lines and lines[0].rstrip("\r\n") == "---":
        for j in range(1, len(lines)):
            if lines[j].rstrip("\r\n").rstrip() in ("---", "..."):
                front = options.load_yaml("".join(lines[1:j]), chapter, 2, "front matter")
                if not isinstance(front, dict):
                    front = {}
                i = j + 1
                break

    chunks: list[Chunk] = []
    literals: list[tuple[int, int, str]] = []
    prose_start = i
    while i < len(lines):
        m = _FENCE.match(lines[i].rstrip("\r\n"))
        if not m:
            i += 1
            continue
        fence, info = m.group("fence"), m.group("info")
        close = _closing_fence(lines, i + 1, fence)
        executable = fence[0] == "`" and _PYTHON_INFO.match(info)
        if close is None and executable:
            raise BuildError(
                "a Python cell is never closed",
                file=chapter, line=i + 1,
                expected=f"a line with {fence} after the cell's code",
                found="the end of the file",
                hint=f"add a line '{fence}' after the last line of the cell",
            )
        if fence[0] == "`" and not executable and _PYTHON_LIKE.match(info):
            raise BuildError(
                "this cell header is not one the renderer (or Quarto's Jupyter engine) runs",
                file=chapter, line=i + 1, expected="```{python} with options as '#|' lines",
                found=f"{fence}{info}",
                hint="write ```{python} and put options on the first lines of the cell, "
                "e.g. '#| echo: false'",
            )
        end = len(lines) if close is None else close + 1
        _inline_chunks(text, offsets[prose_start], offsets[i], chapter, chunks)
        if executable:
            body = "".join(lines[i + 1 : end - 1])
            chunks.append(Chunk(
                kind="cell", code=body, line=i + 1, start=offsets[i], end=offsets[end],
                cell_options=options.cell_options(body, chapter, i + 2), lines=end - i,
            ))
        elif fence[0] == "`" and _VERBATIM_INFO.match(info):
            inner = "".join(lines[i + 1 : end - 1])
            shown = f"{fence}{{python}}\n{inner}{fence}\n"
            outer = "`" * (_longest_run(shown, "`") + 1)
            literals.append((offsets[i], offsets[end], f"{outer}\n{shown}{outer}\n"))
        i = end
        prose_start = end
    _inline_chunks(text, offsets[prose_start], len(text), chapter, chunks)
    chunks.sort(key=lambda c: c.start)
    return Parsed(chunks=chunks, literals=literals, front_matter=front)


def _closing_fence(lines: list[str], start: int, fence: str) -> int | None:
    closing = re.compile(r"^ {0,3}" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$")
    for j in range(start, len(lines)):
        if closing.match(lines[j].rstrip("\r\n")):
            return j
    return None


def _inline_chunks(text: str, start: int, end: int, chapter: str, out: list[Chunk]) -> None:
    """Inline `` `{python} expr` `` in prose, honouring CommonMark code-span rules so that
    ordinary inline code (even code that mentions ``{python}``) is left alone."""
    pos = start
    while True:
        tick = text.find("`", pos, end)
        if tick < 0:
            return
        run_end = tick
        while run_end < end and text[run_end] == "`":
            run_end += 1
        n = run_end - tick
        if tick > 0 and text[tick - 1] == "\\":  # an escaped backtick is literal
            pos = tick + 1
            continue
        # A code span cannot cross a blank line (it would end the paragraph).
        blank = _BLANK_LINE.search(text, run_end, end)
        close = _matching_run(text, run_end, blank.start() if blank else end, n)
        if close is None:
            pos = run_end
            continue
        content = text[run_end:close]
        m = _INLINE.match(content)
        if m:
            out.append(Chunk(
                kind="inline", code=m.group("expr").strip(),
                line=text.count("\n", 0, tick) + 1, start=tick, end=close + n,
            ))
        pos = close + n


def _matching_run(text: str, pos: int, end: int, n: int) -> int | None:
    while True:
        tick = text.find("`", pos, end)
        if tick < 0:
            return None
        run_end = tick
        while run_end < end and text[run_end] == "`":
            run_end += 1
        if run_end - tick == n:
            return tick
        pos = run_end


def _longest_run(text: str, char: str) -> int:
    runs = re.findall(re.escape(char) + "+", text)
    return max([2, *(len(r) for r in runs)])


# --- splicing ----------------------------------------------------------------------------


def _splice(text: str, parsed: Parsed, fragments: list[str]) -> str:
    """Put each chunk's output where the chunk was.

    A cell's output keeps at least the cell's line count (padded with blank lines), so
    that lines after a short output keep their numbers in the renderer's error messages.
    """
    edits: list[tuple[int, int, str]] = list(parsed.literals)
    for chunk, fragment in zip(parsed.chunks, fragments, strict=True):
        if chunk.kind == "inline":
            edits.append((chunk.start, chunk.end, fragment))
            continue
        block = fragment.strip("\n")
        before = text[: chunk.start]
        lead = "\n" if block and before and not before.endswith("\n\n") else ""
        trail = "\n" if block else ""
        replacement = lead + (block + "\n" if block else "") + trail
        missing = chunk.lines - replacement.count("\n")
        if missing > 0:
            replacement += "\n" * missing
        edits.append((chunk.start, chunk.end, replacement))
    out = text
    for start, end, new in sorted(edits, key=lambda e: e[0], reverse=True):
        out = out[:start] + new + out[end:]
    return out
