"""Switching the renderer is a build like any other (issue #30).

Switching ``render.quarto`` either way, after a good or a failed run, must publish exactly
what a clean build with that setting publishes: no page, script or download of the other
renderer in ``_book/``, and nothing Quarto wrote left in the project. The stand-ins below
are real executables run by the real workflow: one prints Quarto's version and fails half
way through a render, leaving what Quarto 1.10 leaves (``index.typ``, ``.quarto/``, pages
and ``site_libs/`` in the output folder); the other writes a small finished site. Where a
real Quarto is found (``PROEFDRUK_QUARTO`` or ``quarto`` on PATH) the same switches run
with it; elsewhere that test is skipped and says why.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_snakemake

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("builds")]

ROOT = Path(__file__).resolve().parent.parent
REAL_QUARTO = os.environ.get("PROEFDRUK_QUARTO") or shutil.which("quarto")

# What Quarto 1.10.18 leaves when its Typst step fails (measured on the starter):
# the Typst source in the project root, its state folder, and pages and scripts already
# written to the output folder.
FAILING = """#!/bin/sh
if [ "$1" = "--version" ]; then echo 1.10.18; exit 0; fi
out="$3"
case "$out" in /*|"") echo "stand-in: bad output folder $out" >&2; exit 2;; esac
mkdir -p "$out/chapters" "$out/site_libs/quarto-html" .quarto/xref
echo '<html><head><meta name="generator" content="quarto-1.10.18"></head><body><main>'\
'</main></body></html>' > "$out/chapters/01-introduction.html"
echo 'window.quarto = 1;' > "$out/site_libs/quarto-html/quarto.js"
echo '#callout(body: [x])' > index.typ
echo 'x' > .quarto/xref/INDEX
echo 'ERROR: Typst compilation failed' >&2
exit 1
"""

GOOD = """#!/bin/sh
if [ "$1" = "--version" ]; then echo 1.10.18; exit 0; fi
out="$3"
case "$out" in /*|"") echo "stand-in: bad output folder $out" >&2; exit 2;; esac
mkdir -p "$out/chapters" "$out/site_libs/quarto-html" .quarto/xref
for page in index chapters/01-introduction chapters/02-results; do
  echo '<html><head><meta name="generator" content="quarto-1.10.18"></head><body><main>'\
"<p>$page</p></main></body></html>" > "$out/$page.html"
done
echo 'window.quarto = 1;' > "$out/site_libs/quarto-html/quarto.js"
echo '%PDF-1.7 stand-in' > "$out/book.pdf"
echo 'x' > .quarto/xref/INDEX
echo '#stand-in' > index.typ
rm index.typ
echo 'Output created: index.html'
"""


def _exe(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    path.chmod(0o755)
    return str(path)


def _starter(dest: Path) -> Path:
    result = subprocess.run([sys.executable, "-m", "proefdruk", "new", str(dest), "--lang",
                             "en", "--title", "Switch check", "--author", "A. Candidate"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    # The jobs import proefdruk with the project folder first on PYTHONPATH
    # (proefdruk.workflow): link this checkout's package there, so they run the code under
    # test and not whichever checkout is installed (hidden from git, like a build folder).
    (dest / "proefdruk").symlink_to(ROOT / "proefdruk", target_is_directory=True)
    with open(dest / ".gitignore", "a", encoding="utf-8") as fh:
        fh.write("/proefdruk\n")
    for args in (["init", "-q"], ["add", "-A"],
                 ["-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "x"]):
        subprocess.run(["git", *args], cwd=dest, check=True, capture_output=True)
    return dest


def _published(project: Path) -> dict[str, bytes]:
    """Every published file's bytes, by path under _book/."""
    book = project / "_book"
    return {p.relative_to(book).as_posix(): p.read_bytes()
            for p in sorted(book.rglob("*")) if p.is_file()}


def _build(project: Path, quarto: str | None, ok: bool = True) -> subprocess.CompletedProcess:
    extra = ["--config", f"render={{quarto: {quarto}}}"] if quarto else []
    result = run_snakemake(project, "all", *extra)
    out = result.stdout[-3000:] + result.stderr[-3000:]
    assert (result.returncode == 0) == ok, out
    return result


def _nothing_to_do(project: Path, quarto: str | None) -> None:
    extra = ["--config", f"render={{quarto: {quarto}}}"] if quarto else []
    result = run_snakemake(project, "-n", "all", *extra)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Nothing to be done" in result.stdout + result.stderr, result.stdout[-3000:]


def _no_working_files(project: Path) -> None:
    """Nothing of Quarto's in the project: git sees no new file, and .quarto/ is gone."""
    status = subprocess.run(["git", "status", "--porcelain", "--ignored"], cwd=project,
                            capture_output=True, text=True, check=True).stdout
    leftovers = [line for line in status.splitlines()
                 if not line[3:].startswith(("results/", "_book/", "logs/", "benchmarks/",
                                             ".snakemake/", ".proefdruk-cache/",
                                             "proefdruk"))
                 and "__pycache__" not in line]
    assert leftovers == [], leftovers
    assert not (project / ".quarto").exists()
    assert not (project / "index.typ").exists()


def _same(got: dict[str, bytes], want: dict[str, bytes]) -> None:
    assert sorted(got) == sorted(want)
    assert [p for p in want if got[p] != want[p]] == []


def _back_to_builtin(project: Path, clean_builtin: dict[str, bytes]) -> None:
    """Switched back to the built-in renderer: what its clean build publishes, and
    nothing left to do."""
    _build(project, None)
    _same(_published(project), clean_builtin)
    _nothing_to_do(project, None)


@pytest.fixture(scope="module")
def clean_builtin(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    project = _starter(tmp_path_factory.mktemp("clean") / "book")
    _build(project, None)
    return _published(project)


def test_switch_after_failed_and_good_quarto_runs(tmp_path: Path,
                                                  clean_builtin: dict[str, bytes]) -> None:
    failing = _exe(tmp_path / "quarto-failing", FAILING)
    good = _exe(tmp_path / "quarto-good", GOOD)
    project = _starter(tmp_path / "book")

    _build(project, None)
    _same(_published(project), clean_builtin)

    # a failed Quarto run: nothing published changes, nothing is left in the project
    _build(project, failing, ok=False)
    assert "Typst compilation failed" in (project / "logs/quarto_render.log").read_text()
    _no_working_files(project)
    _same(_published(project), clean_builtin)
    _back_to_builtin(project, clean_builtin)

    # a good Quarto run publishes Quarto's edition and nothing of the built-in one
    _build(project, good)
    _no_working_files(project)
    clean_quarto = _starter(tmp_path / "clean-quarto")
    _build(clean_quarto, good)
    _same(_published(project), _published(clean_quarto))
    assert {"citeer.bib", "citeer.ris", "search.json"} & set(_published(project)) == {
        "citeer.bib", "citeer.ris"}
    assert b'id="citeer-dit-boek"' in _published(project)["index.html"]
    _nothing_to_do(project, good)

    # and back again, after a failed Quarto run on top of the good one
    _build(project, failing, ok=False)
    _no_working_files(project)
    _back_to_builtin(project, clean_builtin)


@pytest.mark.parametrize("name", ["chapter-label.lua", "proefdruk.scss"])
def test_every_file_of_the_extension_is_an_input_of_quarto_s_render(
        tmp_path: Path, name: str) -> None:
    """Quarto reads every format's filters and its theme, not only the Typst format's
    files: an edit of the site's chapter-label filter or its theme renders again."""
    good = _exe(tmp_path / "quarto-good", GOOD)
    project = _starter(tmp_path / "book")
    _build(project, good)
    edited = project / "_extensions" / "proefdruk" / name
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    result = run_snakemake(project, "-n", "all", "--config", f"render={{quarto: {good}}}")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "quarto_render" in result.stdout, result.stdout[-3000:]


def test_builtin_staging_with_quarto_pages_is_rendered_again(
        tmp_path: Path, clean_builtin: dict[str, bytes]) -> None:
    """A staging folder where an older version let Quarto write (its pages newer than the
    sources, so Snakemake takes them as up to date) is rendered afresh."""
    project = _starter(tmp_path / "book")
    _build(project, None)
    staged = project / "results/staging/_book"
    page = staged / "chapters/01-introduction.html"
    page.write_text('<html><head><meta name="generator" content="quarto-1.10.18"></head>'
                    "</html>", encoding="utf-8")
    (staged / "site_libs/quarto-html").mkdir()
    (staged / "site_libs/quarto-html/quarto.js").write_text("x", encoding="utf-8")
    result = _build(project, None)
    assert "rendered again by the built-in renderer" in result.stderr
    _same(_published(project), clean_builtin)


@pytest.mark.release
@pytest.mark.skipif(REAL_QUARTO is None, reason="no real Quarto here (quarto on PATH or "
                    "PROEFDRUK_QUARTO); build one with ../shared/quarto-from-source")
def test_switch_with_real_quarto(tmp_path: Path, clean_builtin: dict[str, bytes]) -> None:
    # real Quarto that renders everything and then fails: what it leaves is real
    failing = _exe(tmp_path / "quarto-then-fail",
                   f'#!/bin/sh\n"{REAL_QUARTO}" "$@"\ncode=$?\n'
                   'if [ "$1" = "--version" ]; then exit $code; fi\nexit 1\n')
    project = _starter(tmp_path / "book")
    _build(project, failing, ok=False)
    _no_working_files(project)
    _back_to_builtin(project, clean_builtin)

    _build(project, REAL_QUARTO)
    _no_working_files(project)
    clean_quarto = _starter(tmp_path / "clean-quarto")
    _build(clean_quarto, REAL_QUARTO)
    quarto_book = _published(clean_quarto)
    _same(_published(project), quarto_book)
    assert "citeer.bib" in quarto_book and "search.json" in quarto_book
    _nothing_to_do(project, REAL_QUARTO)

    _build(project, None)
    _same(_published(project), clean_builtin)
