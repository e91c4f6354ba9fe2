# Het internationale beleid van Nederlandse gemeenten: the whole study, from raw data
# to the HTML site, the PDF and the DOCX. `snakemake all` builds everything; the default
# profile (profiles/default) sets the cores. The study's stages live in workflow/rules/;
# the book, numbers, verify and feedback rules are proefdruk's (docs/manual/layout.md).

from proefdruk.build import setup, tool_rules

# The tool's options (proefdruk's schema) and the study's own (config/schema.yaml): a typo,
# a wrong type or a value out of range stops here, before anything is planned.
setup(workflow, config, configfile="config/config.yaml", schema="config/schema.yaml")

# The captions of `snakemake --report report.html`.
report: "report/workflow.rst"

include: tool_rules("common")
include: "workflow/rules/survey.smk"
include: "workflow/rules/documents.smk"
include: "workflow/rules/register.smk"
include: "workflow/rules/claims.smk"
include: tool_rules("book")
