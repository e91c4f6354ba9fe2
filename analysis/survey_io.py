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
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from charset_normalizer import from_bytes

from proefdruk.errors import BuildError

DELIMITERS = (",", ";")


@dataclass(frozen=True)
class Dialect:
    encoding: str  # "utf-8-sig", "utf-8" or "cp1252"
    delimiter: str


def detect_encoding(data: bytes, path: str | Path = "<export>") -> str:
    """``utf-8-sig`` (BOM), ``utf-8`` (valid UTF-8) or ``cp1252``.

    Valid UTF-8 is taken as UTF-8: Windows-1252 text with accented letters is almost never
    valid UTF-8 by accident. Otherwise charset-normalizer must agree that the bytes are a
    Western single-byte encoding; anything else is refused rather than guessed.
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    # Dutch Excel's "ANSI" is Windows-1252. A short export with one "ï" is too little for
    # charset-normalizer (it guesses cp775), so bytes that are valid Windows-1252 and
    # decode to printable text are taken as such; UTF-16 and binary files are not.
    try:
        text = data.decode("cp1252")
        if not any(ord(c) < 32 and c not in "\t\r\n" for c in text):
            return "cp1252"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    western = {"cp1252", "windows_1252", "latin_1", "iso8859_15", "iso8859_1", "cp1250"}
    if best is not None and best.encoding.replace("-", "_").lower() in western:
        return "cp1252"
    line = data[:first_bad].count(b"\n") + 1
    raise BuildError("cannot tell the text encoding of the export", file=path, line=line,
                     expected="UTF-8 (with or without BOM) or Windows-1252",
                     found=best.encoding if best else "undecodable bytes",
                     hint="export again from the survey tool as UTF-8 CSV")


def detect_delimiter(text: str, path: str | Path = "<export>") -> str:
    """Comma or semicolon, decided on the header line and checked on the next lines."""
    lines = [ln for ln in text.splitlines()[:20] if ln.strip()]
    if not lines:
        raise BuildError("export is empty", file=path, line=1, expected="a header line",
                         found="nothing", hint="export again from the survey tool")
    try:
        sniffed = csv.Sniffer().sniff("\n".join(lines), delimiters="".join(DELIMITERS))
        delim = sniffed.delimiter
    except csv.Error:
        counts = {d: lines[0].count(d) for d in DELIMITERS}
        delim = max(counts, key=counts.get)
        if counts[delim] == 0:
            raise BuildError("cannot tell the column separator of the export", file=path,
                             line=1, expected="comma or semicolon between columns",
                             found=lines[0][:80], hint="save the export as CSV") from None
    return delim


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
    df = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False,
                     na_filter=False)
    df.columns = [c.strip() for c in df.columns]
    return df, Dialect(encoding, delimiter)
