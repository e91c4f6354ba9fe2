"""A source restored with an old time stamp still counts as changed (content decides)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from proefdruk.content_check import RECORD, refresh_changed_sources, source_files


def project(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    (root / "chapters").mkdir(parents=True)
    (root / "results").mkdir()
    (root / "chapters/a.qmd").write_text("eerste versie\n", encoding="utf-8")
    (root / "results/out.html").write_text("gebouwd\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "chapters"], check=True)
    return root


def test_first_run_records_and_touches_nothing(tmp_path: Path) -> None:
    root = project(tmp_path)
    assert refresh_changed_sources(root) == []
    assert (root / RECORD).is_file()
    assert source_files(root) == ["chapters/a.qmd"]  # build products are not sources


def test_restored_old_content_with_an_old_mtime_is_made_newer(tmp_path: Path) -> None:
    root = project(tmp_path)
    source = root / "chapters/a.qmd"
    backup = tmp_path / "a.qmd.bak"
    backup.write_bytes(source.read_bytes())
    os.utime(backup, ns=(1_000_000_000, 1_000_000_000))  # an old backup (2001)
    refresh_changed_sources(root)
    source.write_text("tweede versie\n", encoding="utf-8")
    assert refresh_changed_sources(root) == ["chapters/a.qmd"]
    output = root / "results/out.html"
    output.write_text("gebouwd uit de tweede versie\n", encoding="utf-8")
    # `cp -p backup source`: the first content comes back with its time of 2001
    source.write_bytes(backup.read_bytes())
    os.utime(source, ns=(1_000_000_000, 1_000_000_000))
    assert source.stat().st_mtime_ns < output.stat().st_mtime_ns
    assert refresh_changed_sources(root) == ["chapters/a.qmd"]
    assert source.stat().st_mtime_ns >= output.stat().st_mtime_ns
    assert source.read_text(encoding="utf-8") == "eerste versie\n"  # content untouched
    assert refresh_changed_sources(root) == []  # recorded: no second touch


def test_a_touched_file_with_the_same_content_is_left_alone(tmp_path: Path) -> None:
    root = project(tmp_path)
    source = root / "chapters/a.qmd"
    refresh_changed_sources(root)
    os.utime(source, ns=(1_000_000_000, 1_000_000_000))
    assert refresh_changed_sources(root) == []
    assert source.stat().st_mtime_ns == 1_000_000_000


def test_outside_git_every_file_but_the_build_products_is_a_source(tmp_path: Path) -> None:
    root = tmp_path / "unpacked"
    for rel in ("data/raw/x.csv", "results/y.csv", "_book/z.html", ".snakemake/m",
                "analysis/__pycache__/a.pyc", "analysis/a.py"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x", encoding="utf-8")
    assert source_files(root) == ["analysis/a.py", "data/raw/x.csv"]
