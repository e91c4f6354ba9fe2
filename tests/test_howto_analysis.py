"""docs/how-to-add-an-analysis.md as a newcomer follows it: every block applied as it
stands to a fresh clone of the project, the commands it gives run, and the book built
with the three new steps in it (issue 31)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, clone_project

HOWTO = ROOT / "docs" / "how-to-add-an-analysis.md"
_BLOCK = re.compile(r"(?:<!-- howto: (?P<action>write|append|insert|run) ?(?P<path>[^\s]*)"
                    r'(?: before "(?P<anchor>(?:[^"\\]|\\.)*)")? -->\n)?'
                    r"```(?P<lang>[a-z]*)\n(?P<body>.*?)^```", re.S | re.M)


def blocks(text: str) -> list[dict[str, str]]:
    """Every fenced block of the how-to, with the marker before it (if any)."""
    out = []
    for m in _BLOCK.finditer(text):
        anchor = (m["anchor"] or "").replace('\\"', '"')
        out.append({"action": m["action"] or "", "path": m["path"] or "", "anchor": anchor,
                    "lang": m["lang"], "body": m["body"]})
    return out


def apply(root: Path, block: dict[str, str]) -> None:
    """Do what the how-to says with one block: write a file, add to one, or insert into
    one before a line."""
    target = root / block["path"]
    if block["action"] == "write":
        assert not target.exists(), f"{block['path']} exists already: the how-to overwrites it"
        target.write_text(block["body"], encoding="utf-8")
    elif block["action"] == "append":
        target.write_text(target.read_text(encoding="utf-8") + block["body"], encoding="utf-8")
    elif block["action"] == "insert":
        text = target.read_text(encoding="utf-8")
        line = block["anchor"] + "\n"
        assert text.count(line) == 1, f"{block['path']}: the line {block['anchor']!r} is not " \
                                      "there exactly once"
        body = block["body"] if block["lang"] != "markdown" else block["body"] + "\n"
        target.write_text(text.replace(line, body + line), encoding="utf-8")


def command(line: str) -> list[str]:
    """A command line of the how-to as this interpreter runs it."""
    words = shlex.split(line.split("#", 1)[0])
    if words[0] == "snakemake":
        return [sys.executable, "-m", "snakemake", *words[1:]]
    assert words[0] == "python", line
    return [sys.executable, *words[1:]]


def test_every_code_block_is_applied_by_the_test_and_its_places_exist() -> None:
    """No block of code is only for reading: each Python block and chapter snippet has
    a marker, and the files and lines the markers name are in the project now."""
    found = blocks(HOWTO.read_text(encoding="utf-8"))
    code = [b for b in found if b["lang"] in ("python", "markdown")]
    assert len(code) >= 12 and all(b["action"] in ("write", "append", "insert") for b in code)
    assert [b for b in found if b["action"] == "run"], "no command block is run"
    for b in code:
        if b["action"] == "write":
            assert not (ROOT / b["path"]).exists(), b["path"]
        else:
            assert (ROOT / b["path"]).is_file(), b["path"]
        if b["action"] == "insert":
            assert (ROOT / b["path"]).read_text(encoding="utf-8").count(b["anchor"] + "\n") \
                == 1, (b["path"], b["anchor"])
        if b["action"] != "insert" and b["path"].endswith(".py"):
            compile(b["body"], b["path"], "exec")
    # the figures are embedded as the chapters embed them: without an extension
    assert not re.search(r"\]\([^)]*\.svg\)", HOWTO.read_text(encoding="utf-8"))


@pytest.mark.e2e
@pytest.mark.xdist_group("builds")
def test_the_howto_examples_build_into_the_book(tmp_path: Path) -> None:
    work = clone_project(tmp_path / "project")
    found = blocks(HOWTO.read_text(encoding="utf-8"))
    for b in found:
        apply(work, b)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNAKEMAKE")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    for b in (b for b in found if b["action"] == "run"):
        for line in b["body"].splitlines():
            if line.strip():
                result = subprocess.run(command(line), cwd=work, env=env, capture_output=True,
                                        text=True, timeout=1800)
                assert result.returncode == 0, (line, result.stdout[-3000:],
                                                result.stderr[-3000:])
    # the steps wrote what the chapters show; the figure's categories are province names
    figure = (work / "results/figures/nota-provincie.svg").read_text(encoding="utf-8")
    assert "Groningen" in figure and "Zeeland" in figure
    figure = (work / "results/figures/partnerschappen-provincie.svg").read_text(encoding="utf-8")
    assert "Limburg" in figure
    import json

    numbers = json.loads((work / "results/numbers.json").read_text(encoding="utf-8"))
    chapter = (work / "_book/chapters/04-ontwikkeling.html").read_text(encoding="utf-8")
    for key in ("notaprovincie.hoogste", "notaprovincie.hoogste_aandeel", "provincies.meeste",
                "provincies.aandeel_meeste"):
        assert f'data-key="{key}"' in chapter and numbers[key]["display"] in chapter, key
    for anchor in ("tbl-nota-provincie", "fig-nota-provincie", "tbl-provincie",
                   "fig-provincie"):
        assert f'id="{anchor}"' in chapter, anchor
    appendix = (work / "_book/chapters/bijlage-data.html").read_text(encoding="utf-8")
    assert 'id="tbl-grootteklassen"' in appendix
    assert f">{numbers['grootteklassen.groot']['display']}<" in appendix
    # the outputs pages list the new steps with their files and keys
    survey = (work / "docs/outputs-survey.md").read_text(encoding="utf-8")
    assert "## Beleidsnota per provincie (`survey_note_province`)" in survey
    assert "`results/figures/nota-provincie.svg`" in survey and "`notaprovincie.hoogste`" in survey
    documents = (work / "docs/outputs-documents.md").read_text(encoding="utf-8")
    assert "(`documents_province`)" in documents and "(`register_size_classes`)" in documents
    assert "`grootteklassen.groot`" in documents
