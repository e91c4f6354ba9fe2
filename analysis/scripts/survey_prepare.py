"""Rule `survey_prepare`: raw export -> pseudonymised, validated analysis file.

Inputs: export, codebook, register, metadata. Outputs: data (results/data/survey.csv),
summary (counts of submissions and removed duplicates), provenance, and, when the
metadata says the data are synthetic, notice (results/notices/survey.json).
"""

import yaml

from analysis.codebook import load_codebook
from analysis.register import load_register
from analysis.survey_prep import prepare
from analysis.survey_run import finish, provenance, run
from proefdruk.dutch import format_number
from proefdruk.errors import BuildError
from proefdruk.provenance import atomic_write_text, dump_json
from proefdruk.scripting import snakemake_or_cli

smk = snakemake_or_cli(globals())


def notice(meta: dict, kept: int, removed: int) -> dict:
    """The edition notice, built from the data's own metadata and counts."""
    return {
        "id": "survey-synthetic",
        "level": "warning",
        "title": "Synthetische enquêtegegevens",
        "text": (
            f"De enquêteresultaten in deze editie zijn synthetisch: ze komen uit een "
            f"generator ({meta.get('generator', 'data/generate_survey.py')}, seed "
            f"{meta.get('seed', 'onbekend')}), niet van gemeenten. Het bestand telt "
            f"{format_number(kept)} gemeenten na verwijdering van {format_number(removed)} "
            "dubbele inzendingen. Tabellen, figuren en getallen over de enquête tonen de "
            "werkwijze en zijn geen bevindingen. Zie data/README.md (Enquête)."
        ),
    }


def main() -> None:
    with open(smk.input.metadata, encoding="utf-8") as fh:
        meta = yaml.safe_load(fh) or {}
    if not isinstance(meta.get("synthetic"), bool):
        raise BuildError("metadata lacks the synthetic flag", file=smk.input.metadata,
                         field="synthetic", expected="true or false",
                         found=repr(meta.get("synthetic")),
                         hint="say in metadata.yaml whether the export is synthetic")
    book = load_codebook(smk.input.codebook)
    register = load_register(smk.input.register)
    record = provenance(smk, __file__, {"synthetic": meta["synthetic"]})
    data, summary, _ = prepare(smk.input.export, book, set(register["gemeentecode"]))
    wants_notice = "notice" in smk.output.keys()
    if meta["synthetic"] != wants_notice:
        raise BuildError("notice target does not match the metadata", file=smk.input.metadata,
                         field="synthetic", expected=str(wants_notice).lower(),
                         found=str(meta["synthetic"]).lower(),
                         hint="rerun snakemake; the workflow reads the flag when it starts")
    atomic_write_text(smk.output.data, data.to_csv(index=False, lineterminator="\n"))
    dump_json({**summary.as_dict(), "synthetisch": meta["synthetic"]}, smk.output.summary)
    if wants_notice:
        dump_json(notice(meta, summary.kept, summary.duplicates_removed), smk.output.notice)
    finish(smk, record)


run(main, smk)
