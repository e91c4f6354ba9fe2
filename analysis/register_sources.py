"""Where the register's facts come from, as tables the data appendix can include.

The appendix must say what data/README.md says about the register (per column: source
and retrieval date; per population figure: the page that states it) without anyone
typing it twice. The per-column origins live next to the register in
``gemeenten-2024.herkomst.yaml``; the per-figure sources are the register's own
``inwoners_bron`` column. These functions turn both into small tables.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import yaml

from proefdruk.api import BuildError

ORIGIN_FIELDS = ("inhoud", "bron", "opgehaald")
# "https://page (what the page states)" -> page, statement
SOURCE_RE = re.compile(r"^(?P<page>\S+)\s+\((?P<states>.*)\)\s*$")


def column_origins(meta_path: str | Path, columns: list[str]) -> pd.DataFrame:
    """One row per register column: kolom, inhoud, bron, opgehaald.

    Refuses a column without an entry, an entry for a column the register lacks, and an
    entry without one of the fields, so the documented provenance cannot drift from
    the file it documents.
    """
    path = Path(meta_path)
    try:
        meta = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError as exc:
        raise BuildError("column origins of the register are missing", file=path,
                         hint="restore data/raw/gemeenten-2024.herkomst.yaml from git") from exc
    entries = meta.get("kolommen") or {}
    missing = [c for c in columns if c not in entries]
    extra = [c for c in entries if c not in columns]
    if missing or extra:
        raise BuildError("register columns and their documented origins differ", file=path,
                         field="kolommen", expected="one entry per column: " + ", ".join(columns),
                         found=f"missing {missing or '-'}, not in the register {extra or '-'}",
                         hint="describe each column of gemeenten-2024.csv once")
    rows = []
    for col in columns:
        entry = entries[col] or {}
        lacking = [f for f in ORIGIN_FIELDS if f not in entry]
        if lacking:
            raise BuildError("column origin incomplete", file=path, field=f"kolommen.{col}",
                             expected=", ".join(ORIGIN_FIELDS), found="lacks " + ", ".join(lacking),
                             hint="fill in what the column holds, its source and when it "
                                  "was retrieved")
        rows.append({"kolom": col, **{f: " ".join(str(entry[f]).split()) for f in ORIGIN_FIELDS}})
    return pd.DataFrame(rows)


def split_source(text: str) -> tuple[str, str]:
    """``"https://x (what it states)"`` -> ``("https://x", "what it states")``."""
    m = SOURCE_RE.match(text.strip())
    return (m["page"], m["states"]) if m else (text.strip(), "")


def population_sources(register: pd.DataFrame) -> pd.DataFrame:
    """Per source page: what it states, how many municipalities, in which provinces."""
    filled = register[register["inwoners_2024"].notna()]
    rows = []
    for text, part in filled.groupby("inwoners_bron", sort=True):
        page, states = split_source(str(text))
        rows.append({"bron": page, "vermeldt": states, "gemeenten": len(part),
                     "provincies": ", ".join(sorted(part["provincie"].unique()))})
    return pd.DataFrame(rows, columns=["bron", "vermeldt", "gemeenten", "provincies"])


def province_coverage(register: pd.DataFrame) -> pd.DataFrame:
    """Per province: municipalities, how many have a population figure, and the sum."""
    rows = []
    for province, part in register.groupby("provincie", sort=True):
        pops = part["inwoners_2024"]
        rows.append({"provincie": province, "gemeenten": len(part),
                     "met_inwonertal": int(pops.notna().sum()),
                     "zonder_inwonertal": int(pops.isna().sum()),
                     "som": int(pops.sum()) if pops.notna().all() else None})
    return pd.DataFrame(rows)


def size_classes_comparable(register: pd.DataFrame, min_coverage: float) -> tuple[bool, int, int]:
    """Whether enough municipalities have a population for size classes to be compared.

    A share computed over the two or three municipalities of a class that happen to have
    a figure reads like a finding while it is an accident of which figures were found
    first; below ``min_coverage`` (a share of the register, from the study's config) the
    chapters print that the comparison waits instead. Returns the decision, the number
    with a figure and the register's size.
    """
    if not 0 <= min_coverage <= 1:
        raise BuildError("coverage threshold out of range",
                         field="survey.size_classes_min_coverage",
                         expected="a share between 0 and 1", found=repr(min_coverage),
                         hint="set it in config/config.yaml, e.g. 0.9 for 90 %")
    n = len(register)
    filled = int(register["inwoners_2024"].notna().sum())
    return (n > 0 and filled >= min_coverage * n), filled, n

