"""Remove what identifies a person, before anything else happens to the data.

The unit of analysis is the municipality, not the civil servant who filled in the form.
Names, e-mail addresses, IP addresses and exact times are dropped from the table; free
text is scrubbed of e-mail addresses (also written as ``(at)``, ``[at]`` or `` at ``),
web addresses and domains with a path, IP addresses, telephone numbers (Dutch and
international notation), postcodes with house numbers, street addresses, dates with a
time, and the respondent's own name (whole words only, so "Dam" goes and "Amsterdam"
stays). What remains of time is the order of submission (to resolve
duplicates) and the fieldwork week (to describe the response over time).
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.codebook import Codebook

REDACTED = "[verwijderd]"

_MONTHS = ("januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|"
           "november|december|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec")
_SEP = r"[\s.-]?"
# Order matters: the longer, more specific forms first (an e-mail address before the
# web address inside it, a date with its time before a bare number).
_PATTERNS = (
    # e-mail, also written to fool harvesters: jan(at)gemeente.nl, jan [at] x [dot] nl
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    re.compile(r"[\w.+-]+\s*(?:\(at\)|\[at\]|\{at\}|\s+at\s+|\(apenstaartje\))\s*"
               r"[\w-]+(?:\s*(?:\.|\(dot\)|\[dot\]|\(punt\)|\[punt\]|\s+dot\s+)\s*[\w-]+)*"
               r"\s*(?:\.|\(dot\)|\[dot\]|\(punt\)|\[punt\]|\s+dot\s+)\s*[a-z]{2,6}\b",
               re.IGNORECASE),
    # web addresses, and bare domains with a path (linkedin.com/in/jan-van-dam)
    re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE),
    re.compile(r"\b(?:[\w-]+\.)+[a-z]{2,6}/\S*", re.IGNORECASE),
    # dates with a time: 2024-03-04 08:49, 4-3-2024 om 8.49 uur, 4 maart 2024, 08:49
    re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}(?:[ T]|,\s*|\s+om\s+)\d{1,2}[:.]\d{2}"
               r"(?:[:.]\d{2}(?:\.\d+)?)?(?:\s*uur)?(?:Z|[+-]\d{2}:?\d{2})?"),
    re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}(?:,?\s*|\s+om\s+)\d{1,2}[:.]\d{2}"
               r"(?:[:.]\d{2})?(?:\s*uur)?"),
    re.compile(rf"\b\d{{1,2}}\s+(?:{_MONTHS})\.?\s+\d{{4}},?\s+(?:om\s+)?\d{{1,2}}[:.]\d{{2}}"
               r"(?:[:.]\d{2})?(?:\s*uur)?", re.IGNORECASE),
    # IP addresses
    re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b"),
    re.compile(r"\b[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,7}\b", re.IGNORECASE),
    # telephone numbers: +31 (0)20 123 4567, 0031 6 1234 5678, +32 2 123 45 67,
    # (020) 123 45 67, 020-1234567, 06 12345678
    re.compile(rf"(?<![\w+])(?:\+|00)31{_SEP}(?:\(0\){_SEP})?(?:\d{_SEP}){{8}}\d\b"),
    re.compile(rf"(?<![\w+])(?:\+|00)(?!31)[1-9]\d{{0,2}}{_SEP}(?:\(0\){_SEP})?"
               rf"(?:\d{_SEP}){{5,11}}\d\b"),
    re.compile(rf"(?:\(0\d{{1,3}}\)\s?|(?<![\w+])0\d{{1,3}}{_SEP})(?:\d{_SEP}){{5,7}}\d\b"),
    # postcode with or without a house number: 1234 AB 12, 1234AB, Dorpsstraat 12a
    re.compile(r"\b[1-9]\d{3}(?:\s?[A-Z]{2}|[a-z]{2})(?![\w-])(?:,?\s+\d+[a-zA-Z]?\b(?!-))?"),
    re.compile(r"\b[A-Z][a-z]+(?:straat|laan|weg|plein|gracht|kade|singel|dijk|hof|pad|"
               r"dreef|steeg|markt|park)\s+\d+(?:\s?[a-zA-Z]\b|-\d+)?"),
)
# Name particles are ordinary words too: "van" or "de" alone is never removed.
_PARTICLES = {"van", "de", "der", "den", "het", "ter", "ten", "te", "in", "op", "la", "le",
              "du", "da", "di", "del", "von", "zu", "vande", "vander", "'t"}


def _name_pattern(names: list[str]) -> re.Pattern[str] | None:
    """The respondent's name and its parts, as whole words only: "Dam" goes, the
    "dam" in "Amsterdam" stays."""
    parts: set[str] = set()
    for name in names:
        name = name.strip()
        if not name:
            continue
        parts.add(name)
        parts.update(p for p in re.split(r"[\s,]+", name)
                     if len(p) >= 2 and p.lower() not in _PARTICLES)
    if not parts:
        return None
    alternatives = "|".join(re.escape(p) for p in sorted(parts, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


def scrub_text(text: str, names: list[str] = ()) -> str:
    """``text`` with contact details, exact times and the given personal names replaced."""
    for pattern in _PATTERNS:
        text = pattern.sub(REDACTED, text)
    pattern = _name_pattern(list(names))
    if pattern is not None:
        text = pattern.sub(REDACTED, text)
    return text


def pseudonymise(raw: pd.DataFrame, book: Codebook) -> pd.DataFrame:
    """The export without personal data; open answers scrubbed.

    Adds ``volgorde`` (rank of the submission time) and ``week`` (ISO week of
    submission, e.g. ``2024-W11``); drops the columns listed as personal data and time
    stamps in the codebook.
    """
    e = book.export
    df = raw.copy()
    pii = e["persoonsgegevens"]
    names = df[pii[0]].tolist() if pii and pii[0] in df else [""] * len(df)
    submitted = pd.to_datetime(df[e["ingediend"]].str.strip(), errors="coerce", format="ISO8601")
    df["volgorde"] = submitted.rank(method="first").fillna(0).astype(int)
    iso = submitted.dt.isocalendar()
    df["week"] = [f"{y}-W{w:02d}" if pd.notna(y) else "" for y, w in zip(
        iso["year"], iso["week"], strict=True)]
    for q in book.questions:
        if q.type == "open":
            df[q.id] = [scrub_text(t, [n] if n else []) if t else t
                        for t, n in zip(df[q.id], names, strict=True)]
    keep_time = e["ingediend"]
    drop = [c for c in book.pii_columns + book.ignored_columns
            if c in df.columns and c != keep_time]
    return df.drop(columns=drop)


def drop_submission_time(df: pd.DataFrame, book: Codebook) -> pd.DataFrame:
    """After validation, the exact submission time goes too (only order and week stay)."""
    return df.drop(columns=[c for c in (book.export["ingediend"], "ingediend") if c in df])
