"""Sources are read-only during a build: a job that writes one stops, naming the file.

Data flows one way. A rule script or a chapter's Python cell that appends a row to
``data/raw/…``, rewrites a chapter or creates a file among the sources would change the
inputs of the very build that runs it, silently and unreproducibly. So every job that
runs study code (the analysis scripts through :func:`proefdruk.scripting.run`, the cells
through the kernel's boot code) refuses, at the moment of opening, any write, removal or
rename that touches a protected path: anything under ``data/raw/`` or ``chapters/``, and
every file git tracks. The refusal is a :class:`SourceWriteError` (a ``PermissionError``),
raised by a Python audit hook, so it happens before a byte is written.

Only Python code is watched (a subprocess the script starts is not); that covers what
the study's code does with pandas, numpy, open() and shutil.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from proefdruk.errors import BuildError

# Folders whose every file is a source, tracked or not (a new file there is a write too).
SOURCE_DIRS = ("data/raw", "chapters")
# What a build writes: never protected, even where git tracks something (a committed
# manifest of a published edition, for instance).
BUILD_DIRS = ("results", "_book", "logs", "benchmarks", ".snakemake", ".proefdruk-cache",
              "published")


class SourceWriteError(PermissionError):
    """A job tried to write a source file during the build."""

    def __init__(self, path: str, action: str) -> None:
        self.path = path
        self.action = action
        super().__init__(f"proefdruk: a build job may not {action} the source file {path} "
                         "(sources are read-only during a build)")


def protected_paths(root: str | Path) -> tuple[list[str], list[str]]:
    """``(folders, files)``: absolute prefixes of the source folders, and the tracked files
    outside the build folders (empty when ``root`` is not a git checkout)."""
    root = Path(root).resolve()
    folders = [os.path.join(str(root / d), "") for d in SOURCE_DIRS]
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True,
                             check=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return folders, []
    files = [str(root / n) for n in out.decode("utf-8", "replace").split("\0") if n
             and not n.startswith(tuple(d + "/" for d in BUILD_DIRS))]
    return folders, sorted(files)


def _writes(mode: Any, flags: Any) -> bool:
    """Whether an ``open`` audit event may change the file."""
    if isinstance(mode, str):
        return any(c in mode for c in "wax+")
    if isinstance(flags, int):
        return bool(flags & 3) or bool(flags & (os.O_TRUNC | os.O_CREAT | os.O_APPEND))
    return False


def make_hook(folders: Iterable[str], files: Iterable[str]):
    """An audit hook that raises :class:`SourceWriteError` for a write to a source."""
    prefixes = tuple(folders)
    tracked = frozenset(files)

    def protected(path: Any) -> str | None:
        if path is None or isinstance(path, int):
            return None
        try:
            full = os.path.abspath(os.fsdecode(path))
        except TypeError:
            return None
        return full if full in tracked or full.startswith(prefixes) else None

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event == "open":
            if len(args) >= 3 and _writes(args[1], args[2]):
                hit = protected(args[0])
                if hit:
                    raise SourceWriteError(hit, "write")
        elif event in ("os.remove", "os.rmdir", "os.truncate"):
            hit = protected(args[0] if args else None)
            if hit:
                raise SourceWriteError(hit, "remove" if event != "os.truncate" else "truncate")
        elif event == "os.rename":
            for path in args[:2]:
                hit = protected(path)
                if hit:
                    raise SourceWriteError(hit, "rename")

    return hook


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
