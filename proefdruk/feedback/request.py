"""Which returned DOCX `snakemake feedback` reads: ``--config docx=path``.

A function of its own (not in the rule file: `snakemake --lint` wants rule files to hold
rules), so the rule's input names the file and a missing path gets a clear error.
"""

from __future__ import annotations

from typing import Any

from proefdruk.errors import BuildError


def requested_docx(config: dict[str, Any]) -> str:
    """The path given as ``--config docx=…``; a clear error when there is none."""
    docx = str(config.get("docx") or "").strip()
    if not docx:
        raise BuildError("no DOCX to read", field="docx",
                         expected="snakemake feedback --config docx=path/to/returned.docx",
                         found="no docx in the configuration",
                         hint="run `snakemake feedback --config docx=<the supervisor's file>`")
    return docx
