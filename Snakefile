# Het internationale beleid van Nederlandse gemeenten: the whole study, from raw data
# to the HTML site, the PDF and the DOCX. `snakemake all` builds everything; the default
# profile (profiles/default) sets the cores. Stages live in workflow/rules/, one file each.

from snakemake.exceptions import WorkflowError

from proefdruk.config_schema import validate_config
from proefdruk.errors import BuildErrors
from proefdruk.rule_code import add_code_inputs
from proefdruk.workflow import lift_local_rate_limit, setup_environment

configfile: "config/config.yaml"

# Every option, its default and its allowed values: config/schema.yaml. A typo, a wrong
# type or a value out of range stops here, before anything is planned.
try:
    validate_config(config, workflow.basedir)
except BuildErrors as exc:
    raise WorkflowError(f"The build options are not valid:\n{exc}") from None

# Rule scripts import the study code (analysis/) and the tooling (proefdruk/) from this
# checkout, and every tool reads a fixed date instead of the clock (reproducible bytes).
PROJECT_ROOT = setup_environment(workflow.basedir, config["source_date_epoch"],
                                 cell_timeout=config["render"]["cell_timeout"])


# A local build needs no job submission rate limit, and Snakemake's default one makes its
# scheduler wake once a second per finished job (proefdruk/workflow.py says why).
onstart:
    lift_local_rate_limit(workflow)


include: "workflow/rules/common.smk"
include: "workflow/rules/survey.smk"
include: "workflow/rules/documents.smk"
include: "workflow/rules/register.smk"
include: "workflow/rules/claims.smk"
include: "workflow/rules/bibliography.smk"
include: "workflow/rules/numbers.smk"
include: "workflow/rules/book.smk"
include: "workflow/rules/verify.smk"
include: "workflow/rules/feedback.smk"


rule all:
    input:
        # The editions, promoted to _book/ with their manifest once all of them built.
        PROMOTED,
        # Published results as targets too: Snakemake skips a missing intermediate whose
        # consumers are up to date, so one removed by a killed job would stay missing.
        lambda wc: [p for d in PUBLISHED_PREFIXES for p in declared_outputs(workflow, d)],
    default_target: True


# Code is an input like data: every rule gets the project files its script or command runs
# or reads (imports, templates, Lua filters, assets) as the input `code`, derived from the
# code itself (proefdruk/rule_code.py), so no list can fall behind. Keep this line last.
add_code_inputs(workflow, PROJECT_ROOT)
