"""Which files the workflow's rules declare, so stages can be joined without a list.

The numbers merge, the warnings report and the manifest each need "every numbers file",
"every report", "every figure". Keeping those lists by hand would couple every stage to
the tooling's rule files; asking Snakemake which outputs its rules declare does not.
"""

from __future__ import annotations

from typing import Any


def declared_outputs(workflow: Any, prefix: str, suffix: str = "") -> list[str]:
    """Outputs under ``prefix`` (ending in ``suffix``) that some rule declares.

    Outputs with wildcards cannot be listed and are left out. Call this inside an input
    function, so that rules from rule files included later are seen too.
    """
    found: set[str] = set()
    for rule in workflow.rules:
        for f in rule.output:
            path = str(f)
            if path.startswith(prefix) and path.endswith(suffix) and "{" not in path:
                found.add(path)
    return sorted(found)
