"""The manifest: a fingerprint of everything the build published.

``_book/manifest.json`` lists the SHA-256 of every output a reader or reviewer sees (every
file of the editions under ``_book/``, the figures, the tables, the numbers files) and
the value and printed form of every number. It is what ``snakemake verify`` compares a
clean rebuild against, and what an author deposits with the book so that anyone can
later check that a rebuild gives the same book.

The manifest itself is deterministic: sorted keys, relative paths, no timestamps, no
host names. Two builds of the same sources give the same manifest byte for byte.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from proefdruk.arguments import CommandParser
from proefdruk.errors import BuildError
from proefdruk.provenance import dump_json, sha256_file

SCHEMA = 1
MANIFEST_NAME = "manifest.json"

# Files in output folders that are not outputs: Snakemake's marker in directory outputs
# and the temporary files of atomic writes (``.name.tmp-PID``) of a job still running.
_ARTIFACT = re.compile(r"^(?:\.snakemake_timestamp|\..+\.tmp-\d+|__pycache__|.*\.pyc)$")


def is_run_artifact(path: str | Path) -> bool:
    """True for bookkeeping files that must never be hashed or compared."""
    return any(_ARTIFACT.match(part) for part in Path(path).parts)


# Which outputs the manifest covers, and what a reviewer calls them. A directory is
# walked recursively; run artifacts (see is_run_artifact) are skipped.
DEFAULT_GROUPS: dict[str, tuple[str, ...]] = {
    "edition": ("_book",),
    "figure": ("results/figures",),
    "table": ("results/tables",),
    "numbers": ("results/numbers", "results/numbers.json"),
    "data": ("results/data",),
    "fragment": ("results/fragments",),
    "notice": ("results/notices",),
    # generated Quarto sources (provenance appendix, notices): what `quarto render` reads
    "book-source": ("results/book",),
}


def _walk(root: Path, rel: str) -> list[str]:
    base = root / rel
    if base.is_file():
        return [rel]
    if not base.is_dir():
        return []
    out = []
    for p in base.rglob("*"):
        rel = p.relative_to(root)
        if p.is_file() and not is_run_artifact(rel):
            out.append(rel.as_posix())
    return out


def _sources(root: Path, groups: Mapping[str, Iterable[str]], staged: Mapping[str, str]
             ) -> dict[str, tuple[str, Path]]:
    """``published path -> (group, file to read)``; a staged folder is read in its staging
    place but listed under the name it is published as (``_book/...``)."""
    files: dict[str, tuple[str, Path]] = {}
    for group, rels in groups.items():
        for rel in rels:
            real = staged.get(rel, rel)
            for f in _walk(root, real):
                name = rel + f[len(real):]
                if Path(name).name != MANIFEST_NAME:
                    files.setdefault(name, (group, root / f))
    return dict(sorted(files.items()))


def collect_files(root: str | Path, groups: Mapping[str, Iterable[str]] = DEFAULT_GROUPS,
                  exclude: Iterable[str] = (), staged: Mapping[str, str] | None = None
                  ) -> dict[str, str]:
    """``relative path -> group`` for every output file that exists under ``root``."""
    skip = set(exclude)
    return {name: group for name, (group, _) in
            _sources(Path(root), groups, staged or {}).items() if name not in skip}


def number_fingerprints(registry: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The value and printed form of every number (what verify compares per number)."""
    return {key: {"value": e.get("value"), "display": e.get("display")}
            for key, e in sorted(registry.items())}


def claim_fingerprints(claims: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The outcome of every claim and the values it was decided on (verify compares the
    outcome; a later build's error message quotes the values as "then")."""
    return {key: {"outcome": e.get("outcome"), "values": e.get("values")}
            for key, e in sorted(claims.items())}


def build_manifest(root: str | Path, registry_path: str | Path | None = "results/numbers.json",
                   groups: Mapping[str, Iterable[str]] = DEFAULT_GROUPS,
                   claims_path: str | Path | None = "results/claims.json",
                   staged: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The manifest of the build under ``root``.

    ``staged`` maps a published folder to where the build keeps it until it is promoted
    (``{"_book": "results/staging/_book"}``): the manifest is made before the editions
    are promoted, and promoted last (see proefdruk.promote).
    """
    root = Path(root)
    files = {
        name: {"group": group, "sha256": sha256_file(real), "bytes": real.stat().st_size}
        for name, (group, real) in _sources(root, groups, staged or {}).items()
    }
    numbers: dict[str, Any] = {}
    if registry_path is not None:
        reg = root / registry_path
        if not reg.exists():
            raise BuildError("the merged numbers registry is missing", file=reg,
                             hint="run `snakemake results/numbers.json` first")
        numbers = number_fingerprints(json.loads(reg.read_text(encoding="utf-8")))
    manifest: dict[str, Any] = {"schema": SCHEMA, "files": files, "numbers": numbers}
    if claims_path is not None and (root / claims_path).exists():
        manifest["claims"] = claim_fingerprints(
            json.loads((root / claims_path).read_text(encoding="utf-8")))
    return manifest


def write_manifest(root: str | Path, out: str | Path,
                   registry_path: str | Path | None = "results/numbers.json",
                   claims_path: str | Path | None = "results/claims.json",
                   staged: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Build and write the manifest (deterministic JSON, atomic)."""
    manifest = build_manifest(root, registry_path, claims_path=claims_path, staged=staged)
    dump_json(manifest, out)
    return manifest


def load_manifest(path: str | Path) -> dict[str, Any]:
    """Read a manifest (ours, or a published one a reviewer points at)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BuildError("manifest not found", file=path,
                         hint="build it with `snakemake _book/manifest.json`, or give the "
                              "path of a published manifest: proefdruk verify --manifest PATH"
                         ) from exc
    except json.JSONDecodeError as exc:
        raise BuildError("manifest is not valid JSON", file=path, line=exc.lineno,
                         found=exc.msg, hint="use the manifest.json the build wrote") from exc
    except UnicodeDecodeError as exc:
        raise BuildError("manifest is not text", file=path, expected="a manifest.json",
                         found=f"a binary file (byte {exc.start})",
                         hint="use the manifest.json the build wrote") from exc
    if data.get("schema") != SCHEMA or "files" not in data or "numbers" not in data:
        raise BuildError("not a proefdruk manifest", file=path,
                         expected=f"schema {SCHEMA} with 'files' and 'numbers'",
                         found=str({k: type(v).__name__ for k, v in data.items()}))
    return data


def main(argv: list[str] | None = None) -> int:
    """``proefdruk manifest --out _book/manifest.json``."""
    ap = CommandParser(prog="proefdruk manifest", description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=".")
    ap.add_argument("--registry", default="results/numbers.json")
    ap.add_argument("--claims", default="results/claims.json")
    ap.add_argument("--out", required=True)
    ap.add_argument("--staged", action="append", default=[], metavar="PUBLISHED=STAGING",
                    help="hash the files of STAGING as if they were in PUBLISHED")
    args = ap.parse_args(argv)
    try:
        staged = dict(item.split("=", 1) for item in args.staged)
        m = write_manifest(args.root, args.out, args.registry, args.claims, staged=staged)
    except BuildError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"manifest: {len(m['files'])} file(s), {len(m['numbers'])} number(s), "
          f"{len(m.get('claims', {}))} claim(s) -> {args.out}")
    return 0
