"""Check the export against the codebook and the register; parse it into typed columns.

Every problem is collected (file, row, column, expected, found, what to do) and raised
together, so an author fixes a broken export in one pass. Nothing is written downstream
unless the whole file passes. Rows are numbered as in a spreadsheet's data area: row 1 is
the first submission under the header (the message adds its spreadsheet line and, where
the row has one, the respondent's id).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.codebook import Codebook, Question
from analysis.pseudonymise import scrub_text
from proefdruk.api import BuildError, BuildErrors

_NUMBER_RE = re.compile(r"^-?\d+([.,]\d+)?$")


def _err(path: Path, row: int | None, field: str, message: str, expected: str, found: Any,
         hint: str, rid: str = "") -> BuildError:
    # A value typed in the wrong box may hold contact details: scrub them here too, since
    # error messages end up in logs.
    shown = scrub_text(found) if isinstance(found, str) else repr(found)
    return BuildError(message, file=path, row=row, field=field, expected=expected,
                      found=f"'{shown}'" if isinstance(found, str) else shown, hint=hint,
                      record=f"respondent {rid}" if rid else None)


def check_columns(df: pd.DataFrame, book: Codebook, path: Path,
                  derived: tuple[str, ...] = ()) -> list[BuildError]:
    """Every codebook column present, nothing unexplained (``derived``: columns added by
    an earlier step of this pipeline, such as pseudonymisation)."""
    e = book.export
    known = set(book.answer_columns) | set(book.required_meta_columns) | set(book.pii_columns)
    known |= set(book.ignored_columns)
    known.add(e.get("golf", "golf"))
    known.update(derived)
    errors = []
    for col in book.required_meta_columns + book.answer_columns:
        if col not in df.columns:
            errors.append(_err(path, 0, col, "column missing from the export",
                               "a column named as in the codebook", "absent",
                               "export all questions, or update codebook.yaml if the "
                               "survey tool names the column differently"))
    for col in df.columns:
        if col not in known:
            errors.append(_err(path, 0, col, "column not described in the codebook",
                               "only columns from codebook.yaml", col,
                               "add the question to codebook.yaml, or list the column "
                               "under export: negeren if the study does not use it"))
    return errors


def _parse_value(q: Question, col: str, raw: str) -> tuple[Any, str | None]:
    """(parsed value, or None for empty; error text or None)."""
    raw = raw.strip()
    if raw == "":
        return None, None
    if q.type in ("single", "likert"):
        if not raw.isdigit() or int(raw) not in q.codes():
            return None, "one of the codes " + ", ".join(str(c) for c in q.codes())
        return int(raw), None
    if q.type == "multiple":
        if raw not in ("0", "1"):
            return None, "0 (not ticked), 1 (ticked) or empty (not shown / not answered)"
        return int(raw), None
    if q.type == "number":
        if not _NUMBER_RE.match(raw):
            return None, f"a number between {q.minimum} and {q.maximum}"
        value = float(raw.replace(",", "."))
        if (q.minimum is not None and value < q.minimum) or (
                q.maximum is not None and value > q.maximum):
            return None, f"a number between {q.minimum} and {q.maximum}"
        return value, None
    return raw, None


def validate(df: pd.DataFrame, book: Codebook, register_codes: set[str],
             path: str | Path, derived: tuple[str, ...] = ()) -> pd.DataFrame:
    """The parsed export (typed answers), or :class:`BuildErrors` listing every problem."""
    path = Path(path)
    errors = check_columns(df, book, path, derived)
    if errors:
        raise BuildErrors(errors)
    if df.empty:  # a header alone: every later step would fail without saying why
        raise BuildError("export has no submissions", file=path, row=1, field=book.export["id"],
                         expected="at least one submission under the header",
                         found="only the header line",
                         hint="export again with all responses, or restore the previous export")
    e = book.export
    statuses = {e["status_volledig"], e["status_gedeeltelijk"]}
    seen_ids: dict[str, int] = {}
    parsed_rows: list[dict[str, Any]] = []
    for i, rec in enumerate(df.to_dict("records"), start=1):
        out: dict[str, Any] = {}
        rid = rec[e["id"]].strip()
        if not rid:
            errors.append(_err(path, i, e["id"], "submission without an id", "a unique id",
                               "empty", "keep the id column of the survey tool's export"))
        elif rid in seen_ids:
            errors.append(_err(path, i, e["id"], "submission id used twice", "a unique id",
                               f"{rid} (also row {seen_ids[rid]})",
                               "export again; ids are given by the survey tool"))
        seen_ids.setdefault(rid, i)
        code = rec[e["gemeente"]].strip()
        if code not in register_codes:
            errors.append(_err(path, i, e["gemeente"], "municipality not in the register",
                               "a CBS code from data/raw/gemeenten-2024.csv", code,
                               "correct the code, or check for a pre-2024 municipality", rid))
        status = rec[e["status"]].strip()
        if status not in statuses:
            errors.append(_err(path, i, e["status"], "unknown submission status",
                               " or ".join(sorted(statuses)), status,
                               "map the tool's status values in codebook.yaml (export:)", rid))
        golf = rec.get(e.get("golf", "golf"), "1").strip() or "1"
        if not golf.isdigit():
            errors.append(_err(path, i, e.get("golf", "golf"), "wave is not a number",
                               "1, 2, ...", golf, "leave empty for a single wave", rid))
            golf = "1"
        ts = pd.to_datetime(rec[e["ingediend"]].strip(), errors="coerce", format="ISO8601")
        if pd.isna(ts):
            errors.append(_err(path, i, e["ingediend"], "submission time is not a date-time",
                               "YYYY-MM-DD HH:MM:SS", "(not shown: personal data)",
                               "export timestamps in ISO format", rid))
        out.update({"response_id": rid, "gemeentecode": code, "status": status,
                    "golf": int(golf), "ingediend": ts})
        for q in book.questions:
            for col in q.columns:
                value, problem = _parse_value(q, col, rec[col])
                if problem:
                    errors.append(_err(path, i, col, f"invalid answer to {q.id}", problem,
                                       rec[col], "correct the value or the codebook", rid))
                out[col] = value
        errors.extend(_check_row_logic(book, out, i, path, rid))
        parsed_rows.append(out)
    if errors:
        raise BuildErrors(errors)
    return pd.DataFrame(parsed_rows)


def _check_row_logic(book: Codebook, row: dict[str, Any], i: int,
                     path: Path, rid: str = "") -> list[BuildError]:
    """Multiple-response blocks complete, exclusive options alone, routing respected."""
    errors = []
    for q in book.questions:
        values = [row[c] for c in q.columns]
        answered = any(v is not None for v in values)
        if q.type == "multiple" and answered:
            if any(v is None for v in values):
                blank = [c for c, v in zip(q.columns, values, strict=True) if v is None]
                errors.append(_err(path, i, blank[0], f"incomplete answer to {q.id}",
                                   "0 or 1 in every option column once the question is answered",
                                   "empty", "fill 0 for options not ticked", rid))
            for o in q.options:
                if o.exclusive and row[f"{q.id}_{o.code}"] == 1 and sum(
                        v or 0 for v in values) > 1:
                    errors.append(_err(path, i, f"{q.id}_{o.code}",
                                       f"'{o.label}' ticked together with other options",
                                       "the exclusive option alone", f"{sum(values)} ticks",
                                       "check the survey tool's settings for this question",
                                       rid))
        if answered and not book.is_shown(q, row):
            shown_if = " and ".join(f"“{c.describe(book)}”" for c in q.show_if)
            errors.append(_err(path, i, q.columns[0], f"{q.id} answered but routed away",
                               f"empty: {q.id} is shown only if {shown_if}, which does "
                               "not hold for this row", "an answer",
                               "check the routing in the survey tool against codebook.yaml",
                               rid))
    return errors
