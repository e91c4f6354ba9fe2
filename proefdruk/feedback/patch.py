"""Accepted prose changes as one unified diff, for the author to review and ``git apply``.

The sources are never edited here: the author reads the patch, applies it (or parts of
it) and commits. Two changes that touch the same source characters cannot both be
applied blindly, so the later one in reading order is listed as manual instead.
"""

from __future__ import annotations

import difflib

from proefdruk.feedback.items import Item
from proefdruk.feedback.locate import Sources


def _resolve_overlaps(items: list[Item]) -> None:
    taken: dict[str, list[tuple[int, int]]] = {}
    for item in items:
        if item.action != "patch" or item.edit is None:
            continue
        file, start, end, _ = item.edit
        spans = taken.setdefault(file, [])
        if any(start < b and a < end or (start == end and a <= start <= b)
               for a, b in spans):
            item.action, item.edit = "manual", None
            item.reason = "overlaps another change to the same words: combine them by hand"
            continue
        spans.append((start, end))


def _keep_to_sources(items: list[Item], src: Sources) -> None:
    """Only the author's own sources are patched, never a generated or foreign file,
    whatever placed the edit there (the last guard before a hunk is written)."""
    for item in items:
        if item.action == "patch" and item.edit and not src.patchable(item.edit[0]):
            item.action, item.edit = "manual", None
            item.reason = (f"{item.file} is not a source the author writes: change "
                           "what produces it, not the file")


def unified_diff(items: list[Item], src: Sources) -> str:
    """The patch for every item whose action is "patch" (files in reading order)."""
    _keep_to_sources(items, src)
    _resolve_overlaps(items)
    files: list[str] = []
    for item in items:
        if item.action == "patch" and item.edit and item.edit[0] not in files:
            files.append(item.edit[0])
    out: list[str] = []
    for file in files:
        text = src.text(file) or ""
        edits = sorted((i.edit for i in items if i.action == "patch" and i.edit
                        and i.edit[0] == file), key=lambda e: (e[1], e[2]), reverse=True)
        new = text
        for _, start, end, replacement in edits:
            new = new[:start] + replacement + new[end:]
        if new == text:
            continue
        old_lines = text.splitlines(keepends=True)
        new_lines = new.splitlines(keepends=True)
        out.append(f"diff --git a/{file} b/{file}\n")
        for line in difflib.unified_diff(old_lines, new_lines, f"a/{file}", f"b/{file}"):
            out.append(line if line.endswith("\n") else
                       line + "\n\\ No newline at end of file\n")
    return "".join(out)
