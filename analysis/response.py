"""Response: who was invited, who answered, and whether respondents resemble the register.

Every municipality in the register was invited, so the register is the population.
Representativeness is tested on the 2×K table (responded or not × group) with
:func:`analysis.statistics.association`: chi-square, or Fisher's exact test when expected
counts are small, with Cramér's V as the effect size.
"""

from __future__ import annotations

import pandas as pd

from analysis.statistics import TestResult, association, wilson_interval


def response_frame(register: pd.DataFrame, survey: pd.DataFrame,
                   complete_status: str) -> pd.DataFrame:
    """The register with ``respons`` (any submission) and ``volledig`` (complete) flags."""
    answered = set(survey["gemeentecode"])
    complete = set(survey.loc[survey["status"] == complete_status, "gemeentecode"])
    out = register.copy()
    out["respons"] = out["gemeentecode"].isin(answered)
    out["volledig"] = out["gemeentecode"].isin(complete)
    return out


def rate_by(frame: pd.DataFrame, column: str, order: list[str]) -> pd.DataFrame:
    """Invited, responded and response rate (with Wilson interval) per group, plus total."""
    rows = []
    for level in [lv for lv in order if (frame[column] == lv).any()]:
        part = frame[frame[column] == level]
        rows.append(_rate_row(level, part))
    rows.append(_rate_row("Totaal", frame))
    return pd.DataFrame(rows)


def _rate_row(label: str, part: pd.DataFrame) -> dict[str, object]:
    n, k = len(part), int(part["respons"].sum())
    lo, hi = wilson_interval(k, n)
    return {"groep": label, "aangeschreven": n, "respons": k,
            "volledig": int(part["volledig"].sum()), "pct": k / n if n else float("nan"),
            "ci_laag": lo, "ci_hoog": hi}


def representativeness(frame: pd.DataFrame, column: str,
                       exclude: tuple[str, ...] = ()) -> TestResult | None:
    """Is responding independent of ``column``? (groups in ``exclude`` left out)."""
    part = frame[~frame[column].isin(exclude)]
    table = pd.crosstab(part["respons"], part[column]).to_numpy()
    return association(table)
