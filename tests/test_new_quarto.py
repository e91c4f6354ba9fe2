"""Real Quarto (1.9+) reads a new starter as it is: the static checks of
tests/test_quarto_compat.py (Quarto's own option schemas, vendored in
tests/data/quarto-1.9/), applied to what `proefdruk new` writes in each language.

Quarto cannot be installed here, so this checks keys, formats, the extension manifest,
shortcodes, cross-references and the includes both renderers read; that real Quarto
prints the same numbers, claims and notices rests on the extension's Lua filters, which
tests/test_render_lua.py and test_claims_render.py run under pandoc.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
import yaml

from proefdruk import new
from proefdruk.render.core.project import NOTICES_INCLUDE, PROVENANCE_INCLUDE, load_project

SCHEMA = Path(__file__).resolve().parent / "data" / "quarto-1.9"
SHORTCODE_RE = re.compile(r"(?<!\{)\{\{<\s*([\w-]+)")
XREF_RE = re.compile(r"(?<![\w@\[])@([A-Za-z]+)-[\w-]+")


def schema(name: str) -> dict:
    return yaml.safe_load((SCHEMA / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module", params=new.LANGUAGES)
def starter(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
            ) -> tuple[Path, dict]:
    project = new.create(tmp_path_factory.mktemp(request.param) / "t", lang=request.param,
                         title='A "title": with # marks', author="A. Author")
    return project, yaml.safe_load((project / "_quarto.yml").read_text(encoding="utf-8"))


def chapter_files(data: dict) -> list[str]:
    files: list[str] = []
    for item in [*data["book"]["chapters"], *data["book"].get("appendices", [])]:
        files += [item] if isinstance(item, str) else item.get("chapters", [])
    return files


def test_keys_are_quartos(starter: tuple[Path, dict]) -> None:
    _, data = starter
    options = schema("options.yml")
    known = set(options["top-level"])
    for key in set(data) - known:
        assert not difflib.get_close_matches(key, known, n=1, cutoff=0.8), key
    assert set(data["book"]) <= set(options["book"])
    assert set(data.get("crossref", {})) <= set(schema("crossref.yml")["keys"])


def test_formats_come_from_the_copied_extension(starter: tuple[Path, dict]) -> None:
    project, data = starter
    options = schema("options.yml")
    manifest = yaml.safe_load((project / "_extensions/proefdruk/_extension.yml")
                              .read_text(encoding="utf-8"))
    assert set(manifest) <= set(schema("extension.yml")["keys"]) | {"contributes"}
    required = re.fullmatch(r">=\s*(\d+)\.(\d+)(?:\.\d+)?", manifest["quarto-required"])
    assert required and (int(required[1]), int(required[2])) >= (1, 9)
    for name, opts in data["format"].items():
        base = name
        if name not in options["base-formats"]:
            ext, _, base = name.rpartition("-")
            assert ext == "proefdruk" and base in manifest["contributes"]["formats"], name
        for key in opts or {}:
            allowed = options["format-options"].get(key)
            assert allowed == "all" or base in (allowed or []), (name, key)
    assert {n: o.get("default-image-extension") for n, o in data["format"].items()} == {
        "proefdruk-html": "svg", "proefdruk-typst": "svg", "docx": "png"}
    assert data["filters"] == ["proefdruk"]


def test_chapters_use_only_quartos_shortcodes_and_crossrefs(starter: tuple[Path, dict]
                                                            ) -> None:
    project, data = starter
    manifest = yaml.safe_load((project / "_extensions/proefdruk/_extension.yml")
                              .read_text(encoding="utf-8"))
    known = set(schema("options.yml")["shortcodes"]) | {
        Path(f).stem for f in manifest["contributes"].get("shortcodes", [])}
    files = chapter_files(data)
    assert len(files) >= 4 and all((project / f).is_file() for f in files)
    for rel in files:
        text = (project / rel).read_text(encoding="utf-8")
        assert set(SHORTCODE_RE.findall(text)) <= known, rel
        assert {p.lower() for p in XREF_RE.findall(text)} <= {"fig", "tbl", "sec"}, rel


def test_what_the_built_in_renderer_adds_is_in_the_sources(starter: tuple[Path, dict]
                                                           ) -> None:
    project, data = starter
    assert f"{{{{< include {NOTICES_INCLUDE} >}}}}" in (project / "index.qmd").read_text(
        encoding="utf-8")
    appendix = data["proefdruk"]["provenance"]
    # the appendix the tool's plan takes (proefdruk: provenance:), in the book's language
    assert load_project(project).provenance_id == Path(appendix).stem
    assert appendix in data["book"]["appendices"]
    assert f"{{{{< include ../{PROVENANCE_INCLUDE} >}}}}" in (project / appendix).read_text(
        encoding="utf-8")
