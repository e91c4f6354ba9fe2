"""Tables of the document analyses: the data (CSV) and the form a chapter includes (Markdown).

The chapter includes the Markdown form (``{{< include ../results/tables/x.md >}}``) and
gives the caption itself; the CSV keeps the unrounded values for reviewers. Numbers in
the Markdown are in Dutch notation (decimal comma, thousands dot), formatted by
``proefdruk.dutch`` so that they read exactly like the numbers in the prose.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from proefdruk.api import escape_markdown, format_number, format_percent

# How a column is shown: "int" (1.234), "pct" (63,4 %), "dec1" (1,5), "dec2", "pval"
# (0,032 or < 0,001), "text".
Formats = Mapping[str, str]


def _cell(value: object, kind: str) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if kind == "int":
        return format_number(int(value))  # type: ignore[call-overload]
    if kind == "pct":
        return format_percent(float(value))  # type: ignore[arg-type]
    if kind == "pval":
        p = float(value)  # type: ignore[arg-type]
        return "< 0,001" if p < 0.001 else format_number(p, 3)
    if kind.startswith("dec"):
        return format_number(float(value), int(kind[3:]))  # type: ignore[arg-type]
    return escape_markdown(str(value))


def to_markdown(frame: pd.DataFrame, formats: Formats, headers: Mapping[str, str]) -> str:
    """A pipe table with Dutch number forms; numeric columns right-aligned."""
    cols = list(headers)
    head = "| " + " | ".join(headers[c] for c in cols) + " |"
    align = "|" + "|".join("---:" if formats.get(c, "text") != "text" else ":---"
                           for c in cols) + "|"
    body = ["| " + " | ".join(_cell(rec[c], formats.get(c, "text")) for c in cols) + " |"
            for rec in frame.to_dict("records")]
    return "\n".join([head, align, *body]) + "\n"
