"""Rule `survey_prepare`: raw export -> pseudonymised, validated analysis file.

Inputs: export, codebook, register, metadata. Outputs: data (results/data/survey.csv),
summary (counts of submissions and removed duplicates) and provenance. The edition notice
for synthetic data is a rule of its own (survey_notice), so that changing an answer does
not re-render every page that shows the notice.
"""

import yaml

from analysis.codebook import load_codebook
from analysis.register import load_register
from analysis.survey_prep import prepare
from proefdruk.api import (
    BuildError,
    atomic_write_text,
    dump_json,
    run,
    safe_csv_text,
    snakemake_or_cli,
    step_record,
    write_step_record,
)

smk = snakemake_or_cli(globals())


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
    record = step_record(smk, __file__, {"synthetic": meta["synthetic"]})
    data, summary, _ = prepare(smk.input.export, book, set(register["gemeentecode"]))
    atomic_write_text(smk.output.data, safe_csv_text(data))
    dump_json({**summary.as_dict(), "synthetisch": meta["synthetic"]}, smk.output.summary)
    write_step_record(smk, record)


run(main, smk)
