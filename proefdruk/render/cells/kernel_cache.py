"""The cell cache: a chapter's cell outputs, valid while its code AND its inputs are unchanged.

An entry is one JSON file per chapter under ``<cache_dir>/entries/``. It holds the key
(cell sources, effective options, the tool's own code and the package versions that shape
output), one markdown fragment per cell or inline expression, and the SHA-256 of every
project file the cells read, of every directory they listed and of every figure written.
Serving checks all of them: a changed CSV, an added file in a listed folder or a deleted
figure each make the chapter run again. Prose is not in the key, so editing text around
the cells never starts a kernel.

Each entry also carries a checksum of its own content: an entry cut short or edited by
hand (a fragment changed, its key and hashes kept) is run again, not served (issue #27).

Entries are written atomically (temp file + rename), so parallel renders of the same
chapter (HTML, PDF and DOCX at once) at worst compute the same entry twice.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from proefdruk.provenance import dump_json, sha256_file

FORMAT = 2
# Packages whose version can change what a cell prints or draws.
_OUTPUT_PACKAGES = ("ipykernel", "IPython", "matplotlib", "numpy", "pandas")


@dataclass
class Entry:
    """A cache entry as served: fragments to splice and the files the cells read."""

    fragments: list[str]
    reads: list[str]


@lru_cache(maxsize=1)
def _environment() -> dict[str, str]:
    """Our own code and the output-shaping package versions, part of every key."""
    from importlib import metadata

    here = Path(__file__).parent
    tool = hashlib.sha256()
    for path in sorted(here.glob("*.py")):  # every module of the cells package
        tool.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    env = {"python": sys.version.split()[0], "tool": tool.hexdigest()}
    for name in _OUTPUT_PACKAGES:
        try:
            env[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            env[name] = "absent"
    return env


def cache_key(chapter: str, chunks: list[tuple[str, str, dict[str, Any]]]) -> str:
    """SHA-256 over everything except the inputs' content (checked separately)."""
    material = {
        "format": FORMAT,
        "environment": _environment(),
        "chapter": chapter,
        "chunks": [[kind, code, options] for kind, code, options in chunks],
    }
    text = json.dumps(material, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def entry_path(cache_dir: Path, chapter: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", chapter).strip("_") or "chapter"
    digest = hashlib.sha256(chapter.encode("utf-8")).hexdigest()[:10]
    return cache_dir / "entries" / f"{safe}-{digest}.json"


def _file_hash(path: Path) -> str | None:
    try:
        return sha256_file(path)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError):
        return None


def _listing_hash(path: Path) -> str | None:
    try:
        names = sorted(os.listdir(path))
    except OSError:
        return None
    return hashlib.sha256("\n".join(names).encode("utf-8")).hexdigest()


def _relative(path: str, root: Path) -> str | None:
    p = Path(path)
    for base in (root, root.resolve()):
        try:
            return p.relative_to(base).as_posix()
        except ValueError:
            continue
    return None


def load_valid(cache_dir: Path, chapter: str, key: str, root: Path) -> Entry | None:
    """The entry for ``chapter`` if its key matches and every recorded input is unchanged."""
    path = entry_path(cache_dir, chapter)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != key \
            or data.get("check") != _check(data):
        return None
    try:
        for rel, digest in data["files"].items():
            if _file_hash(root / rel) != digest:
                return None
        for rel, digest in data["dirs"].items():
            if _listing_hash(root / rel) != digest:
                return None
        for rel, digest in data["figures"].items():
            figure = Path(rel) if Path(rel).is_absolute() else root / rel
            if _file_hash(figure) != digest:
                return None
        return Entry(fragments=list(data["fragments"]), reads=list(data["reads"]))
    except (KeyError, AttributeError, TypeError):
        return None


def _check(data: dict[str, Any]) -> str:
    """SHA-256 over the entry without its check: what :func:`load_valid` compares."""
    body = {k: v for k, v in data.items() if k != "check"}
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode("utf-8")).hexdigest()


def store(
    cache_dir: Path,
    chapter: str,
    key: str,
    root: Path,
    fragments: list[str],
    files: list[str],
    dirs: list[str],
    figures: dict[str, str],
) -> Entry:
    """Hash what the cells read and write the entry atomically; return it as served."""
    file_hashes: dict[str, str | None] = {}
    for path in files:
        rel = _relative(path, root)
        if rel is not None and not Path(path).is_dir():
            file_hashes[rel] = _file_hash(Path(path))
    dir_hashes: dict[str, str | None] = {}
    for path in dirs:
        rel = _relative(path, root)
        if rel is not None:
            dir_hashes[rel or "."] = _listing_hash(Path(path))
    reads = sorted(rel for rel, digest in file_hashes.items() if digest is not None)
    data: dict[str, Any] = {
        "format": FORMAT,
        "key": key,
        "chapter": chapter,
        "fragments": fragments,
        "files": file_hashes,
        "dirs": dir_hashes,
        "figures": figures,
        "reads": reads,
    }
    data["check"] = _check(data)
    dump_json(data, entry_path(cache_dir, chapter))
    return Entry(fragments=fragments, reads=reads)
