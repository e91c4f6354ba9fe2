"""Executable cells in a REAL Jupyter kernel: outputs, options, errors, cache, safety.

Each test copies tests/fixtures/cells/project to a temporary folder (so it can change the
data) and calls :func:`run_cells` as the renderer does. Kernel starts are the slow part
(about a second each), so every test runs as few chapters as it needs.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pypandoc
import pytest

from proefdruk.errors import BuildError
from proefdruk.markdown import escape_markdown
from proefdruk.render.cells.execute import run_cells

FIXTURE = Path(__file__).parent / "fixtures" / "cells" / "project"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    return root


def render(root: Path, chapter: str, cache: str = ".proefdruk-cache/cells"):
    path = root / "chapters" / chapter
    return run_cells(path.read_text(encoding="utf-8"), path, root=root, cache_dir=root / cache)


def ast(markdown: str) -> list[dict]:
    """The pandoc AST blocks of ``markdown`` (real pandoc, as the renderer uses it)."""
    return json.loads(pypandoc.convert_text(markdown, "json", format="markdown"))["blocks"]


def walk(node):
    """Every dict node of a pandoc AST, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def plain(blocks) -> str:
    """The visible text of AST nodes (Str, Space, Code), for content assertions."""
    parts: list[str] = []
    for node in walk(blocks):
        kind = node.get("t")
        if kind == "Str":
            parts.append(node["c"])
        elif kind in ("Space", "SoftBreak"):
            parts.append(" ")
        elif kind in ("Code", "CodeBlock"):
            parts.append(node["c"][1])
    return "".join(parts)


def source_tree(root: Path) -> dict[str, float]:
    return {p.relative_to(root).as_posix(): p.stat().st_mtime for p in root.rglob("*")
            if ".proefdruk-cache" not in p.parts and "__pycache__" not in p.parts}


def test_cells_run_in_a_real_kernel_then_come_from_the_cache(project: Path) -> None:
    before = source_tree(project)
    first = render(project, "basis.qmd")
    assert first.executed is True
    assert source_tree(project) == before  # nothing written into the sources
    # The kernel is the interpreter running the build (the venv's python).
    assert f"Interpreter: {escape_markdown(sys.executable)}." in first.text
    # 7 + 12 + 9 respondents from the CSV, through the imported project module.
    assert "Samen 28 respondenten uit 1 bestand(en)" in first.text
    # A separate kernel process, started in the project root.
    pid = int(first.text.split("als proces ")[1].split()[0])
    assert pid != os.getpid()
    assert "in project." in first.text
    assert first.reads == ["analysishelp/__init__.py", "data/gemeenten.csv"]
    assert "```{python}" not in first.text and "Inleidende tekst." in first.text

    second = render(project, "basis.qmd")
    assert second.executed is False
    assert second.text == first.text
    assert second.reads == first.reads

    # Editing prose around the cells does not start a kernel either.
    path = project / "chapters" / "basis.qmd"
    path.write_text(path.read_text().replace("Slot.", "Nieuw slot."), encoding="utf-8")
    third = render(project, "basis.qmd")
    assert third.executed is False and "Nieuw slot." in third.text


def test_changed_inputs_are_never_served_stale(project: Path) -> None:
    assert "Samen 28 " in render(project, "basis.qmd").text
    csv = project / "data" / "gemeenten.csv"
    csv.write_text(csv.read_text() + "Utrecht,26,20\n", encoding="utf-8")
    again = render(project, "basis.qmd")
    assert again.executed is True
    assert "Samen 48 " in again.text

    # An imported project module is an input too.
    module = project / "analysishelp" / "__init__.py"
    module.write_text(module.read_text().replace("FACTOR = 1", "FACTOR = 2"), encoding="utf-8")
    doubled = render(project, "basis.qmd")
    assert doubled.executed is True and "Samen 96 " in doubled.text

    # A listed folder gains a file: the listing is an input.
    (project / "data" / "extra.csv").write_text("a\n1\n", encoding="utf-8")
    listed = render(project, "basis.qmd")
    assert listed.executed is True and "uit 2 bestand(en)" in listed.text
    assert render(project, "basis.qmd").executed is False


def test_cached_call_starts_no_kernel_and_imports_no_nbclient(project: Path) -> None:
    """A cache hit in a fresh interpreter: nbclient is never imported, no kernel starts."""
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from proefdruk.render.cells.execute import run_cells\n"
        "root = Path(sys.argv[1]); p = root / 'chapters' / 'basis.qmd'\n"
        "t = time.perf_counter()\n"
        "r = run_cells(p.read_text(), p, root=root, cache_dir=root / '.cache')\n"
        "print(r.executed, 'nbclient' in sys.modules, round(time.perf_counter() - t, 4))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    runs = [
        subprocess.run([sys.executable, "-c", script, str(project)], env=env,
                       capture_output=True, text=True, check=True).stdout.split()
        for _ in range(2)
    ]
    assert runs[0][:2] == ["True", "True"]
    assert runs[1][:2] == ["False", "False"]
    print(f"\nfirst call (kernel) {runs[0][2]} s, cached call {runs[1][2]} s")


def test_a_raising_cell_stops_the_build_with_line_cell_and_traceback(project: Path) -> None:
    with pytest.raises(BuildError) as caught:
        render(project, "fout.qmd")
    err = caught.value
    assert err.file == "chapters/fout.qmd"
    assert err.line == 18  # "resultaat = totaal / leeg" in the .qmd
    text = str(err)
    assert "ZeroDivisionError" in text
    assert "starting at line 14" in text
    assert ">   18 | resultaat = totaal / leeg" in text and "    17 | leeg = 0" in text
    assert "Traceback" in text and "----> 4 resultaat = totaal / leeg" in text
    assert "\x1b[" not in text
    assert not (project / ".proefdruk-cache" / "cells" / "entries").exists() or not any(
        (project / ".proefdruk-cache" / "cells" / "entries").iterdir()
    )


def test_cell_options_follow_quarto(project: Path) -> None:
    out = render(project, "opties.qmd").text
    blocks = ast(out)
    codes = [b["c"][1] for b in walk(blocks) if b.get("t") == "CodeBlock"]
    classes = {b["c"][1]: b["c"][0][1] for b in walk(blocks) if b.get("t") == "CodeBlock"}
    # echo: true overrides the chapter's echo: false; outputs follow the code.
    assert 'x = 6 * 7\nprint("zichtbare code", x)' in codes
    assert classes['x = 6 * 7\nprint("zichtbare code", x)'] == ["python", "cell-code"]
    assert "zichtbare code 42" in codes
    # the chapter default (echo: false) hides code but shows output
    assert 'print("verborgen code")' not in out and "verborgen code" in codes
    # echo: fenced shows the cell with its fence and options
    assert "```{python}\n#| echo: fenced\ny = x + 1\n```" in codes
    # output: false runs the cell but shows nothing
    assert "deze uitvoer verschijnt niet" not in out
    # output: asis is markdown
    assert any(n.get("t") == "Strong" and plain(n) == "vet" for n in walk(blocks))
    # include: false shows nothing, but the cell ran (its variable is used inline)
    assert "helemaal weg" not in out and "gezet in verborgen cel" in out
    # eval: false shows the code without running it
    assert 'raise RuntimeError("mag niet draaien")' in codes
    # warnings shown by default, hidden with warning: false (other output stays)
    assert "UserWarning: zichtbare waarschuwing" in codes
    assert "onderdrukte waarschuwing" not in out and "na de waarschuwing" in codes
    # error: true shows the traceback in the book and the build goes on
    assert any("ZeroDivisionError" in c for c in codes)
    assert "\x1b[" not in out


def test_figures_and_tables_get_labels_captions_and_reproducible_svg(project: Path) -> None:
    first = render(project, "figuren.qmd")
    blocks = ast(first.text)
    figures = [b for b in walk(blocks) if b.get("t") == "Figure"]
    assert len(figures) == 1
    (ident, _, _), caption, body = figures[0]["c"]
    assert ident == "fig-respons" and plain(caption) == "Respons per provincie."
    image = next(n for n in walk(body) if n.get("t") == "Image")
    attrs = dict(image["c"][0][2])
    assert attrs["fig-alt"] == "Staafdiagram van de respons per provincie"
    target = image["c"][2][0]
    # Relative to the chapter, as Quarto reads image paths: chapters/../.proefdruk-cache/…
    assert target.startswith("../.proefdruk-cache/cells/figures/") and target.endswith(".svg")
    svg = (project / "chapters" / target).read_bytes()
    assert svg.startswith(b"<?xml") and b"<svg" in svg and b"dc:date" not in svg

    tables = [b for b in walk(blocks) if b.get("t") == "Table"]
    assert len(tables) == 1
    assert tables[0]["c"][0][0] == "tbl-respons"
    assert plain(tables[0]["c"][1]) == "Respons naar provincie."
    assert "Friesland" in plain(tables[0]["c"][4])

    # Same sources, fresh cache: byte-identical figure and markdown.
    second = render(project, "figuren.qmd", cache=".proefdruk-cache/other")
    assert second.executed is True
    other = ast(second.text)
    target2 = next(n for n in walk(other) if n.get("t") == "Image")["c"][2][0]
    assert Path(target2).name == Path(target).name
    assert (project / "chapters" / target2).read_bytes() == svg
    assert second.text.replace("/other/", "/cells/") == first.text


def test_outputs_cannot_inject_markup(project: Path) -> None:
    out = render(project, "injectie.qmd").text
    blocks = ast(out)
    kinds = {n.get("t") for n in walk(blocks)}
    # No raw HTML/Typst, no citation, no list, no link, no emphasis, no math, and no
    # heading but the chapter's own.
    for bad in ("RawInline", "RawBlock", "Cite", "OrderedList", "BulletList",
                "Link", "Emph", "Strong", "Math"):
        assert bad not in kinds, bad
    assert [plain(b) for b in blocks if b.get("t") == "Header"] == ["Waarden die op opmaak lijken"]
    assert "{{<" not in out.replace("{{{<", "")  # shortcodes only in escaped form
    paragraphs = [plain(b) for b in blocks if b.get("t") == "Para"]
    assert any(p.startswith("Inline: {{< var geheim >}} <script>alert(1)</script> @smith2020")
               for p in paragraphs)
    assert "# kop" in paragraphs and "1. lijst" in paragraphs
    # Printed text stays one code block, even with a fence inside it.
    codes = [b["c"][1] for b in walk(blocks) if b.get("t") == "CodeBlock"]
    assert any(c.endswith("\n```") and "{{{< var geheim >}}}" in c for c in codes)
    # The DataFrame is a real table whose cells hold the literal text.
    table = next(b for b in blocks if b.get("t") == "Table")
    cells = plain(table["c"][4])
    assert "{{< var geheim >}} <script>alert(1)</script>" in cells and "a|b" in cells


def test_timing_kernel_start_versus_cache(project: Path) -> None:
    """Measured, not asserted tightly: the cache must be far cheaper than a kernel."""
    start = time.perf_counter()
    assert render(project, "basis.qmd").executed
    kernel = time.perf_counter() - start
    start = time.perf_counter()
    assert not render(project, "basis.qmd").executed
    cached = time.perf_counter() - start
    print(f"\nkernel run {kernel:.3f} s, cached {cached:.4f} s")
    assert cached < kernel / 5


def test_cell_output_goes_through_the_real_renderer_intact(project: Path) -> None:
    """The renderer core (proefdruk.render.core.chapter) consumes our output as the workflow
    does: figure and table labels are numbered, the cached SVG is found, and values that
    look like shortcodes or citations stay text after the shortcode filter and citeproc."""
    from proefdruk.render.core.chapter import render_chapter
    from proefdruk.render.workflow.plan import load_plan

    plan = load_plan(project)
    cache = project / ".proefdruk-cache" / "cells"
    figures = render_chapter(project, "figuren", plan.render_params("figuren"), cache_dir=cache)
    labels = figures.labels["labels"]
    assert labels["fig-respons"]["text"] == "Figuur\u00a01.1"
    assert labels["tbl-respons"]["text"] == "Tabel\u00a01.1"
    [image] = figures.labels["images"]
    assert image.startswith(".proefdruk-cache/cells/figures/") and (project / image).is_file()
    assert figures.labels["cell_reads"] == ["data/gemeenten.csv"]

    injected = render_chapter(project, "injectie", plan.render_params("injectie"),
                              cache_dir=cache)
    nodes = list(walk(injected.ast["blocks"]))
    assert not [n for n in nodes if n.get("t") in ("Cite", "RawInline", "RawBlock")]
    text = plain(injected.ast["blocks"])
    assert "{{< var geheim >}} <script>alert(1)</script> @smith2020 #set text(red)" in text

    # A cell with two plots and fig-subcap is one numbered figure with two images.
    panels = render_chapter(project, "maten", plan.render_params("maten"), cache_dir=cache)
    assert list(panels.labels["labels"]) == ["fig-panelen"]
    assert len(panels.labels["images"]) == 3


def test_figure_size_and_subfigures(project: Path) -> None:
    out = render(project, "maten.qmd").text
    blocks = ast(out)
    images = [n for n in walk(blocks) if n.get("t") == "Image"]
    assert len(images) == 3
    small = (project / "chapters" / images[0]["c"][2][0]).read_text()
    large = (project / "chapters" / images[1]["c"][2][0]).read_text()

    def width(svg: str) -> float:
        return float(svg.split('width="', 1)[1].split("pt", 1)[0])

    # fig-width 3 in is at most 216 pt (bbox "tight" trims); the default is 7 in.
    assert width(small) <= 216 < 300 < width(large)
    assert dict(images[0]["c"][0][2])["fig-alt"] == "Kleine lijn"
    # Two plots with fig-subcap: Quarto's figure div, subfigures first, caption last.
    [div] = [b for b in blocks if b.get("t") == "Div"]
    assert div["c"][0][0] == "fig-panelen"
    *subfigures, caption = div["c"][1]
    assert [f["t"] for f in subfigures] == ["Figure", "Figure"]
    assert [plain(f["c"][1]) for f in subfigures] == ["Links.", "Rechts."]
    assert caption["t"] == "Para" and plain(caption) == "Twee panelen."


def test_project_execute_options_and_inline_errors(tmp_path: Path) -> None:
    """``execute:`` in _quarto.yml applies to every chapter; a failing inline expression
    names its own line; a failed run leaves no cache entry behind."""
    (tmp_path / "_quarto.yml").write_text("execute:\n  echo: false\n", encoding="utf-8")
    chapter = tmp_path / "h.qmd"
    text = "# Kop\n\n```{python}\nprint('alleen uitvoer')\n```\n"
    out = run_cells(text, chapter, root=tmp_path, cache_dir=tmp_path / "cache").text
    assert "alleen uitvoer" in out and "print(" not in out

    bad = "# Kop\n\nTekst.\n\nEen waarde: `{python} {'a': 1}['b']`.\n"
    with pytest.raises(BuildError) as caught:
        run_cells(bad, chapter, root=tmp_path, cache_dir=tmp_path / "cache2")
    assert caught.value.line == 5 and caught.value.file == "h.qmd"
    assert "KeyError" in str(caught.value) and "{'a': 1}['b']" in str(caught.value)
    assert not (tmp_path / "cache2" / "entries").exists()
