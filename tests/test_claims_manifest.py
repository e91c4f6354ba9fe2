"""Claim outcomes are part of the manifest, and verify compares them."""

from __future__ import annotations

import json
from pathlib import Path

from proefdruk.manifest import build_manifest
from proefdruk.verify import compare_manifests


def test_the_manifest_records_outcome_and_values(tmp_path: Path) -> None:
    (tmp_path / "results").mkdir()
    (tmp_path / "results/numbers.json").write_text("{}", encoding="utf-8")
    (tmp_path / "results/claims.json").write_text(json.dumps({"b.x": {
        "outcome": "true", "values": {"a.y": 0.6}, "rule": "r", "provenance": {}}}),
        encoding="utf-8")
    manifest = build_manifest(tmp_path)
    assert manifest["claims"] == {"b.x": {"outcome": "true", "values": {"a.y": 0.6}}}


def test_verify_reports_a_flipped_claim_and_changed_values() -> None:
    base = {"numbers": {}, "files": {},
            "claims": {"b.x": {"outcome": "true", "values": {"a.y": 0.6}},
                       "b.z": {"outcome": "economisch", "values": {"a.y": 0.6}}}}
    rebuilt = {"numbers": {}, "files": {},
               "claims": {"b.x": {"outcome": "false", "values": {"a.y": 0.4}},
                          "b.z": {"outcome": "economisch", "values": {"a.y": 0.61}}}}
    rows = {r.item: r for r in compare_manifests(base, rebuilt)}
    assert rows["b.x"].kind == "claim" and rows["b.x"].status == "differs"
    assert (rows["b.x"].expected, rows["b.x"].found) == ("true", "false")
    assert rows["b.z"].status == "differs" and "0.61" in rows["b.z"].found
    same = {r.item: r.status for r in compare_manifests(base, base)}
    assert same == {"b.x": "match", "b.z": "match"}


def test_the_appendix_lists_each_claim_with_rule_values_and_lines(tmp_path: Path) -> None:
    from proefdruk.numbers import NumberSet
    from proefdruk.render.editions import herkomst

    ns = NumberSet("b")
    ns.claim("x", False, rule="a.y is groter dan de helft", values={"a.y": 0.4},
             description="Meerderheid", synthetic=True)
    ns.write(tmp_path / "b.json", {"rule": "r", "script": "s.py", "inputs": {},
                                   "software": {}})
    body, warnings = herkomst.build(
        [str(tmp_path / "b.json")], [], generated=[], users={}, titles={"05": "Hoofdstuk 5"},
        claim_users={"b.x": [["05", "chapters/05.qmd", 12]], "b.weg": [["05", "c.qmd", 3]]})
    entry = body[body.index("{#claim-b.x"):]
    assert ".claim-entry" in entry.splitlines()[0]
    assert "**uitkomst:** `false`" in entry and "a.y is groter dan de helft" in entry
    assert "`a.y`: `0.4`" in entry and "berust op synthetische gegevens" in entry
    assert "Hoofdstuk 5 (chapters/05.qmd, regel 12)" in entry
    assert [w["label"] for w in warnings if w["kind"] == "missing-claim"] == ["b.weg"]
