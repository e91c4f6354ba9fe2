"""A Snakemake that has already started: the preview's fork server for Snakemake runs.

Most of a small Snakemake run is spent before it reads the Snakefile: importing Snakemake
itself (half of a no-op run on this project). The preview pays that once. This process
imports Snakemake's command line and then waits; for each build it forks
(:mod:`proefdruk.preview.forkserver`), and the child runs exactly ``snakemake ARGS`` (the
same parser, profile, lock and workflow as on a terminal) in a fresh copy of the warm
process, in its own session so that SIGINT to its group acts like Ctrl-C. Nothing of the
project (Snakefile, ``proefdruk``, ``analysis``) is imported here, so an edited source is
always read fresh by the child.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from proefdruk.preview.forkserver import serve


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


if __name__ == "__main__":
    import snakemake.cli  # noqa: F401 - the import is the point: children start warm

    serve(run_snakemake, after_stop=after_stop)
