"""The register's provenance: one description per column, shown the same everywhere.

data/README.md, the data appendix and the register itself must agree on where each
column comes from; these tests make a drift or a missing description fail.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the study package; until pytest's pythonpath is set

from analysis.register import COLUMNS, load_register  # noqa: E402
from analysis.register_sources import (  # noqa: E402
    column_origins,
    population_sources,
    province_coverage,
    split_source,
)
from proefdruk.errors import BuildError  # noqa: E402

RAW = ROOT / "data/raw"
ORIGINS = RAW / "gemeenten-2024.herkomst.yaml"


def readme_register_table() -> dict[str, list[str]]:
    """The per-column table under '### Register' in data/README.md: kolom -> cells."""
    text = (ROOT / "data/README.md").read_text(encoding="utf-8")
    section = text.split("### Register (`raw/gemeenten-2024.csv`)", 1)[1]
    rows: dict[str, list[str]] = {}
    for line in section.splitlines():
        if line.startswith("| `"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            rows[cells[0].strip("`")] = cells[1:]
        elif rows and not line.startswith("|"):
            break
    return rows


def test_every_column_has_one_origin_and_readme_says_the_same():
    origins = column_origins(ORIGINS, list(COLUMNS))
    assert list(origins["kolom"]) == list(COLUMNS)
    table = readme_register_table()
    assert list(table) == list(COLUMNS)
    for rec in origins.to_dict("records"):
        _inhoud, bron, opgehaald = table[rec["kolom"]]
        assert opgehaald == rec["opgehaald"], rec["kolom"]
        if rec["bron"]:
            # the README may format names as code; the words must be the same
            assert bron.replace("`", "") == rec["bron"], rec["kolom"]


def test_undocumented_or_stale_column_is_refused(tmp_path):
    meta = tmp_path / "herkomst.yaml"
    meta.write_text("kolommen:\n  gemeentecode: {inhoud: x, bron: y, opgehaald: z}\n"
                    "  oud: {inhoud: x, bron: y, opgehaald: z}\n", encoding="utf-8")
    with pytest.raises(BuildError) as info:
        column_origins(meta, ["gemeentecode", "gemeentenaam"])
    text = str(info.value)
    assert "gemeentenaam" in text and "oud" in text and "herkomst.yaml" in text
    meta.write_text("kolommen:\n  gemeentecode: {inhoud: x, bron: y}\n", encoding="utf-8")
    with pytest.raises(BuildError, match="opgehaald"):
        column_origins(meta, ["gemeentecode"])


def test_sources_are_grouped_per_page_with_what_they_state():
    assert split_source("https://a.example/x (kolom 2024-01-01)") == (
        "https://a.example/x", "kolom 2024-01-01")
    reg = pd.DataFrame({
        "gemeentecode": ["GM1", "GM2", "GM3", "GM4"],
        "provincie": ["Drenthe", "Flevoland", "Drenthe", "Zeeland"],
        "inwoners_2024": pd.array([10, 20, 30, None], dtype="Int64"),
        "inwoners_bron": ["https://a (x)", "https://a (x)", "https://b (y)", ""]})
    out = population_sources(reg)
    assert out.to_dict("records") == [
        {"bron": "https://a", "vermeldt": "x", "gemeenten": 2,
         "provincies": "Drenthe, Flevoland"},
        {"bron": "https://b", "vermeldt": "y", "gemeenten": 1, "provincies": "Drenthe"}]
    cov = province_coverage(reg).set_index("provincie")
    assert cov.loc["Drenthe", "som"] == 40 and cov.loc["Flevoland", "som"] == 20
    assert pd.isna(cov.loc["Zeeland", "som"]) and cov.loc["Zeeland", "zonder_inwonertal"] == 1


def test_real_register_sources_cover_every_filled_figure():
    reg = load_register(RAW / "gemeenten-2024.csv", with_sources=True)
    out = population_sources(reg)
    assert int(out["gemeenten"].sum()) == int(reg["inwoners_2024"].notna().sum())
    assert (out["vermeldt"] != "").all()
