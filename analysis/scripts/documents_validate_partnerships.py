"""Rule `documents_validate_partnerships`: check the partnership register, put it on
2024 boundaries and write it to results/data/ for the analyses.

Inputs: the register (partnerschappen.csv), the country list, the merger mapping and
the municipality register. Run alone with
``python analysis/scripts/documents_validate_partnerships.py --input partnerships=... ...``
(see proefdruk/scripting.py).
"""

from analysis.document_checks import load_mergers
from analysis.partnerships import load_countries, validate_register
from analysis.register import load_register
from proefdruk.api import (
    atomic_write_text,
    run,
    safe_csv_text,
    snakemake_or_cli,
    step_record,
    write_step_record,
)

smk = snakemake_or_cli(globals())


def main() -> None:
    register = load_register(smk.input.register)
    codes = dict(zip(register["gemeentecode"], register["gemeentenaam"], strict=True))
    resolver = load_mergers(smk.input.mergers, codes)
    countries = load_countries(smk.input.countries)
    last_year = int(smk.params.last_year)
    valid = validate_register(smk.input.partnerships, resolver, countries, last_year)
    record = step_record(smk, __file__, {"last_year": last_year})
    atomic_write_text(smk.output.data, safe_csv_text(valid))
    write_step_record(smk, record)


run(main, smk)
