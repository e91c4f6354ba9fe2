"""Rule `documents_notice`: the edition notice saying that document data are synthetic.

Written from the `synthetic` column of the validated data, so the notice disappears by
itself once every synthetic record has been replaced by a real one (the workflow then
no longer asks for it) and its counts are always those of the data actually used.
"""

import pandas as pd

from proefdruk.api import BuildError, dump_json, format_number, run, snakemake_or_cli

smk = snakemake_or_cli(globals())


def _flags(path: str) -> pd.Series:
    return pd.read_csv(path, dtype={"synthetic": str})["synthetic"].str.lower() == "true"


def main() -> None:
    partnerships = _flags(smk.input.partnerships)
    notes = _flags(smk.input.notes)
    n_p, k_p = len(partnerships), int(partnerships.sum())
    n_n, k_n = len(notes), int(notes.sum())
    if k_p == 0 and k_n == 0:
        raise BuildError("no synthetic document records, so no notice is needed",
                         file=smk.input.partnerships, field="synthetic",
                         expected="at least one synthetic record", found="none",
                         hint="remove results/notices/documents.json from the targets")
    text = (
        f"Van de {format_number(n_p)} partnerschappen (stedenbanden) in het register zijn "
        f"er {format_number(k_p)} synthetisch: ze volgen de bekende golven in de tijd, "
        "maar zijn geen feiten over de genoemde gemeenten. "
        f"Van de {format_number(n_n)} beleidsnota's zijn er {format_number(k_n)} "
        "synthetisch, samengesteld uit voorbeeldzinnen. Figuren, tabellen en getallen die "
        "op deze documenten rusten, illustreren de werkwijze en zijn geen bevindingen. "
        "Zie data/README.md (Documenten)."
    )
    dump_json({"id": "documents", "level": "warning",
               "title": "Synthetische documentgegevens", "text": text}, smk.output.notice)


run(main, smk)
