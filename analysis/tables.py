"""Tables in two forms: CSV for machines, a Markdown pipe table for the book.

The Markdown form has Dutch column headers and Dutch number forms (decimal comma,
thousands dot, "%" after a non-breaking space) and no caption: the chapter gives the
caption (``: Bijschrift. {#tbl-…}``), so wording stays with the author.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from proefdruk.api import (
    atomic_write_text,
    escape_markdown,
    format_number,
    format_percent,
    safe_csv_text,
)


def _missing(x: object) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def fmt_pct(x: float, decimals: int = 1) -> str:
    """A share 0–1 as ``37,5 %``; ``–`` when missing."""
    return "–" if _missing(x) else format_percent(float(x), decimals)


def fmt_num(x: float, decimals: int = 0) -> str:
    """A number the Dutch way (``1.234,5``); ``–`` when missing."""
    if _missing(x):
        return "–"
    return format_number(int(x) if decimals == 0 and float(x).is_integer() else float(x),
                         decimals)


def fmt_ci(lo: float, hi: float, decimals: int = 1) -> str:
    """A 95 % interval of shares as percentages: ``30,1–45,2``."""
    if _missing(lo) or _missing(hi):
        return "–"
    return f"{format_number(float(lo) * 100, decimals)}–{format_number(float(hi) * 100, decimals)}"


def pipe_table(header: Sequence[str], rows: Sequence[Sequence[str]],
               align: Sequence[str]) -> str:
    """A Markdown pipe table; ``align`` holds "l" or "r" per column."""
    head = "| " + " | ".join(escape_markdown(h) for h in header) + " |"
    rule = "|" + "|".join(":---" if a == "l" else "---:" for a in align) + "|"
    body = ["| " + " | ".join(cells) + " |" for cells in rows]
    return "\n".join([head, rule, *body]) + "\n"


def write_table(frame: pd.DataFrame, markdown: str, csv_path: str | Path,
                md_path: str | Path) -> list[Path]:
    """Write a table's two forms, each all-or-nothing: ``csv_path`` holds the data at full
    precision (dot decimals, for reviewers and re-analysis), ``md_path`` the rendered
    form a chapter includes (``markdown``, from :func:`pipe_table` or
    ``analysis.document_tables.to_markdown``). The one table writer of every stage."""
    csv_path, md_path = Path(csv_path), Path(md_path)
    atomic_write_text(csv_path, safe_csv_text(frame))
    atomic_write_text(md_path, markdown)
    return [csv_path, md_path]
