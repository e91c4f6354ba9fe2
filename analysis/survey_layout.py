"""Which outputs each questionnaire section produces, derived from the codebook alone.

Snakemake calls these functions when it parses the workflow, to declare the outputs of
the section rules. They live apart from the analysis (analysis/survey_sections.py) so
that parsing the workflow does not import pandas, SciPy and matplotlib: a no-op
`snakemake all` should cost Snakemake's own start-up, not the analysis stack's.
"""

from __future__ import annotations

import re
import unicodedata

from analysis.codebook import Codebook

DESCRIBED_TYPES = ("single", "multiple", "likert", "number")


def slug(text: str, limit: int = 32) -> str:
    """A registry-safe name from a Dutch label: ``Welwillend maar afwachtend`` ->
    ``welwillend_maar_afwachtend``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")
    return (s[:limit].rstrip("_") or "x") if not s[:1].isdigit() else f"c_{s[:limit]}"


def file_stem(qid: str) -> str:
    return "enquete-" + qid.replace("_", "-")


def analysed_sections(book: Codebook) -> list[str]:
    return [s for s, _ in book.sections
            if any(q.type in DESCRIBED_TYPES for q in book.in_section(s))]


def section_outputs(book: Codebook, section: str) -> dict[str, list[str]]:
    """Paths (relative to the project root) this section's analysis writes."""
    tables, figures = [], []
    likert = False
    for q in book.in_section(section):
        if q.type in ("single", "multiple"):
            tables.append(f"results/tables/{file_stem(q.id)}")
            figures.append(f"results/figures/{file_stem(q.id)}.svg")
        if q.type == "multiple":
            tables.append(f"results/tables/{file_stem(q.id)}-grootteklasse")
        likert = likert or q.type == "likert"
    if likert:
        tables.append(f"results/tables/enquete-{section}-stellingen")
        figures.append(f"results/figures/enquete-{section}-stellingen.svg")
    return {
        "numbers": [f"results/numbers/{section}.json"],
        "tables": [f"{t}.{ext}" for t in tables for ext in ("csv", "md")],
        "figures": figures,
    }
