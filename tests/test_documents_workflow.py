"""The document rules run by Snakemake on a copy of the project: real PDF and DOCX notes
dropped into data/raw/ go through unchanged, and bad input stops the build with a
readable error and no half-written output."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, run_snakemake

sys.path.insert(0, str(ROOT))  # the study package; until pytest's pythonpath is set

from test_documents_extraction import BODY, make_docx, make_pdf  # noqa: E402

pytestmark = pytest.mark.e2e

NOTES = "results/data/beleidsnotas.csv"
REGISTER = "results/data/partnerschappen.csv"


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """The tracked sources only (what a clean clone has), without build outputs."""
    dest = tmp_path / "project"
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split("\n")
    for name in filter(None, files):
        src = ROOT / name
        if src.is_file() and not name.startswith(("results/", "_book/")):
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    return dest


def test_real_pdf_and_docx_notes_are_coded(project: Path) -> None:
    notes = project / "data/raw/policy_notes"
    (notes / "echt").mkdir()
    make_pdf(notes / "echt/leiden-2019.pdf", ["Nota internationaal beleid Leiden. " + BODY,
                                              BODY])
    make_docx(notes / "echt/kerkrade-2021.docx", [BODY])
    with (notes / "metadata.csv").open("a", encoding="utf-8") as fh:
        fh.write("R001,GM0546,Leiden,2019,Testnota PDF,internationaal,echt/leiden-2019.pdf,"
                 "false,test\nR002,GM0928,Kerkrade,2021,Testnota DOCX,grensoverschrijdend,"
                 "echt/kerkrade-2021.docx,false,test\n")
    result = run_snakemake(project, "--cores", "1", "results/numbers/documentmotieven.json")
    assert result.returncode == 0, result.stderr[-3000:]
    coded = (project / "results/data/documentmotieven.csv").read_text(encoding="utf-8")
    rows = {line.split(",")[0]: line for line in coded.splitlines()}
    assert "R001" in rows and "R002" in rows
    numbers = json.loads((project / "results/numbers/documentmotieven.json").read_text())
    assert numbers["numbers"]["documentmotieven.notas"]["value"] >= 2


def test_unknown_municipality_code_stops_with_row_and_nothing_written(project: Path) -> None:
    register = project / "data/raw/partnerships/partnerschappen.csv"
    lines = register.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(lines[3].split(",")[1], "GM9999", 1)
    register.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_snakemake(project, "--cores", "1", REGISTER)
    assert result.returncode != 0
    text = result.stdout + result.stderr
    assert "unknown municipality code" in text
    assert "row 3" in text and "gemeente_code" in text and "GM9999" in text
    assert not (project / REGISTER).exists()
    log = project / "logs/documents_validate_partnerships/run.log"
    assert "unknown municipality code" in log.read_text(encoding="utf-8")


def test_unreadable_pdf_stops_with_file_name(project: Path) -> None:
    notes = project / "data/raw/policy_notes"
    (notes / "kapot.pdf").write_bytes(b"%PDF-1.7\nnot a pdf\n")
    with (notes / "metadata.csv").open("a", encoding="utf-8") as fh:
        fh.write("R009,GM0546,Leiden,2019,Kapotte nota,internationaal,kapot.pdf,false,test\n")
    result = run_snakemake(project, "--cores", "1", NOTES)
    assert result.returncode != 0
    assert "kapot.pdf" in result.stderr and "PDF cannot be read" in result.stderr
    assert not (project / NOTES).exists()
