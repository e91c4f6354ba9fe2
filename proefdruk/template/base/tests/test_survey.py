"""The example analysis's functions on a few hand-made rows."""

import pandas as pd
import pytest

from analysis import survey
from proefdruk.api import BuildError


def answers(*rows: tuple[str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(survey.COLUMNS))


def test_per_group_counts_means_and_shares() -> None:
    data = survey.check_answers(answers(("r1", "B", "5"), ("r2", "A", "2"),
                                        ("r3", "A", "4"), ("r4", "B", "3")), "x.csv")
    table = survey.per_group(data, agree_from=4)
    assert list(table["group"]) == ["A", "B"]
    assert list(table["respondents"]) == [2, 2]
    assert list(table["mean_score"]) == [3.0, 4.0]
    assert list(table["share_agreeing"]) == [0.5, 0.5]
    assert survey.agreeing(data, 4) == 2
    assert survey.highest_group(table) == "B"


def test_a_tie_goes_to_the_first_group() -> None:
    data = survey.check_answers(answers(("r1", "B", "3"), ("r2", "A", "3")), "x.csv")
    assert survey.highest_group(survey.per_group(data, 4)) == "A"


@pytest.mark.parametrize("score", ["0", "6", "2.5", "", "vijf"])
def test_a_score_out_of_range_names_the_row(score: str) -> None:
    with pytest.raises(BuildError) as err:
        survey.check_answers(answers(("r1", "A", "3"), ("r2", "A", score)), "x.csv")
    assert err.value.row == 2 and err.value.field == "score"


def test_a_missing_column_and_a_double_respondent_are_errors() -> None:
    with pytest.raises(BuildError, match="lacks a column"):
        survey.check_answers(pd.DataFrame({"respondent": ["r1"], "score": ["3"]}), "x.csv")
    with pytest.raises(BuildError, match="answers twice"):
        survey.check_answers(answers(("r1", "A", "3"), ("r1", "B", "4")), "x.csv")


def test_the_chart_is_the_same_bytes_for_the_same_values() -> None:
    one = survey.bar_chart_svg(["A", "<B>"], [2.5, 4.0], 5, "T & t")
    assert one == survey.bar_chart_svg(["A", "<B>"], [2.5, 4.0], 5, "T & t")
    assert "&lt;B&gt;" in one and "T &amp; t" in one and one.startswith("<svg")
