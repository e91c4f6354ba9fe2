"""The register of international partnerships (stedenbanden) since 1945.

Sub-question 1 asks how municipal international policy developed after the war. The
register of partnerships is the longest series the study has: who tied up with whom,
when, and of what kind. Its waves (reconciliation with Western Europe after 1945,
solidarity with the Global South from the 1970s, Central and Eastern Europe after 1989,
formal cross-border bodies from the 1990s) are read from the start years by decade and
partner region.

Partner regions come from ``data/raw/partnerships/landen.csv``; a partnership of the kind
``grensoverschrijdend`` is counted in its own region (``Grensregio``) whatever the
country, because a cross-border tie with Aachen is a different thing from a twinning
with Bordeaux.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd

from analysis.document_checks import (
    MunicipalityResolver,
    parse_flag,
    parse_year,
    read_raw_csv,
)
from proefdruk.api import BuildError, BuildErrors

FIRST_YEAR = 1945

KINDS: dict[str, str] = {
    "verzoening_vriendschap": "Verzoening en vriendschap",
    "ontwikkelingssamenwerking": "Ontwikkelingssamenwerking",
    "economisch": "Economisch",
    "grensoverschrijdend": "Grensoverschrijdend",
    "kennis": "Kennisuitwisseling",
}

BORDER_REGION = "Grensregio (België en Duitsland)"
REGIONS: tuple[str, ...] = (
    "West-Europa",
    "Midden- en Oost-Europa",
    "Mondiale Zuiden",
    BORDER_REGION,
    "Overige wereld",
)
NEIGHBOURS = frozenset({"BE", "DE"})

COLUMNS = ["id", "gemeente_code", "gemeente_naam", "partnerstad", "land", "jaar_start",
           "jaar_einde", "soort", "synthetic", "bron"]


def load_countries(path: str | Path) -> dict[str, tuple[str, str]]:
    """ISO 3166-1 alpha-2 code -> (Dutch name, partner region)."""
    path = Path(path)
    frame = read_raw_csv(path, ["iso2", "naam_nl", "regio"])
    countries: dict[str, tuple[str, str]] = {}
    for i, rec in enumerate(frame.to_dict("records"), start=1):
        if rec["regio"] not in REGIONS:
            raise BuildError("unknown partner region", file=path, row=i, field="regio",
                             expected=" | ".join(REGIONS), found=repr(rec["regio"]),
                             hint="use one of the regions the analysis knows")
        countries[rec["iso2"].strip().upper()] = (rec["naam_nl"].strip(), rec["regio"])
    return countries


def validate_register(path: str | Path, resolver: MunicipalityResolver,
                      countries: dict[str, tuple[str, str]], last_year: int) -> pd.DataFrame:
    """Check every row of the register and return it on 2024 boundaries.

    All problems are collected and raised together (``BuildErrors``); nothing is
    returned half-checked.
    """
    path = Path(path)
    frame = read_raw_csv(path, COLUMNS)
    errors: list[BuildError] = []
    rows = []
    seen_ids: set[str] = set()
    for i, rec in enumerate(frame.to_dict("records"), start=1):
        try:
            rows.append(_validate_row(rec, i, path, resolver, countries, last_year, seen_ids))
        except BuildError as err:
            errors.append(err)
    if errors:
        if len(errors) == 1:
            raise errors[0]
        raise BuildErrors(errors)
    out = pd.DataFrame(rows)
    return out.sort_values(["jaar_start", "gemeente_code", "id"]).reset_index(drop=True)


def _validate_row(rec: dict[str, str], i: int, path: Path, resolver: MunicipalityResolver,
                  countries: dict[str, tuple[str, str]], last_year: int,
                  seen_ids: set[str]) -> dict[str, object]:
    rid = rec["id"].strip()
    if not rid or rid in seen_ids:
        raise BuildError("record id missing or repeated", file=path, row=i, field="id",
                         expected="a unique id per row", found=repr(rid),
                         hint="give the row its own id (e.g. the next free number)")
    seen_ids.add(rid)
    code = resolver.resolve(rec["gemeente_code"], rec["gemeente_naam"], path, i)
    land = rec["land"].strip().upper()
    if land not in countries:
        raise BuildError("unknown partner country", file=path, row=i, field="land",
                         expected="an ISO 3166-1 alpha-2 code listed in "
                                  "data/raw/partnerships/landen.csv",
                         found=repr(rec["land"]),
                         hint="use the two-letter code (DE, NI, PL) or add the country "
                              "with its Dutch name and region to landen.csv")
    start = parse_year(rec["jaar_start"], path, i, "jaar_start", FIRST_YEAR, last_year)
    end = parse_year(rec["jaar_einde"], path, i, "jaar_einde", start or FIRST_YEAR,
                     last_year, optional=True)
    resolver.check_existed(rec["gemeente_code"], rec["gemeente_naam"], start, path, i,
                           "jaar_start")
    kind = rec["soort"].strip()
    if kind not in KINDS:
        raise BuildError("unknown kind of partnership", file=path, row=i, field="soort",
                         expected=" | ".join(KINDS), found=repr(rec["soort"]),
                         hint="choose the closest kind; add a new one in "
                              "analysis/partnerships.py only with the codebook")
    if kind == "grensoverschrijdend" and land not in NEIGHBOURS:
        raise BuildError("cross-border partnership with a non-neighbouring country",
                         file=path, row=i, field="land", expected="BE or DE",
                         found=repr(land), hint="check the country or the kind")
    if not rec["partnerstad"].strip():
        raise BuildError("partner city is missing", file=path, row=i, field="partnerstad",
                         expected="the partner's name", found="empty cell",
                         hint="fill in the partner city")
    synthetic = parse_flag(rec["synthetic"], path, i, "synthetic")
    if not rec["bron"].strip():
        raise BuildError("source is missing", file=path, row=i, field="bron",
                         expected="where the record comes from", found="empty cell",
                         hint="name the source; synthetic rows say 'synthetisch'")
    country_name, region = countries[land]
    return {
        "id": rid,
        "gemeente_code": code,
        "gemeente_naam": resolver.codes[code],
        "gemeente_oorspronkelijk": rec["gemeente_naam"].strip(),
        "partnerstad": rec["partnerstad"].strip(),
        "land": land,
        "land_naam": country_name,
        "regio": BORDER_REGION if kind == "grensoverschrijdend" else region,
        "jaar_start": start,
        "jaar_einde": end,
        "soort": kind,
        "synthetic": synthetic,
        "bron": rec["bron"].strip(),
    }


def decade_of(year: int) -> int:
    """1987 -> 1980."""
    return (int(year) // 10) * 10


def decade_label(decade: int, last_year: int = 9999) -> str:
    """1980 -> ``1980–1989``; the first decade starts in 1945, when the register does,
    and the last ends in ``last_year``, so no label promises years not yet observed."""
    return f"{max(decade, FIRST_YEAR)}–{min(decade + 9, last_year)}"


def by_decade_and_region(register: pd.DataFrame, last_year: int) -> pd.DataFrame:
    """Partnerships started per decade (rows) and partner region (columns).

    Every decade from the 1940s to the last year and every region appear, also with a
    zero, so the table and the figure have the same shape whatever the data.
    """
    decades = list(range(decade_of(FIRST_YEAR), decade_of(last_year) + 1, 10))
    counts = Counter(zip(register["jaar_start"].map(decade_of), register["regio"],
                         strict=True))
    rows = []
    for d in decades:
        row: dict[str, object] = {"decennium": decade_label(d, last_year)}
        for region in REGIONS:
            row[region] = counts.get((d, region), 0)
        row["Totaal"] = sum(int(row[r]) for r in REGIONS)  # type: ignore[call-overload]
        rows.append(row)
    return pd.DataFrame(rows)


def by_region(register: pd.DataFrame) -> pd.DataFrame:
    """Totals per partner region with share, the first and the median start year."""
    total = len(register)
    rows = []
    for region in REGIONS:
        part = register[register["regio"] == region]
        rows.append({
            "regio": region,
            "aantal": len(part),
            "aandeel": len(part) / total if total else 0.0,
            "eerste_jaar": int(part["jaar_start"].min()) if len(part) else None,
            "mediaan_jaar": float(part["jaar_start"].median()) if len(part) else None,
        })
    return pd.DataFrame(rows)


def share_in_window(register: pd.DataFrame, region: str, first: int, last: int
                    ) -> tuple[int, int]:
    """(partnerships with ``region`` started in first..last, all started then)."""
    window = register[(register["jaar_start"] >= first) & (register["jaar_start"] <= last)]
    return int((window["regio"] == region).sum()), len(window)
