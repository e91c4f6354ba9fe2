"""From raw export to the analysis file: pseudonymise, validate, resolve duplicates.

The order matters: personal data is removed first (nothing after this step ever holds
it), then the export is checked, then duplicate submissions are resolved by a fixed rule.

Duplicate rule (documented in data/README.md): a municipality answers once per wave. When
it submitted more than once, the submission kept is, in this order of preference, the
complete one (status ``volledig``), the one with the most answered items, the latest.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.codebook import Codebook
from analysis.pseudonymise import pseudonymise
from analysis.survey_io import Dialect, read_export
from analysis.validate_survey import check_columns, validate
from proefdruk.api import BuildErrors, restore


@dataclass(frozen=True)
class PrepSummary:
    submissions: int
    duplicates_removed: int
    kept: int
    encoding: str
    delimiter: str

    def as_dict(self) -> dict[str, object]:
        return {"inzendingen": self.submissions, "dubbel_verwijderd": self.duplicates_removed,
                "behouden": self.kept, "codering": self.encoding,
                "scheidingsteken": self.delimiter}


def answered_items(df: pd.DataFrame, book: Codebook) -> pd.Series:
    """Number of questions with an answer, per submission."""
    counts = pd.Series(0, index=df.index)
    for q in book.questions:
        counts += df[q.columns].notna().any(axis=1).astype(int)
    return counts


def resolve_duplicates(df: pd.DataFrame, book: Codebook) -> tuple[pd.DataFrame, int]:
    """One submission per municipality and wave (see the module docstring)."""
    ranked = df.assign(
        _complete=(df["status"] == book.export["status_volledig"]).astype(int),
        _items=answered_items(df, book),
    ).sort_values(["gemeentecode", "golf", "_complete", "_items", "volgorde"])
    kept = ranked.groupby(["gemeentecode", "golf"], sort=True).tail(1)
    kept = kept.drop(columns=["_complete", "_items"]).sort_values(["golf", "gemeentecode"])
    return kept.reset_index(drop=True), len(df) - len(kept)


def prepare(export: str | Path, book: Codebook,
            register_codes: set[str]) -> tuple[pd.DataFrame, PrepSummary, Dialect]:
    """The pseudonymised, validated, de-duplicated survey table."""
    raw, dialect = read_export(export)
    # Columns first: pseudonymisation reads the time and open-answer columns by name and
    # would otherwise stop with a bare KeyError instead of naming the missing column.
    column_errors = check_columns(raw, book, Path(export))
    if column_errors:
        raise BuildErrors(column_errors)
    safe = pseudonymise(raw, book)
    parsed = validate(safe, book, register_codes, export, derived=("volgorde", "week"))
    parsed["volgorde"] = safe["volgorde"].to_numpy()
    parsed["week"] = safe["week"].to_numpy()
    parsed = parsed.drop(columns=["ingediend"])
    kept, removed = resolve_duplicates(parsed, book)
    kept.insert(0, "respondent", [f"R{i:04d}" for i in range(1, len(kept) + 1)])
    kept = kept.drop(columns=["response_id", "volgorde"])
    summary = PrepSummary(len(parsed), removed, len(kept), dialect.encoding, dialect.delimiter)
    return kept, summary, dialect


def load_prepared(path: str | Path, book: Codebook) -> pd.DataFrame:
    """Read results/data/survey.csv back with the codebook's types."""
    types: dict[str, str] = {"respondent": "string", "gemeentecode": "string",
                             "status": "string", "week": "string", "golf": "Int64"}
    for q in book.questions:
        for col in q.columns:
            types[col] = {"number": "Float64", "open": "string"}.get(q.type, "Int64")
    df = pd.read_csv(path, dtype=types, keep_default_na=True)
    # Free text was neutralised against formula injection when it was written.
    for q in book.questions:
        if q.type == "open":
            for col in q.columns:
                df[col] = df[col].map(restore, na_action="ignore").astype("string")
    return df


def latest_wave(df: pd.DataFrame, wave: int | None = None) -> pd.DataFrame:
    """The rows of one wave (default: the latest), as the analyses use them."""
    chosen = int(df["golf"].max()) if wave is None else int(wave)
    return df[df["golf"] == chosen].reset_index(drop=True)


def wave_param(smk: object) -> int | None:
    """The ``golf`` parameter of a rule (config ``survey.golf``), or None for the latest."""
    value = getattr(getattr(smk, "params", None), "golf", None)
    return None if value in (None, "", "None", "laatste") else int(value)
