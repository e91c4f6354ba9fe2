"""Promoting the editions: the staging folder replaces ``_book/`` in one step.

A reader's ``_book/`` must always hold one complete edition: the pages, the PDF, the
DOCX, the search index and the manifest of the same build. So the book rules render into
a staging folder (``results/staging/_book``), and only when every edition of the build
exists does the ``promote`` rule copy it over, in three phases:

1. every file is written next to its final place as ``.name.tmp-PID`` (a disk that fills
   up fails here, before anything published has changed, and the temporary files go);
2. each file is renamed into place (an atomic rename per file, no space needed), and
   files of the previous edition that the new one no longer has are removed;
3. the manifest is renamed last, so a manifest always describes the files beside it.

A promotion that is killed between two renames leaves a mix; the promote record
(``results/promote/record.json``, the hash of every published file) is removed before the
step runs and written after it, so the next ``snakemake all`` sees the record missing (or
not matching ``_book/``, see :func:`damaged`) and promotes again.

The staging folder is copied, not moved: it stays the rules' declared output, so an
unchanged edition is not rendered again.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

from proefdruk.arguments import CommandParser
from proefdruk.errors import BuildError, disk_full_error
from proefdruk.files import dump_json, sha256_file
from proefdruk.manifest import MANIFEST_NAME, is_run_artifact

CHUNK = 1 << 20
# Where the book rules render an output folder (``_book``) before it is promoted.
STAGING = "results/staging"


def staging_folder(output_dir: str = "_book") -> str:
    """The staging place of the book's output folder: what the rules write and what the
    preview serves (it shows a page as soon as it is rendered)."""
    return f"{STAGING}/{output_dir.strip('/')}"


def quarto_staging_folder(output_dir: str = "_book") -> str:
    """Real Quarto's own staging place (config ``render.quarto``): one folder Quarto renders
    whole, apart from the built-in renderer's, so neither's files pass for the other's."""
    return f"{STAGING}/quarto/{output_dir.strip('/').rsplit('/', 1)[-1]}"


def staged_files(staging: str | Path) -> dict[str, Path]:
    """``relative path -> file`` for everything in the staging folder (run files out)."""
    staging = Path(staging)
    if not staging.is_dir():
        raise BuildError("the staging folder of the editions is missing", file=staging,
                         expected="the rendered editions (pages, PDF, DOCX) in it",
                         found="no such folder",
                         hint="run `snakemake all`; promote only after every edition rule")
    found = {}
    for p in sorted(staging.rglob("*")):
        rel = p.relative_to(staging).as_posix()
        if p.is_file() and not is_run_artifact(rel):
            found[rel] = p
    return found


def _tmp_name(final: Path) -> Path:
    return final.with_name(f".{final.name}.tmp-{os.getpid()}")


def _copy_hashing(src: Path, dst: Path) -> str:
    """Copy ``src`` to ``dst`` and return the SHA-256 of what was copied."""
    digest = hashlib.sha256()
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        while block := fin.read(CHUNK):
            digest.update(block)
            fout.write(block)
    shutil.copymode(src, dst)
    return digest.hexdigest()


def _free_bytes(folder: Path) -> int:
    probe = folder
    while not probe.exists():
        probe = probe.parent
    return shutil.disk_usage(probe).free


def promote(staging: str | Path, dest: str | Path, manifest: str | Path,
            record: str | Path, reserve: int = 0) -> dict[str, str]:
    """Replace the edition in ``dest`` by the one in ``staging``; ``manifest`` goes last.

    ``reserve`` is the number of bytes that must stay free on the disk afterwards (config
    ``promote.reserve_mb``). Returns ``published path -> SHA-256`` (also written to
    ``record``). On any failure before the renames, ``dest`` is exactly as it was.
    """
    staging, dest, manifest = Path(staging), Path(dest), Path(manifest)
    if dest.exists() and not dest.is_dir():
        raise BuildError("the published edition's place is not a folder", file=dest,
                         expected="a folder (or nothing) where the editions go",
                         found="a file", hint=f"remove or rename {dest}, then run the "
                         "build again; the staged editions are kept")
    files = staged_files(staging)
    if not manifest.is_file():
        raise BuildError("the manifest of the staged editions is missing", file=manifest,
                         hint="run `snakemake all`; the manifest rule writes it")
    plan = [(files[rel], dest / rel) for rel in files]
    plan.append((manifest, dest / MANIFEST_NAME))
    needed = sum(src.stat().st_size for src, _ in plan)
    free = _free_bytes(dest)
    if free - needed < reserve:
        raise disk_full_error(dest, needed + reserve, free)

    created: list[Path] = []
    written: list[Path] = []
    hashes: dict[str, str] = {}
    try:
        for src, final in plan:
            for parent in reversed(final.parents):
                if not parent.exists():
                    parent.mkdir()
                    created.append(parent)
            tmp = _tmp_name(final)
            written.append(tmp)
            hashes[final.relative_to(dest).as_posix()] = _copy_hashing(src, tmp)
    except OSError as exc:
        # Clean up what can be cleaned up; a second failure must not hide the first.
        for tmp in written:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
        for folder in reversed(created):
            with contextlib.suppress(OSError):
                folder.rmdir()
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise disk_full_error(written[-1] if written else dest, needed + reserve,
                                  _free_bytes(dest)) from None
        raise BuildError("cannot write the new edition next to the published one",
                         file=exc.filename or dest, found=f"{exc.strerror} (errno {exc.errno})",
                         hint="check the permissions of the folder; the published "
                              "edition was not changed") from None

    keep = {final for _, final in plan}
    for _src, final in plan[:-1]:
        os.replace(_tmp_name(final), final)
    for old in sorted(dest.rglob("*"), reverse=True):
        if old.is_file() and old not in keep and not is_run_artifact(old.relative_to(dest)):
            old.unlink()
        elif old.is_dir() and not any(old.iterdir()):
            old.rmdir()
    os.replace(_tmp_name(plan[-1][1]), plan[-1][1])

    published = {f"{dest.name}/{rel}": sha for rel, sha in sorted(hashes.items())}
    dump_json({"folder": dest.name, "files": published}, record)
    return published


def damaged(dest: str | Path, record: str | Path) -> list[str]:
    """How ``dest`` differs from what the last publish wrote (empty when intact).

    Read each time Snakemake starts: a published file that was edited, removed or added
    by hand makes the next build promote again.
    """
    dest, record = Path(dest), Path(record)
    try:
        want = json.loads(record.read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return [f"{record} unreadable"]
    have = {f"{dest.name}/{p.relative_to(dest).as_posix()}": p for p in dest.rglob("*")
            if p.is_file() and not is_run_artifact(p.relative_to(dest))} if dest.is_dir() else {}
    problems = [f"{rel} missing" for rel in sorted(set(want) - set(have))]
    problems += [f"{rel} extra" for rel in sorted(set(have) - set(want))]
    problems += [f"{rel} changed" for rel in sorted(set(want) & set(have))
                 if sha256_file(have[rel]) != want[rel]]
    return problems


def main(argv: list[str] | None = None) -> int:
    """``proefdruk promote --staging S --dest _book --manifest M --record R``."""
    ap = CommandParser(prog="proefdruk promote", description=__doc__.splitlines()[0])
    ap.add_argument("--staging", required=True)
    ap.add_argument("--dest", required=True)
    ap.add_argument("--manifest", required=True)
    ap.add_argument("--record", required=True)
    ap.add_argument("--reserve-mb", type=float, default=0)
    args = ap.parse_args(argv)
    try:
        done = promote(args.staging, args.dest, args.manifest, args.record,
                       int(args.reserve_mb * 1024 * 1024))
    except BuildError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except OSError as exc:  # read-only, permissions, a folder gone: say so, no traceback
        print(str(BuildError("the editions could not be published", file=exc.filename
                             or args.dest, found=f"{exc.strerror} (errno {exc.errno})",
                             hint="check that the folder exists and is writable, then run "
                                  "the build again; the staged editions are kept")),
              file=sys.stderr)
        return 1
    print(f"promote: {len(done)} file(s) in {args.dest}/, manifest last")
    return 0
