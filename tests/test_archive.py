"""The deposit archive: sources, pseudonymised data, lock file, manifest, a README; same
inputs, same bytes."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest
from test_verify import fixture_build  # noqa: F401  (the shared built fixture study)

from conftest import run_snakemake
from proefdruk.archive import deterministic_zip, write_archive, zip_date
from proefdruk.errors import BuildError


def test_zip_is_byte_identical_and_sorted_with_fixed_metadata(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("b\n", encoding="utf-8")
    entries = {"z/b.txt": tmp_path / "b.txt", "a/run.sh": b"#!/bin/sh\n", "a/x": b"x"}
    one = deterministic_zip(entries, 1767225600, executable=["a/run.sh"])
    two = deterministic_zip(dict(reversed(entries.items())), 1767225600, ["a/run.sh"])
    assert one == two
    (tmp_path / "o.zip").write_bytes(one)
    with zipfile.ZipFile(tmp_path / "o.zip") as zf:
        infos = zf.infolist()
        assert [i.filename for i in infos] == ["a/run.sh", "a/x", "z/b.txt"]
        assert {i.date_time for i in infos} == {(2026, 1, 1, 0, 0, 0)}
        modes = {i.filename: (i.external_attr >> 16) & 0o777 for i in infos}
        assert modes == {"a/run.sh": 0o755, "a/x": 0o644, "z/b.txt": 0o644}
    assert deterministic_zip(entries, 1767225602, ["a/run.sh"]) != one


def test_dates_before_1980_are_clamped() -> None:
    assert zip_date(0) == (1980, 1, 1, 0, 0, 0)


def test_snakemake_archive_packs_sources_data_lock_and_manifest(
        fixture_build: Path) -> None:  # noqa: F811
    result = run_snakemake(fixture_build, "archive")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    path = fixture_build / "results/archive/proefstudie.zip"
    first = hashlib.sha256(path.read_bytes()).hexdigest()
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        readme = zf.read("proefstudie/README-DEPOT.md").decode("utf-8")
        manifest = zf.read("proefstudie/deposit/manifest.json")
    assert names == sorted(names)
    for needed in ("proefstudie/Snakefile", "proefstudie/data/raw/answers.csv",
                   "proefstudie/requirements.lock", "proefstudie/chapters/01-toy.qmd"):
        assert needed in names
    assert not any("/results/" in n or "/_book/" in n or "/.git/" in n for n in names)
    assert manifest == (fixture_build / "_book/manifest.json").read_bytes()
    assert "proefdruk verify --manifest deposit/manifest.json" in readme
    assert "requirements.lock" in readme
    # Rebuilding the archive from the same inputs gives the same bytes.
    path.unlink()
    assert run_snakemake(fixture_build, "archive").returncode == 0
    assert hashlib.sha256(path.read_bytes()).hexdigest() == first


def test_pseudonymised_data_go_into_the_deposit_folder(tmp_path: Path) -> None:
    import subprocess

    root = tmp_path / "p"
    (root / "results/data").mkdir(parents=True)
    (root / "results/data/survey.csv").write_text("id,x\nR001,1\n", encoding="utf-8")
    (root / "requirements.lock").write_text("pandas==3\n", encoding="utf-8")
    (root / "m.json").write_text("{}\n", encoding="utf-8")
    (root / "_quarto.yml").write_text("book:\n  title: T\n  date: '2026'\n",
                                      encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "requirements.lock"], cwd=root, check=True)
    out = tmp_path / "dep.zip"
    # sources, lock, manifest, data, README, and the citation metadata (CFF, DataCite)
    assert write_archive(root, out, root / "m.json", 1767225600, title="T") == 6
    with zipfile.ZipFile(out) as zf:
        assert "dep/deposit/results/data/survey.csv" in zf.namelist()
        assert zf.read("dep/CITATION.cff") == (tmp_path / "CITATION.cff").read_bytes()
        assert b'"publicationYear": "2026"' in zf.read("dep/datacite.json")
        assert "deposit/results/data/survey.csv" in zf.read("dep/README-DEPOT.md").decode()


def test_a_missing_manifest_is_a_clear_error(tmp_path: Path) -> None:
    import subprocess

    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / "requirements.lock").write_text("x\n", encoding="utf-8")
    with pytest.raises(BuildError) as exc:
        write_archive(tmp_path, tmp_path / "a.zip", tmp_path / "none.json", 0)
    assert "snakemake all" in str(exc.value)
    assert not (tmp_path / "a.zip").exists()
