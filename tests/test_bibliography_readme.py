"""bibliography/README.md lists exactly the entries the author must still complete.

The README used to carry a hand-typed count that drifted from the .bib (36 said, 35 true).
Instead of a count, its table names every key with an ``x-todo``; this test keeps the two
equal, so the list a reviewer reads is the list the build reports.
"""

from __future__ import annotations

import re
from pathlib import Path

from proefdruk import bibliography as bib

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "bibliography" / "README.md"
REFS = ROOT / "bibliography" / "references.bib"


def readme_todo_keys(text: str) -> set[str]:
    """Keys in the 'Stand bij deze uitgave' table whose 'wat ontbreekt' cell is not '—'."""
    section = text.split("Stand bij deze uitgave", 1)[1]
    keys: set[str] = set()
    started = False
    for line in section.splitlines():
        if line.startswith("|"):
            started = True
            cells = [c.strip() for c in line.strip("|").split("|")]
            if len(cells) >= 2 and cells[1] not in ("—", "wat ontbreekt", "---"):
                keys.update(re.findall(r"`([a-z0-9]+)`", cells[0]))
        elif started and line.strip():
            break
    return keys


def test_readme_lists_every_incomplete_entry_and_no_other() -> None:
    report = bib.check([REFS], [])
    todo = {f.key for f in report.findings if f.level == "todo"}
    listed = readme_todo_keys(README.read_text(encoding="utf-8"))
    assert todo, "the .bib has incomplete entries; the table must name them"
    assert listed == todo, (f"in README only: {sorted(listed - todo)}; "
                            f"in .bib only: {sorted(todo - listed)}")


def test_no_unverified_place_of_publication() -> None:
    """A place of publication stays only where it was checked (the Clingendael colophon)."""
    places = re.findall(r"@\w+\{(\w+),[^@]*?\n\s*location\s*=", REFS.read_text(encoding="utf-8"))
    assert places == ["vanderpluijm2007"]
