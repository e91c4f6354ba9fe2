"""Writing files all-or-nothing, deterministic JSON, and content hashes.

Every step of the build writes its outputs through these helpers: a half-written file
would poison every later step (and look finished to Snakemake), so each write goes to a
temporary file next to the target and is renamed into place. JSON is written with sorted
keys and a fixed layout, so the same content always gives the same bytes.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from proefdruk.errors import disk_full_error


def sha256_file(path: str | Path, chunk: int = 1 << 20) -> str:
    """SHA-256 of a file's bytes, streamed so large exports do not fill memory."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def dump_json(obj: Any, path: str | Path) -> None:
    """Write JSON deterministically (sorted keys, fixed indent, final newline), atomically.

    A half-written JSON file would poison every later step; writing to a temporary file
    next to the target and renaming makes the write all-or-nothing.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    atomic_write_text(path, text)


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write text to ``path`` all-or-nothing (temp file + rename)."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write bytes to ``path`` all-or-nothing (temp file + rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise disk_full_error(path, len(data)) from None
        raise
    finally:
        if tmp.exists():
            tmp.unlink()


