"""Multiple-response questions (MRQ), single-choice and Likert items: the survey tables.

For a multiple-response question the base is the number of *cases*: respondents who were
shown the question and answered it (ticked at least one option or an explicit "none").
Per option we report the count, the percentage of cases (may sum to more than 100 %),
the percentage of responses (share of all ticks) and a 95 % Wilson interval for the
percentage of cases. Comparisons between size classes use :func:`statistics.association`.

Optional post-stratification (config ``survey.weighting``): respondents are weighted so
that the size classes count as in the register; weighted shares are then reported next to
the unweighted ones, never instead of the counts on which the tests rest.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.codebook import Codebook, Question
from analysis.statistics import TestResult, association, wilson_interval


def answered_mask(df: pd.DataFrame, q: Question) -> pd.Series:
    """Rows that answered ``q`` (for a multiple question: all option columns filled)."""
    return df[q.columns].notna().all(axis=1)


def mrq_table(df: pd.DataFrame, q: Question, weights: pd.Series | None = None) -> pd.DataFrame:
    """One row per option: count, % of cases, % of responses, Wilson CI, weighted share."""
    if q.type != "multiple":
        raise ValueError(f"{q.id} is not a multiple-response question")
    cases = df.loc[answered_mask(df, q)]
    n = len(cases)
    ticks = cases[q.columns].astype(int)
    total_ticks = int(ticks.to_numpy().sum())
    w = weights.loc[cases.index] if weights is not None else None
    rows = []
    for o, col in zip(q.options, q.columns, strict=True):
        k = int(ticks[col].sum())
        lo, hi = wilson_interval(k, n)
        row = {"optie": o.code, "label": o.label, "groep": o.group or "", "aantal": k,
               "basis": n, "pct_cases": k / n if n else np.nan,
               "pct_responses": k / total_ticks if total_ticks else np.nan,
               "ci_laag": lo, "ci_hoog": hi}
        if w is not None:
            row["pct_cases_gewogen"] = float((w * ticks[col]).sum() / w.sum()) if n else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


def categorical_table(df: pd.DataFrame, q: Question,
                      weights: pd.Series | None = None) -> pd.DataFrame:
    """Distribution of a single-choice or Likert item over its codes."""
    answered = df[q.id].dropna().astype(int)
    n = len(answered)
    rows = []
    for o in q.options:
        k = int((answered == o.code).sum())
        lo, hi = wilson_interval(k, n)
        row = {"code": o.code, "label": o.label, "aantal": k, "basis": n,
               "pct": k / n if n else np.nan, "ci_laag": lo, "ci_hoog": hi}
        if weights is not None:
            w = weights.loc[answered.index]
            row["pct_gewogen"] = float(w[answered == o.code].sum() / w.sum()) if n else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class GroupComparison:
    option: str
    label: str
    counts: pd.DataFrame          # rows: groups; columns: aantal, basis, pct
    test: TestResult | None


def by_group(df: pd.DataFrame, q: Question, group: pd.Series, order: list[str],
             tested: list[str] | None = None) -> list[GroupComparison]:
    """For each option of a multiple question: ticked vs not ticked across ``group``.

    Counts are given for every level in ``order`` that occurs; the test of association
    uses only the levels in ``tested`` (default: all), so that a residual class such as
    "onbekend" can be shown without entering the test.
    """
    cases = df.loc[answered_mask(df, q)]
    g = group.loc[cases.index]
    test_levels = set(order if tested is None else tested)
    out = []
    for o, col in zip(q.options, q.columns, strict=True):
        ticked = cases[col].astype(int)
        levels = [lv for lv in order if (g == lv).any()]
        counts = pd.DataFrame({
            "groep": levels,
            "aantal": [int(ticked[g == lv].sum()) for lv in levels],
            "basis": [int((g == lv).sum()) for lv in levels],
        })
        counts["pct"] = counts["aantal"] / counts["basis"]
        part = counts[counts["groep"].isin(test_levels)]
        table = np.array([part["aantal"], part["basis"] - part["aantal"]])
        out.append(GroupComparison(str(o.code), o.label, counts, association(table)))
    return out


def poststrat_weights(sample_groups: pd.Series, population_groups: pd.Series) -> pd.Series:
    """Weight = population share of the respondent's group / sample share of that group.

    Weights average 1 over the respondents, so weighted counts stay on the sample's scale.
    """
    pop_share = population_groups.value_counts(normalize=True)
    smp_share = sample_groups.value_counts(normalize=True)
    return sample_groups.map(lambda g: pop_share.get(g, 0.0) / smp_share[g]).astype(float)


def likert_summary(df: pd.DataFrame, book: Codebook, q: Question) -> dict[str, int]:
    """Counts for the agreement summary: agree (4–5), disagree (1–2), base without 'weet niet'."""
    answered = df[q.id].dropna().astype(int)
    valid = answered[~answered.isin(book.dont_know)]
    return {"eens": int((valid >= 4).sum()), "oneens": int((valid <= 2).sum()),
            "basis": int(len(valid)), "weet_niet": int(answered.isin(book.dont_know).sum())}
