"""Reading a survey tool's CSV export as it comes: encoding and delimiter detected.

Survey tools and Dutch Excel write CSV in several dialects: UTF-8 with or without a byte
order mark, Windows-1252 ("ANSI"), comma- or semicolon-separated. Guessing wrong turns
"Súdwest-Fryslân" into mojibake or the whole row into one column, silently. So the
dialect is detected from the bytes, reported, and anything ambiguous stops the build.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from charset_normalizer import from_bytes

from proefdruk.api import BuildError, BuildErrors

DELIMITERS = (",", ";")
# Below this many bytes charset-normalizer's guess is not trusted to overrule cp1252.
SHORT_TEXT = 2048


@dataclass(frozen=True)
class Dialect:
    encoding: str  # "utf-8-sig", "utf-8" or "cp1252"
    delimiter: str


def detect_encoding(data: bytes, path: str | Path = "<export>") -> str:
    """``utf-8-sig`` (BOM), ``utf-8`` (valid UTF-8) or ``cp1252``.

    Valid UTF-8 is taken as UTF-8: Windows-1252 text with accented letters is almost never
    valid UTF-8 by accident. Otherwise charset-normalizer must recognise a Western
    single-byte encoding, or (for text too short to tell) the bytes must decode as clean
    Windows-1252 text; anything else is refused rather than guessed.
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    guess = from_bytes(data).best()
    # Dutch text with few accents is ambiguous between the Latin code pages; a Dutch
    # survey tool writes Windows-1252, so the Central European ones count as agreement.
    western = {"cp1252", "windows_1252", "latin_1", "iso8859_1", "iso8859_15", "cp1250",
               "iso8859_2"}
    if guess is not None and guess.encoding.replace("-", "_").lower() in western:
        return "cp1252"
    if guess is None or len(data) < SHORT_TEXT:
        try:  # too little text for charset-normalizer to be sure: accept clean cp1252
            text = data.decode("cp1252")
            if not any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text):
                return "cp1252"
        except UnicodeDecodeError as exc:
            first_bad = exc.start
    line = data[:first_bad].count(b"\n") + 1
    raise BuildError("cannot tell the text encoding of the export", file=path, line=line,
                     expected="UTF-8 (with or without BOM) or Windows-1252",
                     found=f"bytes that are neither (best guess: {guess.encoding})" if guess
                     else "undecodable bytes",
                     hint="export again from the survey tool as UTF-8 CSV")


def _count_outside_quotes(line: str, char: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == char and not quoted:
            count += 1
    return count


def detect_delimiter(text: str, path: str | Path = "<export>") -> str:
    """Comma or semicolon, decided on the header line.

    The header holds column names, which contain neither separator; the data lines hold
    free text, which may contain both and quotes besides, so sniffing them (as
    ``csv.Sniffer`` does) can pick the wrong one. On a tie the comma wins.
    """
    lines = [ln for ln in text.splitlines()[:20] if ln.strip()]
    if not lines:
        raise BuildError("export is empty", file=path, line=1, expected="a header line",
                         found="nothing", hint="export again from the survey tool")
    counts = {d: _count_outside_quotes(lines[0], d) for d in DELIMITERS}
    delim = max(DELIMITERS, key=lambda d: (counts[d], d == ","))
    if counts[delim] == 0:
        raise BuildError("cannot tell the column separator of the export", file=path,
                         line=1, expected="comma or semicolon between columns",
                         found=lines[0][:80], hint="save the export as CSV")
    return delim


# Control characters have no place in an export: a NUL or an escape code in a free-text
# answer is corruption (or an attack on whoever opens the published file). Tabs and line
# breaks are ordinary text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_control_characters(text: str, path: str | Path = "<export>") -> list[BuildError]:
    """One error per control character, with its line and column."""
    errors = []
    for m in _CONTROL.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        errors.append(BuildError(
            "control character in the export", file=path, line=line,
            expected="printable text (tabs and line breaks are fine)",
            found=f"U+{ord(m.group()):04X} at line {line}, column {column}",
            hint="remove the character in the survey tool or export again; a NUL byte "
                 "usually means the file was damaged on the way"))
    return errors


def check_rows(text: str, delimiter: str, path: str | Path = "<export>") -> list[BuildError]:
    """Duplicate header names, and every data row with exactly the header's field count.

    pandas would rename a second ``org_nota`` to ``org_nota.1`` and fill a row that is
    cut short with empty cells, so that 47 answers silently become "not answered"; both
    are checked here on the file as written.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, [])
    errors: list[BuildError] = []
    seen: dict[str, int] = {}
    for i, name in enumerate(header, 1):
        key = name.strip()
        if key in seen:
            errors.append(BuildError(
                f"duplicate column name '{key}' in the header", file=path, line=1, field=key,
                expected="each column name once",
                found=f"'{key}' as column {seen[key]} and again as column {i}",
                hint="remove or rename one of the two columns; the codebook says which "
                     "name each column must have"))
        else:
            seen[key] = i
    row = 0
    for fields in reader:
        if not fields or fields == [""]:
            continue  # a blank line
        row += 1
        if len(fields) != len(header):
            errors.append(BuildError(
                "a data row has the wrong number of fields", file=path,
                line=reader.line_num, row=row,
                expected=f"{len(header)} fields, as in the header",
                found=f"{len(fields)} fields",
                hint="the row was cut short or has a separator too many (often an "
                     "unquoted separator in a free-text answer); export again"))
    return errors


def read_export(path: str | Path) -> tuple[pd.DataFrame, Dialect]:
    """The export as a table of strings (empty cells as ""), plus the detected dialect."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise BuildError("survey export is missing", file=path,
                         hint="put the export in data/raw/survey/ or run data/generate_survey.py"
                         ) from exc
    encoding = detect_encoding(data, path)
    text = data.decode(encoding)
    delimiter = detect_delimiter(text, path)
    errors = check_control_characters(text, path)
    if not errors:
        errors = check_rows(text, delimiter, path)
    if errors:
        raise BuildErrors(errors)
    try:
        df = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False,
                         na_filter=False)
    except pd.errors.ParserError as exc:
        found = str(exc).split("C error: ")[-1].strip()
        row = re.search(r"row (\d+)|line (\d+)", found)
        raise BuildError("the export is not well-formed CSV", file=path,
                         line=int(next(g for g in row.groups() if g)) if row else None,
                         expected=f"one row per line, cells separated by '{delimiter}', "
                                  "quotes closed", found=found,
                         hint="export again from the survey tool; an unclosed quote in a "
                              "free-text answer is the usual cause") from None
    df.columns = [c.strip() for c in df.columns]
    return df, Dialect(encoding, delimiter)
