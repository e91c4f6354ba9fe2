"""Rule `documents_note_coverage`: how many municipalities have a policy note on
international or European policy, by size class and period.

The denominator is every municipality of 2024 in the class (from the register), so a
class with few notes shows as a low share rather than disappearing from the table.
"""

import pandas as pd

from analysis.document_tables import to_markdown
from analysis.policy_notes import NOTE_KINDS, coverage
from analysis.register import load_register, size_class_order
from analysis.tables import write_table
from proefdruk.api import NumberSet, run, snakemake_or_cli, step_record, write_step_record

smk = snakemake_or_cli(globals())

CLASS_SLUGS = {"< 20.000": "tot_20000", "20.000–50.000": "20000_50000",
               "50.000–100.000": "50000_100000", "> 100.000": "boven_100000",
               "onbekend": "onbekend", "Alle gemeenten": "alle"}


def _class_phrase(size_class: str) -> str:
    if size_class == "Alle gemeenten":
        return "alle gemeenten"
    if size_class == "onbekend":
        return "inwonertal nog niet in het register"
    return f"{size_class} inwoners"


def main() -> None:
    periods = [tuple(int(y) for y in p) for p in smk.params.periods]
    register = load_register(smk.input.register).rename(columns={"gemeentecode": "code"})
    notes = pd.read_csv(smk.input.notes, dtype={"gemeente_code": str})
    classes = [c for c in size_class_order() if (register["grootteklasse"] == c).any()]
    table = coverage(notes, register, periods, classes)

    nums = NumberSet("nota")
    n_muni = len(register)
    nums.count("aantal", len(notes), "Aantal beleidsnota's over internationaal of Europees "
               "beleid in het corpus")
    nums.count("synthetisch", int(notes["synthetic"].astype(str).str.lower().eq("true").sum()),
               "Aantal synthetische beleidsnota's in het corpus")
    nums.count("gemeenten_totaal", n_muni, "Aantal gemeenten in 2024 (noemer van de "
               "aandelen met een nota)")
    with_any = notes["gemeente_code"].nunique()
    nums.percent("gemeenten_met_nota", with_any, n_muni,
                            "Aandeel gemeenten met ten minste één beleidsnota in het corpus")
    for rec in table.to_dict("records"):
        first, last = rec["periode"].split("–")
        if rec["gemeenten"] == 0:
            continue
        nums.percent(f"aandeel_{CLASS_SLUGS[rec['grootteklasse']]}_{first}_{last}",
                     rec["met_nota"], rec["gemeenten"],
                     f"Aandeel gemeenten ({_class_phrase(rec['grootteklasse'])}) met een "
                     f"beleidsnota in {first}–{last}")
    kinds = notes["soort"].value_counts()
    top = sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    nums.text("meest_voorkomende_soort", NOTE_KINDS[top[0]].lower(),
              "Meest voorkomende soort beleidsnota")
    nums.percent("aandeel_meest_voorkomende_soort", int(top[1]), len(notes),
                            "Aandeel van de meest voorkomende soort in alle beleidsnota's")

    wide = table.pivot(index="grootteklasse", columns="periode", values="aandeel")
    wide = wide.reindex([*classes, "Alle gemeenten"]).reset_index()
    counts = table.groupby("grootteklasse", sort=False)["gemeenten"].first()
    wide.insert(1, "gemeenten", [int(counts[c]) for c in wide["grootteklasse"]])
    period_cols = [f"{a}–{b}" for a, b in periods]
    headers = {"grootteklasse": "Inwoners (2024)", "gemeenten": "Gemeenten",
               **{p: p for p in period_cols}}
    formats = {"gemeenten": "int", **{p: "pct" for p in period_cols}}
    record = step_record(smk, __file__, {"periods": periods})
    markdown = to_markdown(wide, formats, headers)
    write_table(wide, markdown, smk.output.table_csv, smk.output.table_md)
    nums.write(smk.output.numbers, record)
    write_step_record(smk, record)


run(main, smk)
