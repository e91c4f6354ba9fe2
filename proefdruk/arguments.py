"""The argument parser of every ``proefdruk`` command: a wrong command line is an
``error:`` block with what to pass and an example, not argparse's usage dump.

argparse answers a missing or unknown argument by printing the whole usage and exiting
with status 2 from deep inside the command; an author who typed ``proefdruk changes``
learns the option names but not what to give them. :class:`CommandParser` raises a
:class:`~proefdruk.errors.BuildError` instead (the command line prints it as every other
error, with argparse's status 2), naming the problem, the arguments the command takes and a worked
example from :data:`EXAMPLES`, one per subcommand (tests/test_commands_errors.py fails
for a subcommand without one).
"""

from __future__ import annotations

import argparse
from typing import NoReturn

from proefdruk.errors import BuildError

# One command line per subcommand that does what it is for, as an author or a rule runs it.
EXAMPLES: dict[str, str] = {
    "plan": "proefdruk plan",
    "render-chapter": "proefdruk render-chapter --chapter intro --plan @results/render/plan.json"
                      " --ast intro.json --labels intro.labels.json --report intro.report.json",
    "provenance-appendix": "proefdruk provenance-appendix --plan @plan.json --numbers "
                           "results/numbers.json --out herkomst.qmd --report herkomst.json",
    "notices": "proefdruk notices --notices results/notices/survey.json --out notices.qmd",
    "svg-png": "proefdruk svg-png --svg results/figures/agree.svg --out agree.png",
    "check-quarto": "proefdruk check-quarto --quarto /usr/local/bin/quarto",
    "quarto-render": "proefdruk quarto-render --quarto /usr/local/bin/quarto "
                     "--output-dir results/staging/quarto/_book",
    "book-json": "proefdruk book-json --labels results/render/intro.labels.json "
                 "--out results/render/book.json",
    "page": "proefdruk page --chapter intro --skeleton @skeleton.json --labels labels.json "
            "--out results/staging/_book/intro.html",
    "site-media": "proefdruk site-media --images chapters/figure.png --out media.json",
    "scholar-json": "proefdruk scholar-json --out results/render/scholar.json",
    "citation-files": "proefdruk citation-files --bib citeer.bib --ris citeer.ris",
    "search-index": "proefdruk search-index --book results/render/book.json "
                    "--out search.json",
    "pdf": "proefdruk pdf --book results/render/book.json --out book.pdf --paper a4 "
           "--pdfa false",
    "docx": "proefdruk docx --book results/render/book.json --out book.docx",
    "preview": "proefdruk preview --open",
    "feedback": "proefdruk feedback --docx returned/chapter-1-comments.docx",
    "assets": "proefdruk assets --out results/staging/_book/assets",
    "numbers": "proefdruk numbers --out results/numbers.json results/numbers/survey.json",
    "lint-prose": "proefdruk lint-prose --out results/reports/prose.json chapters/01.qmd",
    "consistency": "proefdruk consistency --out results/reports/consistency.json "
                   "results/numbers.json chapters/01.qmd",
    "warnings-report": "proefdruk warnings-report --out results/reports/warnings.md "
                       "results/reports/prose.json",
    "bibliography": "proefdruk bibliography --bib bibliography/references.bib "
                    "--chapters chapters/01.qmd",
    "manifest": "proefdruk manifest --registry results/numbers.json --out manifest.json",
    "promote": "proefdruk promote --staging results/staging/_book --dest _book "
               "--manifest results/manifest.json --record results/promote/record.json",
    "verify": "proefdruk verify manifest --manifest published/1.0/manifest.json",
    "verify manifest": "proefdruk verify manifest --manifest published/1.0/manifest.json",
    "verify editions": "proefdruk verify editions --folder downloads/1.0",
    "verify twice": "proefdruk verify twice",
    "verify scan": "proefdruk verify scan --report results/reports/scan.json",
    "archive": "proefdruk archive --out results/archive/deposit.zip",
    "publish": "proefdruk publish --book _book",
    "changes": "proefdruk changes --since 1.0",
    "step": "proefdruk step --show survey_clean",
    "new": "proefdruk new my-thesis --lang en",
    "extension": "proefdruk extension check",
    "quarto-coverage": "proefdruk quarto-coverage --write docs/quarto-coverage.md",
}


def _command(prog: str) -> str:
    """``proefdruk verify editions`` -> ``verify editions`` (where it has an example of
    its own), else ``verify``: the subcommand a parser belongs to."""
    words = prog.split()
    if len(words) > 2 and " ".join(words[1:3]) in EXAMPLES:
        return " ".join(words[1:3])
    return words[1] if len(words) > 1 and words[0] == "proefdruk" else prog


class UsageError(BuildError):
    """A wrong command line: printed as every :class:`BuildError`, but the command exits
    with status 2, as argparse and other command-line tools do for a usage error."""


class CommandParser(argparse.ArgumentParser):
    """argparse, but a wrong command line raises a :class:`BuildError` with an example
    (see the module's docstring) instead of printing the usage and exiting."""

    def error(self, message: str) -> NoReturn:
        command = _command(self.prog)
        usage = " ".join(self.format_usage().split()).removeprefix("usage: ")
        usage = usage.replace(" [-h]", "")
        example = EXAMPLES.get(command)
        hint = f"for example: {example}" if example else ""
        hint += f"{'; ' if hint else ''}`{self.prog} --help` describes every option"
        raise UsageError(f"{self.prog}: {message}", expected=usage, hint=hint)
