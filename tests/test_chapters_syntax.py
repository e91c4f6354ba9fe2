"""The chapters use only the documented Quarto subset that both render paths support.

Supported: shortcodes num/include/var/meta/pagebreak; cross-references @fig-/@tbl-/@sec-
to ids that exist; callout divs and the ``::: {#refs}`` div; figures from
results/figures with an id and alt text; tables included from results/tables with a
caption line; citations of keys that exist in the bibliography. No raw HTML/LaTeX, no code
cells, no typed findings. Every number, figure and table a chapter names must be an
output that a workflow rule declares, so a missing analysis fails here, not at render.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from proefdruk import bibliography
from proefdruk.lint_prose import lint_files
from proefdruk.numbers import KEY_RE

ROOT = Path(__file__).resolve().parents[1]
QUARTO = yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))


def book_files() -> list[Path]:
    """Chapter files in _quarto.yml order (parts flattened), then the appendices."""
    out: list[str] = []

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, str):
                out.append(item)
            elif isinstance(item, dict):
                walk(item.get("chapters", []))

    walk(QUARTO["book"]["chapters"])
    walk(QUARTO["book"].get("appendices", []))
    return [ROOT / p for p in out]


FILES = book_files()
IDS = {p.name: p for p in FILES}
SHORTCODE = re.compile(r"\{\{<\s*([\w-]+)\s*(.*?)\s*>\}\}")
ALLOWED_SHORTCODES = {"num", "include", "var", "meta", "pagebreak"}
DIV_OPEN = re.compile(r"^(:{3,})\s*(\{.*\}|[\w-]+)?\s*$")
ALLOWED_DIVS = re.compile(
    r"^\{(#refs|\.callout-(note|warning|tip|important|caution)"
    r"(\s+(title|collapse|icon|appearance)=\"[^\"]*\")*"
    # a claim-bound paragraph and its alternatives per outcome (docs/claims.md)
    r"|\.claim key=\"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+\"|when=\"[\w ]+\")\}$")
CROSSREF = re.compile(r"(?<![\w@])@([a-z]+)-([\w-]+)")
ID_DEF = re.compile(r"\{#((?:sec|fig|tbl)-[\w-]+)[\s}]")


def text_of(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def prose_lines(path: Path):
    """(line number, line) outside fenced code blocks."""
    fence = None
    for n, line in enumerate(text_of(path).splitlines(), start=1):
        m = re.match(r"\s*(`{3,}|~{3,})", line)
        if m:
            fence = None if fence else m.group(1)
            continue
        if fence is None:
            yield n, line


def test_every_listed_chapter_exists() -> None:
    missing = [str(p.relative_to(ROOT)) for p in FILES if not p.is_file()]
    assert not missing


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_first_heading_is_numbered_chapter_with_id_or_unnumbered(path: Path) -> None:
    heading = next(line for _, line in prose_lines(path) if line.startswith("# "))
    assert re.search(r"\{#sec-[\w-]+", heading) or ".unnumbered" in heading, heading


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_only_supported_shortcodes(path: Path) -> None:
    variables = yaml.safe_load((ROOT / "_variables.yml").read_text(encoding="utf-8")) or {}
    for n, line in prose_lines(path):
        for name, args in SHORTCODE.findall(line):
            where = f"{path.name}:{n}"
            assert name in ALLOWED_SHORTCODES, f"{where}: shortcode {name}"
            if name == "num":
                assert KEY_RE.match(args), f"{where}: bad number key {args!r}"
            if name == "var":
                assert args in variables, f"{where}: {args} not in _variables.yml"
            if name == "include":
                # analysis output, or a generated source of the book itself (the notices
                # in index.qmd, the provenance entries in chapters/herkomst.qmd)
                assert re.fullmatch(r"(\.\./)?results/(fragments|tables|book)/[\w.-]+\.md",
                                    args), f"{where}: include of {args}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_only_callout_and_refs_divs(path: Path) -> None:
    depth = 0
    for n, line in prose_lines(path):
        m = DIV_OPEN.match(line.strip())
        if not m:
            continue
        if m.group(2) is None:
            depth -= 1
            assert depth >= 0, f"{path.name}:{n}: closing ::: without opening"
            continue
        assert ALLOWED_DIVS.match(m.group(2)), f"{path.name}:{n}: div {m.group(2)}"
        depth += 1
    assert depth == 0, f"{path.name}: unclosed div"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_raw_markup_or_code_cells(path: Path) -> None:
    text = text_of(path)
    assert "{=" not in text, "raw blocks ({=html}, {=latex}) are not portable"
    assert not re.search(r"^```\s*\{", text, re.M), "code cells are not used in chapters"
    assert not re.search(r"</?(div|span|table|br|img|p)\b", text), "raw HTML"
    assert not re.search(r"\\(begin|cite|ref|textbf|emph)\b", text), "raw LaTeX"


def test_crossrefs_point_to_defined_ids() -> None:
    defined: dict[str, str] = {}
    for path in FILES:
        for n, line in prose_lines(path):
            for ident in ID_DEF.findall(line + " "):
                assert ident not in defined, f"{path.name}:{n}: {ident} defined twice"
                defined[ident] = f"{path.name}:{n}"
    for path in FILES:
        for n, line in prose_lines(path):
            clean = SHORTCODE.sub("", line)
            for prefix, rest in CROSSREF.findall(clean):
                ref = f"{prefix}-{rest}".rstrip(".-")
                if prefix not in {"fig", "tbl", "sec"}:
                    # Only citations remain; those are checked against the .bib.
                    assert not re.match(r"(eq|lst|thm|lem|def|apx)$", prefix), \
                        f"{path.name}:{n}: unsupported cross-reference @{ref}"
                    continue
                assert ref in defined, f"{path.name}:{n}: @{ref} has no target"


def claim_div_lines(path: Path) -> set[int]:
    """Lines inside a ``::: {.claim …}`` div: text one outcome of a claim prints.

    The renderer numbers labels from a text scan that does not know which branch a claim
    keeps, so a figure or table there carries no label (its number would differ between
    the scan and pandoc); the size-class outputs are the case (tests/test_size_classes.py).
    """
    inside: set[int] = set()
    stack: list[bool] = []
    for n, line in prose_lines(path):
        m = re.match(r"^(:{3,})\s*(\{.*\}|\S+)?\s*$", line)
        if m and m.group(2):
            stack.append(".claim" in m.group(2) or any(stack))
        elif m and stack:
            stack.pop()
        elif any(stack):
            inside.add(n)
    return inside


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_figures_and_tables_come_from_declared_outputs(path: Path) -> None:
    lines = list(prose_lines(path))
    in_claim = claim_div_lines(path)
    for i, (n, line) in enumerate(lines):
        for target, attrs in re.findall(r"!\[[^\]]*\]\(([^)]+)\)(\{[^}]*\})?", line):
            # without extension: default-image-extension picks the SVG (HTML, PDF) or the
            # PNG next to it (DOCX)
            assert re.fullmatch(r"\.\./results/figures/[\w-]+", target), \
                f"{path.name}:{n}: figure {target} (write it without extension)"
            assert 'fig-alt="' in attrs, f"{path.name}:{n}: figure needs fig-alt=\"…\""
            assert re.search(r"#fig-[\w-]+", attrs) or n in in_claim, \
                f"{path.name}:{n}: figure needs {{#fig-… fig-alt=\"…\"}}"
            assert not (re.search(r"#fig-[\w-]+", attrs) and n in in_claim), \
                f"{path.name}:{n}: no label on a figure inside a claim (the scan cannot number it)"
        inc = re.search(r"\{\{<\s*include\s+\.\./(results/tables/[\w.-]+\.md)\s*>\}\}", line)
        if inc:
            # The renderer numbers tables from a text scan: the caption is one line.
            following = [ln for _, ln in lines[i + 1:i + 3] if ln.strip()]
            label = r"\{#tbl-[\w-]+\}\s*$" if n not in in_claim else r"[^{}]*$"
            assert following and re.match(r"^: .+" + label, following[0]), \
                f"{path.name}:{n}: a table include needs a one-line ': Bijschrift. {{#tbl-…}}'" \
                " (inside a claim: without label)"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_number_keys_exist_or_are_declared(path: Path) -> None:
    for n, line in prose_lines(path):
        for name, key in SHORTCODE.findall(line):
            if name != "num":
                continue
            namespace = key.split(".", 1)[0]
            produced = ROOT / "results" / "numbers" / f"{namespace}.json"
            if produced.is_file():
                numbers = json.loads(produced.read_text(encoding="utf-8"))["numbers"]
                assert key in numbers, f"{path.name}:{n}: {key} not in {produced.name}"


def referenced_outputs() -> list[str]:
    """Every results/ file the chapters name: figures, included files, number files."""
    out: set[str] = set()
    for path in FILES:
        text = text_of(path)
        out.update(re.findall(r"\.\./(results/[\w/.-]+\.(?:svg|md))", text))
        out.update(f"{f}.svg" for f in re.findall(r"\]\(\.\./(results/figures/[\w-]+)\)", text))
        out.update(f"results/numbers/{k.split('.', 1)[0]}.json"
                   for k in re.findall(r"\{\{<\s*num\s+([\w.]+)\s*>\}\}", text))
    return sorted(out)


def test_referenced_outputs_are_workflow_targets() -> None:
    """A dry run: Snakemake must know a rule for every file the chapters embed."""
    targets = referenced_outputs()
    assert targets
    run = subprocess.run(
        [sys.executable, "-m", "snakemake", "-n", "--nolock", "--quiet", "rules",
         "-d", str(ROOT), "-s", str(ROOT / "Snakefile"), *targets],
        capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]


def test_no_typed_findings() -> None:
    findings = lint_files(FILES, ROOT / "config" / "prose-allowlist.yaml")
    assert not findings, "\n".join(f"{f.file}:{f.line}: {f.context}" for f in findings)
    for path in FILES:
        for n, line in prose_lines(path):
            clean = SHORTCODE.sub("", line)
            assert not re.search(r"\d+ ?%|procent", clean), f"{path.name}:{n}: {line}"


def test_all_citations_exist_in_the_bibliography() -> None:
    report = bibliography.check(sorted((ROOT / "bibliography").glob("*.bib")), FILES)
    assert not report.errors, "\n".join(f.message + f" ({f.file}:{f.line})"
                                        for f in report.errors)
    assert len({c.key for c in report.citations}) >= 40


def test_references_chapter_places_the_list() -> None:
    refs = [p for p in FILES if "::: {#refs}" in text_of(p)]
    assert [p.name for p in refs] == ["references.qmd"]


def test_chapters_are_dutch_prose_of_substance() -> None:
    """A guard against placeholder chapters: each numbered chapter has real text."""
    for path in FILES:
        if path.name.startswith(("0", "1")):
            words = re.findall(r"[A-Za-zÀ-ÿ']+", text_of(path))
            assert len(words) > 900, f"{path.name}: only {len(words)} words"
            assert sum(w in {"de", "het", "een", "van"} for w in words) > 40
