"""Rule `survey_questionnaire`: the appendix questionnaire, printed from the codebook."""

from analysis.codebook import load_codebook
from analysis.questionnaire import questionnaire_markdown
from proefdruk.api import atomic_write_text, run, snakemake_or_cli, step_record, write_step_record

smk = snakemake_or_cli(globals())


def main() -> None:
    record = step_record(smk, __file__)
    atomic_write_text(smk.output.fragment, questionnaire_markdown(load_codebook(
        smk.input.codebook)))
    write_step_record(smk, record)


run(main, smk)
