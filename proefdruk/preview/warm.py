"""A Snakemake that has already started: the preview's fork server for Snakemake runs.

Most of a small Snakemake run is spent before it reads the Snakefile: importing Snakemake
itself (half of a no-op run on this project). The preview pays that once. This process
imports Snakemake's command line and then waits; for each build it forks
(:mod:`proefdruk.preview.forkserver`), and the child runs exactly ``snakemake ARGS`` (the
same parser, profile, lock and workflow as on a terminal) in a fresh copy of the warm
process, in its own session so that SIGINT to its group acts like Ctrl-C.

The rest of a start is the Snakefile: the modules it imports, and the code inputs of
every rule, derived by parsing the project's Python modules (proefdruk.rule_code). The
server imports those modules too and parses every module of the project's packages once
(the parse is memoised per file version, and a fork inherits the memo). An imported
module does not see later edits, so the preview restarts this server whenever a Python
file of the project changes (proefdruk.preview.drafts.tooling_changed); the Snakefile
itself, the rule files and every other source are read fresh by each run.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from pathlib import Path

from proefdruk.preview.forkserver import serve

PRELOADED = ("snakemake.api", "snakemake.workflow", "snakemake.dag", "snakemake.jobs",
             "snakemake.scheduling.job_scheduler", "snakemake.executors.local",
             "snakemake.persistence", "snakemake.shell", "snakemake.utils", "jsonschema",
             "requests", "smart_open", "jinja2", "docutils", "PIL", "yte", "dpath",
             "pypandoc")
IMPORT = re.compile(r"^\s*(?:from\s+([\w.]+)\s+import|import\s+([\w.]+))", re.MULTILINE)


def preload(root: Path) -> None:
    """Import what the Snakefile and its rule files import, and parse the modules of the
    project's packages for their code inputs. Anything that fails is left to the run,
    which then reports it."""
    from proefdruk.build import RULES_DIR

    sources = [root / "Snakefile", *sorted((root / "workflow").rglob("*.smk")),
               *sorted(RULES_DIR.glob("*.smk"))]
    for source in sources:
        try:
            text = source.read_text(encoding="utf-8")
        except OSError:
            continue
        for m in IMPORT.finditer(text):
            try:
                importlib.import_module(m.group(1) or m.group(2))
            except Exception:  # noqa: BLE001 - the run reports it
                continue
    try:
        from proefdruk.codedeps import module_facts
    except ImportError:
        return
    packages = [d for d in sorted(root.iterdir()) if (d / "__init__.py").is_file()]
    for package in packages:
        for path in sorted(package.rglob("*.py")):
            try:
                module_facts(path)
            except (OSError, SyntaxError, ValueError):
                continue


def run_snakemake(args: list[str]) -> int:
    """In the forked child: be ``snakemake ARGS``."""
    import snakemake
    from snakemake.cli import main

    # proefdruk.invocation classifies the run by sys.argv, as for `python -m snakemake`.
    sys.argv = [os.path.join(os.path.dirname(snakemake.__file__), "__main__.py"), *args]
    main(args)
    return 0


def after_stop() -> None:
    """The preview died while a run went on; that run was stopped as by Ctrl-C, or
    killed: leave no lock and no half-written output for the next ``snakemake all``."""
    from proefdruk.locks import clear_stale_locks
    from proefdruk.preview.snakemake_run import remove_incomplete

    clear_stale_locks(Path.cwd())
    remove_incomplete(Path.cwd())


def preload_snakemake() -> None:
    """Import what every run of Snakemake imports lazily: its command line with every
    plugin registry (the parser lists the plugins), the workflow, the scheduler."""
    import snakemake.cli

    snakemake.cli.get_argument_parser()
    for name in PRELOADED:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the run reports it
            continue


if __name__ == "__main__":
    preload_snakemake()
    preload(Path.cwd())
    serve(run_snakemake, after_stop=after_stop)
