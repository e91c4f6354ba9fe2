"""Rule `survey_notice`: the edition notice that the survey data are synthetic.

Built from the export's metadata alone (data/raw/survey/metadata.yaml), so it changes
only when the metadata does: a changed answer re-renders the chapters that use survey
numbers, not every page that shows this notice. The counts of the synthetic file are in
the numbers registry (namespace `respons`).
"""

import yaml

from proefdruk.api import BuildError, dump_json, run, snakemake_or_cli

smk = snakemake_or_cli(globals())


def notice(meta: dict) -> dict:
    """The notice every edition shows while the survey data are synthetic."""
    return {
        "id": "survey-synthetic",
        "level": "warning",
        "title": "Synthetische enquêtegegevens",
        "text": (
            "De enquêteresultaten in deze editie zijn synthetisch: ze komen uit een "
            f"generator ({meta.get('generator', 'data/generate_survey.py')}, seed "
            f"{meta.get('seed', 'onbekend')}), niet van gemeenten. Tabellen, figuren en "
            "getallen over de enquête tonen de werkwijze en zijn geen bevindingen; "
            "zinnen die op deze gegevens berusten, zijn onderstreept en met † gemarkeerd. "
            "Zie data/README.md (Enquête)."
        ),
    }


def main() -> None:
    with open(smk.input.metadata, encoding="utf-8") as fh:
        meta = yaml.safe_load(fh) or {}
    if meta.get("synthetic") is not True:
        raise BuildError("the survey notice is asked for, but the metadata does not say "
                         "the data are synthetic", file=smk.input.metadata,
                         field="synthetic", expected="true", found=repr(meta.get("synthetic")),
                         hint="rerun snakemake; the workflow reads the flag when it starts")
    dump_json(notice(meta), smk.output.notice)


run(main, smk)
