"""Shared plumbing of the survey rule scripts: error reporting and provenance.

A data problem should reach the author as the BuildError text (file, row, column,
expected, found, what to do), not as a traceback; this wrapper writes that text to the
rule's log and stderr and exits 1. Outputs are written atomically by the helpers they use,
so a failed run leaves no half-written file behind.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from proefdruk.errors import BuildError, BuildErrors
from proefdruk.provenance import make_record, write_record


def run(main: Callable[[], None], smk: Any) -> None:
    """Call ``main``; report BuildError(s) in the log and on stderr and exit 1."""
    logs = list(getattr(smk, "log", []) or [])
    log_path = Path(str(logs[0])) if logs else None
    try:
        main()
    except (BuildError, BuildErrors) as err:
        if log_path is not None:
            log_path.parent.mkdir(parents=True, exist_ok=True)
            log_path.write_text(str(err) + "\n", encoding="utf-8")
        print(str(err), file=sys.stderr)
        raise SystemExit(1) from None
    if log_path is not None:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log_path.write_text(f"{smk.rule}: ok\n", encoding="utf-8")


def provenance(smk: Any, script: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
    """The provenance record of this rule (outputs hashed when :func:`finish` is called)."""
    outputs = [o for o in smk.output if not str(o).startswith("results/provenance/")]
    return make_record(smk.rule, script, smk.input, outputs, params or {})


def finish(smk: Any, record: dict[str, Any]) -> None:
    """Write the provenance record to the rule's ``provenance`` output."""
    write_record(record, smk.output.provenance)
