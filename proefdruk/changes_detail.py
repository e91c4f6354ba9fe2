"""The details a reviewer needs under each change: where it is, which cells, what moved.

A changes report that says "table changed" or "page changed" sends the committee looking.
This module reads the two editions' pages for what a reader sees there: each page's
chapter label and sections (so a change is placed as "Hoofdstuk 5, §5.3" with a link into
the new edition), the cells of every table the page shows (so a changed table lists its
changed cells, old → new), and it renders a changed figure's two versions to pixels (with
Typst, which the build already uses for the PDF) to outline the regions that differ, since
a bar that moved 0.7 points looks identical side by side.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

MAX_CELLS = 60  # changed cells listed per table; the rest is counted
GRID = 6        # pixels per cell of the grid that groups changed pixels into regions


@dataclass
class Section:
    """A heading of a page: its anchor, its number (``5.3``) and its title."""

    anchor: str
    number: str
    title: str


@dataclass
class ShownTable:
    """A table as a page shows it, found by the output file its caption links to."""

    anchor: str
    label: str
    section: int
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class ShownFigure:
    """A figure as a page shows it, found by the output file its caption links to."""

    anchor: str
    label: str
    section: int


def place(chapter: str, sections: list[Section], index: int, page: str) -> dict[str, str]:
    """Where a change is: ``Hoofdstuk 5, §5.3`` and the page address with its anchor."""
    sec = sections[index] if 0 <= index < len(sections) else None
    parts = [chapter] if chapter else []
    if sec and sec.number:
        parts.append(f"§{sec.number}")
    elif sec and sec.title and sec.title != chapter and (index > 0 or not chapter):
        parts.append(sec.title)  # an unnumbered section; the page's own title is the chapter
    anchor = f"#{sec.anchor}" if sec and sec.anchor else ""
    return {"label": ", ".join(parts) or page, "href": page + anchor}


def table_cells(old: list[list[str]], new: list[list[str]]) -> tuple[list[dict[str, str]], int]:
    """The cells that differ between two versions of one table, as (row label, column
    header, old, new); rows are matched by their first cell where that is unique, by
    position otherwise. Returns the first :data:`MAX_CELLS` and how many there are."""
    if not old or not new:
        return [], 0
    head_old, head_new = old[0], new[0]
    body_old, body_new = old[1:], new[1:]
    labels_old = [r[0] if r else "" for r in body_old]
    labels_new = [r[0] if r else "" for r in body_new]
    by_label = len(set(labels_old)) == len(labels_old) and len(set(labels_new)) == len(labels_new)
    pairs: list[tuple[list[str] | None, list[str] | None]] = []
    if by_label:
        old_rows = dict(zip(labels_old, body_old, strict=True))
        for label, row in zip(labels_new, body_new, strict=True):
            pairs.append((old_rows.get(label), row))
        pairs += [(row, None) for label, row in zip(labels_old, body_old, strict=True)
                  if label not in set(labels_new)]
    else:
        n = max(len(body_old), len(body_new))
        pairs = [(body_old[i] if i < len(body_old) else None,
                  body_new[i] if i < len(body_new) else None) for i in range(n)]
    cells: list[dict[str, str]] = []
    for a, b in pairs:
        row = (b or a or [""])[0]
        width = max(len(a or []), len(b or []))
        for c in range(1 if by_label else 0, width):
            x = a[c] if a and c < len(a) else ""
            y = b[c] if b and c < len(b) else ""
            if x != y:
                head = head_new[c] if c < len(head_new) else head_old[c] if c < len(head_old) \
                    else str(c + 1)
                cells.append({"row": row, "column": head, "old": x or "—", "new": y or "—"})
    return cells[:MAX_CELLS], len(cells)


def _raster(svg: Path, work: Path, name: str):  # -> PIL.Image.Image
    """The figure as pixels, rendered by Typst from the SVG file as the PDF shows it."""
    import typst
    from PIL import Image

    (work / f"{name}.svg").write_bytes(svg.read_bytes())
    (work / f"{name}.typ").write_text(
        f'#set page(width: auto, height: auto, margin: 0pt, fill: white)\n'
        f'#image("{name}.svg")\n', encoding="utf-8")
    png = typst.compile(str(work / f"{name}.typ"), format="png", ppi=110, root=str(work))
    return Image.open(io.BytesIO(png)).convert("RGB")


def _regions(mask) -> list[tuple[int, int, int, int]]:  # mask: numpy bool array
    """Boxes around the groups of changed pixels, top to bottom, left to right (grid
    cells up to two apart join a group, so one moved bar is one box)."""
    import numpy as np

    h, w = mask.shape
    gh, gw = -(-h // GRID), -(-w // GRID)
    padded = np.zeros((gh * GRID, gw * GRID), dtype=bool)
    padded[:h, :w] = mask
    grid = padded.reshape(gh, GRID, gw, GRID).any(axis=(1, 3))
    seen = np.zeros_like(grid)
    boxes = []
    for y, x in zip(*np.nonzero(grid), strict=True):
        if seen[y, x]:
            continue
        stack, y0, x0, y1, x1 = [(y, x)], y, x, y, x
        seen[y, x] = True
        while stack:
            cy, cx = stack.pop()
            y0, x0, y1, x1 = min(y0, cy), min(x0, cx), max(y1, cy), max(x1, cx)
            for ny in range(cy - 2, cy + 3):
                for nx in range(cx - 2, cx + 3):
                    if 0 <= ny < gh and 0 <= nx < gw and grid[ny, nx] and not seen[ny, nx]:
                        seen[ny, nx] = True
                        stack.append((ny, nx))
        boxes.append((int(x0) * GRID, int(y0) * GRID, min(w, (int(x1) + 1) * GRID),
                      min(h, (int(y1) + 1) * GRID)))
    return sorted(boxes, key=lambda b: (b[1], b[0]))


def outline_changes(old_svg: Path, new_svg: Path, out_png: Path) -> int:
    """Write the new figure with a red outline around every region whose pixels differ
    from the old one (the old figure shows faintly underneath, so a moved bar shows
    both where it was and where it is); returns the number of regions (0: the two look
    the same, and nothing is written)."""
    import numpy as np
    from PIL import Image, ImageDraw

    with tempfile.TemporaryDirectory() as tmp:
        a, b = _raster(old_svg, Path(tmp), "oud"), _raster(new_svg, Path(tmp), "nieuw")
    size = (max(a.width, b.width), max(a.height, b.height))
    canvas_a, canvas_b = Image.new("RGB", size, "white"), Image.new("RGB", size, "white")
    canvas_a.paste(a)
    canvas_b.paste(b)
    diff = np.abs(np.asarray(canvas_a, dtype=np.int16) - np.asarray(canvas_b, dtype=np.int16))
    boxes = _regions(diff.max(axis=2) > 24)
    if not boxes:
        return 0
    shown = Image.blend(canvas_a, canvas_b, 0.75)
    draw = ImageDraw.Draw(shown)
    for x0, y0, x1, y1 in boxes:
        draw.rectangle((max(0, x0 - 2), max(0, y0 - 2), min(size[0] - 1, x1 + 1),
                        min(size[1] - 1, y1 + 1)), outline=(213, 0, 0), width=2)
    out_png.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    shown.save(buf, format="PNG", optimize=False)
    out_png.write_bytes(buf.getvalue())
    return len(boxes)
