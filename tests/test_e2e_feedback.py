"""The supervisor's DOCX comes back: the whole study, `proefdruk feedback`, a patch.

On a copy of the clean build: comments and tracked changes are added, as Word stores
them, in three chapters, a citation footnote and a table caption, plus a change to a
registry number; the file goes once through LibreOffice; `proefdruk feedback` must put
every item at the right file and line, list the number and the footnote as manual, and
write a patch that `git apply --check` accepts and that, applied, makes the next DOCX
say what the supervisor wrote. The fixture-book version (tests/test_feedback.py) runs by
default; this one needs the study build and minutes, so it is marked slow.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx_edit import DocxEditor
from feedback_helpers import assert_markers_change_nothing, libreoffice_round_trip

from conftest import run_proefdruk, run_snakemake, which_or_skip
from proefdruk.promote import staging_folder

DOCX = "_book/internationaal-beleid-gemeenten.docx"


def line_of(root: Path, file: str, text: str) -> int:
    lines = (root / file).read_text(encoding="utf-8").split("\n")
    return next(i for i, line in enumerate(lines, 1) if text in line)


@pytest.mark.slow
def test_supervisor_feedback_round_trip(clean_build: Path, tmp_path: Path) -> None:
    which_or_skip("soffice")
    work = tmp_path / "project"
    shutil.copytree(clean_build, work, symlinks=True)
    number = json.loads((work / "results/numbers/verklaringen.json").read_text(
        encoding="utf-8"))["numbers"]["verklaringen.verkl.globalisering"]["display"]
    ed = DocxEditor(work / DOCX)
    ed.replace("onderscheidt sinds Keating", "hoofdgroepen", "hoofdsoorten")
    ed.replace("Globalisering wordt genoemd door", number, "99,9 %")
    ed.comment("het begrip paradiplomatie, dat in de jaren", "paradiplomatie",
               "Definieer dit begrip hier al.")
    ed.replace("Dit hoofdstuk bespreekt de literatuur waarop", "", " vooral",
               after="Dit hoofdstuk bespreekt de literatuur")
    ed.replace("Buitenlands beleid geldt in de staatsrechtelijke", "bij uitstek ", "")
    ed.replace("Aangeschreven gemeenten, respons en volledige", "Aangeschreven", "Benaderde")
    ed.replace("Keating 1999", "1999", "2000", part="word/footnotes.xml")
    ed.untracked("Naast motieven onderscheidt de literatuur", "belangrijkste", "voornaamste")
    # a sentence the analysis chose (a claim): its outcome texts stand in the source
    ed.replace("delen de gemeenten dat oordeel", "delen de gemeenten", "delen gemeenten")
    ed.save(tmp_path / "terug.docx")
    returned = libreoffice_round_trip(tmp_path / "terug.docx", tmp_path / "lo")

    missing = run_proefdruk(work, "feedback")
    assert missing.returncode != 0 and "--docx" in missing.stdout + missing.stderr
    result = run_proefdruk(work, "feedback", "--docx", str(returned))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = (work / "results/feedback/feedback.md").read_text(encoding="utf-8")
    expect = [  # (file, text on the line, words in the report's entry, action)
        ("chapters/01-inleiding.qmd", "het domein bij uitstek", "bij uitstek", "in the patch"),
        ("chapters/01-inleiding.qmd", "[@keating1999;", "1999 → 2000", "manual"),
        ("chapters/02-methodologie.qmd", ": Aangeschreven", "Aangeschreven → Benaderde",
         "in the patch"),
        ("chapters/03-theoretisch-kader.qmd", "begrip paradiplomatie",
         "Definieer dit begrip", "comment"),
        ("chapters/03-theoretisch-kader.qmd", "Dit hoofdstuk bespreekt", "∅ →  vooral",
         "in the patch"),
        ("chapters/05-motieven.qmd", "drie hoofdgroepen", "hoofdgroepen → hoofdsoorten",
         "in the patch"),
        ("chapters/05-motieven.qmd", "{{< num verklaringen.verkl.globalisering",
         "→ 99,9 %", "manual"),
        ("chapters/05-motieven.qmd", "zijn de belangrijkste", "belangrijkste → voornaamste",
         "manual"),
    ]
    entries = report.split("\n\n")
    for file, on_line, words, action in expect:
        where = f"{file}:{line_of(work, file, on_line)}]"
        entry = [e for e in entries if where in e and words in e]
        assert len(entry) == 1, (where, words, report)
        assert f"({action})" in entry[0]
    claim = next(e for e in entries if "delen gemeenten" in e)
    assert "(manual)" in claim and "claim bevindingen.congruentie_boven_concurrentie" in claim
    first = line_of(work, "chapters/samenvatting.qmd", "[[In de vragenlijst van deze uitgave")
    last = line_of(work, "chapters/samenvatting.qmd", "congruentie_boven_concurrentie")
    line = int(re.search(r"samenvatting\.qmd:(\d+)\]", claim).group(1))
    assert first <= line <= last, (first, line, last)
    number_entry = next(e for e in entries if "99,9 %" in e)
    assert "registry" in number_entry and "change the analysis" in number_entry
    assert report.index("## chapters/01-inleiding.qmd") < report.index(
        "## chapters/03-theoretisch-kader.qmd") < report.index("## chapters/05-motieven.qmd")
    assert "Not placed" not in report and report.count("**Untracked edit**") == 1

    patch = work / "results/feedback/accepted.patch"
    check = subprocess.run(["git", "apply", "--check", str(patch)], cwd=work,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    subprocess.run(["git", "apply", str(patch)], cwd=work, check=True)
    staged = f"{staging_folder('_book')}/{Path(DOCX).name}"  # only the DOCX, not promoted
    rebuilt = run_snakemake(work, staged)
    assert rebuilt.returncode == 0, rebuilt.stdout[-3000:] + rebuilt.stderr[-3000:]
    text = " ".join(p.text for p in Document(work / staged).paragraphs)
    for accepted in ("drie hoofdsoorten van", "het domein van de centrale overheid",
                     "Benaderde gemeenten", "bespreekt de literatuur vooral waarop"):
        assert accepted in text, accepted
    assert number in text and "99,9 %" not in text  # the registry number is untouched


@pytest.mark.slow
def test_markers_leave_the_study_chapters_as_they_were(clean_build: Path, tmp_path: Path
                                                       ) -> None:
    """Every chapter of the study resolves to the same document with and without the
    position markers (so the HTML and PDF editions cannot change because of them)."""
    assert_markers_change_nothing(clean_build, tmp_path / "cells")
