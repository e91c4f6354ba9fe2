"""Rule `documents_agreement`: do a municipality's policy notes and its survey answer
name the same motives? Cohen's kappa per motive and for the primary motive, for the
municipalities that appear in both sources.
"""

import pandas as pd

from analysis.agreement import compare, document_motives, interpret_kappa, survey_motives
from analysis.codebook import load_codebook
from analysis.document_tables import to_markdown
from analysis.motive_coding import load_dictionary
from analysis.tables import write_table
from proefdruk.api import (
    BuildError,
    NumberSet,
    run,
    snakemake_or_cli,
    step_record,
    write_step_record,
)

smk = snakemake_or_cli(globals())


def _survey_groups(codebook_path: str, question: str, motive_codes: list[str]
                   ) -> dict[str, list[str]]:
    """Survey option columns per motive group, read from the codebook's `groep`."""
    q = load_codebook(codebook_path).question(question)
    groups: dict[str, list[str]] = {m: [] for m in motive_codes}
    for option in q.options:
        if option.group in groups:
            groups[option.group].append(f"{q.id}_{option.code}")
    empty = [m for m, cols in groups.items() if not cols]
    if empty:
        raise BuildError("survey question has no options for a document motive",
                         file=codebook_path, field=f"{question}.opties.groep",
                         expected="options with groep: " + ", ".join(motive_codes),
                         found="none for " + ", ".join(empty),
                         hint="give every motive group at least one option in the codebook")
    return groups


def main() -> None:
    motives = load_dictionary(smk.input.dictionary)
    codes = [m.code for m in motives]
    labels = {m.code: m.label for m in motives}
    labels["hoofdmotief"] = "Hoofdmotief"
    groups = _survey_groups(smk.input.codebook, smk.params.question, codes)
    strongest = {int(k): str(v) for k, v in dict(smk.params.strongest).items()}
    survey = pd.read_csv(smk.input.survey, dtype={"gemeentecode": str})
    coded = pd.read_csv(smk.input.coded, dtype={"gemeente_code": str})
    docs = document_motives(coded, codes, int(smk.params.from_year))
    answers = survey_motives(survey, groups, strongest, smk.params.strongest_question)
    table, kappas = compare(docs, answers, codes)

    nums = NumberSet("overeenstemming")
    n = int(table["gemeenten"].iloc[0]) if len(table) else 0
    nums.count("gemeenten_beide", n, "Aantal gemeenten met zowel een beleidsnota (vanaf "
               f"{smk.params.from_year}) als een enquêteantwoord over motieven")
    nums.text("vanaf_jaar_nota", str(int(smk.params.from_year)),
              "Eerste jaar van de nota's die met de enquête worden vergeleken")
    for rec in table.to_dict("records"):
        name = rec["motief"]
        about = f"het motief '{labels[name]}'" if name != "hoofdmotief" else "het hoofdmotief"
        if rec["gemeenten"]:
            nums.percent(f"eens_{name}", int(rec["eens"]), int(rec["gemeenten"]),
                         f"Aandeel gemeenten waar nota en enquête overeenstemmen over {about}")
        if name in kappas:
            k = kappas[name]
            nums.statistic(f"kappa_{name}", k.kappa, k.p,
                           f"Cohens kappa tussen nota en enquête voor {about}",
                           test="kappa", n=k.n)
            nums.text(f"oordeel_{name}", interpret_kappa(k.kappa),
                      f"Mate van overeenstemming (Landis en Koch) voor {about}")

    table["motief"] = [labels[m] for m in table["motief"]]
    record = step_record(smk, __file__, {"from_year": int(smk.params.from_year),
                          "question": smk.params.question,
                          "strongest_question": smk.params.strongest_question,
                          "strongest": strongest})
    headers = {"motief": "Motief", "gemeenten": "Gemeenten", "beide": "Beide",
               "alleen_documenten": "Alleen nota", "alleen_enquete": "Alleen enquête",
               "geen_van_beide": "Geen van beide", "overeenstemming": "Overeenstemming",
               "kappa": "κ", "p": "p"}
    formats = {"gemeenten": "int", "beide": "int", "alleen_documenten": "int",
               "alleen_enquete": "int", "geen_van_beide": "int", "overeenstemming": "pct",
               "kappa": "dec2", "p": "pval"}
    markdown = to_markdown(table, formats, headers)
    write_table(table, markdown, smk.output.table_csv, smk.output.table_md)
    nums.write(smk.output.numbers, record)
    write_step_record(smk, record)


run(main, smk)
