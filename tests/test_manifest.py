"""The manifest: every output's SHA-256 and every number, sorted, relative, deterministic."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from proefdruk.errors import BuildError
from proefdruk.manifest import collect_files, load_manifest, main
from proefdruk.provenance import sha256_file


def make_outputs(root: Path) -> None:
    files = {
        "_book/index.html": "<html></html>\n",
        "_book/site_libs/search.json": "[]\n",
        "_book/boek.pdf": "%PDF-1.7\n",
        "_book/.boek.pdf.tmp-1": "half",
        "_book/.nojekyll": "",
        "_book/site_libs/.snakemake_timestamp": "",
        "results/figures/f.svg": "<svg/>\n",
        "results/tables/t.md": "| a |\n",
        "results/numbers/respons.json": "{}\n",
        "results/provenance/r.json": "{}\n",
        "results/reports/warnings.md": "# w\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    (root / "results/numbers.json").write_text(json.dumps(
        {"respons.n": {"value": 217, "display": "217", "provenance": {"rule": "r"}}}),
        encoding="utf-8")


def test_collects_editions_figures_tables_numbers_but_not_run_files(tmp_path: Path) -> None:
    make_outputs(tmp_path)
    (tmp_path / "_book/manifest.json").write_text("{}", encoding="utf-8")
    files = collect_files(tmp_path)
    assert files == {
        "_book/.nojekyll": "edition", "_book/boek.pdf": "edition",
        "_book/index.html": "edition",
        "_book/site_libs/search.json": "edition", "results/figures/f.svg": "figure",
        "results/numbers.json": "numbers", "results/numbers/respons.json": "numbers",
        "results/tables/t.md": "table",
    }


def test_cli_writes_identical_bytes_twice(tmp_path: Path, monkeypatch) -> None:
    make_outputs(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["--out", "_book/manifest.json"]) == 0
    first = (tmp_path / "_book/manifest.json").read_bytes()
    assert main(["--out", "_book/manifest.json"]) == 0
    assert (tmp_path / "_book/manifest.json").read_bytes() == first
    m = load_manifest(tmp_path / "_book/manifest.json")
    assert m["numbers"] == {"respons.n": {"value": 217, "display": "217"}}
    assert m["files"]["results/figures/f.svg"]["sha256"] == sha256_file(
        tmp_path / "results/figures/f.svg")
    assert str(tmp_path) not in first.decode("utf-8")


def test_a_missing_registry_or_a_foreign_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "_book").mkdir()
    assert main(["--root", str(tmp_path), "--out", str(tmp_path / "m.json")]) == 1
    (tmp_path / "x.json").write_text('{"a": 1}', encoding="utf-8")
    with pytest.raises(BuildError) as exc:
        load_manifest(tmp_path / "x.json")
    assert "not a proefdruk manifest" in str(exc.value)
