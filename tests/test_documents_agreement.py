"""Agreement between document coding and survey answers, on a hand-made case."""

from __future__ import annotations

import sys

import pandas as pd
import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT))  # the study package; until pytest's pythonpath is set

from analysis.agreement import compare, document_motives, survey_motives  # noqa: E402

CODES = ["economisch", "grensoverschrijdend"]
GROUPS = {"economisch": ["mot_handel", "mot_toerisme"], "grensoverschrijdend": ["mot_grens"]}


def test_survey_motives_take_latest_wave_and_skip_unasked() -> None:
    survey = pd.DataFrame({
        "gemeentecode": ["GM1", "GM1", "GM2", "GM3"],
        "golf": [1, 2, 1, 1],
        "mot_handel": [1.0, 0.0, 0.0, None],
        "mot_toerisme": [0.0, 1.0, 0.0, None],
        "mot_grens": [0.0, 0.0, 1.0, None],
        "mot_zwaarst": [1.0, 4.0, 9.0, None],
    })
    out = survey_motives(survey, GROUPS, {1: "economisch", 4: "grensoverschrijdend"})
    assert list(out["gemeente_code"]) == ["GM1", "GM2"]  # GM3 was not asked
    gm1, gm2 = out.to_dict("records")
    assert (gm1["motief_economisch"], gm1["motief_grensoverschrijdend"]) == (1, 0)
    assert gm1["hoofdmotief"] == "grensoverschrijdend"  # wave 2, not wave 1
    assert pd.isna(gm2["hoofdmotief"])  # 9 = weet niet


def test_document_motives_use_recent_notes_and_latest_primary() -> None:
    coded = pd.DataFrame({
        "nota_id": ["N1", "N2", "N3", "N4"],
        "gemeente_code": ["GM1", "GM1", "GM1", "GM2"],
        "jaar": [2005, 2016, 2021, 2020],
        "motief_economisch": [1, 0, 1, 0],
        "motief_grensoverschrijdend": [1, 1, 0, 0],
        "hoofdmotief": ["economisch", "grensoverschrijdend", "economisch", "geen"],
    })
    out = document_motives(coded, CODES, from_year=2015).set_index("gemeente_code")
    assert out.loc["GM1", "motief_economisch"] == 1
    assert out.loc["GM1", "motief_grensoverschrijdend"] == 1  # N2, not the 2005 note
    assert out.loc["GM1", "hoofdmotief"] == "economisch"  # most recent: N3 (2021)
    assert pd.isna(out.loc["GM2", "hoofdmotief"])


def test_compare_counts_cells_and_kappa() -> None:
    docs = pd.DataFrame({"gemeente_code": ["A", "B", "C", "D", "E"],
                         "motief_economisch": [1, 1, 0, 0, 1],
                         "motief_grensoverschrijdend": [0, 0, 0, 0, 0],
                         "hoofdmotief": ["economisch"] * 5})
    survey = pd.DataFrame({"gemeente_code": ["A", "B", "C", "D", "Z"],
                           "motief_economisch": [1, 0, 0, 1, 1],
                           "motief_grensoverschrijdend": [0, 0, 0, 1, 0],
                           "hoofdmotief": ["economisch", None, "economisch", "economisch",
                                           None]})
    table, kappas = compare(docs, survey, CODES)
    econ = table.set_index("motief").loc["economisch"]
    assert econ["gemeenten"] == 4  # E and Z are in one source only
    assert (econ["beide"], econ["alleen_documenten"], econ["alleen_enquete"],
            econ["geen_van_beide"]) == (1, 1, 1, 1)
    assert econ["overeenstemming"] == pytest.approx(0.5)
    assert kappas["economisch"].kappa == pytest.approx(0.0)
    border = table.set_index("motief").loc["grensoverschrijdend"]
    assert border["overeenstemming"] == pytest.approx(0.75)
    assert border["kappa"] == pytest.approx(0.0)  # documents constant: no better than chance
    primary = table.set_index("motief").loc["hoofdmotief"]
    assert primary["gemeenten"] == 3 and primary["eens"] == 3
    assert "hoofdmotief" not in kappas  # one category only: kappa undefined, not invented
