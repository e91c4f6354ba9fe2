"""Run a document rule's script with its log, so that failures read well.

Snakemake shows a Python traceback when a script fails; for a data problem the author
needs the BuildError (file, row or page, field, expected, found, what to do) and nothing
else. This wrapper writes that message to the rule's log and to stderr and exits with
status 1; unexpected exceptions still show their traceback (they are bugs, not data
problems).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from proefdruk.errors import BuildError, BuildErrors


def run(main: Callable[[], None], smk: Any) -> None:
    """Call ``main`` and report a BuildError(s) in the log and on stderr."""
    logs = list(getattr(smk, "log", []) or [])
    log_path = Path(str(logs[0])) if logs else None
    try:
        main()
    except (BuildError, BuildErrors) as err:
        message = str(err)
        if log_path is not None:
            log_path.parent.mkdir(parents=True, exist_ok=True)
            log_path.write_text(message + "\n", encoding="utf-8")
        print(message, file=sys.stderr)
        raise SystemExit(1) from None
    if log_path is not None:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log_path.write_text(f"{smk.rule}: ok\n", encoding="utf-8")
