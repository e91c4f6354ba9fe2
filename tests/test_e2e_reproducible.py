"""Two clean builds in different directories give byte-identical outputs.

No timestamps, absolute paths, random ids or unordered iteration may reach any file under
results/ or _book/. The second build runs in a directory with another absolute path, so
an embedded path shows up as a difference.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import clone_project, run_snakemake
from proefdruk.verify import compare_trees, scan_outputs

pytestmark = pytest.mark.e2e


def test_a_second_clean_build_is_byte_identical(
    clean_build: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    other = clone_project(tmp_path_factory.mktemp("second-build-elsewhere") / "p")
    result = run_snakemake(other, "all")
    assert result.returncode == 0, result.stderr[-4000:]
    rows = compare_trees(clean_build, other)
    assert len(rows) > 150, "too few outputs compared"
    differing = [(r.item, r.status) for r in rows if r.status != "match"]
    assert differing == [], differing[:20]


def test_no_output_embeds_a_path_or_todays_date(clean_build: Path) -> None:
    findings = scan_outputs(clean_build)
    assert findings == [], findings[:20]
