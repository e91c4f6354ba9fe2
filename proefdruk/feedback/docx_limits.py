"""Reading a returned DOCX's parts with limits, so a zip bomb stops before memory grows.

A DOCX is a zip archive, and a few KiB of deflated spaces can inflate to GiBs: read
whole, such a ``word/comments.xml`` drove the feedback command to 3 GB of memory before
lxml gave up. The central directory is checked first (number of parts, the declared size
of each part we read and their total), then every part is inflated in chunks and the
count stops at the limit, because the declared size is written by whoever made the file
and can lie.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from proefdruk.errors import BuildError

# The parts we read, in this order; images and the rest are never inflated.
PARTS = ("word/document.xml", "word/footnotes.xml", "word/comments.xml",
         "word/styles.xml", "docProps/custom.xml")
# A DOCX edition of a whole dissertation has some hundred parts (one per image); ten
# thousand leaves room for any book while keeping the central directory small to hold.
MAX_MEMBERS = 10_000
# document.xml of a 400-page book with every run, bookmark and tracked change is some
# 10-20 MiB; 50 MiB per part is well above that and parses in well under 1 GB.
MAX_PART_BYTES = 50 << 20
# All parts we read together: a book's comments and footnotes are far smaller than its
# text, so twice-and-then-some a large document.xml.
MAX_TOTAL_BYTES = 200 << 20
CHUNK = 1 << 20


def _mib(n: int) -> str:
    return f"{n / (1 << 20):g} MiB"


def _too_big(path: Path, part: str, found: str, limit: str) -> BuildError:
    return BuildError("the DOCX inflates to more than a returned book can hold",
                      file=str(path), field=part, expected=limit, found=found,
                      hint="this is not a DOCX as Word or LibreOffice saves a book (a "
                           "damaged or crafted file?); ask for the file again, saved "
                           "from Word with File > Save As > Word Document")


def read_parts(z: zipfile.ZipFile, path: Path) -> dict[str, bytes]:
    """The parts of :data:`PARTS` that ``z`` holds, each checked against the limits."""
    infos = z.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _too_big(path, "(zip archive)", f"{len(infos)} parts",
                       f"at most {MAX_MEMBERS} parts")
    by_name = {i.filename: i for i in infos}
    if "word/document.xml" not in by_name:
        return {}
    wanted = [by_name[n] for n in PARTS if n in by_name]
    total = 0
    for info in wanted:  # the declared sizes, before inflating anything
        if info.file_size > MAX_PART_BYTES:
            raise _too_big(path, info.filename, f"a declared size of {_mib(info.file_size)}",
                           f"at most {_mib(MAX_PART_BYTES)} per part")
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise _too_big(path, wanted[0].filename, f"{_mib(total)} declared in all",
                       f"at most {_mib(MAX_TOTAL_BYTES)} for the parts read")
    out: dict[str, bytes] = {}
    left = MAX_TOTAL_BYTES
    for info in wanted:
        out[info.filename] = _inflate(z, info, path, min(MAX_PART_BYTES, left))
        left -= len(out[info.filename])
    return out


def _inflate(z: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, limit: int) -> bytes:
    """The part's bytes, read in chunks; stops one chunk past ``limit`` at most."""
    chunks: list[bytes] = []
    size = 0
    with z.open(info) as f:
        while chunk := f.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise _too_big(path, info.filename, f"more than {_mib(limit)} once inflated "
                               f"(declared: {_mib(info.file_size)})",
                               f"at most {_mib(MAX_PART_BYTES)} per part and "
                               f"{_mib(MAX_TOTAL_BYTES)} in all")
            chunks.append(chunk)
    return b"".join(chunks)
