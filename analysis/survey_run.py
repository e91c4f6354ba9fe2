"""Shared plumbing of the survey rule scripts: provenance, and the script runner.

The runner (``proefdruk.scripting.run``, re-exported here) turns a data problem into its
BuildError text in the rule's log and on stderr instead of a traceback. Outputs are
written atomically by the helpers they use, so a failed run leaves nothing half-written.
"""

from __future__ import annotations

from typing import Any

from proefdruk.provenance import make_record, write_record
from proefdruk.scripting import run  # noqa: F401 (the scripts import it from here)


def provenance(smk: Any, script: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
    """The provenance record of this rule (outputs hashed when :func:`finish` is called)."""
    outputs = [o for o in smk.output if not str(o).startswith("results/provenance/")]
    return make_record(smk.rule, script, smk.input, outputs, params or {})


def finish(smk: Any, record: dict[str, Any]) -> None:
    """Write the provenance record to the rule's ``provenance`` output."""
    write_record(record, smk.output.provenance)
