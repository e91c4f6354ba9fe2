"""Which file changes the preview reacts to: the project's sources, never its outputs.

Every folder the build writes into (``results/``, ``_book/``, ``logs/``, …) is listed in
the project's ``.gitignore`` as a top-level folder, because nothing in it is committed;
those are left out here, or each build would trigger the next. Everything else in the
project (chapters, ``_quarto.yml``, bibliography and CSL, ``data/raw``, ``analysis/``, the
extension, the tooling's templates) is watched, and Snakemake decides what a change
makes stale. Editors' swap and backup files and the build's own temporary files are
ignored.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from watchfiles import Change, DefaultFilter

from proefdruk.locks import BUILD_DIRS

# Snakemake's conventional build folders and run state, and the preview's own log folder,
# whatever the .gitignore says: a write there must never count as a save.
ALWAYS_IGNORED = (*BUILD_DIRS, "logs", "benchmarks", ".snakemake", ".git", ".proefdruk-cache")
TOP_LEVEL_DIR = re.compile(r"^/?([^/*?\[\]!#\s]+)/$")
TEMPORARY = re.compile(r"(^\.#|^#.*#$|\.tmp-\d+$|\.tmp$|\.part$|\.swp$|\.swx$|~$|^4913$)")


def build_dirs(root: Path) -> set[str]:
    """Top-level folders that hold build products: the project's .gitignore entries of
    the form ``/name/`` or ``name/``, plus the build folders proefdruk itself knows."""
    names = set(ALWAYS_IGNORED)
    try:
        lines = (root / ".gitignore").read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    for line in lines:
        m = TOP_LEVEL_DIR.match(line.strip())
        if m and line.strip().startswith("/"):
            names.add(m.group(1))
    return names


class SourceFilter(DefaultFilter):
    """watchfiles filter: True for a change in a source file of the project at ``root``."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self.root = root.resolve()
        self.ignored_dirs = build_dirs(self.root)

    def __call__(self, change: Change, path: str) -> bool:
        if not super().__call__(change, path):
            return False
        try:
            rel = Path(path).resolve().relative_to(self.root)
        except ValueError:
            return False
        if not rel.parts or rel.parts[0] in self.ignored_dirs:
            return False
        return not TEMPORARY.search(rel.name)


def relative(root: Path, paths: set[str]) -> set[str]:
    """Project-relative POSIX paths for the console."""
    out = set()
    for p in paths:
        try:
            out.add(Path(p).resolve().relative_to(root.resolve()).as_posix())
        except ValueError:
            out.add(p)
    return out


class ContentChanges:
    """Keep only the paths whose content changed since the preview last saw them.

    A workflow start gives a source whose content changed the current time as its
    modification time (``proefdruk.content_check``); the watcher reports that as a
    change too, and taking it for a new save would cancel the very build it belongs to.
    A path seen for the first time counts as changed; a deleted one always does.
    """

    def __init__(self) -> None:
        self._seen: dict[str, str] = {}

    def prime(self, root: Path, keep: SourceFilter) -> None:
        """Record the content of every watched file now, before the first build starts
        (whose start may re-stamp some of them)."""
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if keep(Change.added, os.path.join(folder, d))]
            for name in files:
                path = os.path.join(folder, name)
                if keep(Change.modified, path):
                    self({path})

    def __call__(self, paths: set[str]) -> set[str]:
        changed = set()
        for path in paths:
            try:
                digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
            except IsADirectoryError:
                changed.add(path)
                continue
            except OSError:
                self._seen.pop(path, None)
                changed.add(path)
                continue
            if self._seen.get(path) != digest:
                self._seen[path] = digest
                changed.add(path)
        return changed
