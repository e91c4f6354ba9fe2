"""Property-based tests of the parsers that read what other tools and people write.

Survey tools, Dutch Excel and authors produce inputs in more shapes than example tests
can list. Hypothesis generates them: any export written in one of the dialects a tool
writes (UTF-8, UTF-8 with BOM, Windows-1252; comma or semicolon) must read back to the
same table; any codebook and register written to the documented format must load to what
was written, and one broken cell must be reported at its row and column; every Dutch
display form must read back to the value behind it; and any text passed through the
shared Markdown escaper must come out of pandoc as that same text, never as markup.
"""

from __future__ import annotations

import csv
import io
import json
import string
from pathlib import Path

import pandas as pd
import pypandoc
import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from analysis.codebook import load_codebook
from analysis.register import PROVINCES, load_register
from analysis.survey_io import detect_delimiter, detect_encoding, read_export
from proefdruk.dutch import NBSP, format_number, format_p, format_percent, parse_number
from proefdruk.errors import BuildError, BuildErrors
from proefdruk.markdown import escape_markdown
from proefdruk.numbers import NumberSet, lookup, merge

FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])

# Text a Dutch municipal export holds: letters with the diacritics of Dutch and Frisian
# names (all in Windows-1252), digits, punctuation including both separators and quotes.
CP1252_TEXT = st.text(
    alphabet=st.sampled_from(
        list(string.ascii_letters + string.digits + " .,;:'\"-()/&?!")
        + list("éëèêïíóöôüúâàçñÉÖÜ€–’")
    ),
    max_size=40,
)
HEADER = ["response_id", "gemeentecode", "status", "opmerking"]


def _export_rows(draw_cells: list[list[str]]) -> list[list[str]]:
    return [[f"S{i:06d}", f"GM{i:04d}", "volledig", cell[0]] for i, cell in
            enumerate(draw_cells, start=1)]


def _write(rows: list[list[str]], encoding: str, delimiter: str) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buf.getvalue().encode(encoding)


@FAST
@given(
    cells=st.lists(st.lists(CP1252_TEXT, min_size=1, max_size=1), min_size=1, max_size=15),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    delimiter=st.sampled_from([",", ";"]),
)
def test_export_reads_back_in_every_dialect(tmp_path_factory, cells, encoding, delimiter):
    """Whatever dialect the tool used, the table read is the table written."""
    rows = _export_rows(cells)
    path = tmp_path_factory.mktemp("export") / "export.csv"
    path.write_bytes(_write(rows, encoding, delimiter))
    df, dialect = read_export(path)
    assert dialect.delimiter == delimiter
    assert list(df.columns) == HEADER
    assert df.values.tolist() == rows
    if encoding == "utf-8-sig":
        assert dialect.encoding == "utf-8-sig"
    elif encoding == "cp1252" and any(ord(c) > 127 for r in rows for c in r[3]):
        assert dialect.encoding == "cp1252"


# Names as they occur: an accented letter or sign followed by a plain letter or space
# ("Súdwest", "Fryslân ", "€ 5"). In Windows-1252 such text is never valid UTF-8.
WORDISH = st.lists(
    st.tuples(st.sampled_from(list("éëïöüúâçÉ€–’")), st.sampled_from(list("abdnrs "))),
    min_size=1, max_size=12,
).map(lambda pairs: "".join(a + b for a, b in pairs))


@FAST
@given(text=WORDISH)
def test_windows_1252_is_never_taken_for_utf8(text):
    """Accented Windows-1252 text is decoded as cp1252, however short, and never turns
    into mojibake such as 'SÃºdwest' nor is refused."""
    data = f"naam\n{text}\n".encode("cp1252")
    enc = detect_encoding(data)
    assert enc == "cp1252"
    assert data.decode(enc).splitlines()[1] == text


def test_bytes_of_no_western_encoding_are_refused_with_a_line(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(b"response_id,opmerking\nS1,ok\nS2,\x81\x8d\x8f\x90\x9d\xff\xfe\x00\x81\n")
    try:
        df, dialect = read_export(path)
    except BuildError as err:
        text = str(err)
        assert "export.csv" in text and "expected" in text and "what to do" in text
    else:  # charset-normalizer may accept it as cp1252: then it must still parse
        assert dialect.encoding == "cp1252" and len(df) == 2


@FAST
@given(names=st.lists(st.text(alphabet=string.ascii_lowercase + "_", min_size=1,
                              max_size=8), min_size=2, max_size=6, unique=True),
       delimiter=st.sampled_from([",", ";"]))
def test_header_alone_decides_the_delimiter(names, delimiter):
    assert detect_delimiter(delimiter.join(names) + "\n") == delimiter


# --- codebook ---------------------------------------------------------------------------

QID = st.from_regex(r"^[a-z][a-z0-9]{0,6}$", fullmatch=True)
LABEL = st.text(alphabet=string.ascii_letters + " éëï-'’", min_size=1, max_size=20).map(
    str.strip).filter(bool)


@st.composite
def codebooks(draw):
    ids = draw(st.lists(QID, min_size=1, max_size=6, unique=True))
    questions = []
    for qid in ids:
        kind = draw(st.sampled_from(["single", "multiple", "number", "open"]))
        q = {"id": qid, "sectie": "s1", "type": kind, "tekst": draw(LABEL)}
        if kind == "single":
            codes = draw(st.lists(st.integers(1, 99), min_size=1, max_size=5, unique=True))
            q["opties"] = {c: draw(LABEL) for c in codes}
        elif kind == "multiple":
            codes = draw(st.lists(st.from_regex(r"^[a-z]{1,5}$", fullmatch=True),
                                  min_size=1, max_size=5, unique=True))
            q["opties"] = [{"code": c, "label": draw(LABEL)} for c in codes]
        elif kind == "number":
            q["min"], q["max"] = 0, draw(st.integers(1, 10_000))
        questions.append(q)
    return {
        "instrument": {"titel": "Test", "versie": "1"},
        "export": {"id": "response_id", "gemeente": "gemeentecode", "status": "status",
                   "status_volledig": "volledig", "status_gedeeltelijk": "gedeeltelijk",
                   "golf": "golf", "persoonsgegevens": [], "tijdstippen": ["ingediend"],
                   "ingediend": "ingediend"},
        "secties": [{"id": "s1", "titel": "Sectie"}],
        "vragen": questions,
    }


@FAST
@given(spec=codebooks())
def test_codebook_loads_what_was_written(tmp_path_factory, spec):
    path = tmp_path_factory.mktemp("cb") / "codebook.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    book = load_codebook(path)
    assert [q.id for q in book.questions] == [q["id"] for q in spec["vragen"]]
    for q, raw in zip(book.questions, spec["vragen"], strict=True):
        if raw["type"] == "single":
            assert q.codes() == list(raw["opties"])
            assert [o.label for o in q.options] == list(raw["opties"].values())
        if raw["type"] == "multiple":
            assert q.columns == [f"{raw['id']}_{o['code']}" for o in raw["opties"]]


@FAST
@given(spec=codebooks(), data=st.data())
def test_broken_codebook_entry_is_named(tmp_path_factory, spec, data):
    """A question with a type the pipeline does not know is reported by id and field."""
    q = data.draw(st.sampled_from(spec["vragen"]))
    q["type"] = data.draw(st.sampled_from(["meerkeuze", "", "Single", "likert5"]))
    path = tmp_path_factory.mktemp("cb") / "codebook.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(BuildError) as info:
        load_codebook(path)
    assert info.value.field == f"{q['id']}.type"
    assert "codebook.yaml" in str(info.value) and "what to do" in str(info.value)


def test_codebook_yaml_error_has_a_line(tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_text("instrument:\n  titel: 'x\nexport: [\n", encoding="utf-8")
    with pytest.raises(BuildError) as info:
        load_codebook(path)
    assert info.value.line is not None and info.value.hint


# --- register ---------------------------------------------------------------------------

NAME = st.text(alphabet=string.ascii_letters + " -'âéëïôúÃ", min_size=1, max_size=25).map(
    str.strip).filter(bool)


@st.composite
def registers(draw):
    codes = draw(st.lists(st.integers(1, 9999), min_size=1, max_size=12, unique=True))
    rows = []
    for c in codes:
        pop = draw(st.one_of(st.just(""), st.integers(0, 10**6).map(str)))
        # a figure always comes with its source, and a source with its figure
        rows.append({"gemeentecode": f"GM{c:04d}", "gemeentenaam": draw(NAME),
                     "provincie": draw(st.sampled_from(PROVINCES)), "inwoners_2024": pop,
                     "inwoners_bron": "CBS StatLine 03759ned, 1 januari 2024" if pop else ""})
    return rows


def _write_register(rows, path: Path) -> None:
    pd.DataFrame(rows).to_csv(path, index=False, lineterminator="\n")


@FAST
@given(rows=registers())
def test_register_round_trips_names_exactly(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("reg") / "gemeenten.csv"
    _write_register(rows, path)
    df = load_register(path)
    by_code = {r["gemeentecode"]: r for r in rows}
    assert sorted(by_code) == list(df["gemeentecode"])
    for rec in df.to_dict("records"):
        assert rec["gemeentenaam"] == by_code[rec["gemeentecode"]]["gemeentenaam"]


@FAST
@given(rows=registers(), data=st.data())
def test_register_error_names_row_and_field(tmp_path_factory, rows, data):
    i = data.draw(st.integers(0, len(rows) - 1))
    field, bad = data.draw(st.sampled_from([
        ("gemeentecode", "G0123"), ("gemeentecode", "gm0001x"), ("provincie", "Bonaire"),
        ("inwoners_2024", "12.345"), ("gemeentenaam", " "),
    ]))
    rows[i][field] = bad
    path = tmp_path_factory.mktemp("reg") / "gemeenten.csv"
    _write_register(rows, path)
    with pytest.raises(BuildErrors) as info:
        load_register(path)
    assert any(e.row == i + 1 and e.field == field for e in info.value.errors)
    for e in info.value.errors:
        assert e.file and e.expected and e.found is not None and e.hint


# --- numbers registry and Dutch forms ---------------------------------------------------

@FAST
@given(k=st.integers(0, 10_000), extra=st.integers(0, 10_000),
       decimals=st.integers(0, 3))
def test_percent_in_registry_reads_back(k, extra, decimals):
    n = k + extra
    assume(n > 0)
    ns = NumberSet("t")
    key = ns.percent("p", k, n, "test", decimals=decimals)
    entry = ns.numbers[key]
    assert entry["numerator"] == k and entry["denominator"] == n
    assert entry["display"].endswith(NBSP + "%")
    assert abs(parse_number(entry["display"]) - 100 * k / n) <= 0.5 * 10**-decimals + 1e-9


@FAST
@given(names=st.lists(st.from_regex(r"^[a-z][a-z0-9_]{0,8}$", fullmatch=True), min_size=1,
                      max_size=6, unique=True), data=st.data())
def test_merge_is_independent_of_file_order(tmp_path_factory, names, data):
    folder = tmp_path_factory.mktemp("numbers")
    paths = []
    prov = {"rule": "r", "script": "s.py", "inputs": {}, "software": {}}
    for ns_name in names:
        ns = NumberSet(ns_name)
        ns.count("n", data.draw(st.integers(0, 999)), "aantal")
        path = folder / f"{ns_name}.json"
        ns.write(path, prov)
        paths.append(path)
    shuffled = data.draw(st.permutations(paths))
    assert json.dumps(merge(paths)) == json.dumps(merge(shuffled))


@given(key=st.from_regex(r"^[a-z]{1,6}\.[a-z_]{1,8}$", fullmatch=True))
def test_unknown_key_is_reported_with_chapter_and_line(key):
    registry = {"respons.percentage": {"value": 1}}
    assume(key not in registry)
    with pytest.raises(BuildError) as info:
        lookup(registry, key, file="chapters/02.qmd", line=17)
    assert info.value.file == "chapters/02.qmd" and info.value.line == 17
    assert key in str(info.value)


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
       st.integers(min_value=0, max_value=3))
def test_dutch_form_has_only_dutch_separators(x, decimals):
    text = format_number(x, decimals)
    whole, _, frac = text.lstrip("\u2212").partition(",")
    assert len(frac) == decimals
    groups = whole.split(".")
    assert all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3
    assert " " not in text and "-" not in text


@given(st.floats(min_value=0, max_value=1, allow_nan=False))
def test_p_values_read_back(p):
    text = format_p(p)
    assert text.startswith("p" + NBSP)
    shown = parse_number(text.split(NBSP)[-1])
    if p < 0.001:
        assert "<" in text and shown == 0.001
    else:
        assert abs(shown - p) <= 0.0005 + 1e-12


@given(st.floats(min_value=0, max_value=1, allow_nan=False), st.integers(0, 2))
def test_percent_never_breaks_before_the_sign(share, decimals):
    text = format_percent(share, decimals)
    assert text.endswith(NBSP + "%") and " %" not in text


# --- the Markdown escaper ---------------------------------------------------------------

HOSTILE = st.text(
    alphabet=st.sampled_from(list(string.ascii_letters + string.digits + " ")
                             + list("<>{}[]()#*_`@\\|$^~!:;.,'\"&=/-+%") + ["é", "’"]),
    min_size=1, max_size=40,
).map(str.strip).filter(bool)


def _table_cell_as_plain(cell: str) -> tuple[str, str]:
    """The cell in a pipe table, read by pandoc: (plain text, HTML)."""
    md = f"| Naam | n |\n|:---|---:|\n| {cell} | 1 |\n"
    fmt = "markdown-smart"
    plain = pypandoc.convert_text(md, "plain", format=fmt, extra_args=["--wrap=none"])
    html = pypandoc.convert_text(md, "html", format=fmt)
    return plain, html


@settings(max_examples=40, deadline=None)
@given(text=HOSTILE)
@example("<script>alert(1)</script>")
@example("{{< var x >}}")
@example("@schiavon2019 en [@key]")
@example("#set text(red)")
@example("\\input{/etc/passwd}")
@example("$x$ en ~sub~ en ^sup^")
@example("1. Leiden")
def test_escaped_text_comes_out_of_pandoc_literally(text):
    """Every character of a data string survives pandoc as itself: nothing becomes
    markup, a citation, a raw HTML element or maths."""
    plain, html = _table_cell_as_plain(escape_markdown(text))
    assert " ".join(text.split()) in " ".join(plain.split())
    assert "<script" not in html and "<span class=\"citation" not in html
    assert "<math" not in html and "class=\"math" not in html


# --- statistics on the small tables that a large or skewed export produces --------------

@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.integers(0, 4), min_size=2, max_size=4), min_size=2, max_size=3)
       .filter(lambda rows: len({len(r) for r in rows}) == 1))
@example([[0, 1, 2], [1, 0, 0]])  # SciPy 1.17 returned this table's p as an array
def test_association_gives_a_probability_for_any_small_table(rows):
    import numpy as np

    from analysis.statistics import association

    result = association(np.array(rows))
    if result is not None:
        assert isinstance(result.p, float) and 0.0 <= result.p <= 1.0
