"""The synthetic export: deterministic, honest about itself, and valid against the codebook."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the study package; until pytest's pythonpath is set
sys.path.insert(0, str(ROOT / "data"))

import generate_survey  # noqa: E402

from analysis.codebook import load_codebook  # noqa: E402
from analysis.register import load_register  # noqa: E402
from analysis.survey_prep import prepare  # noqa: E402

BOOK = load_codebook(ROOT / "data/raw/survey/codebook.yaml")
REGISTER = load_register(ROOT / "data/raw/gemeenten-2024.csv")


def test_committed_export_is_what_the_generator_writes():
    text = generate_survey.generate(BOOK, REGISTER, generate_survey.DEFAULT_SEED, 1)
    assert text == (ROOT / "data/raw/survey/export.csv").read_text(encoding="utf-8")


def test_same_seed_same_bytes_other_seed_other_data():
    a = generate_survey.generate(BOOK, REGISTER, 7, 1)
    assert a == generate_survey.generate(BOOK, REGISTER, 7, 1)
    assert a != generate_survey.generate(BOOK, REGISTER, 8, 1)


def test_marked_synthetic_everywhere():
    import yaml

    meta = yaml.safe_load((ROOT / "data/raw/survey/metadata.yaml").read_text(encoding="utf-8"))
    assert meta["synthetic"] is True and meta["seed"] == generate_survey.DEFAULT_SEED
    assert generate_survey.__doc__.startswith("SYNTHETIC DATA.")
    readme = (ROOT / "data/README.md").read_text(encoding="utf-8")
    survey_part = readme.split("## Enquête", 1)[1].split("\n## ", 1)[0]
    assert "synthetisch" in survey_part.lower() and "generate_survey.py" in survey_part


def test_realistic_features_present(tmp_path):
    text = generate_survey.generate(BOOK, REGISTER, generate_survey.DEFAULT_SEED, 1)
    raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert raw["gemeentecode"].duplicated().any()                  # duplicate submissions
    assert (raw["status"] == "gedeeltelijk").any()                 # partial response
    assert (raw["slot_opmerkingen"] != "").any()                   # free text
    assert raw["email"].str.endswith(".example").all()             # reserved domain only
    assert raw["ip_adres"].str.match(r"^(192\.0\.2|198\.51\.100|203\.0\.113)\.").all()
    assert 0.4 < raw["gemeentecode"].nunique() / len(REGISTER) < 0.8
    data, _, _ = prepare(_write(tmp_path, text), BOOK, set(REGISTER["gemeentecode"]))
    answered = data["mot_handel"].notna()
    economic = data.loc[answered, ["mot_handel", "mot_investeringen"]].astype(int).mean().min()
    political = data.loc[answered, ["mot_mensenrechten", "mot_belangen"]].astype(int).mean().max()
    assert economic > political                                     # economic motives lead


def test_waves_multiply_rows_not_municipalities(tmp_path):
    text = generate_survey.generate(BOOK, REGISTER, 3, 3)
    raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert set(raw["golf"]) == {"1", "2", "3"}
    assert set(raw["gemeentecode"]) <= set(REGISTER["gemeentecode"])
    data, summary, _ = prepare(_write(tmp_path, text), BOOK, set(REGISTER["gemeentecode"]))
    assert data.groupby("golf")["gemeentecode"].apply(lambda s: s.is_unique).all()


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    return path
