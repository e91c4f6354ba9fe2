"""Imported project modules are found, so a rule can declare them and never go stale."""

from __future__ import annotations

from pathlib import Path

from proefdruk.codedeps import local_imports


def write(root: Path, rel: str, text: str) -> None:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_text(text, encoding="utf-8")


def test_transitive_project_imports_only(tmp_path: Path) -> None:
    write(tmp_path, "study/__init__.py", "")
    write(tmp_path, "study/stats.py", "import math\nfrom study import style\n")
    write(tmp_path, "study/style.py", "import matplotlib\n")
    write(tmp_path, "study/unused.py", "")
    write(tmp_path, "study/scripts/run.py",
          "import json\nfrom study.stats import chi2\nimport numpy as np\n")
    assert local_imports("study/scripts/run.py", root=tmp_path) == [
        "study/__init__.py", "study/stats.py", "study/style.py"]


def test_packages_limit_the_search(tmp_path: Path) -> None:
    write(tmp_path, "study/__init__.py", "")
    write(tmp_path, "tool/__init__.py", "")
    write(tmp_path, "tool/fmt.py", "")
    write(tmp_path, "run.py", "import study\nfrom tool import fmt\n")
    assert local_imports("run.py", root=tmp_path, packages=("study",)) == ["study/__init__.py"]
    assert local_imports("run.py", root=tmp_path) == [
        "study/__init__.py", "tool/__init__.py", "tool/fmt.py"]


def test_the_real_scripts_reach_their_modules() -> None:
    root = Path(__file__).resolve().parent.parent
    scripts = sorted((root / "analysis" / "scripts").glob("*.py"))
    if not scripts:
        return
    found = local_imports(*scripts, root=root, packages=("analysis",))
    assert "analysis/__init__.py" in found
    assert all((root / f).is_file() for f in found)
