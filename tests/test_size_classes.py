"""Size classes say what they know: below the coverage threshold no comparison is printed.

Three layers: the decision itself (analysis/register_sources.py) at both sides of a
threshold set in the test; the chapter sources, parsed by real pandoc, where every
size-class table, figure, test statistic and finding must sit in the ``true`` branch of
the claim ``register.grootteklassen_vergelijkbaar``; and (slow) a build with the threshold
lowered in the study config, whose book shows the comparisons the default build withholds.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.register import load_register  # noqa: E402
from analysis.register_sources import size_classes_comparable  # noqa: E402
from proefdruk.errors import BuildError  # noqa: E402
from proefdruk.render.core import pandocast as pa  # noqa: E402

KEY = "register.grootteklassen_vergelijkbaar"
COMMAND = "python data/fetch_cbs.py"
# What only a size-class comparison prints: its tables and figure, its test statistics,
# the response per class, and the findings decided over the classes.
SENSITIVE = re.compile(r"grootteklasse\.md|respons-grootteklasse|_grootte_(toets|v)\b|"
                       r"respons\.(toets_grootte|grootte\.)")
SENSITIVE_CLAIMS = ("bevindingen.motief_grootte_samenhang",
                    "bevindingen.partner_grootte_samenhang")
CHAPTERS = sorted((ROOT / "chapters").glob("*.qmd"))


def _register(tmp_path: Path, filled: int, total: int = 10) -> pd.DataFrame:
    rows = ["gemeentecode,gemeentenaam,provincie,inwoners_2024,inwoners_bron"]
    for i in range(total):
        pop, src = ("12345", "https://example.org/test (testgegevens 2024)") if i < filled \
            else ("", "")
        rows.append(f"GM{i + 1:04d},Gemeente {i},Drenthe,{pop},{src}")
    path = tmp_path / "gemeenten.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return load_register(path)


@pytest.mark.parametrize(("filled", "threshold", "expected"), [
    (8, 0.9, False), (9, 0.9, True), (10, 0.9, True), (1, 0.1, True), (0, 0.1, False),
    (0, 0.0, True),
])
def test_the_decision_at_both_sides_of_the_threshold(tmp_path, filled, threshold, expected):
    comparable, n_filled, n = size_classes_comparable(_register(tmp_path, filled), threshold)
    assert (comparable, n_filled, n) == (expected, filled, 10)


def test_the_study_register_is_below_the_default_threshold():
    register = load_register(ROOT / "data/raw/gemeenten-2024.csv")
    assert size_classes_comparable(register, 0.9)[0] is False
    assert size_classes_comparable(register, 0.05)[0] is True


@pytest.mark.parametrize("bad", [-0.1, 1.5])
def test_a_threshold_out_of_range_is_refused(tmp_path, bad):
    with pytest.raises(BuildError, match="survey.size_classes_min_coverage"):
        size_classes_comparable(_register(tmp_path, 5), bad)


def _ast(qmd: Path) -> dict:
    proc = pa.run(["-f", "markdown", "-t", "json"], qmd.read_text(encoding="utf-8"), cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _attr(node: dict) -> tuple[list[str], dict[str, str]] | None:
    if node.get("t") in ("Div", "Span"):
        attr = node["c"][0]
        return attr[1], dict(attr[2])
    return None


def _exposed(node: object, guarded: bool, found: list[str], waiting: list[str]) -> None:
    """Collect sensitive text outside the true branch; the text of each false branch."""
    if isinstance(node, list):
        for child in node:
            _exposed(child, guarded, found, waiting)
        return
    if not isinstance(node, dict):
        return
    attr = _attr(node)
    if attr and "claim" in attr[0] and attr[1].get("key") == KEY:
        for branch in node["c"][1]:
            when = (_attr(branch) or ([], {}))[1].get("when", "")
            if when == "true":
                _exposed(branch["c"][1], True, found, waiting)
            else:
                waiting.append(pa.stringify(branch["c"][1]) if branch.get("t") == "Span"
                               else json.dumps(branch["c"][1], ensure_ascii=False))
        return
    if attr and "claim" in attr[0] and attr[1].get("key") in SENSITIVE_CLAIMS and not guarded:
        found.append(attr[1]["key"])
    if not guarded:
        if node.get("t") == "Str" and SENSITIVE.search(node["c"]):
            found.append(node["c"])
        if node.get("t") == "Image" and SENSITIVE.search(node["c"][2][0]):
            found.append(node["c"][2][0])
    for value in node.values():
        _exposed(value, guarded, found, waiting)


@pytest.mark.parametrize("qmd", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_no_size_class_comparison_outside_the_claim(qmd):
    found: list[str] = []
    waiting: list[str] = []
    _exposed(_ast(qmd)["blocks"], False, found, waiting)
    assert not found, f"{qmd.name}: size-class output not bound to {KEY}: {found}"
    for text in waiting:  # every withheld comparison says it waits, and mostly how long
        assert "inwonertal" in text or "grootteklasse" in text, text


def test_the_waiting_text_names_the_command():
    """The author (and the reader) learn which command fills the figures."""
    chapters_with_guard = [q for q in CHAPTERS if KEY in q.read_text(encoding="utf-8")]
    assert {q.stem for q in chapters_with_guard} >= {
        "02-methodologie", "04-ontwikkeling", "05-motieven", "07-samenspel", "10-conclusie",
        "bijlage-data"}
    for qmd in chapters_with_guard:
        waiting: list[str] = []
        ast = _ast(qmd)
        _exposed(ast["blocks"], False, [], waiting)
        if qmd.stem == "bijlage-data":  # the appendix explains the command right after
            assert COMMAND in json.dumps(ast, ensure_ascii=False)
            continue
        assert any(COMMAND in w for w in waiting), qmd.name


# --------------------------------------------------------------------- both states, built

@pytest.mark.e2e
@pytest.mark.slow
def test_both_states_in_the_built_book(clean_build: Path, tmp_path: Path) -> None:
    from conftest import run_snakemake

    def chapter(project: Path, name: str) -> str:
        return (project / f"_book/chapters/{name}.html").read_text(encoding="utf-8")

    # default threshold: the study's register is too sparse, the book says it waits
    claims = json.loads((clean_build / "results/claims.json").read_text(encoding="utf-8"))
    assert claims[KEY]["outcome"] == "false"
    text = chapter(clean_build, "05-motieven")
    assert COMMAND in text and "Motieven naar grootteklasse" not in text

    # threshold dropped in the study config: the same sources compare the size classes
    project = Path(shutil.copytree(clean_build, tmp_path / "project", symlinks=True))
    (project / "config/config.yaml").write_text(
        "survey:\n  size_classes_min_coverage: 0.05\n", encoding="utf-8")
    result = run_snakemake(project, "all")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    claims = json.loads((project / "results/claims.json").read_text(encoding="utf-8"))
    assert claims[KEY]["outcome"] == "true"
    text = chapter(project, "05-motieven")
    assert "Motieven naar grootteklasse" in text and "n\u00a0=\u00a0" in text
    assert COMMAND not in text
    assert "respons-grootteklasse" in chapter(project, "02-methodologie")
