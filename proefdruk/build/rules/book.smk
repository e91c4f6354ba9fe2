# The tool's rules after the study's own (include: tool_rules("book"), proefdruk.build): the
# bibliography check, the numbers registry and the prose lint, the editions, the manifest,
# verification and publishing. Then `all`, and last
# the code inputs of every rule, the study's included.
#
# What the study's rules declare (numbers, provenance records, notices, figures, tables)
# is found here by its place under results/ (proefdruk.declared), never by a list.

from proefdruk.rule_code import add_code_inputs
from proefdruk.workflow import track_job_environment

include: "bibliography.smk"
include: "numbers.smk"
include: "editions.smk"
include: "verify.smk"


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
# code itself (proefdruk/rule_code.py), so no list can fall behind; and the build date that
# reaches every job through the environment is a parameter of each. Keep this last.
add_code_inputs(workflow, PROJECT_ROOT)
track_job_environment(workflow, config)
