# survey stage: the questionnaire sent to every municipality, from the survey tool's
# export to the tables, figures and numbers that the chapters embed. See data/README.md
# (Enquête) and docs/outputs-survey.md.
#
#   export.csv ──pseudonymise, validate, de-duplicate──► results/data/survey.csv
#        ├─► survey_response: response by province and size class, representativeness
#        └─► survey_<section>: per codebook section, MRQ / single / Likert / number items
#   codebook.yaml ──► survey_questionnaire: results/fragments/vragenlijst.md (appendix)
#
# Options (config key `survey`): `weighting` (post-stratification by size class) and
# `golf` (which wave to analyse; default the latest). Outputs are derived from the
# codebook, so a new question gets its table and figure without a rule change.

import yaml as _yaml

from analysis.codebook import load_codebook as _load_codebook
from analysis.survey_layout import analysed_sections as _analysed_sections
from analysis.survey_layout import section_outputs as _section_outputs

SURVEY_RAW = "data/raw/survey"
SURVEY_EXPORT = f"{SURVEY_RAW}/export.csv"
SURVEY_CODEBOOK = f"{SURVEY_RAW}/codebook.yaml"
SURVEY_METADATA = f"{SURVEY_RAW}/metadata.yaml"
SURVEY_REGISTER = "data/raw/gemeenten-2024.csv"
SURVEY_DATA = "results/data/survey.csv"
SURVEY_SUMMARY = "results/data/survey-summary.json"
SURVEY_SCRIPTS = "../../analysis/scripts"
SURVEY_CONFIG = config["survey"]

with open(SURVEY_METADATA, encoding="utf-8") as _fh:
    SURVEY_SYNTHETIC = bool((_yaml.safe_load(_fh) or {}).get("synthetic", True))
SURVEY_NOTICES = ["results/notices/survey.json"] if SURVEY_SYNTHETIC else []
_SURVEY_BOOK = _load_codebook(SURVEY_CODEBOOK)
SURVEY_SECTIONS = _analysed_sections(_SURVEY_BOOK)


rule survey_prepare:
    input:
        export=SURVEY_EXPORT,
        codebook=SURVEY_CODEBOOK,
        register=SURVEY_REGISTER,
        metadata=SURVEY_METADATA,
    output:
        data=SURVEY_DATA,
        summary=SURVEY_SUMMARY,
        provenance="results/provenance/survey_prepare.json",
    conda:
        "../../environment.yml"
    log:
        f"{LOGS}/survey_prepare/run.log",
    benchmark:
        f"{BENCH}/survey_prepare/run.tsv"
    script:
        f"{SURVEY_SCRIPTS}/survey_prepare.py"


if SURVEY_SYNTHETIC:

    rule survey_notice:
        """Every edition says the survey data are synthetic, from the metadata's flag."""
        input:
            metadata=SURVEY_METADATA,
        output:
            notice="results/notices/survey.json",
        conda:
            "../../environment.yml"
        log:
            f"{LOGS}/survey_notice/run.log",
        script:
            f"{SURVEY_SCRIPTS}/survey_notice.py"


rule survey_response:
    input:
        data=SURVEY_DATA,
        summary=SURVEY_SUMMARY,
        codebook=SURVEY_CODEBOOK,
        register=SURVEY_REGISTER,
    output:
        numbers="results/numbers/respons.json",
        tab_provincie_csv="results/tables/respons-provincie.csv",
        tab_provincie_md=report("results/tables/respons-provincie.md",
                                category="Enquête", subcategory="Respons",
                                caption="../../report/respons-provincie.rst"),
        tab_grootte_csv="results/tables/respons-grootteklasse.csv",
        tab_grootte_md="results/tables/respons-grootteklasse.md",
        fig_provincie=report("results/figures/respons-provincie.svg",
                             category="Enquête", subcategory="Respons",
                             caption="../../report/respons-provincie.rst"),
        fig_grootte=report("results/figures/respons-grootteklasse.svg",
                           category="Enquête", subcategory="Respons",
                           caption="../../report/respons-grootteklasse.rst"),
        provenance="results/provenance/survey_response.json",
    params:
        golf=SURVEY_CONFIG["golf"],
    conda:
        "../../environment.yml"
    log:
        f"{LOGS}/survey_response/run.log",
    benchmark:
        f"{BENCH}/survey_response/run.tsv"
    script:
        f"{SURVEY_SCRIPTS}/survey_response.py"


for _section in SURVEY_SECTIONS:
    _outs = _section_outputs(_SURVEY_BOOK, _section)

    rule:
        name:
            f"survey_{_section}"
        input:
            data=SURVEY_DATA,
            codebook=SURVEY_CODEBOOK,
            register=SURVEY_REGISTER,
        output:
            numbers=_outs["numbers"][0],
            tables=_outs["tables"],
            figures=[
                report(f, category="Enquête", subcategory=_section,
                       caption="../../report/enquete-figuur.rst")
                for f in _outs["figures"]
            ],
            provenance=f"results/provenance/survey_{_section}.json",
        params:
            section=_section,
            weighting=SURVEY_CONFIG["weighting"],
            golf=SURVEY_CONFIG["golf"],
        conda:
            "../../environment.yml"
        log:
            f"{LOGS}/survey_{_section}/run.log",
        benchmark:
            f"{BENCH}/survey_{_section}/run.tsv"
        script:
            f"{SURVEY_SCRIPTS}/survey_section.py"


rule survey_questionnaire:
    input:
        codebook=SURVEY_CODEBOOK,
    output:
        fragment="results/fragments/vragenlijst.md",
        provenance="results/provenance/survey_questionnaire.json",
    conda:
        "../../environment.yml"
    log:
        f"{LOGS}/survey_questionnaire/run.log",
    script:
        f"{SURVEY_SCRIPTS}/survey_questionnaire.py"


SURVEY_TARGETS = (
    ["results/numbers/respons.json", "results/fragments/vragenlijst.md"]
    + [f"results/numbers/{s}.json" for s in SURVEY_SECTIONS]
    + SURVEY_NOTICES
)


rule survey_all:
    input:
        SURVEY_TARGETS,
