"""A published edition: one static folder to upload, and a record of every version.

``snakemake publish`` copies the finished editions (the site with its PDF, DOCX, search
index and manifest), the deposit archive and its citation metadata into
``published/<version>/``: a folder that works from any static web server, offline
included, because every link in it is relative. The manifest of each version is also
kept as ``published/manifests/<version>.json``; those small files are meant to be
committed, so a later ``proefdruk changes --since published/manifests/<v>.json``
or ``proefdruk verify --manifest ...`` can always refer to what the
committee read.

A published version is immutable: publishing the same version again with other content
is refused (raise the version in ``_quarto.yml`` under ``thesis: edition: version:``).
The folder is assembled next to its final place and renamed into it, so an interrupted
publish never leaves half an edition behind.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

from proefdruk import bookmeta
from proefdruk.arguments import CommandParser
from proefdruk.errors import BuildError
from proefdruk.manifest import is_run_artifact

PUBLISHED = Path("published")
_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]*$")


def version_of(meta: bookmeta.BookMetadata) -> str:
    """The edition's version, checked to be usable as a folder name."""
    if not meta.version or bookmeta.is_placeholder(meta.version):
        raise BuildError("the edition has no version", file=bookmeta.QUARTO_FILE,
                         field="thesis.edition.version", expected='a version, e.g. "1.0"',
                         hint="set thesis: edition: version: (and label:, date:) in "
                              "_quarto.yml before publishing")
    if not _VERSION.match(meta.version):
        raise BuildError("the edition's version cannot name a folder",
                         file=bookmeta.QUARTO_FILE, field="thesis.edition.version",
                         expected="letters, digits, '.', '_' or '-'", found=meta.version)
    return meta.version


def publish(version: str, book: Path, extra: list[Path], dest_root: Path = PUBLISHED) -> Path:
    """Assemble ``dest_root/version`` from ``book`` (the site) and ``extra`` files."""
    manifest = book / "manifest.json"
    if not manifest.is_file():
        raise BuildError("the edition has no manifest", file=manifest,
                         hint="run `snakemake all` first")
    kept = dest_root / "manifests" / f"{version}.json"
    if kept.exists() and kept.read_bytes() != manifest.read_bytes():
        raise BuildError(f"version {version} was already published with other content",
                         file=kept, hint="raise thesis: edition: version: in _quarto.yml; a "
                                         "published version is never overwritten")
    final = dest_root / version
    staging = dest_root / f".{version}.partial"
    if staging.exists():
        shutil.rmtree(staging)
    shutil.copytree(book, staging, ignore=lambda d, names: [n for n in names
                                                            if is_run_artifact(n)])
    for f in extra:
        if not f.is_file():
            raise BuildError("a file to publish is missing", file=f,
                             hint="run `snakemake archive` first")
        shutil.copyfile(f, staging / f.name)
    kept.parent.mkdir(parents=True, exist_ok=True)
    if not kept.exists():
        shutil.copyfile(manifest, kept)
    if final.exists():
        old = dest_root / f".{version}.old"
        if old.exists():
            shutil.rmtree(old)
        final.rename(old)
        staging.rename(final)
        shutil.rmtree(old)
    else:
        staging.rename(final)
    return final


def main(argv: list[str] | None = None) -> int:
    """``proefdruk publish --book _book --extra ARCHIVE --extra CITATION.cff``."""
    ap = CommandParser(prog="proefdruk publish", description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=".")
    ap.add_argument("--book", default="_book")
    ap.add_argument("--extra", action="append", default=[])
    ap.add_argument("--dest", default=str(PUBLISHED))
    args = ap.parse_args(argv)
    try:
        meta = bookmeta.load(args.root)
        version = version_of(meta)
        out = publish(version, Path(args.book), [Path(p) for p in args.extra], Path(args.dest))
    except BuildError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    todo = bookmeta.missing(meta)
    if todo:
        print("publish: warning: still placeholders in _quarto.yml (left out of the "
              "metadata): " + ", ".join(todo), file=sys.stderr)
    print(f"publish: version {version} -> {out}/ (manifest kept in "
          f"{Path(args.dest) / 'manifests' / (version + '.json')})")
    return 0
