"""Sources are read-only during a build: a job that writes one stops, naming the file.

Data flows one way. A rule script or a chapter's Python cell that appends a row to
``data/raw/…``, rewrites a chapter or creates a file among the sources would change the
inputs of the very build that runs it, silently and unreproducibly. So every job that
runs study code (the analysis scripts through :func:`proefdruk.scripting.run`, the cells
through the kernel's boot code) refuses, at the moment of opening, any write, removal or
rename that touches a protected path: anything under ``data/raw/`` or a folder that holds
the book's chapters (from ``_quarto.yml``: ``chapters/`` in the study), and every file git
tracks. The refusal is a :class:`SourceWriteError` (a ``PermissionError``),
raised by a Python audit hook, so it happens before a byte is written.

Only Python code is watched (a subprocess the script starts is not); that covers what
the study's code does with pandas, numpy, open() and shutil.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from proefdruk.errors import BuildError
from proefdruk.source_hook import SourceWriteError, make_hook

# Folders whose every file is a source, tracked or not (a new file there is a write too):
# the raw data by the layout's convention, and the folders of the book's chapters.
RAW_DATA = "data/raw"
# What a build writes: never protected, even where git tracks something (a committed
# manifest of a published edition, for instance).
BUILD_DIRS = ("results", "_book", "logs", "benchmarks", ".snakemake", ".proefdruk-cache",
              "published")


def _chapter_sources(items: Any) -> list[str]:
    """The files of a ``book: chapters:`` list: strings, or parts with their chapters."""
    out: list[str] = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict):
            if isinstance(item.get("part"), str) and item["part"].endswith(".qmd"):
                out.append(item["part"])
            out += _chapter_sources(item.get("chapters"))
    return out


def source_dirs(root: str | Path) -> list[str]:
    """The folders whose every file is a source: ``data/raw`` and each folder that holds a
    chapter ``_quarto.yml`` lists (never the project root itself, which holds the build
    folders too). Read with plain YAML, not the book plan: every analysis step runs this,
    and must not depend on the renderer's code. A ``_quarto.yml`` that cannot be read
    protects ``chapters/``, the layout's convention; the build reports the file itself."""
    try:
        data = yaml.safe_load((Path(root) / "_quarto.yml").read_text(encoding="utf-8"))
        book = data.get("book") or {}
        sources = _chapter_sources(book.get("chapters")) + \
            _chapter_sources(book.get("appendices"))
    except (OSError, ValueError, AttributeError, yaml.YAMLError):
        return [RAW_DATA, "chapters"]
    folders = {Path(s).parent.as_posix() for s in sources}
    return [RAW_DATA, *sorted(folders - {".", ""})]


def protected_paths(root: str | Path) -> tuple[list[str], list[str]]:
    """``(folders, files)``: absolute prefixes of the source folders, and the tracked files
    outside the build folders (empty when ``root`` is not a git checkout)."""
    root = Path(root).resolve()
    folders = [os.path.join(str(root / d), "") for d in source_dirs(root)]
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True,
                             check=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return folders, []
    files = [str(root / n) for n in out.decode("utf-8", "replace").split("\0") if n
             and not n.startswith(tuple(d + "/" for d in BUILD_DIRS))]
    return folders, sorted(files)


def guard(root: str | Path) -> None:
    """Make the sources of ``root`` read-only for the rest of this Python process."""
    folders, files = protected_paths(root)
    sys.addaudithook(make_hook(folders, files))


def as_build_error(exc: SourceWriteError, root: str | Path, who: str) -> BuildError:
    """The refusal as the user sees it: which file, which job, what to do."""
    try:
        shown = str(Path(exc.path).resolve().relative_to(Path(root).resolve()))
    except ValueError:
        shown = exc.path
    return BuildError(
        f"{who} tried to {exc.action} a source file during the build; the build stopped",
        file=shown, expected="jobs write only under results/ (sources stay read-only)",
        found=f"an attempt to {exc.action} {shown}",
        hint="write the file as a declared output under results/, or change the source by "
             "hand outside the build; nothing was written to it")
