"""README's troubleshooting table quotes the messages the build really prints.

A table that quotes an old wording sends a reader searching for a line that never
appears; each quoted message (the first column's code spans, with `…` and quoted
placeholders such as 'x.y' as gaps) must be found in the code that prints it.
"""

from __future__ import annotations

import re
from pathlib import Path

import snakemake

ROOT = Path(__file__).resolve().parent.parent
# Where messages come from: the project's code and setup, and Snakemake's own messages.
SOURCES = [ROOT / "proefdruk", ROOT / "analysis", ROOT / "workflow", ROOT / "Snakefile",
           ROOT / "tools", ROOT / "_extensions", Path(snakemake.__file__).parent]


def troubleshooting_quotes() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Troubleshooting", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")][2:]
    quotes = []
    for row in rows:
        first = row.split(" | ")[0]
        quotes += re.findall(r"`([^`]+)`", first)
    return quotes


def fragments(quote: str) -> list[str]:
    """The literal parts of a quoted message, as runs of two or more words. Placeholders
    are gaps: '…', quoted values ('x.y'), numbers, paths and addresses (tokens with a
    digit, '/', '.' or ':', like the `error:` prefix every BuildError prints), a lone
    capital (N)."""
    runs, run = [], []
    for token in quote.split():
        if re.search(r"[…'0-9/.:]", token) or re.fullmatch(r"[A-Z]", token):
            runs.append(run)
            run = []
        else:
            run.append(token)
    runs.append(run)
    return [" ".join(r) for r in runs if len(r) >= 2]


def code_text() -> str:
    chunks = []
    for source in SOURCES:
        files = [source] if source.is_file() else sorted(
            p for p in source.rglob("*") if p.is_file() and p.suffix in ("", ".py", ".smk", ".lua"))
        for f in files:
            try:
                chunks.append(f.read_text(encoding="utf-8"))
            except (UnicodeDecodeError, OSError):
                continue
    return "\n".join(chunks)


def test_the_table_quotes_messages() -> None:
    assert len(troubleshooting_quotes()) >= 8
    assert fragments("claim '…' now has the outcome '…', and the chapter offers no text") == [
        "now has the outcome", "and the chapter offers no text"]


def test_every_quoted_message_exists_in_the_code() -> None:
    code = code_text()
    missing = [(q, f) for q in troubleshooting_quotes() for f in fragments(q) if f not in code]
    assert not missing, f"README quotes messages no code prints: {missing}"
