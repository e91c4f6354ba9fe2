"""Remove what identifies a person, before anything else happens to the data.

The unit of analysis is the municipality, not the civil servant who filled in the form.
Names, e-mail addresses, IP addresses and exact times are dropped from the table; free
text is scrubbed of e-mail addresses, web and IP addresses, telephone numbers and the
respondent's own name. What remains of time is the order of submission (to resolve
duplicates) and the fieldwork week (to describe the response over time).
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.codebook import Codebook

REDACTED = "[verwijderd]"
_PATTERNS = (
    re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"),                    # e-mail
    re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE),        # web address
    re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b"),                    # IPv4
    re.compile(r"\b[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,7}\b", re.IGNORECASE),  # IPv6
    re.compile(r"(?:\+31|\b0)[\s-]?(?:\d[\s-]?){8,9}\b"),          # Dutch phone number
)


def scrub_text(text: str, names: list[str] = ()) -> str:
    """``text`` with contact details and the given personal names replaced."""
    for pattern in _PATTERNS:
        text = pattern.sub(REDACTED, text)
    for name in names:
        for part in [name, *name.split()]:
            if len(part) >= 3:
                text = re.sub(re.escape(part), REDACTED, text, flags=re.IGNORECASE)
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
