"""The tool half of the API boundary: ``proefdruk.api`` is complete, and the tool never
reaches into a study.

``proefdruk`` is installed from a wheel that holds ``proefdruk/`` alone; an import of
``analysis`` (or of anything else that sits next to it in this repository) would work here
and fail for every other candidate. And ``proefdruk.api`` is a promise: each name in its
``__all__`` must exist, be the tool's own object (re-exported, not a copy that could drift)
and say what it is for. (The study half, tests/test_study_api_boundary.py, checks that the
study imports nothing else.)
"""

from __future__ import annotations

import fnmatch
import inspect
import tomllib
from pathlib import Path

import pytest
from import_scan import Import, imports_in_file, imports_in_source, is_in

import proefdruk.api as api
from conftest import ROOT
from proefdruk.codedeps import code_files

TOOL = "proefdruk"


def wheel_packages(root: Path = ROOT) -> list[str]:
    """The package patterns the wheel holds (pyproject.toml)."""
    with open(root / "pyproject.toml", "rb") as fh:
        project = tomllib.load(fh)
    return project["tool"]["setuptools"]["packages"]["find"]["include"]


def outside_names(root: Path = ROOT) -> set[str]:
    """Top-level names the repository could import besides what the wheel ships: its
    other folders and modules (``analysis``, ``data``, ``tests``, ``tools``, ...)."""
    names = {p.stem if p.suffix == ".py" else p.name for p in root.iterdir()
             if (p.is_dir() or p.suffix == ".py") and not p.name.startswith((".", "_"))}
    return {n for n in names
            if not any(fnmatch.fnmatch(n, pattern) for pattern in wheel_packages(root))}


def study_imports(imports: list[Import], outside: set[str]) -> list[Import]:
    """The imports that reach a top-level package of the repository other than the tool."""
    return [i for i in imports if any(name.split(".")[0] in outside for name in i.names)]


def test_the_study_side_of_the_repository_is_known() -> None:
    outside = outside_names()
    assert {"analysis", "data", "tests", "tools"} <= outside
    assert TOOL not in outside and "snakemake_logger_plugin_proefdruk" not in outside


def test_proefdruk_imports_nothing_of_the_study() -> None:
    outside = outside_names()
    # proefdruk/template/ is the starter study `proefdruk new` copies (data the tool ships,
    # never imported): its own analysis/ is the starter's (tests/test_new.py checks that
    # it uses the tool through proefdruk.api only).
    template = ROOT / "proefdruk" / "template"
    modules = sorted(p for pattern in wheel_packages() for top in ROOT.glob(pattern)
                     if top.is_dir() for p in top.rglob("*.py") if not p.is_relative_to(template))
    assert len(modules) > 50 and ROOT / "proefdruk" / "api.py" in modules
    found = [i for p in modules for i in study_imports(imports_in_file(p, ROOT), outside)]
    assert not found, ("the tool imports code that is not part of its wheel (an installed "
                       "proefdruk has no such module):\n" + "\n".join(f"  {i}" for i in found))


@pytest.mark.parametrize("line", ["import analysis.tables",
                                  "from analysis.codebook import Codebook",
                                  "from data import generate_survey",
                                  "def f():\n    import importlib\n"
                                  "    return importlib.import_module('analysis.claims')"])
def test_a_study_import_in_the_tool_is_named(line: str) -> None:
    source = f"from proefdruk.errors import BuildError\nimport pandas\n{line}\n"
    found = study_imports(imports_in_source(source, "proefdruk/example.py", ["proefdruk"]),
                          outside_names())
    assert len(found) == 1 and found[0].line >= 3 and found[0].file == "proefdruk/example.py"


def test_a_relative_import_in_the_tool_stays_in_the_tool() -> None:
    source = "from . import numbers\nfrom ..errors import BuildError\n"
    found = imports_in_source(source, "proefdruk/render/x.py", ["proefdruk", "render"])
    assert [i.names for i in found] == [("proefdruk.render.numbers",),
                                        ("proefdruk.errors.BuildError",)]
    assert study_imports(found, outside_names()) == []


def test_every_public_name_exists_and_says_what_it_is_for() -> None:
    missing = [name for name in api.__all__ if not hasattr(api, name)]
    assert not missing, f"proefdruk.api.__all__ names what the module lacks: {missing}"
    undocumented = [name for name in api.__all__
                    if not (getattr(api, name).__doc__ or "").strip()]
    assert not undocumented, f"public names without a docstring: {undocumented}"
    assert len(set(api.__all__)) == len(api.__all__), "a name is listed twice"
    assert (api.__doc__ or "").strip()


def test_public_names_are_the_tools_own_objects() -> None:
    """Re-exported, never copied: a copy would drift from what the tool itself uses."""
    copied = [name for name in api.__all__
              if getattr(getattr(api, name), "__module__", None) == api.__name__]
    assert not copied, f"defined in proefdruk.api instead of re-exported: {copied}"


def test_nothing_public_is_left_out_of_all() -> None:
    """What ``from proefdruk.api import x`` finds is what ``__all__`` promises."""
    extra = [name for name, value in vars(api).items()
             if not name.startswith("_") and name not in api.__all__
             and name != "annotations" and not inspect.ismodule(value)]
    assert not extra, f"public in proefdruk.api but not in __all__: {extra}"


def test_what_the_study_uses_is_public() -> None:
    """The names study code used before it went through the api are all still there."""
    used = {"NumberSet", "step_record", "write_step_record", "make_record", "write_record",
            "dump_json", "run", "snakemake_or_cli", "BuildError", "BuildErrors",
            "safe_csv_text", "restore", "escape_markdown", "atomic_write_text",
            "atomic_write_bytes", "format_number", "format_percent"}
    assert used <= set(api.__all__)


@pytest.mark.parametrize("name", api.__all__)
def test_a_script_importing_a_name_depends_on_the_code_behind_it(tmp_path: Path,
                                                                name: str) -> None:
    """Rule code inputs are derived from imports (proefdruk/rule_code.py): a script that
    imports a name from the api must get the module that defines it as a code input, so
    an edit there re-runs the rule."""
    script = tmp_path / "step.py"
    script.write_text(f"from proefdruk.api import {name}\n", encoding="utf-8")
    defining = inspect.getsourcefile(getattr(api, name))
    assert defining is not None
    files = code_files(script, root=ROOT)
    assert "proefdruk/api.py" in files
    assert Path(defining).resolve().relative_to(ROOT).as_posix() in files
    assert all(is_in(f.removesuffix(".py").replace("/", "."), TOOL) for f in files)
