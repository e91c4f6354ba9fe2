"""The example analysis: agreement per group in a small survey.

Pure functions on data frames, no file paths and no Snakemake, so that the tests in
tests/ can check them on a handful of rows. The script analysis/scripts/survey_summary.py
reads the files and writes what these functions compute.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

import pandas as pd

from proefdruk.api import BuildError

COLUMNS = ("respondent", "group", "score")
SCORES = range(1, 6)


def check_answers(answers: pd.DataFrame, source: str) -> pd.DataFrame:
    """The answers with ``score`` as integers, or a BuildError with file, row, column,
    expected and found: a wrong file must stop the build with a message the author can
    act on, never give a wrong number."""
    missing = [c for c in COLUMNS if c not in answers.columns]
    if missing:
        raise BuildError("the answers file lacks a column", file=source,
                         field=", ".join(missing), expected=", ".join(COLUMNS),
                         found=", ".join(map(str, answers.columns)))
    if answers.empty:
        raise BuildError("the answers file holds no answers", file=source,
                         expected="at least one row", found="only the header")
    scores = pd.to_numeric(answers["score"], errors="coerce")
    for row, (raw, score) in enumerate(zip(answers["score"], scores, strict=True), start=1):
        if score not in SCORES:
            raise BuildError("a score is out of range", file=source, row=row, field="score",
                             expected=f"a whole number from {SCORES.start} to "
                                      f"{SCORES.stop - 1}", found=repr(raw),
                             hint="correct the row in the raw file",
                             record=f"respondent {answers['respondent'].iloc[row - 1]}")
    twice = answers["respondent"][answers["respondent"].duplicated()]
    if len(twice):
        raise BuildError("a respondent answers twice", file=source,
                         row=int(twice.index[0]) + 1, field="respondent",
                         expected="one row per respondent", found=repr(twice.iloc[0]),
                         record=f"respondent {twice.iloc[0]}")
    return answers.assign(score=scores.astype(int))


def per_group(answers: pd.DataFrame, agree_from: int) -> pd.DataFrame:
    """Per group: respondents, mean score and the share that agrees (score at least
    ``agree_from``), sorted by group so that the same data give the same bytes."""
    agrees = answers["score"] >= agree_from
    table = (answers.assign(agrees=agrees).groupby("group", sort=True)
             .agg(respondents=("score", "size"), mean_score=("score", "mean"),
                  agreeing=("agrees", "sum")).reset_index())
    table["agreeing"] = table["agreeing"].astype(int)
    table["share_agreeing"] = table["agreeing"] / table["respondents"]
    return table


def agreeing(answers: pd.DataFrame, agree_from: int) -> int:
    """How many respondents agree (score at least ``agree_from``)."""
    return int((answers["score"] >= agree_from).sum())


def highest_group(table: pd.DataFrame) -> str:
    """The group with the highest mean score (the first in order on a tie, so the result
    never depends on row order)."""
    best = table.sort_values(["mean_score", "group"], ascending=[False, True])
    return str(best["group"].iloc[0])


def bar_chart_svg(labels: list[str], values: list[float], maximum: float,
                  title: str) -> str:
    """A horizontal bar chart as SVG text: no plotting library, no date, no random ids,
    so the same values always give the same bytes (HTML and PDF show it; the workflow
    makes the PNG the DOCX shows)."""
    bar, gap, left, width = 24, 12, 90, 300
    height = gap + len(labels) * (bar + gap) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 60}" '
        f'height="{height}" viewBox="0 0 {left + width + 60} {height}" role="img">',
        f"<title>{escape(title)}</title>",
        '<g font-family="sans-serif" font-size="12" fill="#1a1a1a">',
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = gap + i * (bar + gap)
        length = round(width * value / maximum, 2)
        parts += [
            f'<text x="{left - 8}" y="{y + bar / 2 + 4}" text-anchor="end">'
            f"{escape(label)}</text>",
            f'<rect x="{left}" y="{y}" width="{length}" height="{bar}" fill="#2b5c8a"/>',
            f'<text x="{left + length + 6}" y="{y + bar / 2 + 4}">{value:.1f}</text>',
        ]
    axis_y = height - 24
    parts += [f'<line x1="{left}" y1="{axis_y}" x2="{left + width}" y2="{axis_y}" '
              'stroke="#1a1a1a"/>']
    for tick in range(int(maximum) + 1):
        x = left + round(width * tick / maximum, 2)
        parts.append(f'<text x="{x}" y="{axis_y + 16}" text-anchor="middle">{tick}</text>')
    parts += ["</g>", "</svg>", ""]
    return "\n".join(parts)
