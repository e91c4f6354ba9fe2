"""A published edition: one static folder to upload, and a record of every version.

``snakemake publish`` copies the finished editions (the site with its PDF, DOCX, search
index and manifest), the deposit archive and its citation metadata into
``published/<version>/``: a folder that works from any static web server, offline
included, because every link in it is relative. The manifest of each version is also
kept as ``published/manifests/<version>.json``; those small files are meant to be
committed, so a later ``proefdruk changes --since <v>`` or ``proefdruk verify
--manifest ...`` can always refer to what the committee read. Publishing a later version
adds the report of what changed since the one before it (``wijzigingen/``), linked from
the site's home page.

A published version is immutable: publishing the same version again with other content
is refused (raise the version in ``_quarto.yml`` under ``thesis: edition: version:``).
The folder is assembled next to its final place and renamed into it, so an interrupted
publish never leaves half an edition behind.
"""

from __future__ import annotations

import html
import re
import shutil
import sys
from pathlib import Path

from proefdruk import bookmeta, summary
from proefdruk.arguments import CommandParser
from proefdruk.errors import BuildError
from proefdruk.manifest import is_run_artifact

PUBLISHED = Path("published")
VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]*$")


def version_of(meta: bookmeta.BookMetadata) -> str:
    """The edition's version, checked to be usable as a folder name."""
    if not meta.version or bookmeta.is_placeholder(meta.version):
        raise BuildError("the edition has no version", file=bookmeta.QUARTO_FILE,
                         field="thesis.edition.version", expected='a version, e.g. "1.0"',
                         hint="set thesis: edition: version: (and label:, date:) in "
                              "_quarto.yml before publishing")
    if not VERSION.match(meta.version):
        raise BuildError("the edition's version cannot name a folder",
                         file=bookmeta.QUARTO_FILE, field="thesis.edition.version",
                         expected="letters, digits, '.', '_' or '-'", found=meta.version)
    return meta.version


def publish(version: str, book: Path, extra: list[Path], dest_root: Path = PUBLISHED,
            root: Path | None = None) -> Path:
    """Assemble ``dest_root/version`` from ``book`` (the site) and ``extra`` files; with
    the project ``root`` given and an earlier version published, the folder also holds
    the report of what changed since (:func:`add_changes_report`)."""
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
    earlier = previous_version(dest_root, version)
    if root is not None and earlier is not None:
        try:
            add_changes_report(staging, earlier, dest_root, root, book)
        except BuildError as exc:  # the edition itself is fine: publish it, say what is missing
            print(f"publish: warning: no report of the changes since {earlier}:\n{exc}",
                  file=sys.stderr)
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


def _version_key(text: str) -> tuple:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"[._-]", text))


def previous_version(dest_root: Path, version: str) -> str | None:
    """The latest version published before ``version`` (by its numbers: 0.10 after 0.9)."""
    kept = [p.stem for p in (dest_root / "manifests").glob("*.json") if p.stem != version]
    earlier = [v for v in kept if _version_key(v) < _version_key(version)]
    return max(earlier, key=_version_key) if earlier else None


def add_changes_report(folder: Path, earlier: str, dest_root: Path, root: Path,
                       book: Path) -> None:
    """Write what changed since ``earlier`` into ``folder/wijzigingen/`` and link it from
    the site's home page (in its downloads, outside the text the report compares).

    The folder's own manifest records the report's files and the home page with its link,
    so what ``proefdruk verify --editions`` compares matches the folder; the kept manifest
    (``manifests/<version>.json``) stays the build's, which ``verify`` rebuilds against."""
    import json

    from proefdruk.changes import report_words, write_report
    from proefdruk.files import atomic_write_text, dump_json, sha256_file

    since = dest_root / earlier / "manifest.json"
    if not since.is_file():
        since = dest_root / "manifests" / f"{earlier}.json"
    out = folder / "wijzigingen"
    write_report(since, out, root, book / "manifest.json", site="..")
    (out / "wijzigingen.html").rename(out / "index.html")
    words = report_words(root)
    home = folder / "index.html"
    if home.is_file():
        text = home.read_text(encoding="utf-8")
        label = words.word("proefdruk-changes-since-link").replace("$version", earlier)
        link = (f'<li><a class="changes-report" href="wijzigingen/index.html">'
                f'{html.escape(label)}</a></li>')
        marker = '<nav class="sidebar-downloads"'
        at = text.find("</ul>", text.find(marker)) if marker in text else -1
        if at >= 0:
            atomic_write_text(home, text[:at] + link + text[at:])
    manifest = folder / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    prefix = book.name
    for path in sorted([home, *out.rglob("*")]):
        if path.is_file():
            rel = f"{prefix}/{path.relative_to(folder).as_posix()}"
            data["files"][rel] = {"bytes": path.stat().st_size, "group": "edition",
                                  "sha256": sha256_file(path)}
    dump_json(data, manifest)


def published_contents(folder: Path) -> str:
    """What a published folder holds, in words: the site and its files, by kind."""
    names = sorted(p.name for p in folder.iterdir())
    kinds = [("site", "index.html"), ("PDF", ".pdf"), ("DOCX", ".docx"),
             ("manifest", "manifest.json")]
    found = [label for label, end in kinds if any(n.endswith(end) for n in names)]
    extra = [n for n in names if n.endswith((".zip", ".cff", "datacite.json"))]
    return ", ".join(found + extra)


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
        out = publish(version, Path(args.book), [Path(p) for p in args.extra], Path(args.dest),
                      Path(args.root))
    except BuildError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(summary.block(
        "publish", f"version {version} -> {out}/",
        [f"{out}/ ({published_contents(out)})",
         f"{Path(args.dest) / 'manifests' / (version + '.json')} (commit it: what "
         "`proefdruk changes` and `proefdruk verify` compare with later)"]
        + ([f"{out}/wijzigingen/index.html (what changed since the previous version)"]
           if (out / "wijzigingen" / "index.html").is_file() else []),
        summary.placeholders(meta)))
    return 0
