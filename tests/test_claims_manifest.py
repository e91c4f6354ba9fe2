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
