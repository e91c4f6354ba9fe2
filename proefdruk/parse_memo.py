"""What each version of a project module imports, remembered across processes.

Every Snakemake start derives each rule's code inputs (:mod:`proefdruk.codedeps`), and
every analysis step records its code in its provenance record: both parse the project's
Python modules to read their imports. Parsing some 140 modules takes half a second or
more, each time, for the same few texts. So the import facts of each module are kept in
``.proefdruk-cache/parsed-imports.json`` of the project (the folder with the
``Snakefile``), under the SHA-256 of the module's text: an edited module has another
digest and is parsed again, so what is remembered can never be stale. Only facts that
follow from the text alone are kept: the imports, and the paths a module names next to
itself (``Path(__file__).parent / "templates"``, kept relative to the module's folder,
so that a copied project reads them right); whether those exist, and what a module finds
by a glob, is always evaluated anew.

Each entry carries a checksum of its own content: an entry that was cut short, edited
by hand or damaged otherwise (its module's digest kept, its imports changed) is not the
entry that was written, and is parsed again instead of believed (issue #27).

The file is a cache, never an input: deleting it changes nothing but the time. It is
written once, when the process ends, atomically; two processes ending together may each
drop the other's new entries, which are then parsed again next time.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from proefdruk.errors import BuildError
from proefdruk.files import atomic_write_text

CACHE = Path(".proefdruk-cache") / "parsed-imports.json"
# The format of the file, and the Python whose parser read the modules.
FORMAT = f"3/{sys.version_info[0]}.{sys.version_info[1]}"

Facts = tuple[frozenset[str], frozenset[str], dict[str, tuple[frozenset[str], frozenset[str]]]]


def _encode(facts: Facts) -> dict[str, Any]:
    module_imports, all_imports, functions = facts
    return {"module": sorted(module_imports), "all": sorted(all_imports),
            "functions": {name: [sorted(i), sorted(c)]
                          for name, (i, c) in sorted(functions.items())}}


def _decode(entry: dict[str, Any]) -> Facts:
    return (frozenset(entry["module"]), frozenset(entry["all"]),
            {name: (frozenset(i), frozenset(c)) for name, (i, c) in entry["functions"].items()})


class _Store:
    """The remembered facts of one project."""

    def __init__(self, root: Path) -> None:
        self.file = root / CACHE
        self.entries: dict[str, dict[str, Any]] = self._read()
        self.new: dict[str, dict[str, Any]] = {}

    def _read(self) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return {}
        entries = data.get("modules")
        if not isinstance(entries, dict):
            return {}
        return {key: entry for key, entry in entries.items()
                if isinstance(entry, dict) and entry.get("check") == _check(key, entry)}

    def save(self) -> None:
        """Merge this process's new entries into the file (one entry per module: the
        newest text's), atomically; a failure (read-only checkout) costs only time."""
        if not self.new:
            return
        sealed = {key: {**entry, "check": _check(key, entry)} for key, entry in self.new.items()}
        entries = {**self._read(), **sealed}
        text = json.dumps({"format": FORMAT, "modules": entries}, sort_keys=True,
                          separators=(",", ":"))
        with contextlib.suppress(OSError, BuildError):  # a full disk included
            atomic_write_text(self.file, text)
        self.new = {}


class ParseMemo:
    """Import facts by module text, per project; see the module docstring."""

    def __init__(self) -> None:
        self._stores: dict[Path, _Store] = {}
        self._roots: dict[Path, Path | None] = {}
        atexit.register(self.save)

    def _root(self, folder: Path) -> Path | None:
        """The project a module belongs to: the nearest folder above it with a
        Snakefile (none: nothing is kept on disk)."""
        if folder not in self._roots:
            self._roots[folder] = next((d for d in (folder, *folder.parents)
                                        if (d / "Snakefile").is_file()), None)
        return self._roots[folder]

    def _store(self, path: Path) -> tuple[_Store, str] | None:
        path = path.resolve()
        root = self._root(path.parent)
        if root is None:
            return None
        if root not in self._stores:
            self._stores[root] = _Store(root)
        return self._stores[root], path.relative_to(root).as_posix()

    def recall(self, path: Path, text: str) -> Facts | None:
        """The facts remembered for this very text of ``path``, if any."""
        entry = self._entry(path, text)
        if entry is None:
            return None
        try:
            return _decode(entry)
        except (KeyError, TypeError, ValueError):
            return None

    def remember(self, path: Path, text: str, facts: Facts) -> None:
        found = self._store(path)
        if found is not None:
            store, key = found
            store.new[key] = {"sha256": _digest(text), **_encode(facts)}

    def recall_named(self, path: Path, text: str) -> set[Path] | None:
        """The paths remembered as named by this very text of ``path`` (absolute)."""
        entry = self._entry(path, text)
        named = entry.get("named") if entry else None
        if not isinstance(named, list):
            return None
        folder = path.resolve().parent
        return {Path(os.path.normpath(folder / rel)) for rel in named}

    def remember_named(self, path: Path, text: str, named: set[Path]) -> None:
        """Remember the paths this text of ``path`` names (after :meth:`remember`)."""
        entry = self._entry(path, text)
        if entry is not None:
            folder = path.resolve().parent
            entry["named"] = sorted(os.path.relpath(p, folder) for p in named)
            store, key = self._store(path) or (None, "")
            if store is not None:
                store.new[key] = entry

    def _entry(self, path: Path, text: str) -> dict[str, Any] | None:
        found = self._store(path)
        if found is None:
            return None
        store, key = found
        entry = store.new.get(key) or store.entries.get(key)
        return entry if entry is not None and entry.get("sha256") == _digest(text) else None

    def save(self) -> None:
        for store in self._stores.values():
            store.save()


def _check(key: str, entry: dict[str, Any]) -> str:
    """SHA-256 over the module's path and everything remembered for it (the check left
    out): what :meth:`_Store._read` compares, so a changed entry is not believed."""
    body = {k: v for k, v in entry.items() if k != "check"}
    text = json.dumps([key, body], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


parse_memo = ParseMemo()
