"""Content, not clocks, decides what is stale.

Snakemake re-runs a job when an input is *newer* than its outputs. A file restored with
its old modification time (``cp -p`` from a backup, ``tar x``, ``rsync -t``, a sync tool)
has other content than the outputs were built from, yet looks older than them, and
``snakemake all`` would say "Nothing to be done" over a stale book.

So, each time the workflow starts, every source file of the project is compared with a
record of its content (SHA-256) from the previous start. A file whose content differs
from the record gets the current time as its modification time, which is what an edit
would have given it: from there on Snakemake's own rules (and its checksum check for
files that are newer but unchanged) re-run exactly the jobs that read it. Only the time
stamp changes; the content of a source is never touched.

Reading is cheap: a file whose size and modification time match the record is not read
again. The record lives in ``.snakemake/proefdruk/content.json`` (run state, like
Snakemake's own metadata); without one (a first run) nothing is touched, only recorded.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from proefdruk.files import atomic_write_text, sha256_file

RECORD = Path(".snakemake") / "proefdruk" / "content.json"
# Build products and run state: never sources. Files under these are not watched.
NOT_SOURCES = ("results", "_book", "logs", "benchmarks", ".snakemake", ".proefdruk-cache",
               ".git", ".venv", "test-artifacts")


def source_files(root: Path) -> list[str]:
    """The project's sources: what git tracks or could track (untracked files that are
    not ignored count too, so a new data file is watched before its first commit);
    outside git, every file except build products, run state and hidden folders."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=root, check=True, capture_output=True).stdout
        names = {n for n in out.decode("utf-8").split("\0") if n}
    except (OSError, subprocess.CalledProcessError):
        names = set()
        for folder, dirs, files in os.walk(root):
            rel = Path(folder).relative_to(root)
            dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"
                       and (rel / d).as_posix() not in NOT_SOURCES]
            names.update((rel / f).as_posix() for f in files)
    return sorted(n for n in names if n.split("/")[0] not in NOT_SOURCES
                  and (root / n).is_file())


def _load(path: Path) -> dict[str, list]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def refresh_changed_sources(root: str | Path) -> list[str]:
    """Give every source whose content changed since the last start the current time as
    its modification time; record the content of all. Returns the files touched."""
    root = Path(root)
    record_path = root / RECORD
    previous = _load(record_path)
    current: dict[str, list] = {}
    touched: list[str] = []
    for name in source_files(root):
        path = root / name
        stat = path.stat()
        old = previous.get(name)
        if old and old[0] == stat.st_size and old[1] == stat.st_mtime_ns:
            current[name] = old
            continue
        digest = sha256_file(path)
        if old and old[2] != digest:
            os.utime(path)  # now: newer than every output built from the old content
            stat = path.stat()
            touched.append(name)
        current[name] = [stat.st_size, stat.st_mtime_ns, digest]
    if current != previous:
        atomic_write_text(record_path, json.dumps(current, sort_keys=True, indent=0) + "\n")
    return touched
