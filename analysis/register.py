"""The municipality register: who was invited, where they are, how large they are.

The register (``data/raw/gemeenten-2024.csv``) is the sampling frame of the survey: every
municipality on 1 January 2024, with its CBS code, official name and province. Size
classes are derived here from the population column rather than typed into the file, so
that a corrected population figure changes the class everywhere at once. Municipalities
whose population is not (yet) in the register get the class ``onbekend`` instead of a
guessed one (see data/README.md: the figures still to be added are listed there).

Every population figure carries its source in the same row (``inwoners_bron``: the page
and what it states), so that a figure and its provenance change together and a reviewer
can follow each one; a figure without a source, or a source without a figure, is refused.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from proefdruk.api import BuildError, BuildErrors

CODE_RE = re.compile(r"^GM\d{4}$")
COLUMNS = ("gemeentecode", "gemeentenaam", "provincie", "inwoners_2024", "inwoners_bron")
PROVINCES = (
    "Drenthe", "Flevoland", "Fryslân", "Gelderland", "Groningen", "Limburg",
    "Noord-Brabant", "Noord-Holland", "Overijssel", "Utrecht", "Zeeland", "Zuid-Holland",
)
# Upper bounds (inclusive) of the size classes, in inhabitants; the last class is open.
SIZE_BOUNDS = (20_000, 50_000, 100_000)
SIZE_LABELS = ("< 20.000", "20.000–50.000", "50.000–100.000", "> 100.000")
UNKNOWN_SIZE = "onbekend"


def size_class(population: float | int | None) -> str:
    """The size class of a municipality of ``population`` inhabitants.

    Boundaries follow the convention of earlier Dutch municipal surveys: up to 20.000,
    20.001–50.000, 50.001–100.000 and more than 100.000 inhabitants.
    """
    if population is None or pd.isna(population):
        return UNKNOWN_SIZE
    for bound, label in zip(SIZE_BOUNDS, SIZE_LABELS, strict=False):
        if population <= bound:
            return label
    return SIZE_LABELS[-1]


def size_class_order(include_unknown: bool = True) -> list[str]:
    """Size classes from small to large (for tables and figures)."""
    return list(SIZE_LABELS) + ([UNKNOWN_SIZE] if include_unknown else [])


def load_register(path: str | Path, with_sources: bool = False) -> pd.DataFrame:
    """Read and check the register; raise every problem at once.

    Returns one row per municipality with an added ``grootteklasse`` column; the source
    column only when ``with_sources`` is set (the analyses need the figure, the data
    appendix its provenance).
    """
    path = Path(path)
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError as exc:
        raise BuildError("municipality register is missing", file=path,
                         hint="restore data/raw/gemeenten-2024.csv from git") from exc
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise BuildError("register lacks columns", file=path, row=0, field=", ".join(missing),
                         expected=", ".join(COLUMNS), found=", ".join(df.columns),
                         hint="keep the header of data/raw/gemeenten-2024.csv as documented")
    errors: list[BuildError] = []
    seen: dict[str, int] = {}
    for i, rec in enumerate(df.to_dict("records"), start=1):
        code = rec["gemeentecode"]
        if not CODE_RE.match(code):
            errors.append(BuildError("invalid CBS municipality code", file=path, row=i,
                                     field="gemeentecode", expected="GM followed by 4 digits",
                                     found=repr(code), hint="use the code from CBS"))
        elif code in seen:
            errors.append(BuildError("municipality listed twice", file=path, row=i,
                                     field="gemeentecode", expected="each code once",
                                     found=f"{code} also on row {seen[code]}",
                                     hint="remove the duplicate row"))
        seen.setdefault(code, i)
        if rec["provincie"] not in PROVINCES:
            errors.append(BuildError("unknown province", file=path, row=i, field="provincie",
                                     expected="one of " + ", ".join(PROVINCES),
                                     found=repr(rec["provincie"]),
                                     hint="Caribbean public bodies are out of scope"))
        pop = rec["inwoners_2024"].strip()
        if pop and not pop.isdigit():
            errors.append(BuildError("population is not a whole number", file=path, row=i,
                                     field="inwoners_2024", expected="digits only, or empty",
                                     found=repr(pop), hint="write 12345, not 12.345"))
        source = rec["inwoners_bron"].strip()
        if pop and not source:
            errors.append(BuildError("population without a source", file=path, row=i,
                                     field="inwoners_bron",
                                     expected="the page the figure comes from and the date "
                                              "it states", found="empty",
                                     hint="add the source, or leave the population empty"))
        if source and not pop:
            errors.append(BuildError("source without a population", file=path, row=i,
                                     field="inwoners_2024", expected="the figure the source "
                                     "states", found="empty",
                                     hint="fill in the figure, or remove the source"))
        if not rec["gemeentenaam"].strip():
            errors.append(BuildError("municipality without a name", file=path, row=i,
                                     field="gemeentenaam", expected="official name",
                                     found="empty", hint="fill in the CBS name"))
    if errors:
        raise BuildErrors(errors)
    keep = list(COLUMNS) if with_sources else list(COLUMNS[:-1])
    out = df.loc[:, keep].copy()
    out["inwoners_2024"] = pd.to_numeric(out["inwoners_2024"].replace("", pd.NA)).astype("Int64")
    out["grootteklasse"] = [size_class(v) for v in out["inwoners_2024"]]
    return out.sort_values("gemeentecode").reset_index(drop=True)
