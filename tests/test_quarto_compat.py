"""Real Quarto (1.9+) reads the same sources: a static check that runs without Quarto.

Quarto cannot be installed here, so the contract is guarded against Quarto's own option
schemas, vendored as test data in tests/data/quarto-1.9/ (see its README): the keys of
_quarto.yml, the formats and their options, the extension manifest, the shortcodes and
callouts the chapters use. And what the built-in renderer adds to an edition must be in
the sources, so that Quarto shows it too: the notices, the provenance appendix, the
structure of the PDF; what still differs is listed in README's "Using real Quarto".
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
import yaml

from proefdruk.render.core.project import NOTICES_INCLUDE, PROVENANCE_ID, PROVENANCE_INCLUDE

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "tests" / "data" / "quarto-1.9"
SHORTCODE_RE = re.compile(r"(?<!\{)\{\{<\s*([\w-]+)")
CALLOUT_RE = re.compile(r"^:::+\s*\{[^}]*\.callout-([\w-]+)", re.M)
XREF_RE = re.compile(r"(?<![\w@])@([A-Za-z]+)-[\w-]+")


def schema(name: str) -> dict:
    return yaml.safe_load((SCHEMA / name).read_text(encoding="utf-8"))


def quarto_yml() -> dict:
    return yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))


def extensions() -> dict[str, dict]:
    return {p.parent.name: yaml.safe_load(p.read_text(encoding="utf-8"))
            for p in sorted((ROOT / "_extensions").glob("*/_extension.yml"))}


def sources() -> list[Path]:
    book = quarto_yml()["book"]
    files: list[str] = []

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, str):
                files.append(item)
            else:
                walk(item.get("chapters", []))

    walk(book["chapters"])
    walk(book.get("appendices", []))
    return [ROOT / f for f in files]


def test_top_level_book_and_crossref_keys_are_quartos() -> None:
    """Quarto passes unknown top-level keys on as metadata (``proefdruk:``, ``thesis:``),
    so only a key that looks like a misspelt Quarto option is an error."""
    data, options = quarto_yml(), schema("options.yml")
    known = set(options["top-level"])
    for key in set(data) - known:
        near = difflib.get_close_matches(key, known, n=1, cutoff=0.8)
        assert not near, f"_quarto.yml: '{key}' looks like a misspelling of '{near[0]}'"
    assert set(data["book"]) - set(options["book"]) == set()
    assert set(data.get("crossref", {})) - set(schema("crossref.yml")["keys"]) == set()
    assert set(data.get("language", {})) - set(schema("language-nl.yml")) == set()


def test_formats_and_their_options_are_documented() -> None:
    options = schema("options.yml")
    exts = extensions()
    for name, opts in quarto_yml()["format"].items():
        base = name
        if name not in options["base-formats"]:
            ext, _, base = name.rpartition("-")
            assert ext in exts, f"format {name}: no extension {ext} in _extensions/"
            assert base in exts[ext]["contributes"]["formats"], f"{ext} has no {base} format"
        for key in opts or {}:
            allowed = options["format-options"].get(key)
            assert allowed is not None, f"format {name}: option {key} is not in the schema"
            assert allowed == "all" or base in allowed, f"{key} does not apply to {base}"


def test_the_pdf_is_the_house_typst_format_with_citeproc() -> None:
    formats = quarto_yml()["format"]
    assert "typst" not in formats and "proefdruk-typst" in formats
    typst = extensions()["proefdruk"]["contributes"]["formats"]["typst"]
    assert typst["citeproc"] is True
    for key in typst:
        assert key in schema("options.yml")["format-options"], key


def test_extension_manifest_matches_quartos_schema_and_needs_19() -> None:
    ext_schema = schema("extension.yml")
    for name, manifest in extensions().items():
        assert set(manifest) <= set(ext_schema["keys"]) | {"contributes"}, name
        assert set(manifest["contributes"]) <= set(ext_schema["contributes"]), name
        m = re.fullmatch(r">=\s*(\d+)\.(\d+)(?:\.\d+)?", manifest["quarto-required"])
        assert m and (int(m.group(1)), int(m.group(2))) >= (1, 9), manifest["quarto-required"]
        folder = ROOT / "_extensions" / name
        for lua in manifest["contributes"].get("shortcodes", []):
            assert (folder / lua).is_file(), lua
        for fmt in manifest["contributes"].get("formats", {}).values():
            for partial in fmt.get("template-partials", []):
                assert (folder / partial).is_file(), partial
            for item in fmt.get("filters", []):
                path = item["path"] if isinstance(item, dict) else item
                assert (folder / path).is_file(), path
            for theme in fmt.get("theme", []):
                assert theme == "default" or (folder / theme).is_file(), theme


def test_chapters_use_only_quartos_shortcodes_callouts_and_crossrefs() -> None:
    options = schema("options.yml")
    known = set(options["shortcodes"])
    for manifest in extensions().values():
        known |= {Path(f).stem for f in manifest["contributes"].get("shortcodes", [])}
    for path in [ROOT / "index.qmd", *sorted((ROOT / "chapters").glob("*.qmd"))]:
        text = path.read_text(encoding="utf-8")
        used = set(SHORTCODE_RE.findall(text))
        assert used <= known, f"{path.name}: unknown shortcodes {sorted(used - known)}"
        callouts = set(CALLOUT_RE.findall(text))
        assert callouts <= set(options["callouts"]), f"{path.name}: {callouts}"
        prefixes = {p.lower() for p in XREF_RE.findall(text)}
        assert prefixes <= {"fig", "tbl", "sec"} | _citation_prefixes(), (path.name, prefixes)


def test_figures_without_extension_have_one_per_format() -> None:
    """Chapters write figures without extension; every format must say which file it
    takes (Quarto's default-image-extension), and the DOCX takes the PNG fallback."""
    image = re.compile(r"!\[[^\]]*\]\((\.\./)?results/figures/[\w-]+\)")
    uses = any(image.search(p.read_text(encoding="utf-8"))
               for p in (ROOT / "chapters").glob("*.qmd"))
    assert uses
    formats = quarto_yml()["format"]
    assert {name: opts.get("default-image-extension") for name, opts in formats.items()} == {
        "proefdruk-html": "svg", "proefdruk-typst": "svg", "docx": "png"}


def _citation_prefixes() -> set[str]:
    """First parts of citation keys with a hyphen (``@van-der-x``), which look like refs."""
    bib = (ROOT / "bibliography" / "references.bib").read_text(encoding="utf-8")
    return {k.split("-")[0].lower() for k in re.findall(r"@\w+\{([^,]+),", bib) if "-" in k}


def test_what_the_built_in_renderer_shows_is_in_the_sources() -> None:
    """Notices and the provenance appendix come from includes both renderers read."""
    index = (ROOT / "index.qmd").read_text(encoding="utf-8")
    assert f"{{{{< include {NOTICES_INCLUDE} >}}}}" in index
    data = quarto_yml()
    appendix = data["proefdruk"]["provenance"]
    assert Path(appendix).stem == PROVENANCE_ID and appendix in data["book"]["appendices"]
    text = (ROOT / appendix).read_text(encoding="utf-8")
    assert f"{{{{< include ../{PROVENANCE_INCLUDE} >}}}}" in text
    assert ROOT / appendix in sources()


def test_readme_states_19_and_lists_the_differences() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Using real Quarto", 1)[1].split("\n## ", 1)[0]
    assert "1.9" in section and "1.4" not in section
    for topic in ("caption", "unnumbered"):  # the differences that remain
        assert topic in section, topic


@pytest.mark.parametrize("path", ["README.md", "_extensions/proefdruk/_extension.yml"])
def test_no_stale_minimum_version(path: str) -> None:
    text = (ROOT / path).read_text(encoding="utf-8")
    assert not re.search(r"(≥|>=)\s*1\.[0-8]\b", text), path
