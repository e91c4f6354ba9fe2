"""Checks shared by the document sources (partnership register, policy-note metadata).

Both sources name a municipality and a year, and both are typed by hand by whoever
compiles them, often from archives that still use the municipality as it was before a
merger. These helpers read a raw CSV strictly (everything as text, nothing guessed),
resolve a municipality code or former name to its 2024 municipality, and check years,
collecting every problem so the author can fix a file in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from proefdruk.api import BuildError

TRUE_WORDS = {"true", "ja", "1", "waar"}
FALSE_WORDS = {"false", "nee", "0", "onwaar"}


def read_raw_csv(path: str | Path, required: Iterable[str]) -> pd.DataFrame:
    """A raw CSV as strings (empty cells as ``""``), with its required columns checked."""
    path = Path(path)
    if not path.exists():
        raise BuildError("input file is missing", file=path,
                         hint="restore it from git or run data/generate_documents.py")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise BuildError("file is not UTF-8 text", file=path, expected="UTF-8 CSV",
                         found=str(exc), hint="save the file as CSV UTF-8") from exc
    except pd.errors.ParserError as exc:
        raise BuildError("file is not a readable CSV", file=path, found=str(exc),
                         hint="check for unbalanced quotes or a wrong number of commas") from exc
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise BuildError("required column(s) missing", file=path, row=0,
                         field=", ".join(missing), expected=", ".join(required),
                         found=", ".join(frame.columns),
                         hint="add the missing column(s) to the header line")
    return frame


def parse_flag(value: str, path: Path, row: int, field: str) -> bool:
    """``true``/``false`` (also ``ja``/``nee``, ``1``/``0``) as a bool."""
    v = value.strip().lower()
    if v in TRUE_WORDS:
        return True
    if v in FALSE_WORDS:
        return False
    raise BuildError("not a yes/no value", file=path, row=row, field=field,
                     expected="true or false", found=repr(value),
                     hint="write true for synthetic records and false for real ones")


def parse_year(value: str, path: Path, row: int, field: str, low: int, high: int,
               optional: bool = False) -> int | None:
    """A year within ``low..high`` (inclusive); empty allowed only when ``optional``."""
    v = value.strip()
    if not v:
        if optional:
            return None
        raise BuildError("year is missing", file=path, row=row, field=field,
                         expected=f"a year {low}–{high}", found="empty cell",
                         hint="fill in the year, or remove the row if it is unknown")
    if not v.isdigit() or not low <= int(v) <= high:
        raise BuildError("year out of range", file=path, row=row, field=field,
                         expected=f"a whole year {low}–{high}", found=repr(value),
                         hint="correct the year; the study covers 1945 up to the build year")
    return int(v)


@dataclass(frozen=True)
class MunicipalityResolver:
    """Turns a code or name as written in a source into the 2024 municipality.

    ``codes`` maps every 2024 CBS code to its name; ``former_codes`` and
    ``former_names`` map municipalities dissolved by a merger to the 2024 code that
    succeeded them (data/raw/herindelingen.csv).
    """

    codes: dict[str, str]
    former_codes: dict[str, str]
    former_names: dict[str, str]
    dissolved: dict[str, int] = field(default_factory=dict)  # former code or name -> year

    def resolve(self, code: str, name: str, path: Path, row: int,
                field: str = "gemeente_code") -> str:
        code = code.strip().upper()
        if code in self.codes:
            return code
        if code in self.former_codes:
            return self.former_codes[code]
        if not code and name.strip() in self.former_names:
            return self.former_names[name.strip()]
        if not code and name.strip() in self.codes.values():
            return next(c for c, n in sorted(self.codes.items()) if n == name.strip())
        raise BuildError(
            "unknown municipality code", file=path, row=row, field=field,
            expected="a CBS code of 2024 (GM0363) or of a merged former municipality "
                     "listed in data/raw/herindelingen.csv",
            found=repr(code) + (f" ({name.strip()})" if name.strip() else ""),
            hint="look the code up in data/raw/gemeenten-2024.csv; for a former "
                 "municipality add a row to data/raw/herindelingen.csv",
        )


    def check_existed(self, code: str, name: str, year: int | None, path: Path, row: int,
                      field: str) -> None:
        """A former municipality cannot act after the merger that dissolved it."""
        key = code.strip().upper() or name.strip()
        if year is None or key not in self.dissolved or key in self.codes:
            return
        gone = self.dissolved[key]
        if year >= gone:
            successor = self.codes[self.resolve(code, name, path, row)]
            raise BuildError(
                "year after the municipality was dissolved", file=path, row=row, field=field,
                expected=f"a year before {gone}, when {name.strip() or code} became part of "
                         f"{successor}",
                found=str(year),
                hint=f"record it under {successor} (its 2024 code) or correct the year")


def load_mergers(path: str | Path, codes: dict[str, str]) -> MunicipalityResolver:
    """Read the merger mapping and check that every successor exists in 2024."""
    path = Path(path)
    frame = read_raw_csv(path, ["oude_naam", "oude_code", "naam_2024", "jaar", "bron"])
    by_name = {n: c for c, n in codes.items()}
    former_codes: dict[str, str] = {}
    former_names: dict[str, str] = {}
    dissolved: dict[str, int] = {}
    for i, rec in enumerate(frame.to_dict("records"), start=1):
        successor = rec["naam_2024"].strip()
        if successor not in by_name:
            raise BuildError("successor is not a municipality of 2024", file=path, row=i,
                             field="naam_2024", expected="a name in data/raw/gemeenten-2024.csv",
                             found=repr(successor), hint="use the 2024 spelling of the name")
        year = parse_year(rec["jaar"], path, i, "jaar", 1945, 2024)
        former_names[rec["oude_naam"].strip()] = by_name[successor]
        dissolved[rec["oude_naam"].strip()] = int(year or 0)
        if rec["oude_code"].strip():
            former_codes[rec["oude_code"].strip().upper()] = by_name[successor]
            dissolved[rec["oude_code"].strip().upper()] = int(year or 0)
    return MunicipalityResolver(codes=dict(codes), former_codes=former_codes,
                                former_names=former_names, dissolved=dissolved)


def any_synthetic(*paths: str | Path) -> bool:
    """Whether any row of these raw CSVs is marked synthetic.

    Read when the workflow is parsed, to decide whether the edition notice is needed;
    a missing file counts as no rows (its own rule reports it).
    """
    for path in paths:
        p = Path(path)
        if not p.exists():
            continue
        frame = pd.read_csv(p, dtype=str, keep_default_na=False, usecols=["synthetic"])
        if frame["synthetic"].str.strip().str.lower().isin(TRUE_WORDS).any():
            return True
    return False
