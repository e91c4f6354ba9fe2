"""The benchmark's large bibliography (bench/run.py, W8) is a valid .bib of the size the
issue names: about 5,000 entries in 2 MB, every key unique, nothing the checks refuse."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import run as bench  # noqa: E402

from proefdruk.bibliography import check  # noqa: E402


def test_the_grown_bibliography_is_large_valid_and_checked_in_linear_time(
        tmp_path: Path) -> None:
    (tmp_path / "bibliography").mkdir()
    shutil.copy(ROOT / bench.BIB, tmp_path / bench.BIB)
    started = time.perf_counter()
    check([tmp_path / bench.BIB], [])
    small_seconds = time.perf_counter() - started
    note = bench.grow_bibliography(tmp_path)
    assert "5000 entries" in note
    assert 1_900_000 <= (tmp_path / bench.BIB).stat().st_size <= 2_100_000
    started = time.perf_counter()
    report = check([tmp_path / bench.BIB], [])
    seconds = time.perf_counter() - started
    assert not [f for f in report.findings if f.level == "error"]
    keys = [f.key for f in report.findings if f.code == "unused"]
    assert len(keys) == len(set(keys)) >= 4900
    # ~100x the entries: a quadratic check would take 10,000x; allow far less.
    assert seconds < max(60.0, 400 * small_seconds), (seconds, small_seconds)
