"""The merged registry refuses files that break the contract reviewers rely on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from proefdruk.errors import BuildError
from proefdruk.numbers import NumberSet, main, merge
from proefdruk.provenance import make_record


def write(tmp_path: Path, ns: NumberSet, name: str | None = None) -> Path:
    src = tmp_path / "in.csv"
    src.write_text("a\n1\n", encoding="utf-8")
    out = tmp_path / f"{name or ns.namespace}.json"
    ns.write(out, make_record("r", src, [src], [out]))
    return out


def test_merged_entries_carry_key_fractions_and_provenance(tmp_path: Path) -> None:
    ns = NumberSet("respons")
    ns.percent("pct", 217, 342, "Respons")
    out = tmp_path / "numbers.json"
    assert main(["--out", str(out), str(write(tmp_path, ns))]) == 0
    entry = json.loads(out.read_text(encoding="utf-8"))["respons.pct"]
    assert entry["key"] == "respons.pct"
    assert (entry["numerator"], entry["denominator"], entry["unit"]) == (217, 342, "percent")
    prov = entry["provenance"]
    assert prov["rule"] == "r"
    assert prov["inputs"] and all(len(h) == 64 for h in prov["inputs"].values())
    assert "python" in prov["software"]
    assert entry["source"].endswith("respons.json")


def test_a_key_outside_its_files_namespace_is_refused(tmp_path: Path) -> None:
    ns = NumberSet("respons")
    ns.count("n", 3, "x")
    with pytest.raises(BuildError) as exc:
        merge([write(tmp_path, ns, name="motieven")])
    assert "namespace" in str(exc.value) and "motieven." in str(exc.value)


def test_a_record_without_provenance_is_refused(tmp_path: Path) -> None:
    ns = NumberSet("respons")
    ns.count("n", 3, "x")
    path = tmp_path / "respons.json"
    ns.write(path, {"rule": "r"})
    with pytest.raises(BuildError) as exc:
        merge([path])
    assert "script, inputs, software" in str(exc.value)


def test_a_percentage_without_its_fraction_is_refused(tmp_path: Path) -> None:
    ns = NumberSet("respons")
    ns.percent("pct", 1, 2, "x")
    del ns.numbers["respons.pct"]["numerator"]
    with pytest.raises(BuildError) as exc:
        merge([write(tmp_path, ns)])
    assert "numerator" in str(exc.value)
