"""Each author-facing command ends with what it wrote, where, and what is still open.

`publish` and `feedback` used to print neither where their output went nor the open
placeholders (those were in logs/ only). On a built starter (`proefdruk new`, the fast
fixture), each of `archive`, `publish`, `verify`, `changes` and `feedback` is run as the
author runs it, and its last lines on standard output must be the summary block of
proefdruk/summary.py.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import run_proefdruk, run_snakemake
from proefdruk import new

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("builds")]

# The placeholders of the starter's _quarto.yml, as the issue names them.
PLACEHOLDERS = ("book.author", "orcid", "citation.publisher", "promotors", "license", "doi",
                "site-url")
EXTRA = ["--extra", "results/archive/proefschrift.zip", "--extra",
         "results/archive/CITATION.cff", "--extra", "results/archive/datacite.json"]


@pytest.fixture(scope="module")
def starter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built Dutch starter with an edition version, as a git repository."""
    root = tmp_path_factory.mktemp("summaries") / "boek"
    assert new.main([str(root), "--lang", "nl"]) == 0
    with open(root / "_quarto.yml", "a", encoding="utf-8") as fh:
        fh.write('\nthesis:\n  edition:\n    version: "0.1"\n    label: "proef"\n'
                 '    date: "2026-12-01"\n')
    for args in (["init", "-q"], ["add", "-A"],
                 ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "boek"]):
        subprocess.run(["git", *args], cwd=root, check=True)
    built = run_snakemake(root, "all", "results/archive/proefschrift.zip")
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    return root


def summary_of(result: subprocess.CompletedProcess, command: str) -> list[str]:
    """The summary block: the command's last lines on stdout, from ``<command>: ``."""
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    lines = result.stdout.rstrip().splitlines()
    start = max(i for i, line in enumerate(lines) if line.startswith(f"{command}: "))
    block = lines[start:]
    assert all(re.match(r"  (wrote|open): ", line) for line in block[1:]), block
    assert block[-1].startswith("  open:  "), block
    return block


def test_archive_says_what_it_packed_and_the_open_placeholders(starter: Path) -> None:
    block = summary_of(run_proefdruk(starter, "archive", "--out",
                                     "results/archive/proefschrift.zip"), "archive")
    assert "  wrote: results/archive/proefschrift.zip (" in block[1]
    assert "results/archive/CITATION.cff" in block[2]
    assert all(name in block[-1] for name in PLACEHOLDERS), block


def test_publish_says_where_and_lists_the_open_placeholders(starter: Path) -> None:
    result = run_proefdruk(starter, "publish", "--book", "_book", *EXTRA)
    block = summary_of(result, "publish")
    assert block[0] == "publish: version 0.1 -> published/0.1/"
    assert block[1].startswith("  wrote: published/0.1/ (site, PDF, DOCX, manifest")
    assert block[2].startswith("  wrote: published/manifests/0.1.json")
    assert block[-1].startswith("  open:  7 placeholder(s) in _quarto.yml")
    assert all(name in block[-1] for name in PLACEHOLDERS), block
    assert "placeholder" not in result.stderr  # said once, where the author reads


def test_verify_says_the_edition_holds_and_nothing_is_open(starter: Path) -> None:
    block = summary_of(run_proefdruk(starter, "verify", "--editions", "_book"), "verify")
    assert re.fullmatch(r"verify: as published: the edition in _book \(\d+ item\(s\) match "
                        r"_book/manifest\.json\)", block[0]), block
    assert block[-1] == "  open:  nothing"


def test_changes_says_where_the_report_is(starter: Path) -> None:
    if not (starter / "published/0.1/manifest.json").is_file():
        run_proefdruk(starter, "publish", "--book", "_book", *EXTRA)
    block = summary_of(run_proefdruk(starter, "changes", "--since",
                                     "published/0.1/manifest.json"), "changes")
    assert block[1] == ("  wrote: results/changes/wijzigingen.html and wijzigingen.md "
                        "(the report)")


def test_feedback_says_where_the_report_and_patch_are(starter: Path) -> None:
    result = run_proefdruk(starter, "feedback", "--docx", "_book/proefschrift.docx")
    block = summary_of(result, "feedback")
    assert block[1] == ("  wrote: results/feedback/feedback.html and feedback.md "
                        "(the report)")
    assert block[2] == "  wrote: results/feedback/accepted.patch (0 change(s))"
    assert block[-1] == "  open:  nothing"  # a DOCX without comments or changes
