# claims stage: findings the chapters state in words ("economische motieven wegen het
# zwaarst"), decided from the registry numbers by analysis/claims.py and published as
# claims in results/numbers/bevindingen.json. Chapters bind their sentences to them with
# [..]{.claim key="bevindingen.…" when="…"} (docs/claims.md).

CLAIM_NUMBERS = [
    f"results/numbers/{ns}.json"
    for ns in ("motieven", "organisatie", "partners", "rijk", "ruimte")]
# Sources whose metadata says they are synthetic: a claim resting on one is marked.
CLAIM_SYNTHETIC_SOURCES = ["survey"] if SURVEY_SYNTHETIC else []


rule study_claims:
    input:
        numbers=CLAIM_NUMBERS,
    output:
        numbers="results/numbers/bevindingen.json",
        provenance="results/provenance/study_claims.json",
    params:
        synthetic_sources=CLAIM_SYNTHETIC_SOURCES,
    conda:
        "../../environment.yml"
    log:
        f"{LOGS}/study_claims/run.log",
    script:
        "../../analysis/scripts/study_claims.py"
