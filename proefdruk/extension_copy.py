"""The project's copy of the Quarto extension, and the package's own.

Real Quarto reads an extension only from the project's ``_extensions/`` folder, so a
project holds a copy of it, as ``quarto add`` leaves one; the built-in renderer reads the
same copy (one source, two renderers). The package carries the canonical extension
(``proefdruk/quarto/proefdruk/``, the version of the package): ``proefdruk new`` copies it
into a new project and ``proefdruk extension update`` brings an existing project's copy to
the installed version. ``proefdruk extension check`` says whether the two differ, file by
file, so a project never renders with an extension other than the tool it runs.

    proefdruk extension check  [--root DIR]
    proefdruk extension update [--root DIR]
"""

from __future__ import annotations

import filecmp
import shutil
import sys
import tempfile
from pathlib import Path

from proefdruk.arguments import CommandParser
from proefdruk.errors import BuildError

PACKAGED = Path(__file__).resolve().parent / "quarto" / "proefdruk"
PROJECT_COPY = Path("_extensions") / "proefdruk"

__all__ = ["PACKAGED", "PROJECT_COPY", "differences", "install", "main"]


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts}


def differences(root: str | Path) -> list[str]:
    """The files in which the project's extension differs from the package's, each as
    ``"path: what"``, sorted; empty when the copy is exactly the package's."""
    copy = Path(root) / PROJECT_COPY
    if not copy.is_dir():
        return [f"{PROJECT_COPY.as_posix()}/: missing"]
    ours, theirs = _files(PACKAGED), _files(copy)
    out = [f"{name}: missing in the project" for name in sorted(ours - theirs)]
    out += [f"{name}: not in proefdruk's extension" for name in sorted(theirs - ours)]
    out += [f"{name}: differs" for name in sorted(ours & theirs)
            if not filecmp.cmp(PACKAGED / name, copy / name, shallow=False)]
    return sorted(out)


def install(root: str | Path) -> Path:
    """Write the package's extension into ``root/_extensions/proefdruk`` in one step: the
    new copy is made beside the old one and swapped in, so a failure leaves the old copy
    as it was. Files of the project's own in that folder are replaced too (it is the
    tool's folder, as ``quarto update`` treats an extension's)."""
    dest = Path(root) / PROJECT_COPY
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".proefdruk-ext-", dir=dest.parent))
    try:
        shutil.copytree(PACKAGED, staging / "new",
                        ignore=shutil.ignore_patterns("__pycache__"))
        if dest.exists():
            dest.rename(staging / "old")
        (staging / "new").rename(dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return dest


def main(argv: list[str] | None = None) -> int:
    parser = CommandParser(
        prog="proefdruk extension",
        description="Check or update the project's copy of proefdruk's Quarto extension.")
    parser.add_argument("action", choices=["check", "update"])
    parser.add_argument("--root", default=".", help="project root (default: .)")
    args = parser.parse_args(argv)
    root = Path(args.root)
    if not (root / "_quarto.yml").is_file():
        raise BuildError("not a Quarto project", file=str(root / "_quarto.yml"),
                         expected="a project root with _quarto.yml", found="no such file",
                         hint="run the command in the project's root, or pass --root")
    if args.action == "update":
        dest = install(root)
        print(f"extension: {dest.as_posix()} is proefdruk's extension now", file=sys.stderr)
        return 0
    found = differences(root)
    for line in found:
        print(f"  {PROJECT_COPY.as_posix()}/{line}", file=sys.stderr)
    print(f"extension: {'differs from' if found else 'is'} the one of the installed "
          f"proefdruk{'; run `proefdruk extension update`' if found else ''}", file=sys.stderr)
    return 1 if found else 0
