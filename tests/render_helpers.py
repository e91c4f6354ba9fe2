"""Helpers shared by the renderer tests: a private copy of the fixture book."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "render" / "book"


def fixture_book(dest: Path) -> Path:
    """Copy the fixture book to ``dest`` with the project's real Quarto extension."""
    shutil.copytree(FIXTURE, dest)
    shutil.copytree(ROOT / "_extensions", dest / "_extensions")
    return dest


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
