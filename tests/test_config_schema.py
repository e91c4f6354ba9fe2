"""The build options have one schema: typos, wrong types and values out of range stop the
build with the key, the value and what is allowed; defaults are written only there."""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from proefdruk.config_schema import CHECKED, SCHEMA, load_schema, validate_config
from proefdruk.errors import BuildErrors

ROOT = Path(__file__).resolve().parent.parent


def study_config() -> dict:
    return yaml.safe_load((ROOT / "config/config.yaml").read_text(encoding="utf-8")) or {}


def test_the_study_config_is_valid_and_gets_the_defaults() -> None:
    config = study_config()
    validate_config(config, ROOT)
    assert config["render"] == {"quarto": "builtin", "paper": "170x240", "pdfa": False,
                                "pdfua": False, "cell_timeout": 600}
    assert config["promote"] == {"reserve_mb": 0}
    assert config["survey"]["weighting"] is False
    assert config["documents"]["min_hits"] == 2
    assert config["archive_exclude"] == [] or isinstance(config["archive_exclude"], list)
    # one-shot arguments of a command are its flags, not build options (proefdruk verify
    # --manifest, proefdruk changes --since, proefdruk feedback --docx)
    for gone in ("verify_manifest", "verify_editions", "since", "docx", "feedback_dir"):
        assert gone not in config


def problem(config: dict) -> str:
    with pytest.raises(BuildErrors) as info:
        validate_config(config, ROOT)
    return str(info.value)


def test_an_unknown_paper_names_key_value_and_allowed_values() -> None:
    text = problem({"render": {"paper": "a5"}})
    assert "render.paper" in text and "'a5'" in text and "'170x240', 'a4'" in text


@pytest.mark.parametrize("word", ["no", "nee", "ja", "false "])
def test_pdfa_as_a_word_is_an_error_not_a_pdfa(word: str) -> None:
    """Issue #20, finding 7: `pdfa: "no"` used to switch PDF/A on (bool("no"))."""
    text = problem({"render": {"pdfa": word}})
    assert "render.pdfa" in text and repr(word) in text and "true or false" in text


def test_weighting_ja_is_an_error_not_silently_off() -> None:
    text = problem({"survey": {"weighting": "ja"}})
    assert "survey.weighting" in text and "'ja'" in text


def test_a_misspelt_key_is_an_error_with_a_suggestion() -> None:
    """Issue #20, finding 7: a typo such as `rendr:` used to be ignored."""
    text = problem({"rendr": {"paper": "a4"}})
    assert "unknown option rendr" in text and "did you mean render" in text
    text = problem({"render": {"papr": "a4"}})
    assert "render.papr" in text and "did you mean paper" in text


def test_out_of_range_and_every_problem_at_once() -> None:
    text = problem({"documents": {"min_hits": 0, "last_year": 3000}, "survey": {"seed": 1}})
    assert "documents.min_hits" in text and "minimum 1" in text
    assert "documents.last_year" in text and "maximum 2100" in text
    assert "survey.seed" in text  # removed: nothing read it
    assert text.startswith("3 problem(s)")


def test_command_line_text_is_read_as_the_schema_type() -> None:
    """`--config render='{pdfa: true}'` reaches the Snakefile as the text "true"."""
    config = {"render": {"pdfa": "true"}, "survey": {"golf": "2"}}
    validate_config(config, ROOT)
    assert config["render"]["pdfa"] is True and config["survey"]["golf"] == 2


def _schema_keys(schema: dict, prefix: str = "") -> dict[str, dict]:
    out = {}
    for key, sub in schema.get("properties", {}).items():
        out[prefix + key] = sub
        out.update(_schema_keys(sub, f"{prefix}{key}."))
    return out


def test_every_option_a_rule_reads_is_in_the_schema_with_a_description() -> None:
    keys = _schema_keys(load_schema(ROOT))
    assert all(sub.get("description") for sub in keys.values())
    sources = [ROOT / "Snakefile", *sorted((ROOT / "workflow").rglob("*.smk")),
               *sorted((ROOT / "proefdruk/build/rules").glob("*.smk"))]
    read: set[str] = set()
    aliases = {"SURVEY_CONFIG": "survey", "DOCUMENTS": "documents"}
    for path in sources:
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"config\[[\"'](\w+)[\"']\](?:\[[\"'](\w+)[\"']\])?", text):
            read.add(".".join(p for p in m.groups() if p))
        for alias, top in aliases.items():
            read.update(f"{top}.{k}" for k in re.findall(rf"{alias}\[[\"'](\w+)[\"']\]", text))
        assert "config.get(" not in text, f"{path.name}: defaults belong in the schema"
    assert read, "no option reads found: the pattern no longer matches the rule files"
    assert read <= set(keys), sorted(read - set(keys))


def test_a_remembered_check_gives_what_a_fresh_check_gives(tmp_path: Path) -> None:
    """The checked options are remembered under the schema and the options given: the
    same again gives the same filled-in options without checking; other options, or
    another schema, are checked anew, and a failure is never remembered."""
    (tmp_path / "config").mkdir()
    shutil.copy(ROOT / SCHEMA, tmp_path / SCHEMA)
    given = yaml.safe_load((ROOT / "config" / "config.yaml").read_text(encoding="utf-8"))
    fresh = copy.deepcopy(given)
    validate_config(fresh, tmp_path)
    assert (tmp_path / CHECKED).is_file()
    again = copy.deepcopy(given)
    validate_config(again, tmp_path)
    assert again == fresh
    # The cache holds a verdict, never options (issue #27, finding 2): options written
    # into it under the right key do not reach the build ...
    data = json.loads((tmp_path / CHECKED).read_text(encoding="utf-8"))
    assert set(data) == {"key", "valid"}
    data["config"] = {"render": {"paper": "a4", "pdfa": True}, "survey": {"weighting": True}}
    (tmp_path / CHECKED).write_text(json.dumps(data), encoding="utf-8")
    told = copy.deepcopy(given)
    validate_config(told, tmp_path)
    assert told == fresh and told["render"]["paper"] == "170x240"
    # ... and other options or another schema are checked anew.
    bad = copy.deepcopy(given)
    bad.setdefault("render", {})["paper"] = "a5"
    with pytest.raises(BuildErrors):
        validate_config(bad, tmp_path)
    with pytest.raises(BuildErrors):  # still an error: failures are not remembered
        validate_config(copy.deepcopy(bad), tmp_path)
    (tmp_path / SCHEMA).write_text((ROOT / SCHEMA).read_text(encoding="utf-8") + "\n",
                                   encoding="utf-8")
    schema_changed = copy.deepcopy(given)
    validate_config(schema_changed, tmp_path)
    assert schema_changed == fresh


@pytest.mark.parametrize("options, key", [
    ({"render": {"cell_timeout": 10**30}}, "render.cell_timeout"),
    ({"source_date_epoch": 10**30}, "source_date_epoch"),
    ({"archive_exclude": ["x"] * 5000}, "archive_exclude"),
    ({"documents": {"note_periods": [[1990, 1991]] * 500}}, "documents.note_periods"),
])
def test_absurd_sizes_are_errors_not_accepted(options: dict, key: str) -> None:
    """Issue #27, finding 6: 10^30 as a timeout and a list of thousands were accepted."""
    text = problem(options)
    assert key in text and ("maximum" in text or "maxItems" in text)
