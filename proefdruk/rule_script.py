"""Where a rule's script is, as Snakemake finds it.

Three parties ask: the derivation of a rule's code inputs (:mod:`proefdruk.rule_code`),
and the two ways of running a rule's script by hand (:mod:`proefdruk.step`,
:mod:`proefdruk.scripting`). The last two are part of every analysis step's code, so this
lives apart from the derivation: a change to the workflow's own machinery (its memo of
code inputs) must not count as a change to every analysis step.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def script_path(rule: Any, root: Path, existing: bool = True) -> Path | None:
    """The absolute path of ``rule``'s ``script:`` (None if it has none, or, with
    ``existing``, if it is missing), resolved as Snakemake resolves it: against the
    folder of the rule file that declares it."""
    script = getattr(rule, "script", None)
    if not script or "{" in str(script):
        return None
    path = Path(str(script))
    if not path.is_absolute():
        basedir = rule.basedir
        base = basedir.get_path_or_uri(secret_free=True) if hasattr(
            basedir, "get_path_or_uri") else str(basedir or root)
        path = Path(base) / path
    return path.resolve() if path.is_file() or not existing else None
