"""Agreement between two codings of the same municipalities (Cohen's kappa).

The documents say one thing about a municipality's motives, its survey answer another.
Where both exist, the agreement between them is a check on both sources: high kappa
means the notes and the questionnaire measure the same thing, low kappa that they
capture different sides (paper policy versus practice). Kappa corrects the raw share of
agreement for the agreement expected by chance from the marginals.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
from scipy.stats import norm


@dataclass(frozen=True)
class Kappa:
    """Cohen's kappa with what is needed to recompute and test it."""

    kappa: float
    observed: float  # share of cases on which both codings agree
    expected: float  # share of agreement expected by chance
    n: int
    se0: float  # standard error under H0: kappa = 0
    z: float
    p: float  # two-sided


def cohens_kappa(a: Sequence[object], b: Sequence[object]) -> Kappa:
    """Cohen's kappa for two codings of the same cases.

    The standard error under the null hypothesis follows Fleiss, Cohen and Everitt
    (1969), the usual large-sample test of kappa = 0. Raises ``ValueError`` on unequal
    lengths, no cases, or when chance agreement is 1 (both codings constant and equal),
    where kappa is undefined.
    """
    if len(a) != len(b):
        raise ValueError(f"codings differ in length: {len(a)} and {len(b)}")
    n = len(a)
    if n == 0:
        raise ValueError("no cases to compare")
    categories = sorted({*a, *b}, key=str)
    pa = {c: sum(1 for x in a if x == c) / n for c in categories}
    pb = {c: sum(1 for x in b if x == c) / n for c in categories}
    po = sum(1 for x, y in zip(a, b, strict=True) if x == y) / n
    pe = sum(pa[c] * pb[c] for c in categories)
    if math.isclose(pe, 1.0):
        raise ValueError("kappa is undefined: both codings put every case in one category")
    kappa = (po - pe) / (1 - pe)
    extra = sum(pa[c] * pb[c] * (pa[c] + pb[c]) for c in categories)
    var0 = (pe + pe**2 - extra) / (n * (1 - pe) ** 2)
    se0 = math.sqrt(var0) if var0 > 0 else float("nan")
    z = kappa / se0 if se0 and not math.isnan(se0) else float("nan")
    p = float(2 * norm.sf(abs(z))) if not math.isnan(z) else 1.0
    return Kappa(kappa=kappa, observed=po, expected=pe, n=n, se0=se0, z=z, p=p)


def interpret_kappa(kappa: float) -> str:
    """Landis and Koch's (1977) verbal labels, in Dutch, for the chapter's wording."""
    if kappa < 0:
        return "geen (slechter dan toeval)"
    for bound, label in ((0.20, "gering"), (0.40, "redelijk"), (0.60, "matig"),
                         (0.80, "substantieel")):
        if kappa <= bound:
            return label
    return "vrijwel volledig"


def survey_motives(survey: pd.DataFrame, groups: Mapping[str, Sequence[str]],
                   strongest: Mapping[int, str], strongest_column: str = "mot_zwaarst"
                   ) -> pd.DataFrame:
    """Per municipality (latest wave): which motive groups the survey answer names.

    ``groups`` maps a motive code to the survey option columns in that group
    (``economisch`` -> ``mot_handel``, ``mot_investeringen``, ...); a group counts when any
    of its options is ticked. Respondents who were not asked the question (all option
    columns empty) are left out rather than counted as naming nothing.
    """
    frame = survey.copy()
    if "golf" in frame.columns:
        frame = frame.sort_values(["gemeentecode", "golf"]).drop_duplicates(
            "gemeentecode", keep="last")
    columns = [c for cols in groups.values() for c in cols]
    frame = frame[frame[columns].notna().any(axis=1)]
    out = pd.DataFrame({"gemeente_code": frame["gemeentecode"].astype(str)})
    for code, cols in groups.items():
        out[f"motief_{code}"] = (frame[list(cols)].fillna(0).astype(float) > 0).any(
            axis=1).astype(int).to_numpy()
    main = pd.to_numeric(frame.get(strongest_column), errors="coerce")
    out["hoofdmotief"] = [strongest.get(int(v)) if pd.notna(v) else None for v in main]
    return out.sort_values("gemeente_code").reset_index(drop=True)


def document_motives(coded: pd.DataFrame, motive_codes: Sequence[str], from_year: int
                     ) -> pd.DataFrame:
    """Per municipality: motives present in any of its notes from ``from_year`` on, and the
    primary motive of its most recent such note (closest in time to the survey)."""
    recent = coded[coded["jaar"] >= from_year].sort_values(["gemeente_code", "jaar", "nota_id"])
    rows = []
    for code, group in recent.groupby("gemeente_code", sort=True):
        row: dict[str, object] = {"gemeente_code": code}
        for m in motive_codes:
            row[f"motief_{m}"] = int(group[f"motief_{m}"].max())
        last = group.iloc[-1]["hoofdmotief"]
        row["hoofdmotief"] = None if last == "geen" else last
        rows.append(row)
    return pd.DataFrame(rows, columns=["gemeente_code", *[f"motief_{m}" for m in motive_codes],
                                       "hoofdmotief"])


def compare(documents: pd.DataFrame, survey: pd.DataFrame, motive_codes: Sequence[str]
            ) -> tuple[pd.DataFrame, dict[str, Kappa]]:
    """Cross-tabulate document and survey coding for municipalities present in both.

    One row per motive (present/absent) and one for the primary motive (categories);
    kappa is left empty where it is undefined (one coding constant).
    """
    both = documents.merge(survey, on="gemeente_code", suffixes=("_doc", "_enq"))
    rows, kappas = [], {}
    for m in motive_codes:
        d, s = both[f"motief_{m}_doc"].astype(int), both[f"motief_{m}_enq"].astype(int)
        row: dict[str, object] = {
            "motief": m, "gemeenten": len(both),
            "beide": int(((d == 1) & (s == 1)).sum()),
            "alleen_documenten": int(((d == 1) & (s == 0)).sum()),
            "alleen_enquete": int(((d == 0) & (s == 1)).sum()),
            "geen_van_beide": int(((d == 0) & (s == 0)).sum()),
        }
        row["eens"] = int(row["beide"]) + int(row["geen_van_beide"])  # type: ignore[call-overload]
        _add_kappa(row, kappas, m, list(d), list(s))
        rows.append(row)
    primary = both.dropna(subset=["hoofdmotief_doc", "hoofdmotief_enq"])
    row = {"motief": "hoofdmotief", "gemeenten": len(primary),
           "eens": int((primary["hoofdmotief_doc"] == primary["hoofdmotief_enq"]).sum())}
    _add_kappa(row, kappas, "hoofdmotief", list(primary["hoofdmotief_doc"]),
               list(primary["hoofdmotief_enq"]))
    rows.append(row)
    return pd.DataFrame(rows), kappas


def _add_kappa(row: dict[str, object], kappas: dict[str, Kappa], name: str,
               a: list[object], b: list[object]) -> None:
    row["overeenstemming"] = int(row["eens"]) / len(a) if a else None  # type: ignore[call-overload]
    try:
        k = cohens_kappa(a, b)
    except ValueError:
        row["kappa"], row["p"] = None, None
        return
    kappas[name] = k
    row["kappa"], row["p"] = k.kappa, k.p
