"""The data and what the build made of them."""

import json
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_the_generator_writes_the_committed_data() -> None:
    from data.generate_answers import answers_csv

    meta = yaml.safe_load((ROOT / "data/raw/answers.yaml").read_text(encoding="utf-8"))
    text = (ROOT / "data/raw/answers.csv").read_text(encoding="utf-8")
    if meta.get("synthetic"):
        assert answers_csv(meta["seed"]) == text


def test_the_built_registry_has_the_numbers_the_chapters_use() -> None:
    registry = ROOT / "results" / "numbers.json"
    if not registry.exists():
        pytest.skip("build first: snakemake all")
    data = json.loads(registry.read_text(encoding="utf-8"))
    numbers = data.get("numbers", data)
    for key in ("survey.respondents", "survey.agreeing", "survey.highest_group"):
        assert key in numbers, key
    assert numbers["survey.respondents"]["value"] == 24
