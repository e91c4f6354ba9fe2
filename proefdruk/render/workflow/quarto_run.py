"""``proefdruk quarto-render``: real Quarto renders the book, and leaves nothing behind.

Quarto renders in the project folder and writes its working files there, next to the
sources: ``index.typ`` (kept when the Typst step fails), ``.quarto/`` (its index of
cross-references between runs: a stale one would make an incremental render differ from
a clean one), ``*.quarto_ipynb`` and ``*_files/`` while cells run. None of them is a
declared output, so the build must not leave them; and a failed render must not leave
half an edition where the next build (perhaps with the built-in renderer) could take it
for a finished one.

So this command, run by the ``quarto_render`` rule:

1. stops unless the executable is Quarto 1.9 or newer (:func:`check_quarto`);
2. empties the output folder (the rule's one declared output: Snakemake also removes it
   after a failure), and removes ``.quarto/`` so Quarto starts from no earlier run;
3. notes every path of the project outside the build's own folders (``results/``,
   ``logs/`` ..., where other jobs of the same run write) and outside the output folder;
4. runs ``quarto render --output-dir OUT``;
5. whatever the outcome, removes every new path with the name of a Quarto working file
   (and ``.quarto/``) and names them in its log; another new path (a chapter the author
   saved meanwhile) stays, and the log names it;
6. after a good render writes what the built-in site has and Quarto does not: the
   "Citeer dit boek" downloads (``citeer.bib``, ``citeer.ris``) and their block on the
   home page (:func:`add_citation`).

Measured with Quarto 1.10.18 on the starter project (2026-12-08): a good render leaves
``.quarto/`` (cites, idx, project-cache, typst packages, xref); a render whose Typst step
fails leaves ``index.typ`` and ``.quarto/``.
"""

from __future__ import annotations

import fnmatch
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from proefdruk.arguments import CommandParser
from proefdruk.errors import BuildError

# Folders of the build itself: other jobs of the same Snakemake run write there while
# Quarto renders, so what appears in them is not Quarto's (and is never removed here).
BUILD_FOLDERS = frozenset({".git", ".snakemake", ".venv", ".proefdruk-cache", "results",
                           "logs", "benchmarks", "_book", "published"})
QUARTO_STATE = ".quarto"
# The names Quarto gives its working files next to the sources (Quarto 1.10: the Typst,
# LaTeX and Markdown intermediates, executed notebooks, figure folders, a page rendered
# outside the output folder, its state and freeze folders).
WORKING_FILES = ("*.typ", "*.tex", "*.quarto_ipynb", "*.knit.md", "*.quarto.md", "*.html",
                 "search.json")
WORKING_DIRS = ("*_files", ".quarto", "_freeze", "site_libs")


def project_paths(root: Path, output_dir: Path) -> set[str]:
    """Every file and folder under ``root`` (relative, POSIX) outside the build's folders
    and outside ``output_dir``: what Quarto could leave behind."""
    root = root.resolve()
    skip = {output_dir.resolve()}
    found: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        keep = []
        for d in dirnames:
            full = here / d
            rel = full.relative_to(root).as_posix()
            if (here == root and d in BUILD_FOLDERS) or full.resolve() in skip:
                continue
            found.add(rel + "/")
            if not full.is_symlink():
                keep.append(d)
        dirnames[:] = keep
        found.update((here / f).relative_to(root).as_posix() for f in filenames)
    return found


def is_working_file(rel: str) -> bool:
    """Whether a new path has the name of one of Quarto's working files (a folder ends
    in ``/``). Only these go: a file the author saves while Quarto renders (a new
    chapter, a notebook) is not Quarto's and stays."""
    name = rel.rstrip("/").rsplit("/", 1)[-1]
    pattern = WORKING_DIRS if rel.endswith("/") else WORKING_FILES
    return any(fnmatch.fnmatchcase(name, p) for p in pattern)


def remove_new(root: Path, before: set[str], after: set[str]) -> tuple[list[str], list[str]]:
    """Remove Quarto's working files among what is in ``after`` and not in ``before``
    (topmost paths only); the removed paths and the new paths left alone, sorted."""
    new = sorted(after - before)
    removed: list[str] = []
    kept: list[str] = []
    for rel in new:
        if any(rel.startswith(r) for r in removed + kept if r.endswith("/")):
            continue  # inside a folder already handled
        if not is_working_file(rel):
            kept.append(rel)
            continue
        path = root / rel.rstrip("/")
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(rel)
    return removed, kept


def quarto_leftovers(staging: str | Path) -> list[str]:
    """Pages and assets of real Quarto in the built-in renderer's staging folder.

    Before Quarto had a staging folder of its own it rendered into the built-in one, and
    a Quarto page newer than its sources looks up to date to Snakemake. Read when
    Snakemake starts with the built-in renderer: any found means the folder is rendered
    again from scratch (a few reads of small files)."""
    staging = Path(staging)
    found = [p for p in (staging / "site_libs/quarto-html", staging / "site_libs/quarto-nav")
             if p.exists()]
    for page in sorted(staging.rglob("*.html")) if staging.is_dir() else []:
        with open(page, encoding="utf-8", errors="replace") as fh:
            if 'name="generator" content="quarto-' in fh.read(4096):
                found.append(page)
    return [p.as_posix() for p in found]


def add_citation(out: Path, root: Path) -> None:
    """``citeer.bib``, ``citeer.ris`` and the "Citeer dit boek" block of the home page,
    made by the same code as the built-in site's (:mod:`proefdruk.render.editions.site_meta`),
    so both renderers publish the same downloads and the same citation."""
    from proefdruk.cli import _plain_yaml
    from proefdruk.locale.words import locale_for
    from proefdruk.render.core.project import load_project
    from proefdruk.render.editions import site_meta

    project = load_project(root)
    quarto = _plain_yaml(project.raw)
    record = site_meta.scholarly_record(root, quarto, project.bibliography, project.csl,
                                        project.output_file)
    site_meta.write_citation_downloads(quarto, out / record["bibtex"], out / record["ris"])
    index = out / "index.html"
    if not index.is_file():
        return
    words = locale_for(project.lang, quarto.get("language"), root)
    block = site_meta.citation_block(record, "", words)
    page = index.read_text(encoding="utf-8")
    if block and "</main>" in page and 'id="citeer-dit-boek"' not in page:
        page = page.replace("</main>", block + "\n</main>", 1)
        index.write_text(page, encoding="utf-8")


def render(quarto: str, output_dir: str | Path, root: str | Path = ".",
           log=sys.stderr) -> int:
    """Render the book with ``quarto`` into ``output_dir``; Quarto's exit status.

    Nothing Quarto writes outside ``output_dir`` stays, whether it succeeds, fails or is
    stopped (SIGTERM from Snakemake)."""
    from proefdruk.render.workflow.quarto_cli import check_quarto

    version = check_quarto(quarto)
    root = Path(root)
    out = Path(output_dir) if Path(output_dir).is_absolute() else root / output_dir
    if out.resolve() == root.resolve() or root.resolve() not in out.resolve().parents:
        raise BuildError("Quarto's output folder must lie inside the project",
                         file=str(output_dir),
                         expected="a folder such as results/staging/quarto/_book",
                         found=str(output_dir), hint="check the quarto_render rule")
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(root / QUARTO_STATE, ignore_errors=True)
    before = project_paths(root, out)

    def stop(signum, _frame):  # Snakemake ends a job with SIGTERM: clean up first
        raise KeyboardInterrupt(signum)

    old = signal.signal(signal.SIGTERM, stop)
    code = 1
    try:
        print(f"quarto-render: quarto {'.'.join(map(str, version))}", file=log, flush=True)
        # Quarto runs the chapters' cells with QUARTO_PYTHON, else the first python it
        # finds: the build's own interpreter unless the author chose one
        env = {**os.environ, "QUARTO_PYTHON": os.environ.get("QUARTO_PYTHON") or sys.executable}
        code = subprocess.run([quarto, "render", "--output-dir",
                               os.path.relpath(out, root)], cwd=root, env=env,
                              stdout=log, stderr=subprocess.STDOUT, check=False).returncode
        if code == 0:
            add_citation(out, root)
    finally:
        removed, kept = remove_new(root, before, project_paths(root, out))
        if (root / QUARTO_STATE).exists():
            shutil.rmtree(root / QUARTO_STATE, ignore_errors=True)
            removed.append(QUARTO_STATE + "/")
        signal.signal(signal.SIGTERM, old)
        if removed:
            print("quarto-render: removed Quarto's working files: "
                  + ", ".join(sorted(set(removed))),
                  file=log, flush=True)
        if kept:
            print("quarto-render: new during the render and left in place (not Quarto's "
                  "working files by name): " + ", ".join(kept), file=log, flush=True)
    if code != 0:
        # half an edition must not look like a finished one to a later build
        shutil.rmtree(out, ignore_errors=True)
        print(f"quarto-render: quarto render failed (exit {code}); {out} removed",
              file=log, flush=True)
    return code


def main(argv: list[str] | None = None) -> int:
    """``proefdruk quarto-render --quarto Q --output-dir OUT``."""
    ap = CommandParser(prog="proefdruk quarto-render", description=__doc__.splitlines()[0])
    ap.add_argument("--quarto", required=True, help="the quarto executable (1.9 or newer)")
    ap.add_argument("--output-dir", required=True, help="where the editions go")
    ap.add_argument("--root", default=".", help="the project folder (default: here)")
    args = ap.parse_args(argv)
    try:
        return render(args.quarto, args.output_dir, args.root, sys.stdout)
    except BuildError as exc:
        print(str(exc), file=sys.stderr)
        return 1
