"""The committed document data: regenerable byte for byte, honestly flagged, valid, and
shaped like the waves the chapter describes."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pandas as pd
import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT))  # the study package; until pytest's pythonpath is set

from analysis.document_checks import load_mergers  # noqa: E402
from analysis.partnerships import load_countries, validate_register  # noqa: E402
from analysis.policy_notes import check_files, validate_metadata  # noqa: E402
from analysis.register import load_register  # noqa: E402

RAW = ROOT / "data/raw"


@pytest.fixture(scope="module")
def register():
    reg = load_register(RAW / "gemeenten-2024.csv")
    codes = dict(zip(reg["gemeentecode"], reg["gemeentenaam"], strict=True))
    resolver = load_mergers(RAW / "herindelingen.csv", codes)
    countries = load_countries(RAW / "partnerships/landen.csv")
    return validate_register(RAW / "partnerships/partnerschappen.csv", resolver, countries,
                             2025), resolver


def test_generator_reproduces_the_committed_files(tmp_path) -> None:
    for rel in ("gemeenten-2024.csv", "herindelingen.csv"):
        (tmp_path / "data/raw" / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(RAW / rel, tmp_path / "data/raw" / rel)
    result = subprocess.run([sys.executable, str(ROOT / "data/generate_documents.py"),
                             "--root", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    for rel in ("partnerships/partnerschappen.csv", "policy_notes/metadata.csv",
                "policy_notes/teksten/n0001.txt"):
        assert (tmp_path / "data/raw" / rel).read_bytes() == (RAW / rel).read_bytes(), rel
    made = sorted(p.name for p in (tmp_path / "data/raw/policy_notes/teksten").iterdir())
    assert made == sorted(p.name for p in (RAW / "policy_notes/teksten").glob("*.txt"))


def test_register_is_valid_large_and_flagged(register) -> None:
    reg, _ = register
    assert len(reg) >= 300
    assert reg["jaar_start"].min() <= 1950 and reg["jaar_start"].max() >= 2020
    real = reg[~reg["synthetic"]]
    assert len(real) >= 10
    assert real["bron"].str.contains("http").all()
    synthetic = reg[reg["synthetic"]]
    assert synthetic["partnerstad"].str.startswith("Fictief ").all()
    assert (synthetic["bron"] == "synthetisch (data/generate_documents.py)").all()
    assert (reg["gemeente_oorspronkelijk"] != reg["gemeente_naam"]).any()  # mergers used


def test_register_shows_the_waves(register) -> None:
    reg, _ = register
    early = reg[reg["jaar_start"] < 1970]
    assert (early["regio"] == "West-Europa").mean() > 0.9
    cee = reg[reg["regio"] == "Midden- en Oost-Europa"]
    assert (cee["jaar_start"] >= 1988).mean() > 0.95
    south = reg[reg["regio"] == "Mondiale Zuiden"]
    assert south["jaar_start"].min() >= 1970
    border = reg[reg["soort"] == "grensoverschrijdend"]
    assert set(border["land"]) <= {"BE", "DE"}


def test_policy_notes_are_valid_and_all_synthetic(register) -> None:
    _, resolver = register
    meta = validate_metadata(RAW / "policy_notes/metadata.csv", resolver, 2025)
    check_files(meta, RAW / "policy_notes", RAW / "policy_notes/metadata.csv")
    assert len(meta) >= 100
    assert meta["synthetic"].all()
    first = (RAW / "policy_notes" / meta["bestand"].iloc[0]).read_text(encoding="utf-8")
    assert first.startswith("[Synthetische tekst")
    assert isinstance(meta, pd.DataFrame)
