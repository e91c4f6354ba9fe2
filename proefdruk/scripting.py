"""Run a Snakemake script under Snakemake or on its own, with the same ``snakemake``.

Scripts read only the ``snakemake`` object (input, output, params, log, rule). Run by
hand (``python analysis/scripts/survey_response.py``, or in a debugger), a script gets
the same object a real run would give it, filled in from the Snakefile by
:mod:`proefdruk.step`: there is one way to run a step alone, and no file list to retype.
A script that several rules share (``survey_section.py``) needs the rule's name::

    proefdruk step survey_motieven
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from proefdruk.errors import BuildError, BuildErrors
from proefdruk.source_guard import SourceWriteError, as_build_error, guard


def rules_running(script: str | Path, root: str | Path = ".") -> list[str]:
    """The rules whose ``script:`` is ``script``."""
    from proefdruk.rule_script import script_path
    from proefdruk.step import _workflow

    target = Path(script).resolve()
    root = Path(root).resolve()
    with _workflow(root, {}) as workflow:
        return sorted(r.name for r in workflow.rules if script_path(r, root) == target)


def snakemake_or_cli(namespace: dict[str, Any]) -> Any:
    """The ``snakemake`` object: Snakemake's in a real run; run by hand, the one
    :func:`proefdruk.step.step` builds for the rule that runs this script."""
    if "snakemake" in namespace:
        return namespace["snakemake"]
    from proefdruk.step import step

    script = namespace.get("__file__", "")
    if sys.argv[1:]:  # the old --input/--output command lines are gone: never ignore them
        sys.exit(str(BuildError(
            "a rule script takes no arguments", file=str(script),
            expected="no arguments: the inputs and outputs come from the Snakefile",
            found=" ".join(sys.argv[1:])[:200],
            hint="proefdruk step <rule> [--config KEY=VALUE] runs it alone")))
    rules = rules_running(script)
    if len(rules) != 1:
        sys.exit(str(BuildError(
            "run this script through its rule", file=str(script),
            expected="exactly one rule that runs it",
            found=", ".join(rules) if rules else "no rule runs it",
            hint="proefdruk step <rule> (see `proefdruk step --help`)")))
    return step(rules[0])


def run(main: Callable[[], None], smk: Any) -> None:
    """Call a rule script's ``main``; report a data problem as its BuildError text.

    Snakemake shows a Python traceback when a script fails; for bad input the author needs
    the message (file, row or line, field, expected, found, what to do) and nothing else.
    It goes to the rule's log and to stderr, and the script exits with status 1.
    Unexpected exceptions keep their traceback: they are bugs, not data problems.
    The project's sources are read-only while ``main`` runs (proefdruk.source_guard).
    """
    logs = list(getattr(smk, "log", []) or [])
    log_path = Path(str(logs[0])) if logs else None
    # Jobs run in the project root; from here on its sources are read-only.
    guard(Path.cwd())
    try:
        try:
            main()
        except SourceWriteError as exc:
            raise as_build_error(exc, Path.cwd(), f"rule {smk.rule}") from None
    except (BuildError, BuildErrors) as err:
        if log_path is not None:
            log_path.parent.mkdir(parents=True, exist_ok=True)
            log_path.write_text(str(err) + "\n", encoding="utf-8")
        print(str(err), file=sys.stderr)
        raise SystemExit(1) from None
    if log_path is not None:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log_path.write_text(f"{smk.rule}: ok\n", encoding="utf-8")
