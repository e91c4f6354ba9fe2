"""Which files a returned DOCX may name: the book's own sources, and nothing else.

The DOCX names its source files in document properties (``proefdruk-bron-<n>``: path
and SHA-256), and anyone holding the file can edit those. The feedback command reads the
named files to place comments and writes a patch against them, so a name is believed
only when the book plan lists it (a chapter in ``_quarto.yml`` or a file a chapter
includes) and it stays inside the project once symlinks are resolved. Anything else (a
path with ``..``, an absolute path, raw data, code, ``_quarto.yml``) stops the command
before a byte of it is read. Generated parts of the book (the notices, the provenance
entries, a table under ``results/``) may be named, because the renderer names them, but
they are only read to place a remark, never patched: the next build rewrites them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from proefdruk.errors import BuildError
from proefdruk.render.core.source import is_generated
from proefdruk.render.editions.docx_marks import FILE_PROPERTY

SHA256_RE = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Scope:
    """The files of the book: those a DOCX may name, and those a patch may change."""

    readable: frozenset[str]
    patchable: frozenset[str]


def book_scope(root: Path) -> Scope:
    """The chapters ``_quarto.yml`` lists and the files they include, from the plan."""
    # Imported here: the plan imports the renderer, needed only once a DOCX came back.
    from proefdruk.render.workflow.plan import load_plan

    plan = load_plan(root)
    files = {s.spec.source for s in plan.scans.values()}
    files |= {inc for s in plan.scans.values() for inc in s.includes}
    return Scope(frozenset(files), frozenset(f for f in files if not is_generated(f)))


def _refuse(docx: Path, no: int, path: str, found: str, hint: str) -> BuildError:
    return BuildError(
        "the DOCX names a file outside the book's chapters", file=str(docx),
        field=f"{FILE_PROPERTY}{no}",
        expected="a chapter of this book (listed in _quarto.yml, or included by one) as a "
                 "path relative to the project, inside it",
        found=f"{_shown(path)}: {found}", hint=hint)


def _shown(path: str) -> str:
    """The path as named, cut short: a crafted property can hold megabytes."""
    return repr(path if len(path) <= 200 else path[:200] + "…")


def _syntax(docx: Path, no: int, path: str, sha: str) -> None:
    """Checks that need no file system: nothing outside the project can even be tried."""
    tamper = ("this property was edited after the edition was made; ask for the file "
              "as it came back from Word, or send the DOCX from `snakemake all` again")
    if not path:
        raise _refuse(docx, no, path, "no path", tamper)
    if PurePosixPath(path).is_absolute() or PureWindowsPath(path).is_absolute() or \
            PureWindowsPath(path).drive or "\\" in path:
        raise _refuse(docx, no, path, "an absolute path", tamper)
    if ".." in PurePosixPath(path).parts:
        raise _refuse(docx, no, path, "a path that climbs out with '..'", tamper)
    if sha and not SHA256_RE.fullmatch(sha):
        raise BuildError("the DOCX names a source file with a malformed SHA-256",
                         file=str(docx), field=f"{FILE_PROPERTY}{no}",
                         expected="'<path> <64 lowercase hex digits>'",
                         found=f"{_shown(path)} with {sha[:80]!r}", hint=tamper)


def check_files(files: dict[int, tuple[str, str]], root: Path, docx: Path,
                scope: Scope | None = None) -> Scope:
    """The book's scope, after checking that every file the DOCX names is in it."""
    for no, (path, sha) in sorted(files.items()):
        _syntax(docx, no, path, sha)
    scope = scope or book_scope(root)
    top = root.resolve()
    for no, (path, _) in sorted(files.items()):
        if path not in scope.readable:
            raise _refuse(docx, no, path, "not a chapter of the book (data, code, "
                          "configuration or a file _quarto.yml does not list)",
                          "feedback only reads and patches the book's chapters; if this "
                          "file is a chapter, list it under book: chapters: in _quarto.yml")
        if not (root / path).resolve().is_relative_to(top):
            raise _refuse(docx, no, path, f"a symlink to {(root / path).resolve()}, "
                          "outside the project",
                          "keep chapters inside the project folder (copy the file in "
                          "instead of linking to it)")
    return scope
