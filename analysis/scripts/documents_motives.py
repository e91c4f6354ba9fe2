"""Rule `documents_motives`: dictionary coding of motives in every policy note, motive
shares per period (table, figure) and the numbers chapter 5 cites.
"""

import pandas as pd

from analysis.document_figures import motive_lines
from analysis.document_tables import to_markdown
from analysis.motive_coding import code_notes, load_dictionary, shares_by_period
from analysis.policy_notes import period_label
from analysis.tables import write_table
from proefdruk.api import (
    NumberSet,
    atomic_write_text,
    run,
    safe_csv_text,
    snakemake_or_cli,
    step_record,
    write_step_record,
)

smk = snakemake_or_cli(globals())


def main() -> None:
    periods = [tuple(int(y) for y in p) for p in smk.params.periods]
    min_hits = int(smk.params.min_hits)
    motives = load_dictionary(smk.input.dictionary)
    notes = pd.read_csv(smk.input.notes, dtype={"gemeente_code": str, "tekst": str})
    notes["periode"] = [period_label(int(y), periods) for y in notes["jaar"]]
    notes = notes[notes["periode"].notna()]
    coded = code_notes(notes, motives, min_hits=min_hits)
    shares = shares_by_period(coded, motives)

    nums = NumberSet("documentmotieven")
    n = len(coded)
    nums.count("notas", n, "Aantal gecodeerde beleidsnota's")
    nums.count("min_treffers", min_hits, "Minimumaantal woorden uit het woordenboek waarboven "
               "een motief als aanwezig in een nota telt")
    for m in motives:
        nums.percent(f"{m.code}", int(coded[f"motief_{m.code}"].sum()), n,
                     f"Aandeel beleidsnota's waarin het motief '{m.label}' voorkomt")
        for rec in shares.to_dict("records"):
            first, last = str(rec["periode"]).split("–")
            nums.percent(f"{m.code}_{first}_{last}", int(rec[f"{m.code}_n"]),
                         int(rec["notas"]), f"Aandeel beleidsnota's uit {first}–{last} waarin "
                         f"het motief '{m.label}' voorkomt")
    labels = {m.code: m.label for m in motives}
    primary = coded["hoofdmotief"].value_counts()
    ranked = sorted(((c, k) for c, k in primary.items() if c != "geen"),
                    key=lambda ck: (-ck[1], ck[0]))
    if ranked:
        nums.text("meest_hoofdmotief", labels[ranked[0][0]].lower(),
                  "Motief dat het vaakst het hoofdmotief van een nota is")
        nums.percent("meest_hoofdmotief_aandeel", int(ranked[0][1]), n,
                     "Aandeel nota's met dat motief als hoofdmotief")
    nums.percent("zonder_motief", int(primary.get("geen", 0)), n,
                            "Aandeel nota's waarin geen enkel motief de drempel haalt")

    record = step_record(smk, __file__, {"periods": periods, "min_hits": min_hits})
    atomic_write_text(smk.output.coded, safe_csv_text(coded))
    headers = {"periode": "Periode", "notas": "Nota's",
               **{f"{m.code}_aandeel": m.label for m in motives}}
    formats = {"notas": "int", **{f"{m.code}_aandeel": "pct" for m in motives}}
    markdown = to_markdown(shares, formats, headers)
    write_table(shares, markdown, smk.output.table_csv, smk.output.table_md)
    motive_lines(shares, [(m.code, m.label) for m in motives], smk.output.figure)
    nums.write(smk.output.numbers, record)
    write_step_record(smk, record)


run(main, smk)
