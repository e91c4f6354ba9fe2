"""Published CSV files that a spreadsheet cannot turn into formulas.

Reviewers open ``results/data/*.csv`` and ``results/tables/*.csv`` in Excel or LibreOffice.
A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is taken as
a formula there, so a free-text answer like ``=HYPERLINK("http://…")`` would become a live
link or worse (CSV injection). The OWASP rule is applied to every text cell before it
is written: such a value gets a leading apostrophe, which spreadsheets show as text and
do not print. The test is made on the value as it is, before any whitespace is stripped,
so ``"\\t=1+1"`` is neutralised too.

Numbers are left alone (``-3`` and ``-1,5`` in a text column are numbers, not formulas),
and so are values that already are neutralised text. The rule is reversible: a value that
itself begins with an apostrophe gets one more, so :func:`restore` gives back exactly
what was neutralised; the analyses read published files back through it.
"""

from __future__ import annotations

import re

import pandas as pd

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)(?:[eE][+-]?\d+)?$")


def neutralise(value: str) -> str:
    """``value`` made safe for a spreadsheet (see the module docstring)."""
    if not value:
        return value
    if value[0] == "'" or (value[0] in TRIGGERS and not _NUMBER.match(value)):
        return "'" + value
    return value


def restore(value: str) -> str:
    """The value :func:`neutralise` was given."""
    if len(value) >= 2 and value[0] == "'" and (value[1] == "'" or value[1] in TRIGGERS):
        return value[1:]
    return value


def _text_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns
            if pd.api.types.is_object_dtype(frame[c]) or pd.api.types.is_string_dtype(frame[c])]


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell neutralised (column names too)."""
    out = frame.copy()
    for col in _text_columns(out):
        out[col] = out[col].map(lambda v: neutralise(v) if isinstance(v, str) else v)
    out.columns = [neutralise(c) if isinstance(c, str) else c for c in out.columns]
    return out


def restore_frame(frame: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """``frame`` read back from a published CSV, with the apostrophes taken off again."""
    for col in columns if columns is not None else _text_columns(frame):
        frame[col] = frame[col].map(lambda v: restore(v) if isinstance(v, str) else v)
    return frame


def safe_csv_text(frame: pd.DataFrame, **options: object) -> str:
    """``frame`` as the project writes every published CSV: no index, ``\\n`` line ends,
    text cells neutralised against formula injection (``options`` go to ``to_csv``)."""
    return neutralise_frame(frame).to_csv(index=False, lineterminator="\n", **options)
