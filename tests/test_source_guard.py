"""Sources are read-only during a build (issue 20, finding 6): a rule script or a cell
that writes into data/raw/, chapters/ or any tracked file stops with that file, before a
byte is written."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from proefdruk.errors import BuildError
from proefdruk.render.cells.execute import run_cells

ROOT = Path(__file__).resolve().parent.parent
CELLS = Path(__file__).parent / "fixtures" / "cells" / "project"


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=t@example.org", "-c", "user.name=t", *args],
                   cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def study(tmp_path: Path) -> Path:
    """A small checkout: raw data, a chapter, a tracked config file, a results folder."""
    root = tmp_path / "study"
    (root / "data" / "raw").mkdir(parents=True)
    (root / "data" / "raw" / "export.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (root / "chapters").mkdir()
    (root / "chapters" / "01.qmd").write_text("# Een\n", encoding="utf-8")
    (root / "config").mkdir()
    (root / "config" / "config.yaml").write_text("x: 1\n", encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "study")
    return root


SCRIPT = textwrap.dedent("""\
    from pathlib import Path
    from types import SimpleNamespace
    from proefdruk.scripting import run

    smk = SimpleNamespace(rule="stap", log=[])  # what run() reads of Snakemake's object

    def main():
        Path("results").mkdir(exist_ok=True)
        Path("results/uit.csv").write_text("ok\\n")          # an output: fine
        Path("data/raw/export.csv").read_text()             # reading a source: fine
        {action}

    run(main, smk)
    """)


@pytest.mark.parametrize(("action", "victim"), [
    ('open("data/raw/export.csv", "a").write("3,4\\n")', "data/raw/export.csv"),
    ('Path("data/raw/nieuw.csv").write_text("x")', "data/raw/nieuw.csv"),
    ('Path("chapters/01.qmd").write_text("# Anders\\n")', "chapters/01.qmd"),
    ('Path("config/config.yaml").unlink()', "config/config.yaml"),
    ('import pandas; pandas.DataFrame({"a": [1]}).to_csv("data/raw/export.csv")',
     "data/raw/export.csv"),
    ('import os; os.replace("results/uit.csv", "chapters/02.qmd")', "chapters/02.qmd"),
])
def test_a_rule_script_that_writes_a_source_stops_naming_it(study: Path, action: str,
                                                            victim: str) -> None:
    before = {p: p.read_bytes() for p in study.rglob("*")
              if p.is_file() and ".git" not in p.parts}
    script = study / "stap.py"
    script.write_text(SCRIPT.format(action=action), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, str(script)], cwd=study, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "error: rule stap tried to" in done.stderr
    assert f"where:    {victim}" in done.stderr
    assert "Traceback" not in done.stderr
    for path, data in before.items():
        assert path.read_bytes() == data, f"{path} was changed"
    assert not (study / "data/raw/nieuw.csv").exists()
    assert not (study / "chapters/02.qmd").exists()
    assert (study / "results/uit.csv").read_text() == "ok\n"


def test_a_cell_that_writes_raw_data_stops_the_chapter(tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(CELLS, root)
    (root / "data" / "raw").mkdir()
    raw = root / "data" / "raw" / "antwoorden.csv"
    raw.write_text("a\n1\n", encoding="utf-8")
    chapter = root / "chapters" / "schrijft.qmd"
    chapter.write_text(textwrap.dedent("""\
        # Schrijft

        ```{python}
        with open("data/raw/antwoorden.csv", "a") as fh:
            fh.write("2\\n")
        ```
        """), encoding="utf-8")
    with pytest.raises(BuildError) as err:
        run_cells(chapter.read_text(encoding="utf-8"), chapter, root=root,
                  cache_dir=root / ".cache")
    text = str(err.value)
    assert "may not write the source file" in text and "antwoorden.csv" in text
    assert err.value.file == "chapters/schrijft.qmd"
    assert raw.read_text(encoding="utf-8") == "a\n1\n"


def test_the_protected_folders_are_where_quarto_yml_puts_the_chapters(tmp_path: Path) -> None:
    """Not a fixed `chapters/`: a book whose chapters live in `hoofdstukken/` (and a part
    page in `delen/`) protects those folders, and never the project root."""
    from proefdruk.source_guard import protected_paths, source_dirs

    (tmp_path / "_quarto.yml").write_text(textwrap.dedent("""\
        project: {type: book}
        book:
          chapters:
            - index.qmd
            - part: delen/een.qmd
              chapters: [hoofdstukken/01-a.qmd]
          appendices: [bijlagen/a.qmd]
        """), encoding="utf-8")
    assert source_dirs(tmp_path) == ["data/raw", "bijlagen", "delen", "hoofdstukken"]
    folders, _ = protected_paths(tmp_path)
    assert os.path.join(str(tmp_path.resolve() / "hoofdstukken"), "") in folders
    assert not any(f.rstrip(os.sep) == str(tmp_path.resolve()) for f in folders)
    (tmp_path / "_quarto.yml").write_text("book: [unclosed\n", encoding="utf-8")
    assert source_dirs(tmp_path) == ["data/raw", "chapters"]
