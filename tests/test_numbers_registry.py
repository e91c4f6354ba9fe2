"""The registry keeps raw value, display form, fractions and provenance per number."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from proefdruk.errors import BuildError
from proefdruk.numbers import NumberSet, load_file, lookup, merge, namespace_of
from proefdruk.provenance import make_record, sha256_file


def _write(tmp_path: Path, ns: NumberSet) -> Path:
    src = tmp_path / "in.csv"
    src.write_text("a,b\n1,2\n", encoding="utf-8")
    script = tmp_path / "script.py"
    script.write_text("print(1)\n", encoding="utf-8")
    out = tmp_path / f"{ns.namespace}.json"
    ns.write(out, make_record("r", script, [src], [out]))
    return out


def test_percent_keeps_numerator_and_denominator(tmp_path: Path) -> None:
    ns = NumberSet("respons")
    key = ns.percent("percentage", 217, 342, "Respons")
    path = _write(tmp_path, ns)
    entry = load_file(path)["numbers"][key]
    assert key == "respons.percentage"
    assert (entry["numerator"], entry["denominator"]) == (217, 342)
    assert entry["display"] == "63,5\u00a0%"
    assert entry["value"] == pytest.approx(217 / 342)


def test_statistic_display_and_fields() -> None:
    ns = NumberSet("respons")
    ns.statistic("chi2_provincie", 12.4138, 0.0061, "Representativiteit", test="chi2", df=3)
    entry = ns.numbers["respons.chi2_provincie"]
    assert entry["display"] == "χ²(3)\u00a0=\u00a012,41; p\u00a0=\u00a00,006"
    assert entry["df"] == 3 and entry["p"] == pytest.approx(0.0061)


def test_bad_names_and_fractions_are_refused() -> None:
    ns = NumberSet("respons")
    with pytest.raises(ValueError):
        ns.count("Hoofd Letter", 3, "x")
    with pytest.raises(ValueError):
        ns.percent("x", 5, 4, "x")
    ns.count("n", 3, "x")
    with pytest.raises(ValueError, match="twice"):
        ns.count("n", 4, "x")
    with pytest.raises(ValueError):
        NumberSet("Bad-Namespace")


def test_files_are_deterministic_and_record_input_hashes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    ns = NumberSet("respons")
    ns.count("n", 342, "Gemeenten")
    first = _write(tmp_path, ns).read_bytes()
    second = _write(tmp_path, ns).read_bytes()
    assert first == second
    prov = json.loads(first)["provenance"]
    assert prov["inputs"] == {"in.csv": sha256_file(tmp_path / "in.csv")}
    assert prov["script"] == "script.py"
    assert prov["outputs"] == ["respons.json"]
    assert str(tmp_path) not in first.decode()


def test_merge_and_lookup(tmp_path: Path) -> None:
    a = NumberSet("respons")
    a.count("n", 342, "Gemeenten")
    b = NumberSet("motieven")
    b.percent("economisch", 10, 40, "Economisch motief")
    merged = merge([_write(tmp_path, a), _write(tmp_path, b)])
    assert list(merged) == ["motieven.economisch", "respons.n"]
    assert lookup(merged, "respons.n")["value"] == 342
    with pytest.raises(BuildError) as err:
        lookup(merged, "respons.m", file="chapters/02.qmd", line=14)
    text = str(err.value)
    assert "chapters/02.qmd:14" in text and "respons.n" in text
    assert namespace_of("respons.n") == "respons"


def test_merge_refuses_a_key_defined_twice(tmp_path: Path) -> None:
    a = NumberSet("respons")
    a.count("n", 1, "x")
    p1 = _write(tmp_path, a)
    p2 = tmp_path / "copy.json"
    p2.write_bytes(p1.read_bytes())
    with pytest.raises(BuildError, match="defined twice"):
        merge([p1, p2])


def test_broken_registry_file_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": 1,\n "numbers": {\n', encoding="utf-8")
    with pytest.raises(BuildError) as err:
        load_file(bad)
    assert f"{bad}:3" in str(err.value)
