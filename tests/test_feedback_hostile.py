"""A returned DOCX made by someone careless or hostile: issue #27, findings 1, 4, 5, 9.

The DOCX is the fixture book's real edition, edited the way a crafted file would be:
document properties naming files outside the chapters, parts that inflate far beyond
their size, bookmarks that name lines or files that do not exist, comments that carry
HTML and links. Each must give a clear ``error:`` or a listed "not placed" item, read
nothing outside the book's chapters, and leave reports that render as inert text.
"""

from __future__ import annotations

import hashlib
import os
import re
import zipfile
from pathlib import Path

import pytest
from docx_edit import DocxEditor, W
from feedback_helpers import build_docx
from render_helpers import fixture_book

from proefdruk import feedback
from proefdruk.cli import main as proefdruk
from proefdruk.errors import BuildError
from proefdruk.feedback import docx_limits, docx_read
from proefdruk.render.core import pandocast

ANCHOR = "De vragenlijst is in het voorjaar"
CHAPTER = "chapters/bijlage-a.qmd"
SECRET = "GEHEIM-7c1f: dit mag nooit in een rapport staan"


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The fixture book with one more paragraph in the appendix, and its DOCX."""
    root = fixture_book(tmp_path_factory.mktemp("hostile") / "book")
    path = root / CHAPTER
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Zie @fig-tijdlijn.", "Zie @fig-tijdlijn.\n\nDe vragenlijst "
                                 "is in het voorjaar verstuurd aan alle gemeenten."),
                    encoding="utf-8")
    return root, build_docx(root)


def file_numbers(docx: Path) -> dict[str, str]:
    """path -> file number, from the DOCX's proefdruk-bron-<n> properties."""
    props = zipfile.ZipFile(docx).read("docProps/custom.xml").decode("utf-8")
    return {path: no for no, path in
            re.findall(r'name="proefdruk-bron-(\d+)"><vt:lpwstr>(\S+) ', props)}


def renamed_property(ed: DocxEditor, no: str, value: str) -> None:
    """Let property proefdruk-bron-<no> say ``value`` ("path sha256")."""
    props = ed.files["docProps/custom.xml"].decode("utf-8")
    props, n = re.subn(rf'(name="proefdruk-bron-{no}"><vt:lpwstr>)[^<]*', rf"\g<1>{value}",
                       props)
    assert n == 1
    ed.files["docProps/custom.xml"] = props.encode("utf-8")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(docx: Path, root: Path, out: Path) -> list[feedback.Item]:
    return feedback.run(docx, root, out / "feedback.md", out / "feedback.html",
                        out / "accepted.patch")


def outputs(out: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted(out.glob("*")) if p.is_file())


# 1. Feedback touches chapters only ------------------------------------------------------


def named(book: tuple[Path, Path], tmp_path: Path, value: str) -> Path:
    """The DOCX with the appendix's property naming ``value``, a tracked change and a
    comment in the appendix paragraph."""
    root, docx = book
    ed = DocxEditor(docx)
    renamed_property(ed, file_numbers(docx)[CHAPTER], value)
    ed.comment(ANCHOR, "alle gemeenten", "Klopt dit?")
    ed.replace(ANCHOR, "voorjaar", "najaar")
    return_path = tmp_path / "terug.docx"
    ed.save(return_path)
    return return_path


def stand_in(root: Path, dest: Path) -> Path:
    """A file elsewhere with the appendix's text and a secret line."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    text = (root / CHAPTER).read_text(encoding="utf-8")
    dest.write_text(text.replace("verstuurd aan alle gemeenten", f"verstuurd aan {SECRET}"),
                    encoding="utf-8")
    return dest


def assert_refused(docx: Path, root: Path, out: Path, path: str, no: str) -> None:
    with pytest.raises(BuildError) as err:
        run(docx, root, out)
    message = str(err.value)
    assert message.startswith("error:") and f"proefdruk-bron-{no}" in message, message
    assert path in message and "what to do" in message, message
    assert SECRET not in message
    assert not out.exists() or not list(out.iterdir())  # nothing written, nothing quoted


def test_a_path_with_dotdot_is_refused(book, tmp_path: Path) -> None:
    root, docx = book
    outside = stand_in(root, root.parent / "outside.txt")
    returned = named(book, tmp_path, f"../outside.txt {sha(outside)}")
    assert_refused(returned, root, tmp_path / "out", "../outside.txt",
                   file_numbers(docx)[CHAPTER])


def test_an_absolute_path_is_refused(book, tmp_path: Path) -> None:
    root, docx = book
    outside = stand_in(root, tmp_path / "elders" / "bijlage.qmd")
    returned = named(book, tmp_path, f"{outside} {sha(outside)}")
    assert_refused(returned, root, tmp_path / "out", str(outside),
                   file_numbers(docx)[CHAPTER])


def test_data_with_its_true_sha_is_refused_and_never_patched(book, tmp_path: Path) -> None:
    """The finding: raw data with the same lines as a chapter became an 'accepted prose'
    patch. Here the CSV even holds the chapter's exact bytes."""
    root, docx = book
    csv = root / "data" / "raw" / "partnerschappen.csv"
    csv.parent.mkdir(parents=True, exist_ok=True)
    csv.write_bytes((root / CHAPTER).read_bytes())
    try:
        returned = named(book, tmp_path, f"data/raw/partnerschappen.csv {sha(csv)}")
        out = tmp_path / "out"
        with pytest.raises(BuildError) as err:
            run(returned, root, out)
        message = str(err.value)
        assert "data/raw/partnerschappen.csv" in message and "not a chapter" in message
        assert not out.exists() or not list(out.iterdir())
        # and through the command: an error block, a non-zero exit, no patch
        code = proefdruk(["--root", str(root), "feedback", "--docx", str(returned),
                          "--out", str(out)])
        assert code != 0
        assert not (out / "accepted.patch").exists()
    finally:
        csv.unlink()


def test_a_chapter_that_is_a_symlink_out_of_the_project_is_refused(book, tmp_path: Path
                                                                    ) -> None:
    root, docx = book
    outside = stand_in(root, tmp_path / "elders" / "bijlage.qmd")
    chapter = root / CHAPTER
    kept = chapter.read_bytes()
    returned = named(book, tmp_path, f"{CHAPTER} {sha(outside)}")
    chapter.unlink()
    os.symlink(outside, chapter)
    try:
        assert_refused(returned, root, tmp_path / "out", CHAPTER, file_numbers(docx)[CHAPTER])
    finally:
        chapter.unlink()
        chapter.write_bytes(kept)


def test_a_malformed_sha_is_refused(book, tmp_path: Path) -> None:
    """Before, an unreadable SHA-256 only made the file look changed (fuzzy placing)."""
    _, docx = book
    returned = named(book, tmp_path, f"{CHAPTER} niet-een-sha")
    with pytest.raises(BuildError) as err:
        run(returned, book[0], tmp_path / "out")
    assert "SHA-256" in str(err.value) and "niet-een-sha" in str(err.value)
    assert f"proefdruk-bron-{file_numbers(docx)[CHAPTER]}" in str(err.value)


def test_the_book_s_own_files_still_work(book, tmp_path: Path) -> None:
    """Chapters are patched; generated parts of the book (notices) are read, never patched."""
    root, docx = book
    ed = DocxEditor(docx)
    ed.replace(ANCHOR, "voorjaar", "najaar")
    ed.replace("De gegevens in dit testboek", "synthetisch", "verzonnen")
    ed.save(tmp_path / "terug.docx")
    items = run(tmp_path / "terug.docx", root, tmp_path / "out")
    patch = (tmp_path / "out" / "accepted.patch").read_text(encoding="utf-8")
    assert f"+++ b/{CHAPTER}" in patch and "results/" not in patch
    notice = next(i for i in items if i.old == "synthetisch")
    assert notice.action == "manual" and notice.file == "results/book/notices.md"


# 4. Size limits -------------------------------------------------------------------------


def with_comments(docx: Path, dest: Path, comments: bytes) -> Path:
    """``docx`` with word/comments.xml replaced by ``comments`` (deflated)."""
    with zipfile.ZipFile(docx) as src, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            if info.filename != "word/comments.xml":
                z.writestr(info.filename, src.read(info.filename))
        z.writestr("word/comments.xml", comments)
    return dest


def bomb(mib: int) -> bytes:
    """A comment whose text is ``mib`` MiB of spaces: a few KiB once deflated."""
    return (b'<?xml version="1.0"?><w:comments xmlns:w="' + W[1:-1].encode() + b'">'
            b'<w:comment w:id="0"><w:p><w:r><w:t>' + b" " * (mib << 20)
            + b"</w:t></w:r></w:p></w:comment></w:comments>")


def test_a_part_that_inflates_past_the_limit_stops_early(book, tmp_path: Path,
                                                          monkeypatch) -> None:
    _, docx = book
    bombed = with_comments(docx, tmp_path / "bom.docx", bomb(4))
    assert bombed.stat().st_size < docx.stat().st_size + 64 * 1024
    monkeypatch.setattr(docx_limits, "MAX_PART_BYTES", 1 << 20)
    with pytest.raises(BuildError) as err:
        docx_read.read_feedback(bombed)
    message = str(err.value)
    assert "word/comments.xml" in message and "1 MiB" in message, message


def test_a_declared_size_that_lies_is_caught_while_streaming(book, tmp_path: Path,
                                                             monkeypatch) -> None:
    """The central directory says 1 KiB, the data inflates to 4 MiB: the streamed read
    stops at the limit instead of trusting the declared size."""
    _, docx = book
    bombed = with_comments(docx, tmp_path / "bom.docx", bomb(4))
    data = bytearray(bombed.read_bytes())
    with zipfile.ZipFile(bombed) as z:
        info = z.getinfo("word/comments.xml")
    central = data.find(b"word/comments.xml", data.find(b"PK\x01\x02")) - 46
    assert data[central:central + 4] == b"PK\x01\x02"
    data[central + 24:central + 28] = (1024).to_bytes(4, "little")  # uncompressed size
    local = info.header_offset
    data[local + 22:local + 26] = (1024).to_bytes(4, "little")
    bombed.write_bytes(bytes(data))
    monkeypatch.setattr(docx_limits, "MAX_PART_BYTES", 1 << 20)
    with pytest.raises(BuildError) as err:
        docx_read.read_feedback(bombed)
    assert "word/comments.xml" in str(err.value)


def test_the_default_limit_reads_the_declared_size_first(book, tmp_path: Path) -> None:
    """With the real limits: a part that claims 3.75 GiB is refused from the central
    directory, before a byte of it is inflated."""
    _, docx = book
    bombed = with_comments(docx, tmp_path / "bom.docx", bomb(0))
    data = bytearray(bombed.read_bytes())
    central = data.find(b"word/comments.xml", data.find(b"PK\x01\x02")) - 46
    assert data[central:central + 4] == b"PK\x01\x02"
    data[central + 24:central + 28] = (0xF000_0000).to_bytes(4, "little")
    bombed.write_bytes(bytes(data))
    with pytest.raises(BuildError) as err:
        docx_read.read_feedback(bombed)
    message = str(err.value)
    assert "word/comments.xml" in message and "MiB" in message, message


def test_too_many_parts_is_refused(book, tmp_path: Path, monkeypatch) -> None:
    _, docx = book
    crowded = tmp_path / "vol.docx"
    with zipfile.ZipFile(docx) as src, zipfile.ZipFile(crowded, "w") as z:
        for info in src.infolist():
            z.writestr(info.filename, src.read(info.filename))
        for k in range(200):
            z.writestr(f"word/media/x{k}.bin", b"")
    monkeypatch.setattr(docx_limits, "MAX_MEMBERS", 100)
    with pytest.raises(BuildError) as err:
        docx_read.read_feedback(crowded)
    assert "parts" in str(err.value) and "100" in str(err.value)


def test_an_external_entity_reads_nothing(book, tmp_path: Path) -> None:
    """A comment whose text is an XML entity naming a file on disk: never expanded."""
    root, docx = book
    secret = tmp_path / "geheim.txt"
    secret.write_text(SECRET, encoding="utf-8")
    comments = (f'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "file://{secret}">]>'
                f'<w:comments xmlns:w="{W[1:-1]}"><w:comment w:id="0" w:author="A">'
                "<w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:comment></w:comments>")
    hostile = with_comments(docx, tmp_path / "xxe.docx", comments.encode())
    out = tmp_path / "out"
    try:
        run(hostile, root, out)
    except BuildError as err:
        assert SECRET not in str(err)
    assert SECRET not in outputs(out) if out.exists() else True


# 5. Malformed bookmarks -----------------------------------------------------------------


def renamed_mark(docx: Path, dest: Path, name: str) -> Path:
    """The appendix paragraph's bookmark renamed to ``name``, a comment on its text."""
    ed = DocxEditor(docx)
    ed.comment(ANCHOR, "alle gemeenten", "Klopt dit?")
    p = ed._paragraph("word/document.xml", ANCHOR)
    ed.replace(ANCHOR, "verstuurd", "gestuurd")
    [mark] = [b for b in p.iter(W + "bookmarkStart") if b.get(W + "name").startswith("pd")]
    mark.set(W + "name", name)
    ed.save(dest)
    return dest


@pytest.mark.parametrize("mark", ["beyond", "malformed", "reversed", "unknown-file",
                                  "markup"])
def test_a_bad_bookmark_is_listed_not_placed_and_named(book, tmp_path: Path, mark: str
                                                       ) -> None:
    root, docx = book
    no = file_numbers(docx)[CHAPTER]
    written = {"beyond": f"pd{no}_9000_9001", "malformed": f"pd{no}_12",
               "reversed": f"pd{no}_9_3", "unknown-file": "pd424242_1_1",
               "markup": f"pd{no}_<b>x</b>"}[mark]
    name = written.replace("<", "?").replace(">", "?").replace("/", "?")  # as shown
    returned = renamed_mark(docx, tmp_path / "terug.docx", written)
    items = run(returned, root, tmp_path / "out")
    [comment] = [i for i in items if i.kind == "comment"]
    [change] = [i for i in items if i.old == "verstuurd"]
    for item in (comment, change):
        assert item.action == "unplaced" and name in item.reason, item
    assert "verstuurd" not in (tmp_path / "out" / "accepted.patch").read_text(encoding="utf-8")
    md = (tmp_path / "out" / "feedback.md").read_text(encoding="utf-8")
    assert "## Not placed" in md and name in md.replace("\\", "") and "<b>" not in md


# 9. Escaping ----------------------------------------------------------------------------

HOSTILE = "<script>alert(1)</script> [klik](javascript:alert(1)) <img src=x onerror=alert(2)>"


def test_comment_html_and_links_are_inert_in_both_reports(book, tmp_path: Path) -> None:
    root, docx = book
    ed = DocxEditor(docx)
    ed.comment(ANCHOR, "alle gemeenten", HOSTILE, author="<b>Prof</b> [x](javascript:1)")
    ed.replace(ANCHOR, "voorjaar", "<script>alert(3)</script>")
    ed.save(tmp_path / "terug.docx")
    out = tmp_path / "out"
    run(tmp_path / "terug.docx", root, out)
    md = (out / "feedback.md").read_text(encoding="utf-8")
    assert not re.search(r"(?<!\\)<", md), md  # every "<" escaped: no raw HTML
    rendered = pandocast.run(["-f", "markdown", "-t", "html"], md, cwd=tmp_path)
    assert rendered.returncode == 0, rendered.stderr
    for page in (rendered.stdout, (out / "feedback.html").read_text(encoding="utf-8")):
        assert "<script" not in page and "<img" not in page and "<b>" not in page
        assert "javascript:" not in "".join(re.findall(r'href="([^"]*)"', page))
        assert "alert(1)" in page  # still shown, as text
    # what the supervisor typed is still readable once rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered.stdout
