"""Rule `documents_partnerships`: partnerships started per decade and partner region
(table and timeline figure) and the numbers chapter 4 cites.
"""

import pandas as pd

from analysis.document_figures import timeline
from analysis.document_tables import to_markdown
from analysis.partnerships import (
    FIRST_YEAR,
    KINDS,
    REGIONS,
    by_decade_and_region,
    by_region,
    share_in_window,
)
from analysis.register import load_register
from analysis.tables import write_table
from proefdruk.api import NumberSet, run, snakemake_or_cli, step_record, write_step_record

smk = snakemake_or_cli(globals())

REGION_SLUGS = {"West-Europa": "west_europa", "Midden- en Oost-Europa": "midden_oost_europa",
                            "Mondiale Zuiden": "mondiale_zuiden",
                            "Grensregio (België en Duitsland)": "grensregio",
                            "Overige wereld": "overige_wereld"}


def numbers(reg: pd.DataFrame, decades: pd.DataFrame, n_muni: int) -> NumberSet:
    nums = NumberSet("partnerschappen")
    total = len(reg)
    synthetic = int(reg["synthetic"].sum())
    nums.count("totaal", total, "Aantal partnerschappen (stedenbanden) in het register")
    nums.count("echt", total - synthetic, "Aantal partnerschappen met een openbare bron "
               "(niet synthetisch)")
    nums.count("synthetisch", synthetic, "Aantal synthetische partnerschappen in het register")
    nums.percent("gemeenten_met_band", reg["gemeente_code"].nunique(), n_muni,
                 "Aandeel gemeenten (indeling 2024) met ten minste één partnerschap sinds 1945")
    for region in REGIONS:
        k = int((reg["regio"] == region).sum())
        nums.percent(f"regio_{REGION_SLUGS[region]}", k, total,
                     f"Aandeel partnerschappen met partnerregio {region}")
    for kind, label in KINDS.items():
        nums.percent(f"soort_{kind}", int((reg["soort"] == kind).sum()), total,
                     f"Aandeel partnerschappen van de soort '{label.lower()}'")
    for region, first, last, what in (
            ("West-Europa", FIRST_YEAR, 1969, "West-Europa"),
            ("Mondiale Zuiden", 1975, 1994, "het Mondiale Zuiden"),
            ("Midden- en Oost-Europa", 1989, 1999, "Midden- en Oost-Europa")):
        k, n = share_in_window(reg, region, first, last)
        if n:
            nums.percent(f"{REGION_SLUGS[region]}_{first}_{last}", k, n,
                         f"Aandeel partnerschappen met {what} onder alle partnerschappen "
                         f"aangegaan in {first}–{last}")
    nums.count("grens_sinds_1990", int(((reg["regio"] == REGIONS[3])
                                        & (reg["jaar_start"] >= 1990)).sum()),
               "Aantal grensoverschrijdende partnerschappen aangegaan sinds 1990")
    peak = decades.sort_values(["Totaal", "decennium"], ascending=[False, True]).iloc[0]
    nums.text("piekdecennium", str(peak["decennium"]),
              "Decennium waarin de meeste partnerschappen werden aangegaan")
    nums.count("piekdecennium_aantal", int(peak["Totaal"]),
               "Aantal partnerschappen aangegaan in het piekdecennium")
    ended = int(reg["jaar_einde"].notna().sum())
    nums.percent("beeindigd", ended, total, "Aandeel partnerschappen dat inmiddels is beëindigd")
    nums.text("eerste_jaar", str(int(reg["jaar_start"].min())),
              "Beginjaar van het oudste partnerschap in het register")
    return nums


def main() -> None:
    last_year = int(smk.params.last_year)
    reg = pd.read_csv(smk.input.partnerships, dtype={"gemeente_code": str})
    reg["synthetic"] = reg["synthetic"].astype(str).str.lower() == "true"
    n_muni = len(load_register(smk.input.register))
    decades = by_decade_and_region(reg, last_year)
    regions = by_region(reg)
    nums = numbers(reg, decades, n_muni)
    record = step_record(smk, __file__, {"last_year": last_year})
    markdown = to_markdown(decades, {r: "int" for r in [*REGIONS, "Totaal"]},
                           {"decennium": "Beginjaar", **{r: r for r in REGIONS},
                            "Totaal": "Totaal"})
    write_table(decades, markdown, smk.output.decade_csv, smk.output.decade_md)
    markdown = to_markdown(regions, {"aantal": "int", "aandeel": "pct", "eerste_jaar": "text",
                            "mediaan_jaar": "text"},
                           {"regio": "Partnerregio", "aantal": "Aantal", "aandeel": "Aandeel",
                            "eerste_jaar": "Eerste beginjaar"})
    write_table(regions, markdown, smk.output.region_csv, smk.output.region_md)
    real = reg[~reg["synthetic"]].copy()
    real["soort"] = [KINDS[k] for k in real["soort"]]
    real["jaar_einde"] = [str(int(y)) if pd.notna(y) else "–" for y in real["jaar_einde"]]
    real["jaar_start"] = real["jaar_start"].astype(int).astype(str)
    table = real.sort_values(["jaar_start", "gemeente_naam", "partnerstad"])
    markdown = to_markdown(table, {},
                           {"gemeente_naam": "Gemeente", "partnerstad": "Partnerstad",
                            "land_naam": "Land", "jaar_start": "Begin", "jaar_einde": "Einde",
                            "soort": "Soort", "bron": "Bron"})
    write_table(table, markdown, smk.output.sources_csv, smk.output.sources_md)
    timeline(decades, REGIONS, smk.output.figure)
    nums.write(smk.output.numbers, record)
    write_step_record(smk, record)


run(main, smk)
