"""proefdruk quarto-render: what Quarto leaves in the project goes, an author's file stays.

Real processes, no mocks: a stand-in executable that behaves as Quarto 1.10 does when its
Typst step fails (``index.typ`` and ``.quarto/`` next to the sources, half a site in the
output folder) while, meanwhile, the author saves a new chapter.
"""

from __future__ import annotations

from pathlib import Path

from proefdruk.render.workflow.quarto_run import project_paths, remove_new, render

FAILING = """#!/bin/sh
if [ "$1" = "--version" ]; then echo 1.10.18; exit 0; fi
mkdir -p "$3/chapters" .quarto/xref chapters/01_files/figure-typst
echo '<html></html>' > "$3/chapters/01.html"
echo '#callout(body: [x])' > index.typ
echo 'x' > .quarto/xref/INDEX
echo 'png' > chapters/01_files/figure-typst/a.png
echo '# Nieuw' > chapters/02-nieuw.qmd
echo 'ERROR: Typst compilation failed' >&2
exit 1
"""


def test_a_failed_render_leaves_no_working_file_and_no_half_edition(tmp_path: Path) -> None:
    quarto = tmp_path / "quarto"
    quarto.write_text(FAILING, encoding="utf-8")
    quarto.chmod(0o755)
    project = tmp_path / "book"
    (project / "chapters").mkdir(parents=True)
    (project / "chapters/01.qmd").write_text("# Een\n", encoding="utf-8")
    (project / "results/staging/quarto/_book").mkdir(parents=True)
    (project / "results/staging/quarto/_book/stale.html").write_text("old", encoding="utf-8")
    (project / ".quarto/xref").mkdir(parents=True)  # an earlier run's state goes first
    log = tmp_path / "log.txt"
    with open(log, "w", encoding="utf-8") as fh:
        code = render(str(quarto), "results/staging/quarto/_book", project, fh)
    assert code == 1
    text = log.read_text(encoding="utf-8")
    assert "Typst compilation failed" in text
    assert "removed Quarto's working files: .quarto/, chapters/01_files/, index.typ" in text
    assert "left in place" in text and "chapters/02-nieuw.qmd" in text
    assert sorted(p.relative_to(project).as_posix() for p in project.rglob("*")) == [
        "chapters", "chapters/01.qmd", "chapters/02-nieuw.qmd", "results",
        "results/staging", "results/staging/quarto"]


def test_remove_new_takes_only_what_appeared(tmp_path: Path) -> None:
    (tmp_path / "index.typ").write_text("mine, from before", encoding="utf-8")
    out = tmp_path / "out"
    before = project_paths(tmp_path, out)
    (tmp_path / "book.tex").write_text("x", encoding="utf-8")
    (out / "x").mkdir(parents=True)
    removed, kept = remove_new(tmp_path, before, project_paths(tmp_path, out))
    assert (removed, kept) == (["book.tex"], [])
    assert (tmp_path / "index.typ").exists() and (out / "x").exists()
