"""A deposit archive for a data repository (DANS, Zenodo): one deterministic .zip.

A dissertation's data must outlive its author's laptop and git host. The archive packs
what a stranger needs to rebuild and check the book: the tracked sources (so the raw
inputs that are committed, the analysis code, chapters, bibliography, the tooling), the
pseudonymised data the build derived, the lock file of the environment and the manifest
to verify against, plus a README that says how.

Deterministic: entries sorted, every timestamp set from SOURCE_DATE_EPOCH, fixed
permissions and owner fields, fixed compression; the same inputs give the same bytes,
so the archive's own checksum can be published.
"""

from __future__ import annotations

import datetime as _dt
import io
import os
import sys
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from proefdruk import bookmeta, citation_files, summary
from proefdruk.arguments import CommandParser
from proefdruk.errors import BuildError
from proefdruk.files import atomic_write_bytes
from proefdruk.locale.documents import archive_readme, archive_title
from proefdruk.locale.formats import base_language
from proefdruk.verify import tracked_files

# Zip cannot store dates before 1980.
ZIP_EPOCH_MIN = 315532800
DEPOSIT_DIR = "deposit"


def zip_date(epoch: int) -> tuple[int, int, int, int, int, int]:
    """The zip timestamp for SOURCE_DATE_EPOCH (UTC, even seconds, not before 1980)."""
    t = _dt.datetime.fromtimestamp(max(epoch, ZIP_EPOCH_MIN), _dt.UTC)
    return (t.year, t.month, t.day, t.hour, t.minute, t.second - t.second % 2)


def deterministic_zip(entries: Mapping[str, bytes | Path], epoch: int,
                      executable: Iterable[str] = ()) -> bytes:
    """A zip of ``arcname -> bytes or file`` with sorted entries and fixed metadata."""
    execs = set(executable)
    buf = io.BytesIO()
    date = zip_date(epoch)
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name in sorted(entries):
            data = entries[name]
            payload = data.read_bytes() if isinstance(data, Path) else data
            info = zipfile.ZipInfo(name, date_time=date)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the permission bits below are honoured
            mode = 0o755 if name in execs else 0o644
            info.external_attr = (0o100000 | mode) << 16
            zf.writestr(info, payload, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return buf.getvalue()


def book_lang(root: str | Path) -> str:
    """``lang:`` of the project's ``_quarto.yml`` (a file the archive packs anyway)."""
    import yaml

    path = Path(root) / "_quarto.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None
    return str((data or {}).get("lang") or "en")


def readme_text(title: str, prefix: str, manifest_name: str, data_files: list[str],
                lang: str = "nl") -> str:
    """The README inside the archive, in the book's language (``lang``): what is in it
    and how to rebuild and verify (proefdruk/locale/archive-readme.*.md)."""
    none = "(geen)" if base_language(lang) == "nl" else "(none)"
    data_list = "\n".join(f"- `{DEPOSIT_DIR}/{f}`" for f in data_files) or f"- {none}"
    return archive_readme(lang, title=title, prefix=prefix, deposit_dir=DEPOSIT_DIR,
                          manifest_name=manifest_name, data_list=data_list)


def collect_entries(root: str | Path, prefix: str, manifest: str | Path,
                    data_dir: str = "results/data", lock: str = "requirements.lock",
                    title: str | None = None, exclude: Iterable[str] = (),
                    lang: str | None = None) -> tuple[dict[str, bytes | Path], list[str]]:
    """The archive's entries (``arcname -> content``) and the executable ones. The README
    is in ``lang``, by default the book's (``lang:`` of the packed ``_quarto.yml``)."""
    root = Path(root)
    lang = lang or book_lang(root)
    title = title or archive_title(lang)
    skip = tuple(exclude)
    entries: dict[str, bytes | Path] = {}
    executable: list[str] = []
    for rel in tracked_files(root):
        if rel.startswith(skip) if skip else False:
            continue
        path = root / rel
        if path.is_symlink():
            continue  # a link may point outside the deposit; the README lists the sources
        entries[f"{prefix}/{rel}"] = path
        if os.access(path, os.X_OK):
            executable.append(f"{prefix}/{rel}")
    lock_path = root / lock
    if not lock_path.exists():
        raise BuildError("the lock file is missing", file=lock_path,
                         hint="regenerate it (see README) before making a deposit")
    entries[f"{prefix}/{lock}"] = lock_path
    manifest = Path(manifest)
    if not manifest.exists():
        raise BuildError("the manifest is missing", file=manifest,
                         hint="run `snakemake all` first")
    entries[f"{prefix}/{DEPOSIT_DIR}/{manifest.name}"] = manifest
    data_files = []
    base = root / data_dir
    for p in sorted(base.rglob("*")) if base.is_dir() else []:
        if p.is_file() and not p.name.startswith("."):
            rel = p.relative_to(root).as_posix()
            data_files.append(rel)
            entries[f"{prefix}/{DEPOSIT_DIR}/{rel}"] = p
    entries[f"{prefix}/README-DEPOT.md"] = readme_text(
        title, prefix, manifest.name, data_files, lang).encode("utf-8")
    return entries, executable


def deposit_metadata(root: str | Path, archive_name: str) -> dict[str, bytes]:
    """``CITATION.cff`` and DataCite metadata (``datacite.json``) from ``_quarto.yml``:
    what Zenodo, DANS and GitHub read to describe and cite the deposit."""
    meta = bookmeta.load(root)
    return {"CITATION.cff": citation_files.citation_cff(meta, archive_name).encode("utf-8"),
            "datacite.json": citation_files.datacite_json(meta).encode("utf-8")}


def write_archive(root: str | Path, out: str | Path, manifest: str | Path, epoch: int,
                  prefix: str | None = None, title: str | None = None,
                  exclude: Iterable[str] = ()) -> int:
    """Write the deposit zip and its metadata files next to it, each atomically; returns
    the number of entries in the zip."""
    prefix = prefix or Path(out).name.removesuffix(".zip")
    entries, execs = collect_entries(root, prefix, manifest, title=title, exclude=exclude)
    metadata = deposit_metadata(root, Path(out).name)
    for name, data in metadata.items():
        entries[f"{prefix}/{name}"] = data
    atomic_write_bytes(out, deterministic_zip(entries, epoch, execs))
    for name, data in metadata.items():
        atomic_write_bytes(Path(out).parent / name, data)
    return len(entries)


def main(argv: list[str] | None = None) -> int:
    """``proefdruk archive --out X.zip --manifest _book/manifest.json``."""
    ap = CommandParser(prog="proefdruk archive", description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=".")
    ap.add_argument("--out", required=True)
    ap.add_argument("--manifest", default="_book/manifest.json")
    ap.add_argument("--epoch", type=int,
                    default=int(os.environ.get("SOURCE_DATE_EPOCH", ZIP_EPOCH_MIN)))
    ap.add_argument("--title", help="the deposit's title (default: 'Proefschrift' or "
                    "'Dissertation', by the book's lang:)")
    ap.add_argument("--exclude", action="append", default=[],
                    help="leave out tracked paths with this prefix (e.g. raw personal data)")
    args = ap.parse_args(argv)
    try:
        n = write_archive(args.root, args.out, args.manifest, args.epoch,
                          title=args.title, exclude=args.exclude)
    except BuildError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    meta = bookmeta.load(args.root)
    folder = Path(args.out).parent
    print(summary.block("archive", f"{n} file(s) -> {args.out}",
                        [f"{args.out} (sources, data, lock file, manifest)",
                         f"{folder / 'CITATION.cff'}, {folder / 'datacite.json'} (what a "
                         "repository reads to describe and cite the deposit)"],
                        summary.placeholders(meta)))
    return 0
