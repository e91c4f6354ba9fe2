"""The partnership register: validation errors that say where and what, and the
decade/region aggregation behind the timeline figure."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT))  # the study package; until pytest's pythonpath is set

from analysis.document_checks import MunicipalityResolver, load_mergers  # noqa: E402
from analysis.partnerships import (  # noqa: E402
    BORDER_REGION,
    REGIONS,
    by_decade_and_region,
    by_region,
    decade_label,
    load_countries,
    share_in_window,
    validate_register,
)
from proefdruk.errors import BuildError, BuildErrors  # noqa: E402

HEADER = "id,gemeente_code,gemeente_naam,partnerstad,land,jaar_start,jaar_einde,soort," \
         "synthetic,bron\n"
CODES = {"GM0014": "Groningen", "GM0546": "Leiden", "GM0928": "Kerkrade",
         "GM1979": "Eemsdelta"}


@pytest.fixture()
def resolver(tmp_path: Path) -> MunicipalityResolver:
    mergers = tmp_path / "herindelingen.csv"
    mergers.write_text("oude_naam,oude_code,naam_2024,jaar,bron\n"
                       "Haren,GM0017,Groningen,2019,test\n"
                       "Delfzijl,,Eemsdelta,2021,test\n", encoding="utf-8")
    return load_mergers(mergers, CODES)


@pytest.fixture(scope="module")
def countries():
    return load_countries(ROOT / "data/raw/partnerships/landen.csv")


def _register(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "partnerschappen.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def test_valid_register_is_mapped_to_2024_boundaries(tmp_path, resolver, countries) -> None:
    path = _register(tmp_path, (
        "P1,GM0546,Leiden,Oxford,GB,1946,,verzoening_vriendschap,false,bron\n"
        "P2,GM0017,Haren,Fictief DE-001,DE,1965,1990,verzoening_vriendschap,true,synth\n"
        "P3,,Delfzijl,Fictief PL-001,PL,1991,,verzoening_vriendschap,true,synth\n"
        "P4,GM0928,Kerkrade,Herzogenrath,DE,1998,,grensoverschrijdend,false,bron\n"))
    reg = validate_register(path, resolver, countries, 2025)
    assert list(reg["gemeente_code"]) == ["GM0546", "GM0014", "GM1979", "GM0928"]
    assert list(reg["gemeente_oorspronkelijk"])[1:3] == ["Haren", "Delfzijl"]
    assert list(reg["regio"]) == ["West-Europa", "West-Europa", "Midden- en Oost-Europa",
                                  BORDER_REGION]
    assert reg["jaar_einde"].isna().sum() == 3


@pytest.mark.parametrize(("row", "field", "found"), [
    ("P1,GM9999,Nergenshuizen,X,DE,1960,,verzoening_vriendschap,true,s\n", "gemeente_code",
     "GM9999"),
    ("P1,GM0546,Leiden,X,DE,1938,,verzoening_vriendschap,true,s\n", "jaar_start", "1938"),
    ("P1,GM0546,Leiden,X,DE,2031,,verzoening_vriendschap,true,s\n", "jaar_start", "2031"),
    ("P1,GM0546,Leiden,X,DE,1960,1950,verzoening_vriendschap,true,s\n", "jaar_einde",
     "1950"),
    ("P1,GM0546,Leiden,X,XX,1960,,verzoening_vriendschap,true,s\n", "land", "XX"),
    ("P1,GM0546,Leiden,X,DE,1960,,vriendjes,true,s\n", "soort", "vriendjes"),
    ("P1,GM0546,Leiden,X,FR,1960,,grensoverschrijdend,true,s\n", "land", "FR"),
    ("P1,GM0546,Leiden,X,DE,1960,,verzoening_vriendschap,misschien,s\n", "synthetic",
     "misschien"),
    ("P1,GM0017,Haren,X,DE,2020,,verzoening_vriendschap,true,s\n", "jaar_start", "2020"),
    ("P1,,Delfzijl,X,DE,2021,,verzoening_vriendschap,true,s\n", "jaar_start", "2021"),
])
def test_bad_row_names_file_row_field_and_value(tmp_path, resolver, countries, row, field,
                                                found) -> None:
    path = _register(tmp_path, "P0,GM0546,Leiden,Oxford,GB,1946,,verzoening_vriendschap,"
                               "false,bron\n" + row)
    with pytest.raises(BuildError) as err:
        validate_register(path, resolver, countries, 2025)
    e = err.value
    assert (e.row, e.field) == (2, field)
    assert found in (e.found or "")
    assert str(path) in str(e) and e.hint and e.expected


def test_all_problems_are_reported_together(tmp_path, resolver, countries) -> None:
    path = _register(tmp_path, (
        "P1,GM9999,X,X,DE,1960,,verzoening_vriendschap,true,s\n"
        "P2,GM0546,Leiden,X,DE,1900,,verzoening_vriendschap,true,s\n"))
    with pytest.raises(BuildErrors) as err:
        validate_register(path, resolver, countries, 2025)
    assert [e.row for e in err.value.errors] == [1, 2]


def test_missing_column_is_named(tmp_path, resolver, countries) -> None:
    path = tmp_path / "p.csv"
    path.write_text("id,gemeente_code\nP1,GM0546\n", encoding="utf-8")
    with pytest.raises(BuildError) as err:
        validate_register(path, resolver, countries, 2025)
    assert "jaar_start" in str(err.value.field)


def test_merger_to_unknown_successor_is_refused(tmp_path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("oude_naam,oude_code,naam_2024,jaar,bron\nHaren,GM0017,Grunn,2019,x\n",
                    encoding="utf-8")
    with pytest.raises(BuildError) as err:
        load_mergers(path, CODES)
    assert err.value.row == 1 and err.value.field == "naam_2024"


def test_decade_and_region_counts() -> None:
    reg = pd.DataFrame({
        "jaar_start": [1946, 1949, 1955, 1991, 1993, 1998, 2024],
        "regio": ["West-Europa", "West-Europa", "West-Europa", "Midden- en Oost-Europa",
                  "Midden- en Oost-Europa", BORDER_REGION, "Overige wereld"],
    })
    table = by_decade_and_region(reg, last_year=2025)
    assert list(table["decennium"]) == ["1945–1949", "1950–1959", "1960–1969", "1970–1979",
                                        "1980–1989", "1990–1999", "2000–2009", "2010–2019",
                                        "2020–2025"]
    row = table.set_index("decennium")
    assert row.loc["1945–1949", "West-Europa"] == 2
    assert row.loc["1990–1999", "Midden- en Oost-Europa"] == 2
    assert row.loc["1990–1999", BORDER_REGION] == 1
    assert row.loc["1960–1969", "Totaal"] == 0
    assert table["Totaal"].sum() == len(reg)
    assert list(table.columns) == ["decennium", *REGIONS, "Totaal"]
    regions = by_region(reg).set_index("regio")
    assert regions.loc["West-Europa", "aantal"] == 3
    assert regions.loc["West-Europa", "aandeel"] == pytest.approx(3 / 7)
    assert regions.loc["Mondiale Zuiden", "aantal"] == 0
    assert share_in_window(reg, "Midden- en Oost-Europa", 1989, 1999) == (2, 3)
    assert decade_label(1940) == "1945–1949"
