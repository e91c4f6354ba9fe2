"""Run a Snakemake script either under Snakemake or by hand.

Scripts read only the ``snakemake`` object (input, output, params, log, rule). To debug
one alone, run it with the same names on the command line::

    python analysis/scripts/response.py --input survey=results/data/survey.csv \
        --output numbers=/tmp/n.json --param seed=1

and it gets an object with the same attributes.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from proefdruk.errors import BuildError, BuildErrors


class _Files(SimpleNamespace):
    """Attribute and index access like Snakemake's namedlists."""

    def __iter__(self):
        return iter(vars(self).values())

    def __getitem__(self, key: int | str) -> Any:
        if isinstance(key, int):
            return list(vars(self).values())[key]
        return vars(self)[key]

    def keys(self):
        return vars(self).keys()

    def items(self):
        return vars(self).items()


def _pairs(values: Sequence[str] | None, what: str) -> _Files:
    out: dict[str, Any] = {}
    for item in values or []:
        name, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"--{what} expects name=value, got {item!r}")
        out[name] = value
    return _Files(**out)


def snakemake_or_cli(namespace: dict[str, Any], argv: Sequence[str] | None = None) -> Any:
    """The ``snakemake`` object if Snakemake runs this script, else one built from argv."""
    if "snakemake" in namespace:
        return namespace["snakemake"]
    parser = argparse.ArgumentParser(description="Run this Snakemake script by hand.")
    parser.add_argument("--input", action="append", metavar="NAME=PATH")
    parser.add_argument("--output", action="append", metavar="NAME=PATH")
    parser.add_argument("--param", action="append", metavar="NAME=VALUE")
    parser.add_argument("--rule", default="manual")
    args = parser.parse_args(argv if argv is not None else sys.argv[1:])
    return SimpleNamespace(
        input=_pairs(args.input, "input"),
        output=_pairs(args.output, "output"),
        params=_pairs(args.param, "param"),
        log=_Files(),
        rule=args.rule,
        threads=1,
        config={},
        wildcards=_Files(),
    )


def run(main: Callable[[], None], smk: Any) -> None:
    """Call a rule script's ``main``; report a data problem as its BuildError text.

    Snakemake shows a Python traceback when a script fails; for bad input the author needs
    the message (file, row or line, field, expected, found, what to do) and nothing else.
    It goes to the rule's log and to stderr, and the script exits with status 1.
    Unexpected exceptions keep their traceback: they are bugs, not data problems.
    """
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
