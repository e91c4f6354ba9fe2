# Shared helpers for the rule files: paths and the book structure from _quarto.yml.
# A study includes this file first (include: tool_rules("common"), proefdruk.build), then its
# own rule files, then tool_rules("book"); everything here is named for both.
#
# The book plan (chapters, their numbers and labels, and the files each chapter reads)
# is computed here from the sources alone, each time Snakemake starts (well under a
# second). See proefdruk/render/workflow/plan.py for why labels travel as rule parameters.

import json
from functools import partial

from snakemake.exceptions import WorkflowError

from proefdruk.build import project_root
from proefdruk.declared import declared_outputs
from proefdruk.errors import BuildError, BuildErrors
from proefdruk.promote import STAGING, quarto_staging_folder, staging_folder
from proefdruk.render.core.extension import extension_files, typst_files
from proefdruk.render.core.project import NOTICES_INCLUDE, PROVENANCE_INCLUDE
from proefdruk.render.editions.media import MEDIA_LIST
from proefdruk.render.workflow.book_rules import (
    check_sources,
    choice_regex,
    json_param,
    page_images_of,
    quarto_binary,
    site_media,
)
from proefdruk.render.workflow.plan import load_plan

PROJECT_ROOT = project_root(workflow)
LOGS = "logs"
# The study's pinned environment, for `--software-deployment-method conda`: every rule of
# the tool names it (the tool's rule files live in the package, not next to it).
ENVIRONMENT = str(PROJECT_ROOT / "environment.yml")
# The editions are rendered here and promoted to _book/ only when all of them are done
# (rule promote in verify.smk; proefdruk/promote.py says why).
EDITION_STAGING = staging_folder("_book")
BENCH = "benchmarks"
# Shell commands call `python` from PATH: the interpreter of the active environment.
# Without a deployment method that is the one running Snakemake (setup_environment puts
# its folder first on PATH, activated or not); with `--software-deployment-method conda`
# Snakemake activates the rule's `conda:` environment first, so the directive is true.
PYTHON = "python"
PROEFDRUK = f"{PYTHON} -m proefdruk"

try:
    BOOK = load_plan(".")
    QUARTO = quarto_binary(config["render"]["quarto"])
except (BuildError, BuildErrors) as exc:
    raise WorkflowError(f"The book cannot be planned:\n{exc}") from None

# Functions from a chapter source to the check reports it must pass before it is
# rendered; stages append to it (numbers.smk adds the prose lint).
CHAPTER_GATES = []
# Check reports written per chapter (wildcard outputs, which declared_outputs cannot
# list), expanded over the book plan by the stage that writes them (book.smk adds the
# render reports); the warnings report declares them as inputs.
CHAPTER_REPORTS = []

CHAPTER_IDS = BOOK.chapter_ids
PAGE_IDS = CHAPTER_IDS
# Each page's path under _book/ without ".html" (where Quarto writes it:
# chapters/01-x.qmd -> chapters/01-x) -> the chapter id that names its build files.
PAGE_CHAPTER = {c.href.removesuffix(".html"): c.id for c in BOOK.chapters}
# The site's options from _quarto.yml (search, downloads, cover image, ...).
SITE = BOOK.skeleton()["site"]
page_images = partial(page_images_of, BOOK)
OUTPUT_FILE = BOOK.project.output_file
# The "Citeer dit boek" downloads of the site (proefdruk/render/editions/site_meta.py).
CITATION_DOWNLOADS = [f"{EDITION_STAGING}/citeer.bib", f"{EDITION_STAGING}/citeer.ris"]
# Which renderer makes the editions: a parameter of the manifest and of the promotion
# (verify.smk), so switching render.quarto either way publishes again, from that
# renderer's own staging folder only (BOOK_STAGING; editions.smk sets Quarto's).
RENDERER = "builtin" if QUARTO is None else "quarto"
QUARTO_STAGING = quarto_staging_folder(EDITION_STAGING)
BOOK_STAGING = EDITION_STAGING
# Figure PNGs every build makes (editions.smk lists them; none without the book rules).
QUARTO_PNGS = []

