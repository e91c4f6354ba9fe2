# The study's own rules: one analysis step and, while the data are synthetic, the notice
# every edition shows. Add a step by copying survey_summary: a rule that names every
# input and output (with a `provenance` record), its environment and log, a thin script,
# a pure module. `snakemake --lint` checks the rules.

import yaml as _yaml

with open("data/raw/answers.yaml", encoding="utf-8") as _fh:
    SYNTHETIC = bool((_yaml.safe_load(_fh) or {}).get("synthetic", True))
# The book's language decides how numbers are written (1.234,5 or 1,234.5): a parameter
# of the steps that publish numbers, so that changing it re-runs them and nothing else.
with open("_quarto.yml", encoding="utf-8") as _fh:
    LANG = str((_yaml.safe_load(_fh) or {}).get("lang", "nl"))


rule survey_summary:
    input:
        answers="data/raw/answers.csv",
    output:
        table_csv="results/tables/survey-groups.csv",
        table_md="results/tables/survey-groups.md",
        figure="results/figures/survey-groups.svg",
        numbers="results/numbers/survey.json",
        provenance="results/provenance/survey_summary.json",
    params:
        agree_from=config["analysis"]["agree_from"],
        synthetic=SYNTHETIC,
        lang=LANG,
    conda:
        "../../environment.yml"
    log:
        "logs/survey_summary/run.log",
    script:
        "../../analysis/scripts/survey_summary.py"


if SYNTHETIC:

    rule data_notice:
        input:
            metadata="data/raw/answers.yaml",
        output:
            notice="results/notices/synthetic-data.json",
        conda:
            "../../environment.yml"
        log:
            "logs/data_notice/run.log",
        script:
            "../../analysis/scripts/data_notice.py"
