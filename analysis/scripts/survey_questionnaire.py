"""Rule `survey_questionnaire`: the appendix questionnaire, printed from the codebook."""

from analysis.codebook import load_codebook
from analysis.questionnaire import questionnaire_markdown
from analysis.survey_run import finish, provenance, run
from proefdruk.provenance import atomic_write_text
from proefdruk.scripting import snakemake_or_cli

smk = snakemake_or_cli(globals())


def main() -> None:
    record = provenance(smk, __file__)
    atomic_write_text(smk.output.fragment, questionnaire_markdown(load_codebook(
        smk.input.codebook)))
    finish(smk, record)


run(main, smk)
