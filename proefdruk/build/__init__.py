"""The tool's Snakemake side: what a study's Snakefile uses, and nothing else.

A study does not copy the tool's rules; it includes them from the installed package, the
way showyourwork's package owns its workflow::

    from proefdruk.build import setup, tool_rules

    setup(workflow, config, configfile="config/config.yaml", schema="config/schema.yaml")
    include: tool_rules("common")              # paths and the book plan, for every rule file
    include: "workflow/rules/analysis.smk"     # the study's own rules
    include: tool_rules("book")                # the tool's rules, rule all, code inputs: last

:func:`setup` reads ``config/config.yaml`` within limits (not with Snakemake's
``configfile:`` directive, whose loader a YAML alias bomb drives past the machine's
memory: proefdruk/config_file.py), applies ``--config`` over it as Snakemake would, checks
the options (the tool's keys against the tool's schema, shipped here as ``schema.yaml``;
the study's keys against the study's own schema), prepares the environment every job
runs in, and lifts Snakemake's submission rate limit for a local build.
:func:`tool_rules` gives the path of one of the tool's rule files inside the package, so
the same Snakefile works from a source checkout and from a wheel. (Not ``rules``:
that name is Snakemake's own in a Snakefile, the rules defined so far.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

RULES_DIR = Path(__file__).resolve().parent / "rules"
# The rule files a study includes by name; the others are included by these two.
PUBLIC_RULES = ("common", "book")

__all__ = ["PUBLIC_RULES", "RULES_DIR", "project_root", "setup", "tool_rules"]


def tool_rules(name: str) -> str:
    """The path of the tool's rule file ``name`` (``"common"`` or ``"book"``), for
    ``include:``. An unknown name stops the parse with the names there are."""
    if name not in PUBLIC_RULES:
        from snakemake.exceptions import WorkflowError

        raise WorkflowError(f"proefdruk has no rule file {name!r}: include "
                            f"{' and '.join(repr(n) for n in PUBLIC_RULES)} "
                            "(tool_rules('common') before the study's rules, "
                            "tool_rules('book') after them)")
    return str(RULES_DIR / f"{name}.smk")


def project_root(workflow: Any) -> Path:
    """The study's root: the folder of its main Snakefile (not of the tool's rules)."""
    return Path(workflow.basedir).resolve()


def setup(workflow: Any, config: dict[str, Any], schema: str | None = None,
          configfile: str | None = None) -> Path:
    """Read and check the options and prepare this process and the jobs; return the
    project root.

    ``configfile`` is the study's options file (relative to the project root), read here
    with limits on size, depth and aliases instead of by Snakemake's ``configfile:``
    directive; ``config`` (Snakemake's global) is replaced in place by the file with the
    command line's ``--configfile``/``--config`` values over it. Without ``configfile``
    the ``config`` Snakemake has is taken as it is.

    ``schema`` is the study's own option schema (a path relative to the project root),
    for the keys its rules read; the tool's keys are checked against the tool's schema
    whatever the study passes. A typo, a wrong type or a value out of range stops the
    parse here, before anything is planned, with the key, the value and what is allowed.
    """
    from snakemake.exceptions import WorkflowError

    from proefdruk.config_schema import validate_config
    from proefdruk.errors import BuildError, BuildErrors
    from proefdruk.workflow import lift_local_rate_limit, setup_environment

    root = project_root(workflow)
    try:
        if configfile is not None:
            _read_options(workflow, config, root / configfile, configfile)
        validate_config(config, root, study_schema=schema)
    except BuildErrors as exc:
        raise WorkflowError(f"The build options are not valid:\n{exc}") from None
    except BuildError as exc:
        raise WorkflowError(f"The build options cannot be read:\n{exc}") from None
    # Rule scripts import the study code and the tool from this checkout or environment,
    # and every tool reads a fixed date instead of the clock (reproducible bytes).
    setup_environment(root, config["source_date_epoch"],
                      cell_timeout=config["render"]["cell_timeout"])
    # A local build needs no submission rate limit, and Snakemake's default one makes its
    # scheduler wake once a second per finished job (proefdruk/workflow.py says why).
    workflow.onstart(lambda log: lift_local_rate_limit(workflow))
    return root


def _read_options(workflow: Any, config: dict[str, Any], path: Path, shown: str) -> None:
    """Replace ``config`` in place by the bounded read of ``path`` with the command line
    over it (what ``configfile:`` would have done, without its unbounded loader)."""
    from proefdruk.config_file import merged_config

    settings = workflow.config_settings
    replace = bool(getattr(settings, "replace_workflow_config", False))
    if not path.exists() and settings.configfiles:
        replace = True  # as the directive: --configfile stands in for a missing file
    options = merged_config(path, settings.overwrite_config or {}, replace=replace,
                            display=shown)
    config.clear()
    config.update(options)
    if shown not in map(str, workflow.configfiles):
        workflow.configfiles.append(shown)  # as the directive would (--report lists it)
