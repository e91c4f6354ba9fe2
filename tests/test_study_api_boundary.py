"""The study half of the API boundary: study code uses ``proefdruk`` through ``proefdruk.api``.

The tool is free to move, split and rename its modules; only the names in
``proefdruk.api.__all__`` are promised. Study code that imported ``proefdruk.numbers`` or
``proefdruk.provenance`` directly would break on the next such change, far from the change
that broke it. So every import of the study's Python code (``analysis/``, the data
generators ``data/*.py``) is read here, and any ``proefdruk`` import other than
``proefdruk.api`` fails with file, line and statement; the study's Snakefile and rule
files may use ``proefdruk.build`` besides (setup and the tool's rules). (The tool's half,
tests/test_api_boundary.py, checks that ``proefdruk`` never imports the study.)
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from import_scan import Import, imports_in_file, imports_in_snakefile, imports_in_source, is_in

from conftest import ROOT

PUBLIC = "proefdruk.api"
# What a Snakefile may use besides: the tool's Snakemake glue (setup, tool_rules).
SNAKEFILE_PUBLIC = (PUBLIC, "proefdruk.build")


def study_python_files(root: Path = ROOT) -> list[Path]:
    """The study's Python code: the analysis package and the data generators."""
    return sorted([*(root / "analysis").rglob("*.py"), *(root / "data").glob("*.py")])


def study_rule_files(root: Path = ROOT) -> list[Path]:
    """The study's Snakefile and its own rule files (the tool's live in the package)."""
    return [root / "Snakefile", *sorted((root / "workflow" / "rules").glob("*.smk"))]


def _public(name: str, module: str) -> bool:
    """``name`` is ``module`` itself or a name its ``__all__`` promises."""
    if name == module:
        return True
    if not is_in(name, module):
        return False
    promised = getattr(importlib.import_module(module), "__all__", ())
    return name[len(module) + 1:].split(".")[0] in promised


def private_imports(imports: list[Import], allowed: tuple[str, ...] = (PUBLIC,)) -> list[Import]:
    """The imports of ``proefdruk`` that go past its public modules and their ``__all__``
    (``from proefdruk.api import _helper`` reaches past the promise too)."""
    return [i for i in imports if any(is_in(name, "proefdruk")
                                      and not any(_public(name, ok) for ok in allowed)
                                      for name in i.names)]


def report(found: list[Import]) -> str:
    return ("study code imports private parts of proefdruk (import them from "
            f"{PUBLIC} instead, or ask for the name to be added to its __all__):\n"
            + "\n".join(f"  {i}" for i in found))


def test_the_study_code_is_found() -> None:
    """A boundary test over no files would pass forever: the study's code is there."""
    files = {p.relative_to(ROOT).as_posix() for p in study_python_files()}
    assert {"analysis/__init__.py", "analysis/scripts/survey_response.py",
            "data/generate_survey.py"} <= files
    rules = {p.name for p in study_rule_files()}
    assert {"Snakefile", "survey.smk", "documents.smk", "register.smk", "claims.smk"} <= rules


def test_study_python_code_imports_proefdruk_api_only() -> None:
    found = [i for p in study_python_files() for i in private_imports(imports_in_file(p, ROOT))]
    assert not found, report(found)


def test_study_rule_files_import_public_modules_only() -> None:
    found = [i for p in study_rule_files()
             for i in private_imports(imports_in_snakefile(p, ROOT), SNAKEFILE_PUBLIC)]
    assert not found, report(found)
    snakefile = imports_in_snakefile(ROOT / "Snakefile", ROOT)
    assert any(is_in(n, "proefdruk.build") for i in snakefile for n in i.names)


def python_examples(root: Path = ROOT) -> list[tuple[Path, int, str]]:
    """The ```python blocks of the documentation: (file, first line, code)."""
    found = []
    for page in sorted([*(root / "docs").glob("*.md"), *(root / "docs").glob("manual/*.md")]):
        lines = page.read_text(encoding="utf-8").split("\n")
        start = None
        for number, line in enumerate(lines, 1):
            if start is None and line.strip() == "```python":
                start = number + 1
            elif start is not None and line.strip() == "```":
                found.append((page, start, "\n".join(lines[start - 1:number - 1])))
                start = None
    return found


def test_documented_examples_import_public_modules_only() -> None:
    """An author copies the examples of the docs: they must pass the test above."""
    examples = python_examples()
    assert any(p.name == "how-to-add-an-analysis.md" for p, _, _ in examples)
    found = []
    for page, start, code in examples:
        try:
            imports = imports_in_source(code, page.relative_to(ROOT).as_posix(),
                                        first_line=start)
        except SyntaxError:  # a Snakefile example: its import lines are Python
            imports = [i for line_no, line in enumerate(code.split("\n"), start)
                       if line.startswith(("from ", "import "))
                       for i in imports_in_source(line, page.relative_to(ROOT).as_posix(),
                                                  first_line=line_no)]
        found += private_imports(imports, SNAKEFILE_PUBLIC)
    assert not found, report(found)


def test_the_study_uses_the_public_api() -> None:
    """The study does use the tool (the check above is not vacuous), and through the api."""
    users = {i.file for p in study_python_files() for i in imports_in_file(p, ROOT)
             if any(is_in(name, PUBLIC) for name in i.names)}
    assert "analysis/scripts/survey_response.py" in users and len(users) >= 10


@pytest.mark.parametrize("line", [
    "from proefdruk.numbers import NumberSet",
    "import proefdruk.provenance",
    "import proefdruk.api, proefdruk.files",
    "from proefdruk import numbers",
    "import importlib\nimportlib.import_module('proefdruk.dutch')",
    "def later():\n    from proefdruk.scripting import run",
    "from proefdruk.api import annotations",
    "from proefdruk.api import NumberSet, _secret",
])
def test_a_private_import_is_named_with_its_file_and_line(line: str) -> None:
    """Each way of reaching past the api is caught, and the failure says where."""
    source = f'"""A study module."""\nfrom proefdruk.api import run\n{line}\n'
    found = private_imports(imports_in_source(source, "analysis/example.py"))
    assert found, line
    message = report(found)
    assert "analysis/example.py:" in message and found[0].line >= 3
    assert found[0].text in message


def test_the_api_itself_and_other_packages_pass() -> None:
    source = ("from proefdruk.api import NumberSet, run\nimport proefdruk.api\n"
              "from proefdruk import api\nimport pandas\n"
              "from analysis.tables import write_table\n")
    assert private_imports(imports_in_source(source, "analysis/example.py")) == []


def test_a_rule_file_import_is_read_across_lines(tmp_path: Path) -> None:
    rules = tmp_path / "workflow" / "rules"
    rules.mkdir(parents=True)
    (rules / "study.smk").write_text(
        'rule a:\n    output: "x"\n    shell: "touch {output}"\n\n'
        "from proefdruk.build import setup, tool_rules\n"
        "from proefdruk.numbers import (\n    NumberSet,\n)\n", encoding="utf-8")
    found = private_imports(imports_in_snakefile(rules / "study.smk", tmp_path),
                            SNAKEFILE_PUBLIC)
    assert [(i.file, i.line, i.names) for i in found] == [
        ("workflow/rules/study.smk", 6, ("proefdruk.numbers.NumberSet",))]
