"""_quarto.yml and front matter: structure read right, mistakes reported with their line."""

from __future__ import annotations

from pathlib import Path

import pytest
from render_helpers import edit, fixture_book

from proefdruk.errors import BuildError
from proefdruk.render.core.project import load_project
from proefdruk.render.core.source import read_chapter
from proefdruk.render.workflow.book_rules import quarto_binary
from proefdruk.render.workflow.plan import load_plan


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return fixture_book(tmp_path / "book")


def test_reads_book_structure(book: Path) -> None:
    project = load_project(book)
    assert project.title == "Proefboek"
    assert project.lang == "nl"
    assert project.output_file == "proefboek"
    assert [c.id for c in project.chapters] == [
        "index", "01-een", "02-twee", "references", "bijlage-a", "herkomst"]
    assert [c.part for c in project.chapters] == [
        None, "Deel een", "Deel een", "Afronding", None, None]
    assert [c.appendix for c in project.chapters] == [False] * 4 + [True, True]


def test_kinds_numbers_and_hrefs(book: Path) -> None:
    plan = load_plan(book)
    got = [(c.id, c.kind, c.number, c.href) for c in plan.chapters]
    assert got == [
        ("index", "front", None, "index.html"),
        ("01-een", "chapter", "1", "chapters/01-een.html"),
        ("02-twee", "chapter", "2", "chapters/02-twee.html"),
        ("references", "references", None, "chapters/references.html"),
        ("bijlage-a", "appendix", "A", "chapters/bijlage-a.html"),
        ("herkomst", "provenance", "B", "chapters/herkomst.html"),
    ]


def test_malformed_yaml_names_the_line(book: Path) -> None:
    edit(book / "_quarto.yml", '  title: "Proefboek"', '  title: "Proefboek\n  bad: [')
    with pytest.raises(BuildError) as err:
        load_project(book)
    assert err.value.file == "_quarto.yml"
    assert err.value.line is not None and err.value.line >= 9


def test_unknown_book_key_names_the_line(book: Path) -> None:
    edit(book / "_quarto.yml", "  author:", "  chapterz: []\n  author:")
    with pytest.raises(BuildError) as err:
        load_project(book)
    assert "chapterz" in str(err.value)
    lines = (book / "_quarto.yml").read_text().splitlines()
    assert lines[err.value.line - 1].strip().startswith("chapterz")


def test_missing_chapter_file(book: Path) -> None:
    (book / "chapters" / "02-twee.qmd").unlink()
    with pytest.raises(BuildError) as err:
        load_project(book)
    assert "chapters/02-twee.qmd" in str(err.value)
    assert err.value.line is not None


def test_malformed_front_matter_names_chapter_and_line(book: Path) -> None:
    edit(book / "chapters" / "01-een.qmd", 'title-prefix: "test"', 'title-prefix: "test\nx: : y')
    with pytest.raises(BuildError) as err:
        read_chapter("chapters/01-een.qmd", book)
    assert err.value.file == "chapters/01-een.qmd"
    assert err.value.line in (2, 3)


def test_unclosed_front_matter(book: Path) -> None:
    (book / "index.qmd").write_text("---\ntitle: x\n\n# Voorwoord\n", encoding="utf-8")
    with pytest.raises(BuildError, match="not closed") as err:
        read_chapter("index.qmd", book)
    assert err.value.line == 1


def test_include_records_dependencies_and_lines(book: Path) -> None:
    (book / "chapters" / "deel.md").write_text("Regel uit deel.\n\n{{< include sub/d.md >}}\n")
    (book / "chapters" / "sub").mkdir()
    (book / "chapters" / "sub" / "d.md").write_text("Diep.\n")
    edit(book / "chapters" / "02-twee.qmd", "Terug naar", "{{< include deel.md >}}\n\nTerug naar")
    _, exp = read_chapter("chapters/02-twee.qmd", book)
    assert exp.includes == ["chapters/deel.md", "chapters/sub/d.md"]
    assert exp.find("Diep.") == ("chapters/sub/d.md", 1)
    assert exp.find("Terug naar") == ("chapters/02-twee.qmd", 5)


def test_include_loop_and_missing_include(book: Path) -> None:
    (book / "chapters" / "a.md").write_text("{{< include b.md >}}\n")
    (book / "chapters" / "b.md").write_text("{{< include a.md >}}\n")
    edit(book / "index.qmd", "Dit boek", "{{< include chapters/a.md >}}\n\nDit boek")
    with pytest.raises(BuildError, match="include loop"):
        read_chapter("index.qmd", book)
    edit(book / "index.qmd", "{{< include chapters/a.md >}}", "{{< include chapters/nee.md >}}")
    with pytest.raises(BuildError, match="does not exist") as err:
        read_chapter("index.qmd", book)
    assert (err.value.file, err.value.line) == ("index.qmd", 3)


def test_renderer_choice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert quarto_binary("builtin") is None
    assert quarto_binary("auto") is None            # no quarto on PATH: built-in renderer
    fake = tmp_path / "quarto"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    assert quarto_binary("auto") == str(fake)
    assert quarto_binary(str(fake)) == str(fake)
    with pytest.raises(BuildError, match="render.quarto"):
        quarto_binary(str(tmp_path / "nee"))


def test_duplicate_label_in_one_chapter(book: Path) -> None:
    edit(book / "chapters" / "02-twee.qmd", "Zie @tbl-getypt",
         "## Nog eens {#sec-twee}\n\nZie @tbl-getypt")
    with pytest.raises(BuildError, match="sec-twee") as err:
        load_plan(book)
    assert (err.value.file, err.value.line) == ("chapters/02-twee.qmd", 19)
    assert "chapters/02-twee.qmd:1" in str(err.value)
