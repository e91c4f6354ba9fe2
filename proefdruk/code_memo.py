"""Each rule's derived code files, remembered while the code they come from is unchanged.

Every start of Snakemake derives every rule's code inputs (:mod:`proefdruk.rule_code`):
it follows the imports of each module behind each rule and evaluates the paths modules
name next to themselves. That is a tenth of a second or more on every no-op build and
every run of the preview, for an answer that rarely changes. The answer for a rule
depends on nothing but

1. what the rule runs: its shell command (with its text parameters) and its script;
2. the files in the top-level folders that code lives in or names (here ``proefdruk/``
   and ``analysis/``): which exist, and what they contain;
3. which names exist at the top of the project (a new top-level module or package).

So the answers are kept in ``.proefdruk-cache/rule-code.json`` together with a
fingerprint of 2 and 3: the SHA-256 of every file's path and bytes in those folders, and
the project's top-level names. Each start computes the fingerprint again (reading and
hashing some two hundred files: a few milliseconds) and derives everything anew when it
differs, so an edit to any module, template or filter, a new or removed file, or a
restore with an old modification time is never answered from memory. Content decides,
as for the data (:mod:`proefdruk.content_check`).

The file also carries a checksum of its content: a file cut short, edited by hand (an
answer changed, the fingerprint kept) or damaged otherwise is derived anew, not believed.

The file is a cache, never an input: deleting it changes nothing but the time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from proefdruk.errors import BuildError
from proefdruk.files import atomic_write_text

CACHE = Path(".proefdruk-cache") / "rule-code.json"
FORMAT = 2
_SKIP_PARTS = {"__pycache__"}
_SKIP_SUFFIXES = (".pyc", ".pyo")


def top_of(path: str | Path, root: Path) -> str | None:
    """The top-level name under ``root`` that ``path`` lies in (None: outside it)."""
    path = Path(path)
    if path.is_absolute():
        if not path.is_relative_to(root):
            return None
        path = path.relative_to(root)
    parts = path.parts
    return parts[0] if parts and parts[0] not in ("..", ".") else None


def fingerprint(root: Path, tops: list[str]) -> str:
    """SHA-256 over the project's top-level names and every file (path and bytes) below
    ``tops``: what the derived code files can depend on (see the module docstring)."""
    h = hashlib.sha256(f"{FORMAT}\0".encode())
    names = sorted(n for n in os.listdir(root) if not n.startswith("."))
    h.update(("\n".join(names) + "\0\0").encode("utf-8"))
    for top in sorted(set(tops)):
        start = root / top
        if start.is_file():
            files = [start]
        elif start.is_dir():
            files = []
            for folder, dirs, found in os.walk(start):
                dirs[:] = sorted(d for d in dirs if d not in _SKIP_PARTS)
                files += [Path(folder) / f for f in sorted(found)
                          if not f.endswith(_SKIP_SUFFIXES)]
        else:
            h.update(f"{top}\0missing\0".encode())
            continue
        for f in files:
            h.update(f.relative_to(root).as_posix().encode("utf-8") + b"\0")
            h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def _check(data: dict[str, Any]) -> str:
    """SHA-256 over everything in the file but the check itself (see the docstring)."""
    body = {k: v for k, v in data.items() if k != "check"}
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode("utf-8")).hexdigest()


class CodeMemo:
    """The remembered code files of one project's rules; see the module docstring."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.file = root / CACHE
        self.tops: set[str] = set()
        self.answers: dict[str, list[str]] = {}
        self.changed = False
        data = self._read()
        if data is not None:
            tops = sorted(str(t) for t in data.get("tops", []))
            with contextlib.suppress(OSError):
                if data.get("fingerprint") == fingerprint(root, tops):
                    self.tops = set(tops)
                    self.answers = dict(data.get("rules", {}))

    def _read(self) -> dict[str, Any] | None:
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        ok = isinstance(data, dict) and data.get("format") == FORMAT and \
            isinstance(data.get("rules"), dict) and isinstance(data.get("tops"), list) \
            and data.get("check") == _check(data)
        return data if ok else None

    def get(self, key: str) -> list[str] | None:
        found = self.answers.get(key)
        return list(found) if isinstance(found, list) else None

    def put(self, key: str, files: list[str], tops: set[str]) -> None:
        """Remember ``files`` for ``key``; ``tops`` are the folders the answer rests on."""
        self.answers[key] = list(files)
        self.tops |= tops
        self.changed = True

    def save(self) -> None:
        """Write the answers with the fingerprint of their folders as they are now; a
        failure (read-only checkout, full disk) costs only time."""
        if not self.changed:
            return
        tops = sorted(self.tops)
        with contextlib.suppress(OSError, BuildError):
            data: dict[str, Any] = {"format": FORMAT,
                                    "fingerprint": fingerprint(self.root, tops),
                                    "tops": tops, "rules": dict(sorted(self.answers.items()))}
            data["check"] = _check(data)
            atomic_write_text(self.file, json.dumps(data, sort_keys=True, indent=1) + "\n")
        self.changed = False


_MEMOS: dict[Path, CodeMemo] = {}


def memo_for(root: Path, fresh: bool = False) -> CodeMemo:
    """The memo of the project at ``root``, read once per process, or again (``fresh``:
    at each parse of the Snakefile, since files may have changed in between)."""
    if fresh or root not in _MEMOS:
        _MEMOS[root] = CodeMemo(root)
    return _MEMOS[root]
