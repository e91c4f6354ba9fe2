# Het internationale beleid van Nederlandse gemeenten: the whole study, from raw data
# to the HTML site, the PDF and the DOCX. `snakemake all` builds everything; the default
# profile (profiles/default) sets the cores. Stages live in workflow/rules/, one file each.

import os
import sys
from pathlib import Path

configfile: "config/config.yaml"

# The study code (analysis/) and the tooling (proefdruk/) are imported by the rule
# scripts from the project root; scripts run in a child process, so pass it on.
PROJECT_ROOT = Path(workflow.basedir).resolve()
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(PROJECT_ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
)
sys.path.insert(0, str(PROJECT_ROOT))
# Reproducible bytes: every tool that stamps a date reads this instead of the clock.
os.environ.setdefault("SOURCE_DATE_EPOCH", str(config["source_date_epoch"]))
os.environ.setdefault("MPLBACKEND", "Agg")


include: "workflow/rules/common.smk"
include: "workflow/rules/survey.smk"
include: "workflow/rules/documents.smk"
include: "workflow/rules/bibliography.smk"
include: "workflow/rules/numbers.smk"
include: "workflow/rules/book.smk"
include: "workflow/rules/verify.smk"


rule all:
    input:
        BOOK_TARGETS,
        MANIFEST,
    default_target: True
