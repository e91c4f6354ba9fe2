"""Rule `survey_<section>`: tables, figures and numbers of one questionnaire section.

The section is a parameter; the outputs (declared in workflow/rules/survey.smk from the
same codebook via analysis.survey_sections.section_outputs) are written under the project
root. Weighting follows config `survey.weighting`.
"""

from analysis.codebook import load_codebook
from analysis.mrq import poststrat_weights
from analysis.register import load_register
from analysis.survey_prep import latest_wave, load_prepared, wave_param
from analysis.survey_sections import analyse_section, size_series
from proefdruk.api import run, snakemake_or_cli, step_record, write_step_record

smk = snakemake_or_cli(globals())


def main() -> None:
    book = load_codebook(smk.input.codebook)
    register = load_register(smk.input.register)
    survey = latest_wave(load_prepared(smk.input.data, book), wave_param(smk))
    weighting = str(smk.params.weighting).lower() in ("true", "1", "yes")
    record = step_record(smk, __file__, {"section": smk.params.section,
                                        "weighting": weighting})
    sizes = size_series(survey, register)
    weights = poststrat_weights(sizes, register["grootteklasse"]) if weighting else None
    ns = analyse_section(book, str(smk.params.section), survey, sizes, weights)
    ns.write(smk.output.numbers, record)
    write_step_record(smk, record)


run(main, smk)
