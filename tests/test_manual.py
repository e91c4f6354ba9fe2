"""The tool's manual (docs/manual/): its generated pages are current and complete, its
examples run, and its hand-written pages exist and link to each other.

The API, options and commands pages are written by tools/manual.py from the code; a page
that differs from what the generator writes now is out of date, and the failure says
which command brings it back.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import sys
from pathlib import Path

import pytest
import yaml

import proefdruk.api as api
from conftest import ROOT

spec = importlib.util.spec_from_file_location("manual", ROOT / "tools" / "manual.py")
manual = importlib.util.module_from_spec(spec)
sys.modules["manual"] = manual
spec.loader.exec_module(manual)

MANUAL = ROOT / "docs" / "manual"
HAND_WRITTEN = ("index.md", "getting-started.md", "layout.md")


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return manual.pages()


@pytest.mark.parametrize("name", ["api.md", "options.md", "commands.md"])
def test_a_generated_page_is_current(pages: dict[str, str], name: str) -> None:
    committed = (MANUAL / name).read_text(encoding="utf-8")
    assert committed == pages[name], (
        f"docs/manual/{name} differs from what the code says now: run "
        "`python tools/manual.py` and commit the result")


def test_the_api_page_has_every_public_name(pages: dict[str, str]) -> None:
    headings = set(re.findall(r"^### (\w+)$", pages["api.md"], flags=re.MULTILINE))
    assert headings == set(api.__all__)
    assert "#### NumberSet.claim" in pages["api.md"]
    # signatures as written in the code, defaults included
    assert ("format_number(value: float, decimals: int = 0, thousands: bool = True, "
            "lang: str | None = 'nl') -> str") in pages["api.md"]


def test_every_public_name_needs_an_example() -> None:
    assert set(manual.EXAMPLES) == set(api.__all__)


def _schema_keys(spec: dict, prefix: str = "") -> list[str]:
    keys = []
    for key, sub in (spec.get("properties") or {}).items():
        keys.append(f"{prefix}{key}")
        keys += _schema_keys(sub, f"{prefix}{key}.")
    return keys


def test_the_options_page_has_every_option(pages: dict[str, str]) -> None:
    schema = yaml.safe_load((ROOT / manual.DEFAULT_SCHEMAS[0]).read_text(encoding="utf-8"))
    keys = _schema_keys(schema)
    assert "render.paper" in keys
    missing = [k for k in keys if f"`{k}`" not in pages["options.md"]]
    assert not missing


def test_the_options_page_reads_the_schema_it_is_given(tmp_path: Path) -> None:
    """The tool's and the study's schemas may live apart: the path is an argument."""
    schema = tmp_path / "schema.yaml"
    schema.write_text(yaml.safe_dump({
        "type": "object", "description": "Options of a small book.",
        "properties": {
            "lang": {"description": "The language.", "enum": ["nl", "en"], "default": "en"},
            "pdf": {"type": "object", "description": "The PDF.", "properties": {
                "paper": {"type": "string", "description": "Page size.", "minLength": 1}}}}}),
        encoding="utf-8")
    page = manual.options_page([schema])
    assert "## `lang`\n\nThe language.\n\ntype: one of `nl`, `en`; default: `en`." in page
    assert "### `pdf.paper`\n\nPage size.\n\ntype: string; length at least 1; required." in page
    assert "render.paper" not in page


def test_the_commands_page_has_every_subcommand_with_its_flags(pages: dict[str, str]) -> None:
    names = [name for name, _ in manual.commands()]
    assert {"step", "verify", "archive", "publish", "changes", "feedback", "preview"} <= set(names)
    for name in names:
        assert f"\n## {name}\n\n```text\nusage: proefdruk {name}" in pages["commands.md"], name
    # a module command's own flags (parsed in its module, not in cli.py) are shown
    # and the subcommands of a subcommand (proefdruk verify manifest ...) with theirs
    verify = pages["commands.md"].split("\n## verify\n", 1)[1].split("\n## ", 1)[0]
    assert "\n### verify manifest\n\n```text\nusage: proefdruk verify manifest" in verify
    assert "--rev" in verify


def test_the_help_width_does_not_depend_on_the_terminal(monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    wide = manual.commands_page()
    monkeypatch.delenv("COLUMNS")
    assert wide == manual.commands_page()
    assert "COLUMNS" not in os.environ


def test_a_stale_page_is_named(tmp_path: Path, pages: dict[str, str]) -> None:
    for name, text in pages.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert manual.stale(pages, tmp_path) == []
    (tmp_path / "options.md").write_text("old\n", encoding="utf-8")
    (tmp_path / "api.md").unlink()
    assert sorted(manual.stale(pages, tmp_path)) == ["api.md", "options.md"]


@pytest.mark.parametrize("name", sorted(manual.EXAMPLES))
def test_an_api_example_works(name: str, tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    """An example that runs alone is run (in an empty folder); one that needs a rule's
    ``snakemake`` object is compiled and may use public names only."""
    example = manual.EXAMPLES[name]
    tree = ast.parse(example.code)
    used = {a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
            and node.module == "proefdruk.api" for a in node.names}
    assert used <= set(api.__all__)
    assert name in example.code
    if not example.runs:
        return
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"Path": Path}
    exec("from proefdruk.api import *", namespace)  # noqa: S102 - the page's own preamble
    exec(compile(example.code, f"<example {name}>", "exec"), namespace)  # noqa: S102


def test_the_hand_written_pages_exist_and_link_up() -> None:
    index = (MANUAL / "index.md").read_text(encoding="utf-8")
    for page in (*HAND_WRITTEN[1:], "api.md", "options.md", "commands.md"):
        assert (MANUAL / page).is_file(), page
        assert f"({page})" in index, f"index.md does not link to {page}"
    for page in HAND_WRITTEN:
        text = (MANUAL / page).read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([\w.-]+\.md)(?:#[\w-]+)?\)", text):
            assert (MANUAL / target).is_file(), f"{page} links to missing {target}"
    assert "pip install" in index and ".whl" in index and "git+" in index


def test_the_study_readme_links_to_the_manual() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/manual/index.md" in readme
