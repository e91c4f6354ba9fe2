"""Run one analysis step alone, with exactly what the Snakefile gives it.

To debug a script, an author should not retype every input and output on a command line
(and get one wrong). This module reads the workflow like ``snakemake`` does, builds the
``snakemake`` object the rule's script receives (input, output, params, wildcards, log,
config) and runs the script in this process, so a debugger or ``breakpoint()`` works::

    proefdruk step survey_response             # run the step's script
    proefdruk step survey_motieven --show      # only print what it would get
    proefdruk step survey_response --config survey='{weighting: true}'

or, in a notebook or a debugger session (the idea of PyPSA-Eur's ``mock_snakemake``)::

    from proefdruk.step import step
    snakemake = step("survey_response")

The step's inputs must exist (run ``snakemake <input>`` first); nothing upstream is run
and Snakemake's bookkeeping is not touched, so the next ``snakemake all`` treats the
outputs as it would any hand-made file: content decides, and it re-runs what differs.
"""

from __future__ import annotations

import argparse
import contextlib
import runpy
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from proefdruk.arguments import CommandParser
from proefdruk.errors import BuildError


@contextlib.contextmanager
def _workflow(root: Path, config: dict[str, Any]) -> Iterator[Any]:
    """The parsed workflow of the project in ``root`` (the Snakefile and its includes)."""
    from snakemake.api import SnakemakeApi
    from snakemake.settings.types import ConfigSettings, OutputSettings, ResourceSettings

    with SnakemakeApi(OutputSettings(quiet={"all"})) as api:
        workflow_api = api.workflow(resource_settings=ResourceSettings(cores=1),
                                    config_settings=ConfigSettings(config=config),
                                    snakefile=root / "Snakefile", workdir=root)
        yield workflow_api._workflow  # Snakemake has no public accessor for parsed rules


def _job(workflow: Any, rule_name: str, wildcards: dict[str, str]) -> Any:
    from snakemake.dag import DAG
    from snakemake.jobs import Job
    from snakemake.settings.types import DAGSettings

    workflow.dag_settings = DAGSettings()

    try:
        rule = workflow.get_rule(rule_name)
    except Exception:  # Snakemake raises its own UnknownRuleException
        names = sorted(r.name for r in workflow.rules if r.script)
        raise BuildError(f"no rule named '{rule_name}'", field="rule",
                         expected="one of " + ", ".join(names), found=rule_name,
                         hint="`snakemake --list-rules` lists every rule") from None
    missing = sorted(set(rule.wildcard_names) - set(wildcards))
    if missing:
        raise BuildError(f"rule {rule_name} needs its wildcards", field=", ".join(missing),
                         expected=" ".join(f"{w}=<value>" for w in missing),
                         found="nothing", hint=f"proefdruk step {rule_name} "
                         + " ".join(f"{w}=…" for w in missing))
    return Job(rule, DAG(workflow, rules=[rule]), wildcards)


def step(rule_name: str, root: str | Path = ".", config: dict[str, Any] | None = None,
         **wildcards: str) -> Any:
    """The ``snakemake`` object rule ``rule_name``'s script gets in a real run."""
    from snakemake.iocontainers import Snakemake

    root = Path(root).resolve()
    with _workflow(root, config or {}) as workflow:
        job = _job(workflow, rule_name, dict(wildcards))
        return Snakemake(job.input, job.output, job.params, job.wildcards, job.threads,
                         job.resources, job.log, workflow.config, job.rule.name, None)


def script_of(rule_name: str, root: str | Path = ".") -> Path:
    """The script file rule ``rule_name`` runs."""
    root = Path(root).resolve()
    with _workflow(root, {}) as workflow:
        rule = workflow.get_rule(rule_name)
    if not rule.script:
        raise BuildError(f"rule {rule_name} runs no script", field="rule", found=rule_name,
                         expected="a rule with `script:`",
                         hint="shell rules print their command with `snakemake -n -p <target>`")
    from proefdruk.rule_script import script_path

    path = script_path(rule, root)
    if path is None:
        raise BuildError(f"the script of rule {rule_name} does not exist",
                         found=str(rule.script))
    return path


def run_step(rule_name: str, root: str | Path = ".", config: dict[str, Any] | None = None,
             **wildcards: str) -> None:
    """Run rule ``rule_name``'s script here, as Snakemake would, with its declared files."""
    smk = step(rule_name, root, config, **wildcards)
    for path in [*smk.output, *smk.log]:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    runpy.run_path(str(script_of(rule_name, root)), init_globals={"snakemake": smk},
                   run_name="__main__")


def _show(smk: Any) -> str:
    """What the script would get, one file per line (named groups under their name)."""
    lines = [f"rule {smk.rule}"]
    for part in ("input", "output", "params", "wildcards", "log"):
        items = getattr(smk, part)
        lines.append(f"  {part}:")
        named: set[str] = set()
        for name, value in items.items():
            values = value if isinstance(value, list) else [value]
            named.update(str(v) for v in values)
            lines.append(f"    {name}: " + ("" if isinstance(value, list) else str(value)))
            if isinstance(value, list):
                lines += [f"      {v}" for v in value]
        if part != "params":
            lines += [f"    {v}" for v in items if str(v) not in named]
    return "\n".join(lines)


def _config_args(items: Sequence[str]) -> dict[str, Any]:
    from snakemake.cli import parse_config

    return parse_config(list(items))


def main(argv: Sequence[str] | None = None) -> int:
    parser = CommandParser(prog="proefdruk step", description=__doc__,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("rule", help="the rule whose script to run")
    parser.add_argument("wildcards", nargs="*", metavar="NAME=VALUE")
    parser.add_argument("--show", action="store_true", help="print, do not run")
    parser.add_argument("--config", nargs="*", default=[], metavar="KEY=VALUE",
                        help="as `snakemake --config`")
    args = parser.parse_args(argv)
    wildcards = dict(w.split("=", 1) for w in args.wildcards if "=" in w)
    try:
        with contextlib.chdir(Path.cwd()):
            if args.show:
                print(_show(step(args.rule, config=_config_args(args.config), **wildcards)))
            else:
                run_step(args.rule, config=_config_args(args.config), **wildcards)
    except BuildError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 0
