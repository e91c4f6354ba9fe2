"""Clean-room verification: rebuild from the tracked sources and compare with a manifest.

A reviewer should not have to trust the author's ``results/`` or ``_book/``: those may
hold stale outputs, files nobody committed or a hand edit. ``verify`` copies only the
files git tracks to an empty temporary directory, rebuilds everything there from the raw
data with the same Python environment and the same Snakemake profile, and compares each
number, table, figure and edition with a manifest (the local ``_book/manifest.json`` or a
published one). It prints what matched and what did not and fails on any difference.

``build_twice`` does the same twice and compares the two trees byte for byte; that is the
test for reproducible bytes (timestamps, absolute paths, random ids, unordered output).
``scan_outputs`` looks for the two usual culprits in one build: the build directory's
absolute path and today's date written into an output.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from proefdruk.arguments import CommandParser
from proefdruk.errors import BuildError
from proefdruk.manifest import (
    MANIFEST_NAME,
    build_manifest,
    claim_fingerprints,
    collect_files,
    is_run_artifact,
    load_manifest,
    number_fingerprints,
)
from proefdruk.provenance import dump_json, sha256_file

# Outputs that are about the run, not about the book: never compared. The feedback
# report (proefdruk feedback) links to the author's own files by absolute path.
RUN_ONLY = (".snakemake", "logs", "benchmarks", ".proefdruk-cache", "results/reports",
            "results/feedback")


# ----------------------------------------------------------------------- clean sources

def tracked_files(root: str | Path) -> list[str]:
    """The files git tracks in ``root`` (as in the working tree), sorted.

    Only tracked files: a file the author forgot to commit must make the clean rebuild
    fail here rather than on the reviewer's machine.
    """
    root = Path(root)
    try:
        out = subprocess.run(["git", "ls-files", "-z", "--cached"], cwd=root, check=True,
                             capture_output=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise BuildError("cannot list the tracked files", file=root,
                         expected="a git repository", found=str(exc),
                         hint="run verify from a git checkout of the project") from exc
    names = sorted({n for n in out.decode("utf-8").split("\0") if n})
    return [n for n in names if (root / n).is_file() or (root / n).is_symlink()]


def copy_tracked(root: str | Path, dest: str | Path,
                 files: Iterable[str] | None = None) -> list[str]:
    """Copy the tracked files of ``root`` into ``dest`` (modes kept, symlinks as links)."""
    root, dest = Path(root), Path(dest)
    names = list(files) if files is not None else tracked_files(root)
    for name in names:
        src, dst = root / name, dest / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():
            os.symlink(os.readlink(src), dst)
        else:
            shutil.copy2(src, dst)
    return names


def export_revision(root: str | Path, rev: str, dest: str | Path) -> list[str]:
    """The files of commit ``rev`` (not the working tree) written into ``dest``.

    What a reviewer checks is usually a published commit, not the author's desk.
    """
    import io
    import tarfile

    try:
        data = subprocess.run(["git", "archive", "--format=tar", rev], cwd=root, check=True,
                              capture_output=True).stdout
    except subprocess.CalledProcessError as exc:
        raise BuildError(f"cannot export revision '{rev}'", file=root,
                         expected="a commit, tag or branch of this repository",
                         found=exc.stderr.decode("utf-8", "replace").strip(),
                         hint="check the name with `git log --oneline`") from exc
    Path(dest).mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        members = [m for m in tar.getmembers() if m.isfile() or m.issym() or m.isdir()]
        tar.extractall(dest, members=members, filter="tar")
    return sorted(m.name for m in members if not m.isdir())


def rebuild(workdir: str | Path, targets: Sequence[str] = ("all",),
            log: str | Path | None = None, extra_args: Sequence[str] = (),
            python: str = sys.executable) -> None:
    """Run Snakemake in ``workdir`` with this Python environment and the default profile.

    The working directory is the copy itself, so Snakemake picks up the project's own
    ``profiles/default`` and nothing of the outer build.
    """
    workdir = Path(workdir)
    cmd = [python, "-m", "snakemake", *targets, *extra_args]
    env = dict(os.environ)
    # The clean copy's own sources first: never the outer checkout's tooling. The date
    # comes from the copy's config, not from whatever the outer shell exported.
    env["PYTHONPATH"] = str(workdir)
    env.pop("SOURCE_DATE_EPOCH", None)
    # Tools installed in the same environment (console scripts) come first on PATH.
    env["PATH"] = os.pathsep.join([str(Path(python).parent), env.get("PATH", "")])
    log_path = Path(log) if log else workdir / "logs" / "clean-rebuild.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w", encoding="utf-8") as fh:
        proc = subprocess.run(cmd, cwd=workdir, env=env, stdout=fh, stderr=subprocess.STDOUT)
    if proc.returncode != 0:
        lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        tail = "\n".join(lines[-40:])
        raise BuildError("the clean rebuild failed", file=workdir,
                         expected="snakemake " + " ".join(targets) + " to succeed",
                         found=f"exit status {proc.returncode}; last lines:\n{tail}",
                         hint="a file the build needs may not be committed (git add it), "
                              f"or the build fails from scratch; full log: {log_path}")


# --------------------------------------------------------------------------- comparing

@dataclass(frozen=True)
class Row:
    """One compared item: a number or a file."""

    kind: str
    item: str
    status: str  # match, differs, missing (not rebuilt), extra (not in the manifest)
    expected: str = ""
    found: str = ""


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 24 else text[:12] + "…"


def _compare_values(kind: str, expected: Mapping[str, Any], actual: Mapping[str, Any],
                    shown_first: str, shown_else: str, fmt: Any) -> list[Row]:
    """Rows for the numbers (or claims) of two manifests: extra, missing, match, differs;
    a difference shows ``shown_first`` unless only ``shown_else`` differs."""
    rows = []
    for key in sorted(set(expected) | set(actual)):
        e, a = expected.get(key), actual.get(key)
        if e is None:
            rows.append(Row(kind, key, "extra", "", str(a[shown_first])))
        elif a is None:
            rows.append(Row(kind, key, "missing", str(e[shown_first]), ""))
        else:
            shown = shown_first if e.get(shown_first) != a.get(shown_first) else shown_else
            rows.append(Row(kind, key, "match" if e == a else "differs",
                            fmt(e[shown]), fmt(a[shown])))
    return rows


def compare_manifests(expected: Mapping[str, Any], actual: Mapping[str, Any]) -> list[Row]:
    """Every number, claim and file of both manifests, with its status."""
    rows: list[Row] = []
    # Same print, different raw value: show the raw values, or nothing would show. For a
    # claim the outcome decides the text; the values behind it are compared too.
    rows += _compare_values("number", expected.get("numbers", {}), actual.get("numbers", {}),
                            "display", "value", str)
    rows += _compare_values("claim", expected.get("claims", {}), actual.get("claims", {}),
                            "outcome", "values", _short)
    exp_f, act_f = expected.get("files", {}), actual.get("files", {})
    for path in sorted(set(exp_f) | set(act_f)):
        e, a = exp_f.get(path), act_f.get(path)
        kind = (e or a)["group"]
        if e is None:
            rows.append(Row(kind, path, "extra", "", _short(a["sha256"])))
        elif a is None:
            rows.append(Row(kind, path, "missing", _short(e["sha256"]), ""))
        else:
            status = "match" if e["sha256"] == a["sha256"] else "differs"
            rows.append(Row(kind, path, status, _short(e["sha256"]), _short(a["sha256"])))
    return rows


def held_files(root: str | Path) -> dict[str, Any]:
    """The files a reader holds under ``root`` (``_book/`` and the published
    ``results/``), as a manifest: what :func:`compare_manifests` compares with the
    published one. A hand-edited ``results/numbers.json`` shows twice: as a file and as
    the number whose value changed."""
    root = Path(root)
    files = {name: {"group": group, "sha256": sha256_file(root / name)}
             for name, group in collect_files(root).items()}
    numbers: dict[str, Any] = {}
    registry = root / "results" / "numbers.json"
    if registry.is_file():
        try:
            numbers = number_fingerprints(json.loads(registry.read_text(encoding="utf-8")))
        except (ValueError, AttributeError):
            numbers = {}  # the file row already says it differs
    held: dict[str, Any] = {"files": files, "numbers": numbers}
    claims = root / "results" / "claims.json"
    if claims.is_file():  # the manifest records claim outcomes too (see manifest.py)
        try:
            held["claims"] = claim_fingerprints(json.loads(claims.read_text(encoding="utf-8")))
        except (ValueError, AttributeError):
            held["claims"] = {}
    return held


def edition_folder(folder: str | Path, published_as: str = "_book") -> dict[str, Any]:
    """A downloaded edition folder alone, named as the manifest names it (``_book/...``)."""
    folder = Path(folder)
    files = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if p.is_file() and p.name != MANIFEST_NAME and not is_run_artifact(rel):
            files[f"{published_as}/{rel}"] = {"group": "edition", "sha256": sha256_file(p)}
    return {"files": files, "numbers": {}}


def only_editions(manifest: Mapping[str, Any]) -> dict[str, Any]:
    """The part of a manifest that an edition folder can be checked against."""
    return {"files": {k: v for k, v in manifest.get("files", {}).items()
                      if v.get("group") == "edition"}, "numbers": {}}


def verify_editions(folder: str | Path, manifest_path: str | Path | None = None,
                    out=sys.stdout) -> list[Row]:
    """Check a downloaded edition folder against its manifest, without rebuilding.

    The manifest is ``folder/manifest.json`` unless another is given. Raises BuildError
    naming each file that differs, is missing or is not in the manifest.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise BuildError("the edition folder does not exist", file=folder,
                         expected="a folder with the pages, PDF and DOCX of an edition",
                         hint="give the folder you downloaded: "
                              "proefdruk verify --editions path/to/_book")
    manifest_path = Path(manifest_path) if manifest_path else folder / MANIFEST_NAME
    rows = compare_manifests(only_editions(load_manifest(manifest_path)),
                             edition_folder(folder))
    _report_held(rows, manifest_path, f"the edition in {folder}", out)
    return rows


def _report_held(rows: Sequence[Row], manifest_path: str | Path, what: str, out) -> None:
    print(format_table(rows, found_label="held"), file=out, flush=True)
    bad = differences(rows)
    if bad:
        raise BuildError(
            f"{what} differs from the manifest in {len(bad)} of {len(rows)} item(s)",
            file=manifest_path, expected="every published file and number as the manifest "
            "lists it", found=", ".join(f"{r.item} ({r.status})" for r in bad[:8])
            + (" …" if len(bad) > 8 else ""),
            hint="a file was changed after the build (by hand, a tool or a damaged "
                 "download); rebuild with `snakemake all`, or download the edition again")
    print(f"verify: all {len(rows)} item(s) of {what} match {manifest_path}", file=out)


def format_table(rows: Sequence[Row], show_matches: bool = False,
                 found_label: str = "rebuilt") -> str:
    """A plain-text table: a summary per kind, then every item that did not match."""
    kinds = sorted({r.kind for r in rows})
    lines = [f"{'kind':<10} {'match':>6} {'differs':>8} {'missing':>8} {'extra':>6}"]
    for k in kinds:
        sel = [r for r in rows if r.kind == k]
        counts = [sum(r.status == s for r in sel) for s in ("match", "differs", "missing", "extra")]
        lines.append(f"{k:<10} {counts[0]:>6} {counts[1]:>8} {counts[2]:>8} {counts[3]:>6}")
    shown = [r for r in rows if show_matches or r.status != "match"]
    if shown:
        width = min(70, max(len(r.item) for r in shown))
        lines.append("")
        lines.append(f"{'status':<8} {'kind':<9} {'item':<{width}} {'manifest':<26} {found_label}")
        for r in shown:
            lines.append(f"{r.status:<8} {r.kind:<9} {r.item:<{width}} {r.expected:<26} {r.found}")
    return "\n".join(lines)


def differences(rows: Iterable[Row]) -> list[Row]:
    return [r for r in rows if r.status != "match"]


# -------------------------------------------------------------------------------- verify

def verify(root: str | Path, manifest_path: str | Path, targets: Sequence[str] = ("all",),
           keep: bool = False, log: str | Path | None = None,
           workdir: str | Path | None = None, out=sys.stdout,
           rev: str | None = None) -> list[Row]:
    """Rebuild the tracked sources of ``root`` in a clean directory; compare with a manifest.

    The sources are the tracked files as they are in the working tree, or, with ``rev``,
    as they are in that commit.

    Returns the compared rows; raises BuildError when anything differs (after printing the
    table), so a Snakemake rule or a CLI fails with a non-zero exit status.
    """
    root = Path(root).resolve()
    expected = load_manifest(manifest_path)
    # First what the reader holds: the published files here, hashed as they are now.
    held_error: BuildError | None = None
    try:
        _report_held(compare_manifests(expected, held_files(root)), manifest_path,
                     "the published files in this checkout", out)
    except BuildError as exc:
        held_error = exc
        print(f"verify: {exc}", file=out, flush=True)
    tmp = Path(workdir) if workdir else Path(tempfile.mkdtemp(prefix="proefdruk-verify-"))
    ok = False
    try:
        n = len(export_revision(root, rev, tmp) if rev else copy_tracked(root, tmp))
        origin = f"commit {rev}" if rev else "the working tree"
        print(f"verify: {n} tracked file(s) of {origin} copied to {tmp}; rebuilding "
              f"(snakemake {' '.join(targets)})...", file=out, flush=True)
        rebuild(tmp, targets, log=log)
        actual = build_manifest(tmp)
        rows = compare_manifests(expected, actual)
        print(format_table(rows), file=out, flush=True)
        bad = differences(rows)
        if bad:
            raise BuildError(
                f"the clean rebuild differs from the manifest in {len(bad)} of "
                f"{len(rows)} item(s)", file=manifest_path,
                expected="every number, table, figure and edition identical",
                found=", ".join(f"{r.item} ({r.status})" for r in bad[:8])
                + (" …" if len(bad) > 8 else ""),
                hint="see the table above; a 'differs' in an edition alone often means "
                     "nondeterminism (run `proefdruk verify twice`); keep the "
                     "clean copy with `proefdruk verify --keep`",
            )
        print(f"verify: all {len(rows)} item(s) of the clean rebuild match {manifest_path}",
              file=out)
        ok = True
        if held_error is not None:
            raise held_error
        return rows
    finally:
        if keep or not ok:
            print(f"verify: clean copy kept in {tmp}", file=out)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


# ----------------------------------------------------------------- reproducible bytes

def output_files(root: str | Path) -> dict[str, str]:
    """SHA-256 of every build output under ``root`` (results/ and _book/, run files out)."""
    root = Path(root)
    found: dict[str, str] = {}
    for top in ("results", "_book"):
        base = root / top
        if not base.is_dir():
            continue
        for p in sorted(base.rglob("*")):
            rel = p.relative_to(root).as_posix()
            if p.is_file() and not is_run_artifact(rel) \
                    and not any(rel == r or rel.startswith(r + "/") for r in RUN_ONLY):
                found[rel] = sha256_file(p)
    return found


def compare_trees(a: str | Path, b: str | Path) -> list[Row]:
    """Byte-level comparison of the outputs of two builds."""
    fa, fb = output_files(a), output_files(b)
    rows = []
    for rel in sorted(set(fa) | set(fb)):
        if rel not in fa:
            rows.append(Row("file", rel, "extra", "", _short(fb[rel])))
        elif rel not in fb:
            rows.append(Row("file", rel, "missing", _short(fa[rel]), ""))
        else:
            rows.append(Row("file", rel, "match" if fa[rel] == fb[rel] else "differs",
                            _short(fa[rel]), _short(fb[rel])))
    return rows


def _scanned(root: Path, files: Iterable[str] | None) -> list[str]:
    """The files to scan: ``files`` (project-relative; a folder stands for the files in
    it), or when None every build output under ``root`` (:func:`output_files`)."""
    if files is None:
        return list(output_files(root))
    found: set[str] = set()
    for rel in files:
        path = root / rel
        if path.is_dir():
            found.update(p.relative_to(root).as_posix() for p in path.rglob("*")
                         if p.is_file())
        else:
            found.add(Path(rel).as_posix())
    return sorted(found)


def scan_outputs(root: str | Path, today: _dt.date | None = None,
                 epoch: int | None = None,
                 files: Iterable[str] | None = None) -> list[dict[str, str]]:
    """Outputs that embed the build directory's absolute path or today's date.

    Both make a rebuild elsewhere or tomorrow differ. Today's date is only suspicious when
    it is not the SOURCE_DATE_EPOCH date. ``files`` limits the scan to those outputs: the
    build's rule scans what it publishes (its declared inputs), never whatever else lies
    in results/ or a previous _book/ (see :func:`_scanned`).
    """
    root = Path(root).resolve()
    today = today or _dt.datetime.now(_dt.UTC).date()
    epoch_date = (_dt.datetime.fromtimestamp(epoch, _dt.UTC).date()
                  if epoch is not None else None)
    needles = {"the absolute build path": [str(root).encode()]}
    if today != epoch_date:
        needles["today's date"] = [today.isoformat().encode(),
                                   today.strftime("%Y%m%d").encode(),
                                   today.strftime("%d-%m-%Y").encode()]
    problems = []
    for rel in _scanned(root, files):
        for part, data, stamp in _contents(root / rel):
            where = f"{rel}:{part}" if part else rel
            for what, pats in needles.items():
                if any(p in data for p in pats):
                    problems.append({"file": rel, "message": f"{where} contains {what}"})
            if stamp is not None and stamp[:3] == (today.year, today.month, today.day) \
                    and today != epoch_date:
                problems.append({"file": rel,
                                 "message": f"{where} is stamped with today's date"})
    return problems


# Date fields that tools stamp into editions: PDF info and XMP, DOCX core properties.
_DATE_FIELDS = (
    re.compile(rb"/(?:CreationDate|ModDate)\s*\(D:(\d{4})(\d{2})(\d{2})"),
    re.compile(rb"xmp:(?:CreateDate|ModifyDate|MetadataDate)>(\d{4})-(\d{2})-(\d{2})"),
    re.compile(rb"<dcterms:(?:created|modified)[^>]*>(\d{4})-(\d{2})-(\d{2})"),
)


def check_epoch(root: str | Path, epoch: int,
                files: Iterable[str] | None = None) -> list[dict[str, str]]:
    """Date fields in the editions that are not the SOURCE_DATE_EPOCH date.

    A PDF or DOCX that carries the build date instead of the fixed one differs every day;
    this names the file and the field so the tool that stamped it can be told. ``files``
    as for :func:`scan_outputs`.
    """
    root = Path(root)
    want = _dt.datetime.fromtimestamp(epoch, _dt.UTC).date()
    problems = []
    for rel in _scanned(root, files):
        for part, data, _stamp in _contents(root / rel):
            for pattern in _DATE_FIELDS:
                for m in pattern.finditer(data):
                    found = _dt.date(*(int(g) for g in m.groups()))
                    if found != want:
                        where = f"{rel}:{part}" if part else rel
                        problems.append({"file": rel, "message": (
                            f"{where} carries the date {found.isoformat()} where "
                            f"SOURCE_DATE_EPOCH gives {want.isoformat()} "
                            f"({m.group(0).decode('ascii', 'replace')})")})
    return problems


def _contents(path: Path) -> list[tuple[str, bytes, tuple[int, ...] | None]]:
    """A file's bytes, or for a zip container (DOCX, XLSX, zip) each member's bytes and
    timestamp: DOCX metadata and member dates are compressed and invisible otherwise."""
    import zipfile

    data = path.read_bytes()
    if not data.startswith(b"PK\x03\x04"):
        return [("", data, None)]
    try:
        with zipfile.ZipFile(path) as zf:
            return [(i.filename, zf.read(i), i.date_time) for i in zf.infolist()]
    except zipfile.BadZipFile:
        return [("", data, None)]


def build_twice(root: str | Path, targets: Sequence[str] = ("all",),
                keep: bool = False, out=sys.stdout) -> dict[str, Any]:
    """Build the tracked sources twice in two clean directories and compare every output.

    Returns ``{"identical": bool, "rows": [...differences...], "scan": [...]}``; the two
    directories have different absolute paths, so an embedded path shows up as a
    difference too.
    """
    root = Path(root).resolve()
    dirs = [Path(tempfile.mkdtemp(prefix=f"proefdruk-twice-{i}-")) for i in (1, 2)]
    try:
        names = tracked_files(root)
        for d in dirs:
            copy_tracked(root, d, names)
            print(f"build-twice: building in {d} ...", file=out, flush=True)
            rebuild(d, targets)
        rows = compare_trees(*dirs)
        bad = differences(rows)
        epoch = _epoch(dirs[0])
        scan = scan_outputs(dirs[0], epoch=epoch)
        if epoch is not None:
            scan += check_epoch(dirs[0], epoch)
        print(format_table(rows), file=out)
        return {"identical": not bad, "compared": len(rows),
                "differences": [vars(r) for r in bad], "scan": scan,
                "dirs": [str(d) for d in dirs] if keep else []}
    finally:
        if not keep:
            for d in dirs:
                shutil.rmtree(d, ignore_errors=True)


def _epoch(root: Path) -> int | None:
    """SOURCE_DATE_EPOCH as the build used it: the environment, else config/config.yaml."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value and value.isdigit():
        return int(value)
    cfg = Path(root) / "config" / "config.yaml"
    if cfg.exists():
        from proefdruk.config_file import load_config_file  # bounded: no alias bomb

        found = load_config_file(cfg).get("source_date_epoch")
        return int(found) if found is not None else None
    return None


# ------------------------------------------------------------------------------- CLI

SUBCOMMANDS = ("manifest", "editions", "twice", "scan")


def _summary(rows: Sequence[Row], what: str, manifest: str | Path, wrote: list[str]) -> str:
    """The closing block of a verification that held (one that did not raised)."""
    from proefdruk.summary import block

    return block("verify", f"as published: {what} ({len(rows)} item(s) match {manifest})",
                 wrote, [])


def main(argv: list[str] | None = None) -> int:
    """``proefdruk verify [manifest|editions|twice|scan] ...`` (see --help).

    The act a reviewer runs is ``proefdruk verify`` with flags (``--manifest``,
    ``--editions``, ``--rev``, ``--keep``, ``--target``): without a subcommand it is
    ``manifest``. ``snakemake verify`` runs the same with the defaults; this is the one
    place the act and its options are defined.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help")):
        argv = ["manifest", *argv]
    ap = CommandParser(prog="proefdruk verify", description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    v = sub.add_parser("manifest", help="clean rebuild compared with a manifest (the default)")
    v.add_argument("--root", default=".")
    v.add_argument("--manifest", default="_book/manifest.json",
                   help="the manifest to compare with, e.g. a published one "
                        "(default: the build's own _book/manifest.json)")
    v.add_argument("--target", action="append", dest="targets",
                   help="what the clean rebuild builds (repeatable; default: all)")
    v.add_argument("--keep", action="store_true",
                   help="keep the clean copy (it is always kept on failure)")
    v.add_argument("--rev", default=None, help="verify this commit instead of the worktree")
    v.add_argument("--log", default=None, help="write the clean rebuild's output here")
    v.add_argument("--editions", default=None, metavar="FOLDER",
                   help="check this downloaded edition folder alone against its "
                        "manifest.json (or --manifest); no rebuild")
    v.add_argument("--report", default=None, help="write the compared rows as JSON")
    e = sub.add_parser("editions", help="a downloaded edition folder against its manifest")
    e.add_argument("--folder", required=True)
    e.add_argument("--manifest", default=None, help="default: FOLDER/manifest.json")
    t = sub.add_parser("twice", help="two clean builds compared byte for byte")
    t.add_argument("--root", default=".")
    t.add_argument("--target", action="append", dest="targets")
    t.add_argument("--keep", action="store_true")
    t.add_argument("--report", default=None)
    s = sub.add_parser("scan", help="look for absolute paths and today's date in outputs")
    s.add_argument("--root", default=".")
    s.add_argument("--report", required=True)
    s.add_argument("--files", nargs="*", metavar="PATH", default=None,
                   help="scan only these outputs (folders: the files in them); "
                        "default: every output under results/ and _book/")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "manifest" and args.editions:
            # the folder's own manifest unless another one was named
            given = args.manifest if args.manifest != "_book/manifest.json" else None
            rows = verify_editions(args.editions, given)
            print(_summary(rows, f"the edition in {args.editions}",
                           given or Path(args.editions) / MANIFEST_NAME, []))
        elif args.cmd == "manifest":
            rows = verify(args.root, args.manifest, args.targets or ["all"], args.keep, args.log,
                          rev=args.rev)
            if args.report:
                dump_json({"rows": [vars(r) for r in rows]}, args.report)
            print(_summary(rows, "the files here and their clean rebuild", args.manifest,
                           [f"{args.log} (the clean rebuild's output)"] * bool(args.log)
                           + [f"{args.report} (every compared item)"] * bool(args.report)))
        elif args.cmd == "editions":
            rows = verify_editions(args.folder, args.manifest)
            print(_summary(rows, f"the edition in {args.folder}",
                           args.manifest or Path(args.folder) / MANIFEST_NAME, []))
        elif args.cmd == "twice":
            res = build_twice(args.root, args.targets or ["all"], args.keep)
            if args.report:
                dump_json(res, args.report)
            print(f"build-twice: {'identical' if res['identical'] else 'DIFFERENT'} "
                  f"({res['compared']} file(s), {len(res['differences'])} differ, "
                  f"{len(res['scan'])} suspicious)")
            return 0 if res["identical"] else 1
        else:
            epoch = _epoch(Path(args.root))
            problems = scan_outputs(args.root, epoch=epoch, files=args.files)
            if epoch is not None:
                problems += check_epoch(args.root, epoch, files=args.files)
            dump_json({"check": "reproducibility", "errors": [], "warnings": problems,
                       "summary": f"{len(problems)} problem(s): build path, today's date or "
                                  "a date that is not SOURCE_DATE_EPOCH in an output"},
                      args.report)
    except BuildError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 0
