"""What kind of Snakemake run is parsing the Snakefile: one that will lock and build, or not.

The lock handling in ``proefdruk.locks`` runs while the Snakefile is parsed, and Snakemake
has not yet told the workflow what it is going to do at that point (its execution settings
are still empty). Yet it matters: a build must not start when another build holds this
directory, a dry run or ``--lint`` may, and a cluster job (``--mode remote``, always
``--nolock``) must never touch the lock of the main run that submitted it. So the command
line is read again with Snakemake's own argument parser, which knows every abbreviation
and combined flag (``-np``) exactly as Snakemake does.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Sequence
from enum import Enum
from pathlib import Path

# Options under which Snakemake answers a question (plans, lists, graphs, reports,
# clean-ups) instead of running jobs; none of them holds the lock for a build.
QUERY_OPTIONS = (
    "dryrun", "nolock", "unlock", "lint", "list_target_rules", "list_rules",
    "print_compilation", "containerize", "generate_unit_tests", "dag",
    "rulegraph", "filegraph", "d3dag", "cleanup_metadata", "conda_cleanup_envs",
    "conda_create_envs_only", "list_conda_envs", "cleanup_shadow",
    "container_cleanup_images", "list_changes", "list_input_changes",
    "list_params_changes", "list_untracked", "summary", "detailed_summary", "archive",
    "delete_all_output", "delete_temp_output", "edit_notebook",
)


class RunKind(Enum):
    """How a Snakemake command line relates to the directory lock."""

    BUILD = "build"        # runs jobs here and takes the lock
    QUERY = "query"        # dry run, lint, lists, graphs, --nolock: no lock of its own
    SUBPROCESS = "job"     # a job started by another Snakemake (cluster or group job)
    UNKNOWN = "unknown"    # not a Snakemake command line (the API, a test harness)


def is_snakemake_program(program: str) -> bool:
    """Whether ``program`` (``sys.argv[0]``) is Snakemake: its script, or its package's
    ``__main__`` when started as ``python -m snakemake``."""
    path = Path(program)
    return path.name == "snakemake" or (
        path.name == "__main__.py" and path.parent.name == "snakemake")


def run_kind(argv: Sequence[str]) -> RunKind:
    """Classify the command line ``argv`` (``sys.argv``, program name first)."""
    if not argv or not is_snakemake_program(argv[0]):
        return RunKind.UNKNOWN
    from snakemake.cli import get_argument_parser
    from snakemake_interface_executor_plugins.settings import ExecMode

    parser = get_argument_parser()
    # argparse reports a line it cannot read by printing and exiting; here that only means
    # "not a Snakemake command line", so neither may reach the user.
    with contextlib.redirect_stderr(io.StringIO()):
        try:
            args = parser.parse_args(list(argv[1:]))
        except SystemExit:
            return RunKind.UNKNOWN
    if args.mode != ExecMode.DEFAULT:
        return RunKind.SUBPROCESS
    if args.report and not args.report_after_run:
        return RunKind.QUERY
    if any(getattr(args, name, None) for name in QUERY_OPTIONS):
        return RunKind.QUERY
    return RunKind.BUILD
