"""Publishing: the staged editions replace _book/ only as a whole, the manifest last, and a
failure (a full disk above all) leaves the published edition byte for byte as it was."""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from pathlib import Path

import pytest
from fixtures.robustness.harness import snapshot

from proefdruk.errors import BuildError
from proefdruk.promote import damaged, main, promote
from proefdruk.provenance import atomic_write_bytes


def stage(root: Path, files: dict[str, bytes]) -> tuple[Path, Path]:
    staging = root / "results" / "staging" / "_book"
    for rel, data in files.items():
        (staging / rel).parent.mkdir(parents=True, exist_ok=True)
        (staging / rel).write_bytes(data)
    manifest = root / "results" / "staging" / "manifest.json"
    manifest.write_text(json.dumps({"files": sorted(files)}), encoding="utf-8")
    return staging, manifest


def test_publish_replaces_the_edition_and_removes_what_the_new_one_lacks(
        tmp_path: Path) -> None:
    dest, record = tmp_path / "_book", tmp_path / "results/promote/record.json"
    staging, manifest = stage(tmp_path, {"index.html": b"v1", "old.html": b"gone soon",
                                         "site_libs/app.css": b"css"})
    promote(staging, dest, manifest, record)
    assert (dest / "old.html").read_bytes() == b"gone soon"
    (staging / "old.html").unlink()
    (staging / "index.html").write_bytes(b"v2")
    (staging / "media" / "f.svg").parent.mkdir()
    (staging / "media" / "f.svg").write_bytes(b"<svg/>")
    published = promote(staging, dest, manifest, record)
    assert sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file()) \
        == ["index.html", "manifest.json", "media/f.svg", "site_libs/app.css"]
    assert (dest / "index.html").read_bytes() == b"v2"
    assert (dest / "manifest.json").read_bytes() == manifest.read_bytes()
    assert (staging / "index.html").exists(), "staging is the rules' output: it stays"
    assert json.loads(record.read_text())["files"] == published
    assert "_book/manifest.json" in published
    assert damaged(dest, record) == []


def test_damage_to_the_published_edition_is_seen(tmp_path: Path) -> None:
    dest, record = tmp_path / "_book", tmp_path / "record.json"
    staging, manifest = stage(tmp_path, {"index.html": b"v1", "book.pdf": b"%PDF"})
    promote(staging, dest, manifest, record)
    (dest / "book.pdf").write_bytes(b"%PDX")
    (dest / "index.html").unlink()
    (dest / "notes.txt").write_text("mine")
    assert damaged(dest, record) == ["_book/index.html missing", "_book/notes.txt extra",
                                     "_book/book.pdf changed"]
    record.unlink()
    assert damaged(dest, record) and "unreadable" in damaged(dest, record)[0]


def test_too_little_space_stops_before_anything_changes(tmp_path: Path, capsys) -> None:
    dest, record = tmp_path / "_book", tmp_path / "record.json"
    staging, manifest = stage(tmp_path, {"index.html": b"v1"})
    promote(staging, dest, manifest, record)
    before = snapshot(tmp_path, ("_book",))
    (staging / "index.html").write_bytes(b"v2")
    code = main(["--staging", str(staging), "--dest", str(dest), "--manifest", str(manifest),
                 "--record", str(tmp_path / "new-record.json"), "--reserve-mb", "1e12"])
    err = capsys.readouterr().err
    assert code == 1
    assert "error: the disk is full" in err and "what to do:" in err and "MB" in err
    assert "Traceback" not in err
    assert snapshot(tmp_path, ("_book",)) == before
    assert not (tmp_path / "new-record.json").exists()


@pytest.fixture
def tiny_disk(tmp_path: Path):
    """A real 64 KiB filesystem (tmpfs), where the machine allows mounting one."""
    mnt = tmp_path / f"tiny-{uuid.uuid4().hex[:6]}"
    mnt.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


def test_a_full_disk_while_copying_leaves_the_edition_alone(tmp_path: Path,
                                                           tiny_disk: Path) -> None:
    """The disk fills up during the copy (the free-space check passed, something else
    wrote meanwhile): the half-written copies go, the published files stay."""
    dest, record = tiny_disk / "_book", tmp_path / "record.json"
    staging, manifest = stage(tmp_path, {"index.html": b"v1", "a.css": b"x" * 1000})
    promote(staging, dest, manifest, record)
    before = snapshot(tiny_disk, ("_book",))
    (staging / "index.html").write_bytes(b"v2")
    (staging / "big" / "book.pdf").parent.mkdir()
    (staging / "big" / "book.pdf").write_bytes(os.urandom(200_000))
    with pytest.raises(BuildError) as exc:
        promote(staging, dest, manifest, record, reserve=-10**12)  # skip the pre-check
    assert "the disk is full" in str(exc.value) and "what to do" in str(exc.value)
    assert snapshot(tiny_disk, ("_book",)) == before
    assert not (dest / "big").exists()
    assert not [p for p in dest.rglob("*") if ".tmp-" in p.name]


def test_atomic_writes_report_a_full_disk_clearly(tiny_disk: Path) -> None:
    target = tiny_disk / "page.html"
    target.write_bytes(b"the previous page")
    with pytest.raises(BuildError) as exc:
        atomic_write_bytes(target, b"x" * 200_000)
    text = str(exc.value)
    assert "the disk is full" in text and str(target) in text and "195 KB" in text
    assert target.read_bytes() == b"the previous page"


def test_a_file_where_the_edition_goes_is_an_error_block_not_a_traceback(
        tmp_path: Path, capsys) -> None:
    """Issue #27, finding 8: promotion into a place it cannot write ended in a raw
    OSError (here NotADirectoryError from the clean-up); now an `error:` block, exit 1,
    and the file is left as it was."""
    staging, manifest = stage(tmp_path, {"index.html": b"<p>new</p>"})
    dest = tmp_path / "_book"
    dest.write_bytes(b"not a folder")
    code = main(["--staging", str(staging), "--dest", str(dest), "--manifest", str(manifest),
                 "--record", str(tmp_path / "record.json")])
    err = capsys.readouterr().err
    assert code == 1 and "error:" in err and "not a folder" in err
    assert "Traceback" not in err and dest.read_bytes() == b"not a folder"
