"""Source positions: which file and lines each paragraph, heading, caption and note came from.

Pandoc's markdown reader keeps no source positions (only its commonmark readers do), yet
a supervisor's comment in the DOCX is only useful at the ``.qmd`` line it refers to. So
before pandoc parses a chapter we put an empty marker span, ``[]{.pd-pos p="i-j"}``, at
the start of every block (after a heading's ``#``, a list marker, a caption's ``:``,
inside an image's alt text, after a note's ``^[``), where ``i``..``j`` are lines of the
include-expanded text. An empty span is inline content that changes no block structure,
so the parsed document is the same as without markers (a test checks this on every
chapter); markers are left out where they could change structure (tables, raw HTML,
indented code, a paragraph that is only a block shortcode).

After the chapter is resolved, :func:`resolve` turns each marker into ``src="file:l-e"``
(the file and 1-based lines the author edits, through includes) and records the SHA-256
of every source file, so a reader of an older DOCX can tell that lines have moved. Only
the DOCX edition keeps markers (as Word bookmarks); :func:`strip` removes them for every
other edition, whose output therefore does not change.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from proefdruk.render.core.source import Expanded, code_fence_mask, front_matter_end

MARK_CLASS = "pd-pos"
SOURCES_META = "proefdruk-sources"
HEADING_RE = re.compile(r"^#{1,6}[ \t]+(?=\S)")
# Anything that might be a list item or block quote marker (nested ones too): the marker
# goes after it (and after a task box, [ ]), which is harmless even where pandoc reads
# the line as plain text.
PREFIX_RE = re.compile(r"^(?:[ ]{0,3}(?:[-*+]|\(?(?:\d{1,9}|#|@\w*|[A-Za-z]|[ivxlcdmIVXLCDM]{1,6})"
                       r"[.)])[ \t]+|[ ]{0,3}>[ ]?)+(?:\\?\[[ xX]\\?\][ \t]+)?(?=\S)")
ITEM_RE = re.compile(r"^[ ]{0,3}(?:[-*+]|\(?(?:\d{1,9}|#|@\w*|[A-Za-z]|[ivxlcdmIVXLCDM]{1,6})"
                     r"[.)])[ \t]+\S")
CAPTION_RE = re.compile(r"^(?::|Table:)[ \t]+(?=\S)")
IMAGE_START_RE = re.compile(r"^[ ]{0,3}!\[")
PLACEHOLDER_ONLY_RE = re.compile(r"^\s*\[\]\{\.pd-sc [^}]*\}\s*$")
# (A note definition, "[^1]: text", must start its line: a marker before it would make
# it plain text.)
SKIP_START_RE = re.compile(r"^\s*(?:[|+<%]|\$\$|\\begin|:::|-{3,}\s*$|\*{3,}\s*$|_{3,}\s*$"
                           r"|\[\^[^\]\s]+\]:)")
SIMPLE_TABLE_RULE_RE = re.compile(r"^\s*-+(?:\s+-+)+\s*$")
INLINE_CODE_RE = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)")
NOTE_RE = re.compile(r"\^\[")


def _marker(start: int, end: int) -> str:
    return f'[]{{.{MARK_CLASS} p="{start}-{end}"}}'


def _block_end(lines: list[str], mask: list[bool], i: int) -> int:
    """Index of the last line of the block that starts at ``i`` (before a blank line)."""
    j = i
    while j + 1 < len(lines) and not mask[j + 1] and lines[j + 1].strip() \
            and not lines[j + 1].startswith(":::") and not ITEM_RE.match(lines[j + 1]):
        j += 1
    return j


def _note_end(lines: list[str], i: int, col: int) -> int:
    """Line index where the inline note opened at ``lines[i][col]`` (``^[``) closes."""
    depth = 0
    for j in range(i, min(len(lines), i + 200)):
        text = lines[j][col:] if j == i else lines[j]
        for k, ch in enumerate(text):
            if ch == "\\":
                continue
            if ch == "[" and (k == 0 or text[k - 1] != "\\"):
                depth += 1
            elif ch == "]" and (k == 0 or text[k - 1] != "\\"):
                depth -= 1
                if depth == 0:
                    return j
        if not lines[j].strip():
            return max(i, j - 1)
    return i


def _mark_notes(line: str, lines: list[str], i: int) -> str:
    """Put a marker right after every ``^[`` outside inline code."""
    code = [(m.start(), m.end()) for m in INLINE_CODE_RE.finditer(line)]
    out, last = [], 0
    for m in NOTE_RE.finditer(line):
        if any(a <= m.start() < b for a, b in code):
            continue
        out.append(line[last:m.end()])
        out.append(_marker(i, _note_end(lines, i, m.start() + 1)))
        last = m.end()
    out.append(line[last:])
    return "".join(out)


def mark(exp: Expanded) -> Expanded:
    """The same text with a position marker at the start of every block (see module doc).

    Lines keep their count and origin, so every other line number stays valid.
    """
    lines = exp.lines
    mask = code_fence_mask(lines)
    body = front_matter_end(lines)
    out = list(lines)
    block_start = True
    skip_block = False
    for i in range(body, len(lines)):
        line = lines[i]
        if mask[i]:
            block_start = True
            continue
        if not line.strip():
            block_start, skip_block = True, False
            continue
        if block_start:
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            skip_block = bool(SKIP_START_RE.match(line) or PLACEHOLDER_ONLY_RE.match(line)
                              or SIMPLE_TABLE_RULE_RE.match(nxt)
                              or re.match(r"^(?: {4}|\t)", line))
        was_start, block_start = block_start, False
        if line.startswith(":::"):
            block_start = True
            continue
        if skip_block:
            continue
        text = _mark_notes(line, lines, i)
        heading = HEADING_RE.match(text)
        end = i if heading else _block_end(lines, mask, i)
        prefix = heading or CAPTION_RE.match(text) or PREFIX_RE.match(text)
        if heading:
            block_start = True  # a paragraph may follow a heading without a blank line
        if prefix:
            text = text[:prefix.end()] + _marker(i, end) + text[prefix.end():]
        elif IMAGE_START_RE.match(text):
            at = text.index("![") + 2
            text = text[:at] + _marker(i, end) + text[at:]
        elif was_start:
            at = len(text) - len(text.lstrip())  # indentation may carry meaning (lists)
            text = text[:at] + _marker(i, end) + text[at:]
        out[i] = text
    return Expanded(out, list(exp.origin), list(exp.includes), list(exp.skipped_generated))


def is_marker(node: Any) -> bool:
    return (isinstance(node, dict) and node.get("t") == "Span"
            and MARK_CLASS in node["c"][0][1] and not node["c"][1])


def _marker_lists(node: Any, visit: Any) -> None:
    """Call ``visit(list)`` on every list below ``node`` that holds a marker."""
    if isinstance(node, dict):
        for value in node.values():
            if isinstance(value, list | dict):
                _marker_lists(value, visit)
    elif isinstance(node, list):
        for item in node:
            if isinstance(item, dict) and item.get("t") == "Span" and is_marker(item):
                visit(node)  # may change the list: descend into what it holds after
                break
        for item in node:
            if isinstance(item, list | dict):
                _marker_lists(item, visit)


def resolve(ast: dict[str, Any], exp: Expanded, root: str | Path) -> None:
    """Turn expanded-line markers into ``src="file:first-last"`` and record each source
    file's SHA-256 in the metadata (so the AST, and the DOCX, change when a line moves)."""

    def visit(items: list[Any]) -> None:
        for item in items:
            if not is_marker(item):
                continue
            kv = dict(item["c"][0][2])
            first, _, last = kv.get("p", "0-0").partition("-")
            file, line = exp.where(int(first))
            end_file, end = exp.where(int(last or first))
            if end_file != file or end < line:
                end = line
            item["c"][0][2] = [["src", f"{file}:{line}-{end}"]]

    _marker_lists(ast["blocks"], visit)
    files = sorted({file for file, _ in exp.origin})
    sums = {}
    for file in files:
        path = Path(root) / file
        if path.is_file():
            sums[file] = {"t": "MetaString",
                          "c": hashlib.sha256(path.read_bytes()).hexdigest()}
    ast.setdefault("meta", {})[SOURCES_META] = {"t": "MetaMap", "c": sums}


def strip(ast: dict[str, Any]) -> dict[str, Any]:
    """The AST without position markers: what every edition but the DOCX renders."""
    ast.get("meta", {}).pop(SOURCES_META, None)

    def visit(items: list[Any]) -> None:
        items[:] = [item for item in items if not is_marker(item)]

    _marker_lists(ast.get("blocks", []), visit)
    return ast


def source_of(marker: dict[str, Any]) -> tuple[str, int, int] | None:
    """(file, first line, last line) of a resolved marker."""
    kv = dict(marker["c"][0][2])
    m = re.match(r"^(?P<file>.+):(?P<l>\d+)-(?P<e>\d+)$", kv.get("src", ""))
    if m is None:
        return None
    return m.group("file"), int(m.group("l")), int(m.group("e"))
