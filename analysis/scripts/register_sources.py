"""Rule `register_sources`: the provenance of the municipality register for the data
appendix (per column: source and retrieval date; per population figure: its page) and
the numbers that say how complete the population column is.
"""

from analysis.document_tables import to_markdown
from analysis.register import COLUMNS, load_register
from analysis.register_sources import (
    column_origins,
    population_sources,
    province_coverage,
    size_classes_comparable,
)
from analysis.tables import write_table
from proefdruk.api import NumberSet, run, snakemake_or_cli, step_record, write_step_record

smk = snakemake_or_cli(globals())


def main() -> None:
    register = load_register(smk.input.register, with_sources=True)
    origins = column_origins(smk.input.origins, list(COLUMNS))
    sources = population_sources(register)
    coverage = province_coverage(register)

    nums = NumberSet("register")
    n = len(register)
    filled = int(register["inwoners_2024"].notna().sum())
    nums.count("gemeenten", n, "Aantal gemeenten in het register (indeling 1 januari 2024)")
    nums.count("inwoners_ingevuld", filled,
               "Aantal gemeenten met een inwonertal op 1 januari 2024 uit een openbare bron")
    nums.count("inwoners_ontbrekend", n - filled,
               "Aantal gemeenten zonder inwonertal in het register (grootteklasse onbekend)")
    nums.percent("inwoners_ingevuld_aandeel", filled, n,
                            "Aandeel gemeenten met een inwonertal uit een openbare bron")
    nums.count("provincies_volledig", int((coverage["zonder_inwonertal"] == 0).sum()),
               "Aantal provincies waarvan alle gemeenten een inwonertal hebben")
    nums.count("bronnen_inwoners", len(sources),
               "Aantal openbare bronnen waaruit de inwonertallen komen")
    threshold = float(smk.params.min_coverage)
    comparable, _, _ = size_classes_comparable(register, threshold)
    nums.share("grootte_drempel", threshold,
               "Aandeel gemeenten met een inwonertal vanaf waar de hoofdstukken "
               "grootteklassen vergelijken (survey.size_classes_min_coverage)", decimals=0)
    nums.claim("grootteklassen_vergelijkbaar", comparable,
               rule="waar als het aandeel gemeenten met een inwonertal "
                    "(register.inwoners_ingevuld / register.gemeenten) ten minste de drempel "
                    "register.grootte_drempel is",
               values={"register.inwoners_ingevuld": filled, "register.gemeenten": n,
                       "register.grootte_drempel": threshold},
               description="De grootteklassen rusten op genoeg gemeenten om ze te vergelijken")

    record = step_record(smk, __file__)
    markdown = to_markdown(origins, {},
                           {"kolom": "Kolom", "inhoud": "Inhoud", "bron": "Bron",
                            "opgehaald": "Opgehaald"})
    write_table(origins, markdown, smk.output.columns_csv, smk.output.columns_md)
    markdown = to_markdown(sources, {"gemeenten": "int"},
                           {"bron": "Bron", "vermeldt": "Wat de bron vermeldt",
                            "gemeenten": "Gemeenten", "provincies": "Provincies"})
    write_table(sources, markdown, smk.output.sources_csv, smk.output.sources_md)
    markdown = to_markdown(coverage, {"gemeenten": "int", "met_inwonertal": "int",
                            "zonder_inwonertal": "int", "som": "int"},
                           {"provincie": "Provincie", "gemeenten": "Gemeenten",
                            "met_inwonertal": "Met inwonertal",
                            "zonder_inwonertal": "Zonder inwonertal",
                            "som": "Inwoners (volledige provincie)"})
    write_table(coverage, markdown, smk.output.coverage_csv, smk.output.coverage_md)
    nums.write(smk.output.numbers, record)
    write_step_record(smk, record)


run(main, smk)
