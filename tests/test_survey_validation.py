"""Reading and checking the survey export: dialects, errors that say where and what."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the study package; until pytest's pythonpath is set

from analysis.codebook import load_codebook  # noqa: E402
from analysis.register import load_register  # noqa: E402
from analysis.survey_io import detect_delimiter, detect_encoding, read_export  # noqa: E402
from analysis.survey_prep import prepare, resolve_duplicates  # noqa: E402
from proefdruk.errors import BuildError, BuildErrors  # noqa: E402

EXPORT = ROOT / "data/raw/survey/export.csv"
BOOK = load_codebook(ROOT / "data/raw/survey/codebook.yaml")
CODES = set(load_register(ROOT / "data/raw/gemeenten-2024.csv")["gemeentecode"])


def rows() -> tuple[list[str], list[dict[str, str]]]:
    with open(EXPORT, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def write(path: Path, header: list[str], records: list[dict[str, str]],
          encoding: str = "utf-8", delimiter: str = ",") -> Path:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=header, delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(records)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def first(records, **conditions):
    """Index of the first record meeting all conditions (column=value)."""
    return next(i for i, r in enumerate(records) if all(r[k] == v for k, v in conditions.items()))


# ------------------------------------------------------------------ encoding, delimiter

@pytest.mark.parametrize(("encoding", "delimiter", "expected"), [
    ("utf-8", ",", "utf-8"), ("utf-8-sig", ";", "utf-8-sig"), ("cp1252", ";", "cp1252"),
    ("cp1252", ",", "cp1252"),
])
def test_dialects_are_detected_and_read_alike(tmp_path, encoding, delimiter, expected):
    header, records = rows()
    i = first(records, status="volledig")
    records[i]["slot_opmerkingen"] = "Samenwerking met Súdwest-Fryslân; ‘goed’ – café"
    if encoding == "cp1252":
        records[i]["slot_opmerkingen"] = "Samenwerking met Súdwest-Fryslân; café"
    path = write(tmp_path / "export.csv", header, records, encoding, delimiter)
    df, dialect = read_export(path)
    assert (dialect.encoding, dialect.delimiter) == (expected, delimiter)
    assert list(df.columns) == header
    assert len(df) == len(records)
    assert "Súdwest-Fryslân" in df.loc[i, "slot_opmerkingen"]


def test_undecodable_bytes_are_refused():
    with pytest.raises(BuildError) as info:
        detect_encoding(b"a,b\n\x81\x8d\x8f\x90\x9d" * 40 + "日本".encode("shift_jis") * 50,
                        "x.csv")
    assert "x.csv" in str(info.value) and "UTF-8" in str(info.value)


def test_delimiter_from_the_header():
    assert detect_delimiter("a;b;c\n1;2;3\n") == ";"
    assert detect_delimiter("a,b,c\n1,2,3\n") == ","
    with pytest.raises(BuildError):
        detect_delimiter("just one column\nvalue\n", "y.csv")


# -------------------------------------------------------------------------- the checks

def test_committed_export_passes():
    data, summary, _ = prepare(EXPORT, BOOK, CODES)
    assert summary.submissions == len(rows()[1])
    assert summary.kept == len(data) == data["gemeentecode"].nunique()
    assert summary.duplicates_removed == summary.submissions - summary.kept > 0


def errors_for(tmp_path, header, records) -> str:
    path = write(tmp_path / "export.csv", header, records)
    with pytest.raises(BuildErrors) as info:
        prepare(path, BOOK, CODES)
    return str(info.value)


def test_invalid_code_names_file_row_column_expected_found(tmp_path):
    header, records = rows()
    i = first(records, status="volledig")
    records[i]["org_budget"] = "7"
    text = errors_for(tmp_path, header, records)
    assert f"export.csv, row {i + 1}, field 'org_budget'" in text
    assert "expected: one of the codes 1, 2, 3, 4, 5, 9" in text
    assert "found:    '7'" in text
    assert "what to do:" in text


def test_unknown_municipality(tmp_path):
    header, records = rows()
    records[0]["gemeentecode"] = "GM0457"  # Weesp, merged into Amsterdam in 2022
    text = errors_for(tmp_path, header, records)
    assert "row 1, field 'gemeentecode'" in text and "'GM0457'" in text
    assert "not in the register" in text


def test_routing_violation(tmp_path):
    header, records = rows()
    i = first(records, org_nota="4")  # "Nee": the year question is skipped
    records[i]["org_nota_jaar"] = "2019"
    text = errors_for(tmp_path, header, records)
    assert f"row {i + 1}, field 'org_nota_jaar'" in text
    assert "routed away" in text and "org_nota" in text
    # One sentence: the condition is quoted, and what does not hold is said once.
    assert "is does not hold" not in text
    assert "org_nota_jaar is shown only if “" in text and "which does not hold" in text


def test_a_row_is_named_by_its_spreadsheet_line_and_its_respondent(tmp_path):
    """"row 6" is the 6th submission, on line 7 of the file under its header: both are
    given, and the respondent's id, which finds the row after a re-sort."""
    header, records = rows()
    i = 5
    records[i]["org_budget"] = "7"
    text = errors_for(tmp_path, header, records)
    rid = records[i]["response_id"]
    assert (f"export.csv, row 6, field 'org_budget' (spreadsheet line 7; "
            f"respondent {rid})") in text, text[:2000]


def test_the_header_row_is_named_as_the_header(tmp_path):
    header, records = rows()
    header.remove("rijk_houding")
    for r in records:
        del r["rijk_houding"]
    text = errors_for(tmp_path, header, records)
    assert "row 0, field 'rijk_houding' (the header, spreadsheet line 1)" in text


def test_exclusive_option_with_others(tmp_path):
    header, records = rows()
    i = first(records, act_geen="0", act_stedenband="1")
    records[i]["act_geen"] = "1"
    text = errors_for(tmp_path, header, records)
    assert f"row {i + 1}, field 'act_geen'" in text and "exclusive" in text


def test_number_out_of_range_and_bad_multiple(tmp_path):
    header, records = rows()
    i = first(records, status="volledig")
    j = next(k for k, r in enumerate(records) if r["mot_handel"] in ("0", "1"))
    records[i]["org_fte"] = "250"
    records[j]["mot_handel"] = "ja"
    text = errors_for(tmp_path, header, records)
    assert f"row {i + 1}, field 'org_fte'" in text and "between 0 and 100" in text
    assert f"row {j + 1}, field 'mot_handel'" in text and "'ja'" in text


def test_missing_and_unknown_columns(tmp_path):
    header, records = rows()
    header = [h for h in header if h != "rijk_houding"] + ["extra_vraag"]
    for r in records:
        r.pop("rijk_houding")
        r["extra_vraag"] = "x"
    text = errors_for(tmp_path, header, records)
    assert "row 0, field 'rijk_houding'" in text and "column missing" in text
    assert "row 0, field 'extra_vraag'" in text and "not described in the codebook" in text


def test_errors_do_not_print_personal_data(tmp_path):
    header, records = rows()
    records[0]["ingediend"] = "gisteren"
    text = errors_for(tmp_path, header, records)
    assert "row 1, field 'ingediend'" in text
    assert "gisteren" not in text and records[0]["email"] not in text


def test_all_problems_reported_at_once(tmp_path):
    header, records = rows()
    for r in records[:3]:
        r["status"] = "klaar"
    text = errors_for(tmp_path, header, records)
    assert text.count("unknown submission status") == 3


# ---------------------------------------------------------------------- duplicate rule

def test_duplicate_rule_prefers_complete_then_fuller_then_latest():
    import pandas as pd

    def frame(entries):
        base = {c: None for c in BOOK.answer_columns}
        out = []
        for code, status, n_answers, order in entries:
            row = dict(base, gemeentecode=code, golf=1, status=status, volgorde=order)
            for q in BOOK.questions[:n_answers]:
                if q.type in ("single", "likert"):
                    row[q.id] = q.codes()[0]
            out.append(row)
        return pd.DataFrame(out)

    df = frame([("GM0001", "volledig", 2, 1), ("GM0001", "gedeeltelijk", 5, 2),
                ("GM0002", "volledig", 3, 3), ("GM0002", "volledig", 2, 4),
                ("GM0003", "volledig", 2, 5), ("GM0003", "volledig", 2, 6)])
    kept, removed = resolve_duplicates(df, BOOK)
    assert removed == 3
    assert kept.set_index("gemeentecode")["volgorde"].to_dict() == {
        "GM0001": 1, "GM0002": 3, "GM0003": 6}


def test_failed_prepare_writes_nothing_and_says_why(tmp_path):
    """The rule script, run by hand as its docstring says, on a broken export."""
    import subprocess

    header, records = rows()
    records[4]["rijk_houding"] = "6"
    broken = write(tmp_path / "export.csv", header, records)
    out = tmp_path / "results"
    # The script as Snakemake's script: directive runs it, with a `snakemake` object
    # whose inputs point at the broken export (nothing is retyped on a command line).
    runner = (
        "import runpy, sys, types\n"
        "from snakemake.iocontainers import Namedlist\n"
        "ns = lambda d: Namedlist(fromdict=d)\n"
        "smk = types.SimpleNamespace(input=ns(dict(export=sys.argv[1], codebook=sys.argv[2],"
        " register=sys.argv[3], metadata=sys.argv[4])), output=ns(dict(data=sys.argv[5] + "
        "'/survey.csv', summary=sys.argv[5] + '/s.json', notice=sys.argv[5] + "
        "'/notice.json', provenance=sys.argv[5] + '/prov.json')), log=[], params=ns({}),"
        " wildcards=ns({}), rule='survey_prepare', config={})\n"
        "runpy.run_path(sys.argv[6], init_globals={'snakemake': smk}, run_name='__main__')\n")
    result = subprocess.run(
        [sys.executable, "-c", runner, str(broken), str(ROOT / "data/raw/survey/codebook.yaml"),
         str(ROOT / "data/raw/gemeenten-2024.csv"), str(ROOT / "data/raw/survey/metadata.yaml"),
         str(out), str(ROOT / "analysis/scripts/survey_prepare.py")],
        cwd=ROOT, capture_output=True, text=True, env={**__import__("os").environ,
                                                       "PYTHONPATH": str(ROOT)})
    assert result.returncode == 1
    assert "row 5, field 'rijk_houding'" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists() or not any(out.iterdir())


def test_another_single_byte_encoding_is_not_mistaken_for_windows_1252():
    text = ("Гемеente;Провинция\n" + "Амстердам;Северная Голландия\n" * 200)
    with pytest.raises(BuildError) as info:
        detect_encoding(text.encode("cp1251"), "russisch.csv")
    assert "russisch.csv" in str(info.value) and "Windows-1252" in str(info.value)


def test_contact_details_typed_in_a_code_column_are_not_echoed(tmp_path):
    header, records = rows()
    records[2]["org_budget"] = "mail piet@gemeente.example"
    text = errors_for(tmp_path, header, records)
    assert "row 3, field 'org_budget'" in text
    assert "piet@gemeente.example" not in text and "[verwijderd]" in text


def test_tool_bookkeeping_columns_can_be_ignored_by_codebook_alone(tmp_path):
    import yaml

    header, records = rows()
    header = [*header, "lastpage", "refurl"]
    for r in records:
        r.update(lastpage="7", refurl="https://intranet.example/?user=piet")
    path = write(tmp_path / "export.csv", header, records)
    with pytest.raises(BuildErrors) as info:
        prepare(path, BOOK, CODES)
    assert "field 'lastpage'" in str(info.value) and "negeren" in str(info.value)
    raw = yaml.safe_load((ROOT / "data/raw/survey/codebook.yaml").read_text(encoding="utf-8"))
    raw["export"]["negeren"] = ["lastpage", "refurl"]
    book_path = tmp_path / "codebook.yaml"
    book_path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    data, _, _ = prepare(path, load_codebook(book_path), CODES)
    assert "refurl" not in data.columns and "lastpage" not in data.columns


def test_codebook_errors_point_to_the_entry(tmp_path):
    text = (ROOT / "data/raw/survey/codebook.yaml").read_text(encoding="utf-8")
    broken = text.replace("toon_als:\n      - {vraag: act, optie: netwerk}",
                          "toon_als:\n      - {vraag: act, optie: netwerken}", 1)
    assert broken != text
    path = tmp_path / "codebook.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(BuildError) as info:
        load_codebook(path)
    err = info.value
    entry_line = broken.splitlines().index("  - id: act_netwerken") + 1
    assert (err.line, err.field, err.found) == (entry_line, "act_netwerken.toon_als",
                                                "'netwerken'")
    assert "a code of act" in str(err)
