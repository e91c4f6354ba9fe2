"""Motive coding on texts a reader can check by hand, and Cohen's kappa on known cases."""

from __future__ import annotations

import sys

import pandas as pd
import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT))  # the study package; until pytest's pythonpath is set

from analysis.agreement import cohens_kappa, interpret_kappa  # noqa: E402
from analysis.motive_coding import (  # noqa: E402
    code_notes,
    code_text,
    load_dictionary,
    shares_by_period,
)
from proefdruk.errors import BuildError  # noqa: E402

DICTIONARY = ROOT / "data/raw/dictionaries/motieven.yaml"


@pytest.fixture(scope="module")
def motives():
    return load_dictionary(DICTIONARY)


def test_dictionary_has_the_four_motives(motives) -> None:
    assert [m.code for m in motives] == ["economisch", "cultureel", "politiek",
                                         "grensoverschrijdend"]


def test_hand_checked_economic_text(motives) -> None:
    text = ("De handelsmissie naar Shanghai moet de export van het bedrijfsleven vergroten. "
            "De onderhandelingen met de provincie over de behandeling van de aanvraag lopen.")
    # handelsmissie, export, bedrijfsleven = 3; onderhandelingen is excluded,
    # behandeling is not a compound of handel.
    assert code_text(text, motives) == {"economisch": 3, "cultureel": 0, "politiek": 0,
                                        "grensoverschrijdend": 0}


def test_hand_checked_cross_border_and_cultural_text(motives) -> None:
    text = ("Grensoverschrijdende samenwerking met de Duitse buurgemeente en de Euregio. "
            "Scholieren nemen deel aan een culturele uitwisseling; de kunststof-fabriek niet.")
    hits = code_text(text, motives)
    # Grensoverschrijdende, Duitse, buurgemeente, Euregio = 4;
    # Scholieren, culturele, uitwisseling = 3 (kunststof is an exclusion; fabriek no term).
    assert hits["grensoverschrijdend"] == 4
    assert hits["cultureel"] == 3
    assert hits["economisch"] == 0


def test_diacritics_do_not_change_the_coding(motives) -> None:
    with_accents = "Solidariteit met België en coöperatieve financiële steun; démocratie."
    without = "Solidariteit met Belgie en cooperatieve financiele steun; democratie."
    assert code_text(with_accents, motives) == code_text(without, motives)


def test_code_notes_presence_threshold_and_primary_motive(motives) -> None:
    notes = pd.DataFrame({
        "nota_id": ["N2", "N1", "N3"],
        "tekst": ["Handel en export en investeringen; ook cultuur.",
                  "Vrede en verzoening, solidariteit met de partnerstad; handel.",
                  "De nota gaat over de begroting."],
        "periode": ["2015–2024", "1985–1994", "2015–2024"],
    })
    coded = code_notes(notes, motives, min_hits=2)
    assert list(coded["nota_id"]) == ["N1", "N2", "N3"]  # sorted, not input order
    n1, n2, n3 = coded.to_dict("records")
    assert n1["hoofdmotief"] == "politiek" and n1["motief_politiek"] == 1
    assert n1["motief_economisch"] == 0  # one hit is below the threshold
    assert n2["hoofdmotief"] == "economisch" and n2["treffers_economisch"] == 3
    assert n3["hoofdmotief"] == "geen"
    shares = shares_by_period(coded, motives)
    late = shares[shares["periode"] == "2015–2024"].iloc[0]
    assert late["notas"] == 2 and late["economisch_n"] == 1
    assert late["economisch_aandeel"] == pytest.approx(0.5)


def test_broken_dictionary_names_motive_and_term(tmp_path) -> None:
    bad = tmp_path / "motieven.yaml"
    bad.write_text("motieven:\n  economisch:\n    termen:\n      - handel missie\n",
                   encoding="utf-8")
    with pytest.raises(BuildError) as err:
        load_dictionary(bad)
    text = str(err.value)
    assert "motieven.economisch.termen" in text and "handel missie" in text


def test_term_under_two_motives_is_refused(tmp_path) -> None:
    bad = tmp_path / "motieven.yaml"
    bad.write_text("motieven:\n  economisch:\n    termen: [handel, haven]\n"
                   "  grensoverschrijdend:\n    termen: [grens, handel]\n", encoding="utf-8")
    with pytest.raises(BuildError) as err:
        load_dictionary(bad)
    assert "handel (also under economisch)" in str(err.value)


def test_kappa_textbook_case() -> None:
    # 50 cases: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no -> po 0.70, pe 0.50, kappa 0.40.
    a = ["ja"] * 25 + ["nee"] * 25
    b = ["ja"] * 20 + ["nee"] * 5 + ["ja"] * 10 + ["nee"] * 15
    k = cohens_kappa(a, b)
    assert k.observed == pytest.approx(0.70)
    assert k.expected == pytest.approx(0.50)
    assert k.kappa == pytest.approx(0.40)
    assert k.n == 50
    # Marginals 0.5/0.5 and 0.6/0.4: sum p_a p_b (p_a + p_b) = 0.3*1.1 + 0.2*0.9 = 0.51, so
    # var0 = (0.5 + 0.25 - 0.51) / (50 * 0.25) and z = 0.4 / sqrt(var0) = 2.887.
    assert k.se0 == pytest.approx((0.24 / 12.5) ** 0.5)
    assert k.z == pytest.approx(0.4 / (0.24 / 12.5) ** 0.5)
    assert k.p == pytest.approx(0.00389, abs=5e-5)
    assert interpret_kappa(k.kappa) == "redelijk"


def test_kappa_perfect_and_chance_agreement() -> None:
    assert cohens_kappa([1, 0, 1, 0], [1, 0, 1, 0]).kappa == pytest.approx(1.0)
    chance = cohens_kappa([1, 1, 0, 0], [1, 0, 1, 0])
    assert chance.kappa == pytest.approx(0.0) and chance.p == pytest.approx(1.0)
    with pytest.raises(ValueError):
        cohens_kappa([1, 1], [1, 1])
    with pytest.raises(ValueError):
        cohens_kappa([1], [1, 0])
