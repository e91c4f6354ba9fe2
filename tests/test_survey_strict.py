"""Strict reading of the export and safe published CSVs (issue 20, findings 2, 3, 5, 11).

A row cut short, a NUL byte, a duplicated column name: each used to pass or to be
reported as something else. And a free-text answer that a spreadsheet would run as a
formula must reach the published CSV as text.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from test_survey_validation import BOOK, CODES, first, rows, write  # noqa: E402

from analysis.survey_prep import load_prepared, prepare  # noqa: E402
from proefdruk.csvsafe import neutralise, restore, safe_csv_text  # noqa: E402
from proefdruk.errors import BuildErrors  # noqa: E402

OPEN = "slot_opmerkingen"


def export_text(header: list[str], records: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(records)
    return buf.getvalue()


def problems(path: Path) -> str:
    with pytest.raises(BuildErrors) as info:
        prepare(path, BOOK, CODES)
    return str(info.value)


def test_a_row_cut_short_is_refused_with_its_field_count(tmp_path: Path) -> None:
    """Finding 2: 50 of the header's fields used to become 47 unanswered questions."""
    header, records = rows()
    lines = export_text(header, records).split("\r\n")
    cut = ",".join(next(csv.reader([lines[3]]))[:50])
    lines[3] = cut
    path = tmp_path / "export.csv"
    path.write_text("\r\n".join(lines), encoding="utf-8")
    text = problems(path)
    assert "a data row has the wrong number of fields" in text
    assert "export.csv:4, row 3" in text
    assert f"expected: {len(header)} fields, as in the header" in text
    assert "found:    50 fields" in text


@pytest.mark.parametrize(("char", "name"), [("\x00", "U+0000"), ("\x1b", "U+001B")])
def test_control_characters_are_refused_with_their_position(tmp_path: Path, char: str,
                                                            name: str) -> None:
    """Finding 5: a NUL byte in a free-text answer was accepted and published."""
    header, records = rows()
    i = first(records, status="volledig")
    records[i][OPEN] = f"Goed{char}idee"
    path = write(tmp_path / "export.csv", header, records)
    text = problems(path)
    lines = path.read_bytes().decode("utf-8").split("\r\n")
    line = next(n for n, ln in enumerate(lines, 1) if char in ln)
    column = lines[line - 1].index(char) + 1
    assert "control character in the export" in text
    assert f"found:    {name} at line {line}, column {column}" in text


def test_a_duplicated_column_is_named_as_a_duplicate(tmp_path: Path) -> None:
    """Finding 11: reported as an unknown column 'org_nota.1' (pandas' renaming)."""
    header, records = rows()
    text = export_text(header, records).split("\r\n")
    text = [ln + ",0" if n else ln + ",org_nota" for n, ln in enumerate(text) if ln]
    path = tmp_path / "export.csv"
    path.write_text("\r\n".join(text) + "\r\n", encoding="utf-8")
    message = problems(path)
    column = header.index("org_nota") + 1
    assert "duplicate column name 'org_nota' in the header" in message
    assert f"'org_nota' as column {column} and again as column {len(header) + 1}" in message
    assert "org_nota.1" not in message


FORMULAS = ["=HYPERLINK(\"http://x.example/\",\"klik\")", "+1+1", "-2+3", "@SUM(A1)",
            "\t=1+1", "\r=1+1", "'al met apostrof"]


def test_formulas_in_free_text_reach_the_published_csv_as_text(tmp_path: Path) -> None:
    """Finding 3: free text beginning with = + - @ tab or CR was published as is."""
    header, records = rows()
    complete = [i for i, r in enumerate(records) if r["status"] == "volledig"]
    planted = dict(zip(complete, FORMULAS, strict=False))
    for i, value in planted.items():
        records[i][OPEN] = value
    data, _summary, _dialect = prepare(write(tmp_path / "export.csv", header, records),
                                       BOOK, CODES)
    out = tmp_path / "survey.csv"
    out.write_text(safe_csv_text(data), encoding="utf-8")
    with open(out, encoding="utf-8", newline="") as fh:
        cells = [r[OPEN] for r in csv.DictReader(fh)]
    for cell in cells:
        assert not cell or cell[0] not in "=+-@\t\r", f"a live formula was published: {cell!r}"
    assert sum(c.startswith("'") for c in cells) >= len(FORMULAS) - 2
    back = load_prepared(out, BOOK)
    assert list(back[OPEN].fillna("")) == list(data[OPEN].fillna(""))


def test_numbers_stay_numbers_and_neutralising_is_checked_before_stripping() -> None:
    assert neutralise("-3") == "-3" and neutralise("-1,5") == "-1,5"
    assert neutralise("\t=1+1") == "'\t=1+1"
    assert neutralise(" =1") == " =1"  # a spreadsheet reads a leading space as text
    assert neutralise("gewoon") == "gewoon" and neutralise("") == ""
    frame = pd.DataFrame({"tekst": ["=1", "x"], "n": [-1, 2]})
    assert safe_csv_text(frame) == "tekst,n\n'=1,-1\nx,2\n"


@given(st.text(max_size=30))
def test_neutralising_is_safe_and_reversible(value: str) -> None:
    safe = neutralise(value)
    assert restore(safe) == value
    if safe and safe[0] in "=+@\t\r":
        raise AssertionError(f"{value!r} left live")
    if safe.startswith("-"):
        assert safe == value and value[1:2].isdigit() or value[1:2] in ".,"
