"""A supervisor's DOCX read back onto the sources: the fixture book, end to end.

The fixture book is rendered to its DOCX with the real renderer; comments and tracked
changes are added to the XML as Word writes them (tests/docx_edit.py), the file goes
once through LibreOffice, and the feedback command must place every item on its file and
line, put the prose changes in a patch that ``git apply`` accepts, and list generated
content as manual. The same book also checks the errors, python-docx edits and a DOCX
read against sources that changed since the edition.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx_edit import DocxEditor
from feedback_helpers import assert_markers_change_nothing, build_docx, libreoffice_round_trip
from render_helpers import ROOT, edit, fixture_book

from conftest import which_or_skip
from proefdruk import feedback
from proefdruk.errors import BuildError
from proefdruk.feedback.docx_read import read_feedback

PROSE = {
    "chapters/02-twee.qmd": ("Zie @tbl-getypt en @sec-bijlage.",
                             "Zie @tbl-getypt en @sec-bijlage.\n\n"
                             "Dit is een langere alinea over stedenbanden die over\n"
                             "twee regels loopt en eindigt met een slotzin."),
    "chapters/bijlage-a.qmd": ("Zie @fig-tijdlijn.",
                               "Zie @fig-tijdlijn.\n\nDe vragenlijst is in het voorjaar "
                               "verstuurd aan alle gemeenten."),
}


def line_of(root: Path, file: str, text: str) -> int:
    lines = (root / file).read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines, 1) if text in line)


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The fixture book with some more prose, as a git repository, and its DOCX."""
    root = fixture_book(tmp_path_factory.mktemp("feedback") / "book")
    for file, (old, new) in PROSE.items():
        edit(root / file, old, new)
    for args in (["init", "-q"], ["add", "-A"],
                 ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "book"]):
        subprocess.run(["git", *args], cwd=root, check=True)
    return root, build_docx(root)


def supervised(docx: Path, out: Path) -> Path:
    """The DOCX with a supervisor's comments and tracked changes in three chapters."""
    ed = DocxEditor(docx)
    ed.replace("De vragenlijst is in het voorjaar", "voorjaar", "najaar")  # bijlage-a
    ed.comment("De vragenlijst is in het", "alle gemeenten", "Ook de openbare lichamen?")
    ed.replace("Dit is een langere alinea", "langere ", "")  # 02-twee, first line
    ed.replace("twee regels loopt", "slotzin", "korte slotzin")  # second line
    ed.replace("Respons naar provincie.", "naar", "per")  # 01-een: table caption
    ed.replace("De respons is", "63,5", "64,0")  # a registry number
    ed.replace("Zie ook", "Zie ook", "Zie vooral", part="word/footnotes.xml")  # footnote
    ed.replace("Aantal partnerschappen per jaar.", "per jaar", "per decennium")  # figure
    ed.replace("Utrecht", "Utrecht", "Utrecht (provincie)")  # a cell of a generated table
    ed.replace("De gegevens in dit testboek", "synthetisch", "verzonnen")  # a notice
    ed.new_paragraph("De vragenlijst is in het", "Een nieuwe alinea van de promotor.")
    ed.untracked("alinea over stedenbanden", "stedenbanden", "jumelages")  # Track Changes off
    ed.save(out)
    return out


def by_text(items: list[feedback.Item], text: str) -> feedback.Item:
    found = [i for i in items if text in (i.old + "|" + i.new + "|" + i.quoted)]
    assert len(found) == 1, (text, found)
    return found[0]


def test_markers_leave_every_chapter_as_it_was(tmp_path: Path) -> None:
    """The position markers change nothing pandoc reads, in the fixture book and in the
    book with every Quarto construct the renderer supports."""
    assert_markers_change_nothing(fixture_book(tmp_path / "book"), tmp_path / "c")
    quarto = tmp_path / "quarto"
    shutil.copytree(ROOT / "tests" / "fixtures" / "quarto", quarto)
    shutil.copytree(ROOT / "_extensions", quarto / "_extensions")
    assert_markers_change_nothing(quarto, tmp_path / "c")


def test_docx_carries_source_marks_and_stays_reproducible(book, tmp_path: Path) -> None:
    root, docx = book
    with zipfile.ZipFile(docx) as z:
        document = z.read("word/document.xml").decode("utf-8")
        notes = z.read("word/footnotes.xml").decode("utf-8")
        props = z.read("docProps/custom.xml").decode("utf-8")
    names = re.findall(r'<w:bookmarkStart w:id="\d+" w:name="(p[dc][\d_]+)"', document + notes)
    assert "chapters/01-een.qmd" in props and "proefdruk-bronposities" in props
    files = dict(re.findall(r'name="proefdruk-bron-(\d+)"><vt:lpwstr>(\S+) ', props))
    heading = next(n for n in names if n.startswith("pd")
                   and files[n[2:].split("_")[0]] == "chapters/01-een.qmd")
    assert heading.split("_")[1:3] == ["5", "5"]  # "# Eerste hoofdstuk" is line 5
    assert any(n.startswith("pd") for n in re.findall(r'w:name="(p[dc][\d_]+)"', notes))
    again = build_docx(root)
    assert again.read_bytes() == docx.read_bytes()


def test_feedback_after_libreoffice_lands_on_the_right_lines(book, tmp_path: Path) -> None:
    which_or_skip("soffice")
    root, docx = book
    returned = libreoffice_round_trip(supervised(docx, tmp_path / "terug.docx"),
                                      tmp_path / "lo")
    out = tmp_path / "report"
    items = feedback.run(returned, root, out / "f.md", out / "f.html", out / "f.patch")
    assert len(items) == 12
    expect = {  # text -> (file, line of that text, action)
        "voorjaar": ("chapters/bijlage-a.qmd", "voorjaar", "patch"),
        "alle gemeenten": ("chapters/bijlage-a.qmd", "voorjaar", "comment"),
        "langere ": ("chapters/02-twee.qmd", "langere alinea", "patch"),
        "slotzin": ("chapters/02-twee.qmd", "slotzin", "patch"),
        "naar": ("chapters/01-een.qmd", "Respons naar provincie", "patch"),
        "63,5": ("chapters/01-een.qmd", "De respons is", "manual"),
        "Zie ook": ("chapters/01-een.qmd", "Zie ook", "patch"),
        "per jaar": ("chapters/01-een.qmd", "Aantal partnerschappen", "manual"),
        "Utrecht": ("chapters/01-een.qmd", "Respons naar provincie", "manual"),
        "synthetisch": ("results/book/notices.md", "synthetisch", "manual"),
    }
    [edited] = [i for i in items if i.kind == "untracked"]  # tracked ones are not repeated
    assert (edited.file, edited.line, edited.old, edited.new, edited.action) == (
        "chapters/02-twee.qmd", line_of(root, "chapters/02-twee.qmd", "stedenbanden"),
        "stedenbanden", "jumelages", "manual")
    added = by_text(items, "Een nieuwe alinea")
    assert (added.file, added.line, added.action) == (
        "chapters/bijlage-a.qmd", line_of(root, "chapters/bijlage-a.qmd", "voorjaar") + 1,
        "patch")
    for text, (file, line_text, action) in expect.items():
        item = by_text([i for i in items if i.kind != "comment" or text == "alle gemeenten"],
                       text)
        assert (item.file, item.line, item.action) == (
            file, line_of(root, file, line_text), action), (text, item)
        assert item.author.startswith("Prof. dr.")
    assert "registry" in by_text(items, "63,5").reason
    assert "demo.respons" in by_text(items, "63,5").reason
    assert "generated figure" in by_text(items, "per jaar").reason
    assert "generated table" in by_text(items, "Utrecht").reason
    assert "generated text (results/book/notices.md)" in by_text(items, "synthetisch").reason
    comment = by_text(items, "alle gemeenten")
    assert comment.comment == "Ook de openbare lichamen?" and comment.date.startswith("2026")
    # reading order, grouped per chapter in the report, with editor links
    md = (out / "f.md").read_text(encoding="utf-8")
    assert md.index("## results/book/notices.md") < md.index("## chapters/01-een.qmd") < \
        md.index("## chapters/02-twee.qmd") < md.index("## chapters/bijlage-a.qmd")
    assert f"vscode://file{root.resolve()}/chapters/02-twee.qmd:" in md
    html = (out / "f.html").read_text(encoding="utf-8")
    assert "<del>voorjaar</del> → <ins>najaar</ins>" in html
    # the patch applies, and the next DOCX says what the supervisor wrote
    check = subprocess.run(["git", "apply", "--check", str(out / "f.patch")], cwd=root,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    work = tmp_path / "applied"
    shutil.copytree(root, work)
    subprocess.run(["git", "apply", str(out / "f.patch")], cwd=work, check=True)
    text = "\n".join(p.text for p in Document(build_docx(work)).paragraphs)
    assert "in het najaar verstuurd" in text and "Respons per provincie." in text
    assert "\nEen nieuwe alinea van de promotor.\n" in text
    assert "Dit is een alinea over stedenbanden" in text and "korte slotzin" in text
    with zipfile.ZipFile(work / "results" / "book.docx") as z:
        assert "Zie vooral" in z.read("word/footnotes.xml").decode("utf-8")
    assert (root / "chapters" / "bijlage-a.qmd").read_text(encoding="utf-8").count(
        "voorjaar") == 1  # the sources themselves are never edited


def test_feedback_again_after_the_patch_says_already_in_the_source(book, tmp_path: Path
                                                                    ) -> None:
    """The same DOCX read again once its patch is applied: each applied change is
    "already in the source" (not "manual", and never patched twice); the rest as before."""
    root, docx = book
    returned = supervised(docx, tmp_path / "terug.docx")
    out = tmp_path / "first"
    first = feedback.run(returned, root, out / "f.md", out / "f.html", out / "f.patch")
    patched = {(i.old, i.new) for i in first if i.action == "patch"}
    assert len(patched) >= 5, first
    work = tmp_path / "applied"
    shutil.copytree(root, work)
    subprocess.run(["git", "apply", str(out / "f.patch")], cwd=work, check=True)
    again = tmp_path / "again"
    items = feedback.run(returned, work, again / "f.md", again / "f.html", again / "f.patch")
    for item in items:
        if (item.old, item.new) in patched:
            assert item.action == "applied", item
            assert "already in the source" in item.reason
    assert not [i for i in items if i.action == "patch"], items
    assert (again / "f.patch").read_text(encoding="utf-8").strip() == ""
    before = {(i.old, i.new): i.action for i in first}
    for item in items:  # what was not patched is listed as it was
        if (item.old, item.new) not in patched and item.kind != "untracked":
            assert item.action == before[(item.old, item.new)], item
    md = (again / "f.md").read_text(encoding="utf-8")
    assert f"{len(patched)} already in the source." in md
    assert "(already in the source)" in md


def test_python_docx_edits_keep_the_marks(book, tmp_path: Path) -> None:
    """Saving with python-docx (another Word-like editor) keeps bookmarks and properties."""
    root, docx = book
    edited = tmp_path / "bewerkt.docx"
    supervised(docx, edited)
    document = Document(edited)
    document.add_paragraph("Een nieuwe alinea aan het eind.")
    document.paragraphs[0].runs[0].text = document.paragraphs[0].runs[0].text + " "
    document.save(edited)
    items = feedback.run(edited, root, tmp_path / "f.md", tmp_path / "f.html",
                         tmp_path / "f.patch")
    assert by_text(items, "slotzin").line == line_of(root, "chapters/02-twee.qmd", "slotzin")


def test_an_older_edition_maps_by_text_and_lists_what_is_gone(book, tmp_path: Path) -> None:
    root, docx = book
    returned = supervised(docx, tmp_path / "terug.docx")
    newer = tmp_path / "newer"
    shutil.copytree(root, newer)
    # lines moved (a new paragraph on top), one paragraph rewritten, one removed
    edit(newer / "chapters/02-twee.qmd", "Terug naar", "Een nieuwe eerste alinea.\n\nTerug naar")
    edit(newer / "chapters/02-twee.qmd", "eindigt met een slotzin.", "eindigt met een zin.")
    edit(newer / "chapters/bijlage-a.qmd",
         "De vragenlijst is in het voorjaar verstuurd aan alle gemeenten.", "")
    items = feedback.run(returned, newer, tmp_path / "f.md", tmp_path / "f.html",
                         tmp_path / "f.patch")
    moved = by_text(items, "langere ")
    assert moved.fuzzy and moved.line == line_of(newer, "chapters/02-twee.qmd", "langere")
    assert moved.action == "patch"
    gone = by_text(items, "voorjaar")
    assert gone.action == "unplaced" and "0.60" in gone.reason
    assert "## Not placed" in (tmp_path / "f.md").read_text(encoding="utf-8")
    check = subprocess.run(["git", "apply", "--check", str(tmp_path / "f.patch")],
                           cwd=newer, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_not_a_docx_or_without_marks_is_a_clear_error(book, tmp_path: Path) -> None:
    root, _ = book
    text = tmp_path / "notities.docx"
    text.write_text("geen Word-bestand", encoding="utf-8")
    old_word = tmp_path / "oud.doc"
    old_word.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    zipped = tmp_path / "archief.docx"
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("readme.txt", "x")
    plain = tmp_path / "elders.docx"
    Document().save(plain)
    cases = {text: "not a DOCX", old_word: "97-2003", zipped: "without word/document.xml",
             plain: "no source marks", tmp_path / "weg.docx": "does not exist"}
    for path, words in cases.items():
        with pytest.raises(BuildError) as err:
            read_feedback(path)
        message = str(err.value)
        assert words in message and str(path) in message and "what to do" in message
    assert not list(tmp_path.glob("**/*.patch"))  # nothing written on an error
