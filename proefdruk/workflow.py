"""Process set-up shared by every Snakefile that uses proefdruk.

Rule scripts run in child processes (and, on a cluster, on other machines that re-read the
Snakefile), so what they need from the environment is set here, once, when the Snakefile
is parsed: the project root on ``PYTHONPATH`` (so scripts import the study code and this
package from the checkout, never from elsewhere), a fixed ``SOURCE_DATE_EPOCH`` for every
tool that would stamp the clock into an output, and a non-interactive matplotlib backend.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from proefdruk.content_check import refresh_changed_sources
from proefdruk.invocation import RunKind, run_kind
from proefdruk.locks import clear_stale_locks, refuse_second_build


def job_environment(project_root: str | Path, source_date_epoch: int,
                    cell_timeout: float | None = None) -> Path:
    """Set the environment a rule's job runs in (and return the project root).

    Apart from :func:`setup_environment`, the preview's page renderer
    (proefdruk.preview.fastpage) sets it too: its first look at a page must be made in
    the same environment as the job that makes the page for ``snakemake all``.
    ``PYTHONHASHSEED`` only takes effect in a process started after it is set.
    """
    root = Path(project_root).resolve()
    if cell_timeout is not None:
        os.environ["PROEFDRUK_CELL_TIMEOUT"] = str(float(cell_timeout))
    os.environ["PYTHONPATH"] = str(root)
    # Rules call `python` from PATH (proefdruk/build/rules/common.smk): this interpreter, unless
    # a conda deployment activates the rule's own environment in front of it.
    bindir = str(Path(sys.executable).parent)
    if os.environ.get("PATH", "").split(os.pathsep)[0] != bindir:
        os.environ["PATH"] = os.pathsep.join([bindir, os.environ.get("PATH", "")])
    os.environ["SOURCE_DATE_EPOCH"] = str(int(source_date_epoch))
    # The folders a job may not write (proefdruk.source_guard), from _quarto.yml, read here
    # once rather than by every job (a value left from an earlier call is dropped first,
    # or source_dirs would hand it back instead of reading this project's _quarto.yml).
    from proefdruk.source_guard import SOURCE_DIRS_ENV, source_dirs

    os.environ.pop(SOURCE_DIRS_ENV, None)
    os.environ[SOURCE_DIRS_ENV] = os.pathsep.join(source_dirs(root))
    os.environ["MPLBACKEND"] = "Agg"
    # Hash randomisation changes set iteration order between runs; outputs must not.
    os.environ["PYTHONHASHSEED"] = "0"
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    return root


def setup_environment(project_root: str | Path, source_date_epoch: int,
                      cell_timeout: float | None = None) -> Path:
    """Prepare this process and its children to run the project's rules reproducibly.

    ``cell_timeout`` (config render.cell_timeout) reaches the chapters' Jupyter cells as
    an environment variable, not a rule parameter: a longer allowance must not re-render
    every chapter with cells.
    """
    root = job_environment(project_root, source_date_epoch, cell_timeout)
    # Before Snakemake takes its lock: a lock left by a killed run must not block the next,
    # and a second build must not start while one runs. A cluster job never touches the
    # lock: the run that submitted it holds that lock, on another machine.
    kind = run_kind(sys.argv)
    if kind is not RunKind.SUBPROCESS:
        clear_stale_locks(Path.cwd())
    if kind is RunKind.BUILD:
        refuse_second_build(Path.cwd())
    # Content, not clocks: a source restored with an old time stamp still counts as
    # changed (proefdruk.content_check). A cluster job plans nothing, so it skips this.
    if kind is not RunKind.SUBPROCESS:
        refresh_changed_sources(Path.cwd())
    return root


# Snakemake's default for --max-jobs-per-timespan (snakemake/cli.py).
_DEFAULT_RATE = (100, 1.0)


def lift_local_rate_limit(workflow: Any) -> bool:
    """Drop Snakemake's job submission rate limit for a local run; whether it did.

    The limit (``--max-jobs-per-timespan``, 100 per second unless set) spares a cluster's
    queue. On one machine it spares nothing, and it costs: with it, every scheduling round
    arms a one-second timer that starts another round, which arms another timer, so each
    finished job starts its own chain of rounds, one per second, to the end of the build,
    and every round stats every input of every ready job. With code as an input (some
    forty files per rule) a cold build made about 1,500 rounds and 3-5 s of the main
    process's CPU, on a machine with two cores that the jobs need. Called from the
    Snakefile's ``onstart``, after Snakemake made its scheduler and before it schedules;
    a limit other than the default, or any non-local executor, is left as it is.
    """
    scheduler = getattr(workflow, "scheduler", None)
    limiter = getattr(scheduler, "job_rate_limiter", None)
    if limiter is None or not workflow.local_exec:
        return False
    if (limiter.max_jobs, float(limiter.timespan)) != _DEFAULT_RATE:
        return False
    scheduler.job_rate_limiter = None
    return True


# The names of the parameters every rule gets: the fixed build date and the tool's
# version (see below).
EPOCH_PARAM = "source_date_epoch"
VERSION_PARAM = "proefdruk_version"


def track_job_environment(workflow: Any, config: dict[str, Any]) -> None:
    """Make the options that reach jobs through the environment parameters of every rule.

    ``source_date_epoch`` reaches the jobs as ``SOURCE_DATE_EPOCH`` (set by
    :func:`job_environment`), which Snakemake does not see: a changed date left every
    output as it was, while a clean build stamps the new date into the PDF and the
    archive (issue #27, finding 3). As a parameter of every rule, a change re-runs the
    jobs, since any of them may stamp it (pandoc, Typst, zip, matplotlib). The
    cells' time allowance is not tracked on purpose: it changes no output.

    The tool's version is a parameter too: a study that installs proefdruk from a wheel
    has the tool's code outside its tree, where the derived code inputs do not look, so a
    new version of the tool re-runs every job instead of leaving the old one's outputs.
    """
    from proefdruk import __version__

    value = int(config["source_date_epoch"])
    for rule in list(workflow.rules):
        if EPOCH_PARAM not in rule.params.keys():
            rule.set_params(**{EPOCH_PARAM: value})
        if VERSION_PARAM not in rule.params.keys():
            rule.set_params(**{VERSION_PARAM: __version__})
