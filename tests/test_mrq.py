"""Survey statistics on small tables whose answers can be checked by hand."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the study package; until pytest's pythonpath is set

from analysis.codebook import Option, Question  # noqa: E402
from analysis.mrq import (  # noqa: E402
    by_group,
    categorical_table,
    mrq_table,
    poststrat_weights,
)
from analysis.statistics import association, cramers_v, wilson_interval  # noqa: E402

Z = 1.959963984540054


def wilson_by_hand(k: int, n: int) -> tuple[float, float]:
    """Wilson (1927): centre (p + z²/2n)/(1 + z²/n),
    half-width z·√(p(1−p)/n + z²/4n²)/(1 + z²/n)."""
    p = k / n
    denom = 1 + Z**2 / n
    centre = (p + Z**2 / (2 * n)) / denom
    half = Z * math.sqrt(p * (1 - p) / n + Z**2 / (4 * n**2)) / denom
    return centre - half, centre + half


@pytest.mark.parametrize(("k", "n"), [(8, 10), (0, 12), (12, 12), (123, 177), (1, 342)])
def test_wilson_matches_the_formula(k, n):
    lo, hi = wilson_interval(k, n)
    exp_lo, exp_hi = wilson_by_hand(k, n)
    assert lo == pytest.approx(max(exp_lo, 0.0), abs=1e-12)
    assert hi == pytest.approx(exp_hi, abs=1e-12)
    assert 0 <= lo <= k / n <= hi <= 1


def test_wilson_known_value():
    lo, hi = wilson_interval(8, 10)
    assert (round(lo, 4), round(hi, 4)) == (0.4902, 0.9433)


def test_chi_square_by_hand():
    # Expected counts [[12, 18], [28, 42]]; chi² = 4/12 + 4/18 + 4/28 + 4/42.
    result = association(np.array([[10, 20], [30, 40]]))
    assert result.test == "chi2"
    assert result.statistic == pytest.approx(4 / 12 + 4 / 18 + 4 / 28 + 4 / 42)
    assert result.df == 1
    assert result.p == pytest.approx(0.37300, abs=1e-5)
    assert result.cramers_v == pytest.approx(math.sqrt(result.statistic / 100))
    assert result.n == 100


def test_fisher_when_expected_counts_are_small():
    # Fisher's lady tasting tea: 3 of 4 right each way, two-sided p = 34/70.
    result = association(np.array([[3, 1], [1, 3]]))
    assert result.test == "fisher" and result.small_expected
    assert result.p == pytest.approx(34 / 70)


def test_fisher_for_larger_tables_is_reproducible():
    table = np.array([[1, 5, 2, 0], [6, 1, 3, 2], [0, 0, 0, 0]])
    a, b = association(table), association(table)
    assert a.test == "fisher" and a.df == 3  # the empty third row is dropped first
    assert a.p == b.p
    assert 0 < a.p < 1


def test_degenerate_tables_give_no_test():
    assert association(np.array([[5, 0], [7, 0]])) is None
    assert association(np.array([[5, 3]])) is None


def test_cramers_v_range():
    assert cramers_v(0.0, 50, (2, 3)) == 0.0
    assert cramers_v(50.0, 50, (2, 2)) == 1.0


MRQ = Question(id="q", section="s", type="multiple", text="?",
               options=(Option("a", "A"), Option("b", "B"), Option("c", "C"),
                        Option("geen", "Geen", exclusive=True)))


def mrq_frame() -> pd.DataFrame:
    rows = [(1, 0, 0, 0), (1, 1, 0, 0), (0, 1, 0, 0), (1, 0, 0, 0), (0, 0, 0, 1),
            (None, None, None, None)]
    return pd.DataFrame(rows, columns=MRQ.columns, dtype="Int64")


def test_mrq_percent_of_cases_and_of_responses():
    table = mrq_table(mrq_frame(), MRQ).set_index("optie")
    assert (table["basis"] == 5).all()             # the unanswered row is not a case
    assert table.loc["a", "aantal"] == 3
    assert table.loc["a", "pct_cases"] == pytest.approx(3 / 5)
    assert table.loc["a", "pct_responses"] == pytest.approx(3 / 6)   # 6 ticks in all
    assert table.loc["c", "pct_cases"] == 0
    assert table["pct_responses"].sum() == pytest.approx(1.0)
    assert table["pct_cases"].sum() > 1                               # multiple response
    lo, hi = wilson_by_hand(3, 5)
    assert table.loc["a", "ci_laag"] == pytest.approx(lo)
    assert table.loc["a", "ci_hoog"] == pytest.approx(hi)


def test_mrq_by_group_counts_and_test():
    df = mrq_frame()
    groups = pd.Series(["klein", "klein", "groot", "groot", "groot", "klein"])
    comparisons = {c.option: c for c in by_group(df, MRQ, groups, ["klein", "groot"])}
    a = comparisons["a"].counts.set_index("groep")
    assert a.loc["klein", "aantal"] == 2 and a.loc["klein", "basis"] == 2
    assert a.loc["groot", "aantal"] == 1 and a.loc["groot", "basis"] == 3
    assert comparisons["a"].test.test == "fisher"          # expected counts below five
    assert comparisons["c"].test is None                   # nobody ticked c


def test_categorical_distribution():
    q = Question(id="h", section="s", type="single", text="?",
                 options=(Option(1, "Ja"), Option(2, "Nee"), Option(9, "Weet niet")))
    df = pd.DataFrame({"h": pd.array([1, 1, 2, 9, None, 1], dtype="Int64")})
    table = categorical_table(df, q).set_index("code")
    assert table["basis"].unique().tolist() == [5]
    assert table.loc[1, "pct"] == pytest.approx(0.6)
    assert table.loc[9, "aantal"] == 1


def test_poststratification_weights():
    sample = pd.Series(["A", "A", "A", "B"])
    population = pd.Series(["A", "B"] * 50)
    w = poststrat_weights(sample, population)
    assert w.tolist() == pytest.approx([2 / 3, 2 / 3, 2 / 3, 2.0])
    assert w.mean() == pytest.approx(1.0)
    weighted_share_b = w[sample == "B"].sum() / w.sum()
    assert weighted_share_b == pytest.approx(0.5)


def test_weighted_section_reports_weighted_shares_next_to_counts(tmp_path):
    from analysis.codebook import load_codebook
    from analysis.register import load_register
    from analysis.survey_prep import prepare
    from analysis.survey_sections import analyse_section, size_series

    book = load_codebook(ROOT / "data/raw/survey/codebook.yaml")
    register = load_register(ROOT / "data/raw/gemeenten-2024.csv")
    data, _, _ = prepare(ROOT / "data/raw/survey/export.csv", book,
                         set(register["gemeentecode"]))
    sizes = size_series(data, register)
    weights = poststrat_weights(sizes, register["grootteklasse"])
    for sub in ("results/tables", "results/figures"):
        (tmp_path / sub).mkdir(parents=True)
    ns = analyse_section(book, "motieven", data, sizes, weights, tmp_path)
    assert "motieven.mot.handel_gewogen" in ns.numbers
    assert ns.numbers["motieven.mot.handel"]["numerator"] <= ns.numbers[
        "motieven.mot.handel"]["denominator"]
    md = (tmp_path / "results/tables/enquete-mot.md").read_text(encoding="utf-8")
    assert "% gewogen" in md.splitlines()[0]
    # Weighting reproduces the register's size-class shares among respondents.
    weighted = weights.groupby(sizes).sum() / weights.sum()
    expected = register["grootteklasse"].value_counts(normalize=True)
    assert weighted.to_dict() == pytest.approx(expected[weighted.index].to_dict())
