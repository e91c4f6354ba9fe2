# register stage: where the municipality register's facts come from, for the data
# appendix. Per column the source and retrieval date (data/raw/gemeenten-2024.herkomst.yaml),
# per population figure its page (the register's inwoners_bron column), and per province
# how complete the population column is; numbers under the namespace `register`, with the
# claim register.grootteklassen_vergelijkbaar: whether enough municipalities have a
# population for the chapters to compare size classes (survey.size_classes_min_coverage).


rule register_sources:
    input:
        register="data/raw/gemeenten-2024.csv",
        origins="data/raw/gemeenten-2024.herkomst.yaml",
    output:
        columns_csv="results/tables/register-kolommen.csv",
        columns_md="results/tables/register-kolommen.md",
        sources_csv="results/tables/register-bronnen.csv",
        sources_md="results/tables/register-bronnen.md",
        coverage_csv="results/tables/register-provincies.csv",
        coverage_md="results/tables/register-provincies.md",
        numbers="results/numbers/register.json",
        provenance="results/provenance/register_sources.json",
    params:
        min_coverage=config["survey"]["size_classes_min_coverage"],
    conda:
        "../../environment.yml"
    log:
        f"{LOGS}/register_sources/run.log",
    script:
        "../../analysis/scripts/register_sources.py"
