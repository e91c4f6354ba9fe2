# Shared helpers for the rule files: paths and the book structure from _quarto.yml.
#
# The book plan (chapters, their numbers and labels, and the files each chapter reads)
# is computed here from the sources alone, each time Snakemake starts (well under a
# second). See proefdruk/render/plan.py for why labels travel as rule parameters.

import json
import re
import shutil

from snakemake.exceptions import WorkflowError

from proefdruk.errors import BuildError, BuildErrors
from proefdruk.render.plan import load_plan
from proefdruk.render.project import PROVENANCE_ID

LOGS = "logs"
BENCH = "benchmarks"
RENDER = "results/render"
# Run the tooling with the interpreter that runs Snakemake (the project's environment),
# whether or not that environment is activated.
PROEFDRUK = f"{sys.executable} -m proefdruk.cli"

try:
    BOOK = load_plan(".")
except (BuildError, BuildErrors) as exc:
    raise WorkflowError("The book cannot be planned:\n" + str(exc)) from None

CHAPTER_IDS = BOOK.chapter_ids
PAGE_IDS = CHAPTER_IDS + [PROVENANCE_ID]
OUTPUT_FILE = BOOK.project.output_file
RENDER_CONFIG = config.get("render", {}) or {}
PAPER = str(RENDER_CONFIG.get("paper", "170x240"))
PDFA = "true" if RENDER_CONFIG.get("pdfa", False) else "false"


def quarto_binary():
    """The quarto executable to use, or None for the built-in renderer.

    config render.quarto: "builtin" (default), "auto" (quarto if it is on PATH) or a path.
    """
    choice = str(RENDER_CONFIG.get("quarto", "builtin")).strip()
    if choice in ("builtin", "", "false", "False"):
        return None
    if choice == "auto":
        return shutil.which("quarto")
    found = shutil.which(choice)
    if found is None:
        raise WorkflowError(
            f"config render.quarto is '{choice}', but that is not an executable; "
            "set it to 'builtin', 'auto' or the path of a quarto executable"
        )
    return found


QUARTO = quarto_binary()


def json_param(value):
    """A rule parameter as canonical JSON: same plan, same string, no spurious rerun."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def choice_regex(names):
    """A wildcard constraint matching exactly one of ``names``."""
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) or "$^"
