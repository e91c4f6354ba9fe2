# Het internationale beleid van Nederlandse gemeenten: the whole study, from raw data
# to the HTML site, the PDF and the DOCX. `snakemake all` builds everything; the default
# profile (profiles/default) sets the cores. Stages live in workflow/rules/, one file each.

from proefdruk.workflow import setup_environment

configfile: "config/config.yaml"

# Rule scripts import the study code (analysis/) and the tooling (proefdruk/) from this
# checkout, and every tool reads a fixed date instead of the clock (reproducible bytes).
PROJECT_ROOT = setup_environment(workflow.basedir, config["source_date_epoch"])


include: "workflow/rules/common.smk"
include: "workflow/rules/survey.smk"
include: "workflow/rules/documents.smk"
include: "workflow/rules/register.smk"
include: "workflow/rules/bibliography.smk"
include: "workflow/rules/numbers.smk"
include: "workflow/rules/book.smk"
include: "workflow/rules/verify.smk"
include: "workflow/rules/feedback.smk"


rule all:
    input:
        BOOK_TARGETS,
        MANIFEST,
        # Published results as targets too: Snakemake skips a missing intermediate whose
        # consumers are up to date, so one removed by a killed job would stay missing.
        lambda wc: [p for d in PUBLISHED_PREFIXES for p in declared_outputs(workflow, d)],
    default_target: True
