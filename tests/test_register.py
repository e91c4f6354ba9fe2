"""The municipality register holds facts: checked against CBS's 2024 classification."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the study package; until pytest's pythonpath is set

from analysis.register import (  # noqa: E402
    PROVINCES,
    SIZE_LABELS,
    UNKNOWN_SIZE,
    load_register,
    size_class,
)
from proefdruk.errors import BuildErrors  # noqa: E402

REGISTER = ROOT / "data/raw/gemeenten-2024.csv"

# Municipalities per province on 1 January 2024 (CBS, Regionale kerncijfers Nederland,
# table 70072NED, column "Gemeenten (aantal)").
CBS_PROVINCE_COUNTS = {
    "Groningen": 10, "Fryslân": 18, "Drenthe": 12, "Overijssel": 25, "Flevoland": 6,
    "Gelderland": 51, "Utrecht": 26, "Noord-Holland": 44, "Zuid-Holland": 50, "Zeeland": 13,
    "Noord-Brabant": 56, "Limburg": 31,
}
# Population on 1 January 2024 per province as published with the municipal figures
# (CBS figures on City Population, http://www.citypopulation.de/php/netherlands-admin.php
# ?adm1id=NL31, province rows, column "Population Estimate 2024-01-01"). Every province
# whose municipalities all have a figure in the register must add up to its total; a
# province that is complete but missing here fails test_complete_provinces_are_checked.
CBS_PROVINCE_POPULATION = {"Drenthe": 504_116, "Flevoland": 450_920, "Fryslân": 661_956}
# Population of the Netherlands on 1 January 2024: CBS StatLine, table 03759ned
# (Bevolking op 1 januari en gemiddeld; geslacht, leeftijd en regio), period 2024JJ00,
# region Nederland (NL01), totals of sex, age and marital status. `python data/fetch_cbs.py`
# prints the figure CBS states next to the register's sum.
CBS_NATIONAL_POPULATION = 17_942_942


@pytest.fixture(scope="module")
def register():
    return load_register(REGISTER)


def test_342_unique_codes(register):
    assert len(register) == 342
    assert register["gemeentecode"].is_unique
    assert register["gemeentecode"].str.fullmatch(r"GM\d{4}").all()


def test_twelve_provinces_with_cbs_counts(register):
    counts = register["provincie"].value_counts().to_dict()
    assert set(counts) == set(PROVINCES)
    assert counts == CBS_PROVINCE_COUNTS


@pytest.mark.parametrize(("code", "name", "province"), [
    ("GM0363", "Amsterdam", "Noord-Holland"),
    ("GM0518", "'s-Gravenhage", "Zuid-Holland"),
    ("GM0796", "'s-Hertogenbosch", "Noord-Brabant"),
    ("GM1900", "Súdwest-Fryslân", "Fryslân"),
    ("GM1970", "Noardeast-Fryslân", "Fryslân"),
    ("GM0893", "Bergen (L.)", "Limburg"),
    ("GM0373", "Bergen (NH.)", "Noord-Holland"),
    ("GM0820", "Nuenen, Gerwen en Nederwetten", "Noord-Brabant"),
    ("GM1979", "Eemsdelta", "Groningen"),            # 2021: Appingedam, Delfzijl, Loppersum
    ("GM1980", "Dijk en Waard", "Noord-Holland"),    # 2022: Heerhugowaard, Langedijk
    ("GM1982", "Land van Cuijk", "Noord-Brabant"),   # 2022
    ("GM1991", "Maashorst", "Noord-Brabant"),        # 2022: Uden, Landerd
    ("GM0439", "Purmerend", "Noord-Holland"),        # 2022: with Beemster
    ("GM1992", "Voorne aan Zee", "Zuid-Holland"),    # 2023: Brielle, Hellevoetsluis, Westvoorne
    ("GM1961", "Vijfheerenlanden", "Utrecht"),       # 2019, moved to Utrecht
])
def test_known_members_with_exact_spelling(register, code, name, province):
    row = register.loc[register["gemeentecode"] == code]
    assert row["gemeentenaam"].tolist() == [name]
    assert row["provincie"].tolist() == [province]


@pytest.mark.parametrize("gone", ["Weesp", "Brielle", "Hellevoetsluis", "Westvoorne",
                                  "Beemster", "Heerhugowaard", "Uden", "Appingedam",
                                  "Bonaire", "Sint Eustatius", "Saba"])
def test_former_municipalities_and_caribbean_bodies_absent(register, gone):
    assert gone not in set(register["gemeentenaam"])


def test_complete_provinces_add_up_to_published_totals(register):
    complete = [p for p, part in register.groupby("provincie")
                if part["inwoners_2024"].notna().all()]
    assert complete, "no province is complete: the totals check would test nothing"
    for province in complete:
        part = register[register["provincie"] == province]
        assert province in CBS_PROVINCE_POPULATION, f"add the published total of {province}"
        assert int(part["inwoners_2024"].sum()) == CBS_PROVINCE_POPULATION[province], province


def test_all_342_add_up_to_the_national_total(register):
    """Runs as soon as every municipality has its figure (data/fetch_cbs.py fills them)."""
    pops = register["inwoners_2024"]
    if pops.isna().any():
        pytest.skip(f"{int(pops.isna().sum())} municipalities still without a population; "
                    "run `python data/fetch_cbs.py`")
    assert int(pops.sum()) == CBS_NATIONAL_POPULATION
    assert set(CBS_PROVINCE_POPULATION) == set(PROVINCES), "add every province's total"


def test_partial_provinces_stay_below_their_totals(register):
    assert int(register["inwoners_2024"].sum()) <= CBS_NATIONAL_POPULATION
    for province, total in CBS_PROVINCE_POPULATION.items():
        part = register.loc[register["provincie"] == province, "inwoners_2024"]
        assert int(part.sum()) <= total, province


def test_every_population_has_a_source_that_states_the_reference_date():
    rows = load_register(REGISTER, with_sources=True)
    filled = rows[rows["inwoners_2024"].notna()]
    assert len(filled) > 0
    assert (filled["inwoners_bron"].str.strip() != "").all()
    # the page address, and the date the page gives for the figure
    assert filled["inwoners_bron"].str.match(r"https?://\S+ \(").all()
    assert filled["inwoners_bron"].str.contains("2024").all()
    empty = rows[rows["inwoners_2024"].isna()]
    assert (empty["inwoners_bron"] == "").all()


def test_figure_and_source_go_together(tmp_path):
    bad = tmp_path / "gemeenten.csv"
    bad.write_text("gemeentecode,gemeentenaam,provincie,inwoners_2024,inwoners_bron\n"
                   "GM0363,Amsterdam,Noord-Holland,931298,\n"
                   "GM0599,Rotterdam,Zuid-Holland,,https://example.org (1 januari 2024)\n",
                   encoding="utf-8")
    with pytest.raises(BuildErrors) as info:
        load_register(bad)
    text = str(info.value)
    assert "row 1, field 'inwoners_bron'" in text and "population without a source" in text
    assert "row 2, field 'inwoners_2024'" in text and "source without a population" in text


@pytest.mark.parametrize(("population", "label"), [
    (3_832, "< 20.000"), (20_000, "< 20.000"), (20_001, "20.000–50.000"),
    (50_000, "20.000–50.000"), (50_050, "50.000–100.000"), (100_000, "50.000–100.000"),
    (100_001, "> 100.000"), (931_298, "> 100.000"), (None, UNKNOWN_SIZE),
])
def test_size_class_boundaries(population, label):
    assert size_class(population) == label
    assert label in (*SIZE_LABELS, UNKNOWN_SIZE)


def test_size_classes_derived_not_typed(register):
    assert "grootteklasse" not in REGISTER.read_text(encoding="utf-8").splitlines()[0]
    emmen = register.loc[register["gemeentecode"] == "GM0114", "grootteklasse"].item()
    assert emmen == "> 100.000"


def test_bad_register_names_row_and_field(tmp_path):
    bad = tmp_path / "gemeenten.csv"
    bad.write_text("gemeentecode,gemeentenaam,provincie,inwoners_2024,inwoners_bron\n"
                   "GM0363,Amsterdam,Noord-Holland,931298,https://example.org (2024)\n"
                   "GM363,Foo,Noord-Holland,,\n"
                   "GM0363,Amsterdam,Noord-Holland,,\n"
                   "GM9999,Kralendijk,Bonaire,12.345,https://example.org (2024)\n",
                   encoding="utf-8")
    with pytest.raises(BuildErrors) as info:
        load_register(bad)
    text = str(info.value)
    assert "row 2, field 'gemeentecode'" in text and "GM followed by 4 digits" in text
    assert "row 3" in text and "also on row 1" in text
    assert "row 4, field 'provincie'" in text and "'Bonaire'" in text
    assert "field 'inwoners_2024'" in text and "'12.345'" in text
