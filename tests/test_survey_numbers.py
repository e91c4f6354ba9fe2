"""Every number the survey sections register passes the registry's consistency checks
(percentages recomputable from numerator and denominator, statistics from df and p,
printed forms from raw values), and carries a Dutch description."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the study package; until pytest's pythonpath is set

from analysis.codebook import load_codebook  # noqa: E402
from analysis.register import load_register  # noqa: E402
from analysis.survey_prep import prepare  # noqa: E402
from analysis.survey_sections import analyse_section, analysed_sections, size_series  # noqa: E402
from proefdruk.consistency import check_entry  # noqa: E402


def test_section_numbers_are_consistent_and_described(tmp_path):
    book = load_codebook(ROOT / "data/raw/survey/codebook.yaml")
    register = load_register(ROOT / "data/raw/gemeenten-2024.csv")
    data, _, _ = prepare(ROOT / "data/raw/survey/export.csv", book,
                         set(register["gemeentecode"]))
    for sub in ("results/tables", "results/figures"):
        (tmp_path / sub).mkdir(parents=True)
    sizes = size_series(data, register)
    entries = {}
    for section in analysed_sections(book):
        entries.update(analyse_section(book, section, data, sizes, None, tmp_path).numbers)
    assert len(entries) > 200
    problems = []
    for key, entry in entries.items():
        outcome = check_entry(key, entry)
        if outcome.status not in ("ok", "skipped"):
            problems.append((key, outcome))
        if entry["kind"] == "percent":
            assert {"numerator", "denominator"} <= set(entry), key
        if entry["kind"] == "statistic":
            assert entry.get("df") is not None and "p" in entry, key
        assert entry["description"][:1].isupper(), key
    assert not problems, problems[:5]
