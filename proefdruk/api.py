"""The one module a study's own code imports from proefdruk.

A dissertation lives for years, and the tool under it changes: modules move, split and
get renamed. Study code (``analysis/``, data generators) that imported those modules
directly would break with every such change, and nobody could say which names the tool
promises to keep. So everything a study may use is re-exported here, under ``__all__``,
and a test (tests/test_study_api_boundary.py) fails when study code imports any other
part of ``proefdruk``. A name leaves this module only with a note in the CHANGELOG.

A rule script uses it like this::

    from proefdruk.api import NumberSet, run, snakemake_or_cli, step_record, write_step_record

    smk = snakemake_or_cli(globals())

    def main() -> None:
        record = step_record(smk, __file__)
        numbers = NumberSet("respons")
        numbers.percent("percentage", 217, 342, "Respons (aandeel aangeschreven gemeenten)")
        numbers.write(smk.output.numbers, record)
        write_step_record(smk, record)

    run(main, smk)

The names are re-exported, not copied: the objects are the tool's own, with their own
docstrings (docs/manual/api.md is generated from them). Importing this module imports
the modules behind every name, on purpose: a rule's code inputs are derived from its
script's imports (proefdruk/rule_code.py), and static imports here keep every module a
script really runs among them.
"""

from __future__ import annotations

from proefdruk.csvsafe import restore, safe_csv_text
from proefdruk.errors import BuildError, BuildErrors
from proefdruk.files import atomic_write_bytes, atomic_write_text, dump_json
from proefdruk.locale.formats import format_number, format_percent
from proefdruk.markdown import escape_markdown
from proefdruk.numbers import NumberSet
from proefdruk.provenance import make_record, step_record, write_record, write_step_record
from proefdruk.scripting import run, snakemake_or_cli

__all__ = [
    # the numbers registry and claims
    "NumberSet",
    # provenance records of an analysis step
    "step_record",
    "write_step_record",
    "make_record",
    "write_record",
    # running a rule script, under Snakemake or by hand
    "run",
    "snakemake_or_cli",
    # errors a user can act on
    "BuildError",
    "BuildErrors",
    # published CSV and Markdown that data cannot turn into formulas or markup
    "safe_csv_text",
    "restore",
    "escape_markdown",
    # all-or-nothing, deterministic writes
    "atomic_write_text",
    "atomic_write_bytes",
    "dump_json",
    # display forms of numbers, in the book's language (lang=, Dutch by default)
    "format_number",
    "format_percent",
]
