"""The remembered import facts (proefdruk/parse_memo.py) never change what is derived.

A project on disk with a Snakefile and a few modules; the facts are derived in fresh
Python processes (the memo lives per process, the file across them), so each case
compares what a process that parsed everything finds with what one that read the file
finds.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

DERIVE = """
import json, sys
sys.path.insert(0, {root!r})
from proefdruk.codedeps import code_files
print(json.dumps(code_files("pkg.main", root=".")))
"""


def derive(project: Path) -> list[str]:
    out = subprocess.run([sys.executable, "-c", DERIVE.format(root=str(ROOT))], cwd=project,
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def make_project(root: Path) -> Path:
    (root / "pkg").mkdir(parents=True)
    (root / "Snakefile").write_text("# a project\n", encoding="utf-8")
    (root / "pkg" / "__init__.py").write_text("", encoding="utf-8")
    (root / "pkg" / "main.py").write_text("from pkg import helper\n", encoding="utf-8")
    (root / "pkg" / "helper.py").write_text("X = 1\n", encoding="utf-8")
    (root / "pkg" / "other.py").write_text("Y = 2\n", encoding="utf-8")
    return root


def test_remembered_facts_give_what_a_fresh_parse_gives(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    cache = project / ".proefdruk-cache" / "parsed-imports.json"
    first = derive(project)  # parses, and leaves the file behind
    assert first == ["pkg/__init__.py", "pkg/helper.py", "pkg/main.py"]
    assert cache.is_file()
    assert derive(project) == first  # from the file
    # An edit: the remembered facts of the old text are not used for the new one.
    (project / "pkg" / "main.py").write_text("from pkg import other\n", encoding="utf-8")
    assert derive(project) == ["pkg/__init__.py", "pkg/main.py", "pkg/other.py"]
    # The same text again (a restore): the newest entry is that text's.
    (project / "pkg" / "main.py").write_text("from pkg import helper\n", encoding="utf-8")
    assert derive(project) == first
    entry = json.loads(cache.read_text(encoding="utf-8"))["modules"]["pkg/main.py"]
    assert entry["module"] == ["pkg", "pkg.helper"]


def test_a_damaged_or_foreign_cache_file_is_ignored(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    cache = project / ".proefdruk-cache" / "parsed-imports.json"
    cache.parent.mkdir()
    cache.write_text("{not json", encoding="utf-8")
    assert derive(project) == ["pkg/__init__.py", "pkg/helper.py", "pkg/main.py"]
    # A lie under the right digest format but another Python's parser: not used.
    data = json.loads(cache.read_text(encoding="utf-8"))
    data["format"] = "1/2.7"
    data["modules"]["pkg/main.py"]["module"] = ["pkg", "pkg.other"]
    cache.write_text(json.dumps(data), encoding="utf-8")
    assert derive(project) == ["pkg/__init__.py", "pkg/helper.py", "pkg/main.py"]


def test_without_a_snakefile_nothing_is_written(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    (project / "Snakefile").unlink()
    assert derive(project) == ["pkg/__init__.py", "pkg/helper.py", "pkg/main.py"]
    assert not (project / ".proefdruk-cache").exists()


def test_a_hand_edited_entry_under_its_module_digest_is_not_believed(tmp_path: Path) -> None:
    """Issue #27: an entry whose module digest still matches but whose imports were
    changed (by hand, or by damage) was believed; each entry's checksum now catches it."""
    project = make_project(tmp_path / "p")
    cache = project / ".proefdruk-cache" / "parsed-imports.json"
    first = derive(project)
    data = json.loads(cache.read_text(encoding="utf-8"))
    entry = data["modules"]["pkg/main.py"]
    entry["module"] = entry["all"] = ["pkg", "pkg.other"]
    cache.write_text(json.dumps(data), encoding="utf-8")
    assert derive(project) == first
