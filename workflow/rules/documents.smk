# documents stage: the partnership register (stedenbanden since 1945) and the corpus of
# municipal policy notes, from data/raw/ to the tables, figures and numbers that
# chapters 4 and 5 embed. See data/README.md (Documenten) and docs/outputs-documents.md.
#
#   partnerschappen.csv ──validate──► results/data/partnerschappen.csv ──► decade/region
#   policy_notes/ (txt, pdf, docx) ──extract──► results/data/beleidsnotas.csv
#        ├─► coverage by size class and period
#        └─► motive coding (dictionary) ──► agreement with the survey (kappa)
#
# Options (config key `documents`; defaults and allowed values in config/schema.yaml):
#   last_year      latest year a record or note may carry (later years are errors)
#   note_periods   periods for notes, as [first, last] year pairs
#   min_hits       dictionary words needed before a motive counts as present in a note
#   agreement_from notes from this year on are compared with the survey (2024)

from analysis.document_checks import any_synthetic as _any_synthetic
from analysis.policy_notes import document_files as _document_files

DOCUMENTS = config["documents"]
DOC_RAW = "data/raw"
DOC_REGISTER = f"{DOC_RAW}/gemeenten-2024.csv"
DOC_MERGERS = f"{DOC_RAW}/herindelingen.csv"
DOC_PARTNERSHIPS = f"{DOC_RAW}/partnerships/partnerschappen.csv"
DOC_COUNTRIES = f"{DOC_RAW}/partnerships/landen.csv"
DOC_NOTES_META = f"{DOC_RAW}/policy_notes/metadata.csv"
DOC_DICTIONARY = f"{DOC_RAW}/dictionaries/motieven.yaml"
DOC_SCRIPTS = "../../analysis/scripts"


rule documents_validate_partnerships:
    input:
        partnerships=DOC_PARTNERSHIPS,
        countries=DOC_COUNTRIES,
        mergers=DOC_MERGERS,
        register=DOC_REGISTER,
    output:
        data="results/data/partnerschappen.csv",
        provenance="results/provenance/documents_validate_partnerships.json",
    params:
        last_year=DOCUMENTS["last_year"],
    conda:
        "../../environment.yml"
    log:
        f"{LOGS}/documents_validate_partnerships/run.log",
    script:
        f"{DOC_SCRIPTS}/documents_validate_partnerships.py"


rule documents_extract_notes:
    input:
        metadata=DOC_NOTES_META,
        documents=_document_files(f"{DOC_RAW}/policy_notes"),
        mergers=DOC_MERGERS,
        register=DOC_REGISTER,
    output:
        data="results/data/beleidsnotas.csv",
        provenance="results/provenance/documents_extract_notes.json",
    params:
        last_year=DOCUMENTS["last_year"],
    conda:
        "../../environment.yml"
    log:
        f"{LOGS}/documents_extract_notes/run.log",
    benchmark:
        f"{BENCH}/documents_extract_notes/run.tsv"
    script:
        f"{DOC_SCRIPTS}/documents_extract_notes.py"


rule documents_partnerships:
    input:
        partnerships="results/data/partnerschappen.csv",
        register=DOC_REGISTER,
    output:
        decade_csv="results/tables/partnerschappen-decennium.csv",
        decade_md="results/tables/partnerschappen-decennium.md",
        region_csv="results/tables/partnerschappen-regio.csv",
        region_md="results/tables/partnerschappen-regio.md",
        sources_csv="results/tables/partnerschappen-bronnen.csv",
        sources_md="results/tables/partnerschappen-bronnen.md",
        figure=report(
            "results/figures/partnerschappen-tijdlijn.svg",
            caption="../../report/item.rst",
            category="Documenten",
        ),
        numbers="results/numbers/partnerschappen.json",
        provenance="results/provenance/documents_partnerships.json",
    params:
        last_year=DOCUMENTS["last_year"],
    conda:
        "../../environment.yml"
    log:
        f"{LOGS}/documents_partnerships/run.log",
    benchmark:
        f"{BENCH}/documents_partnerships/run.tsv"
    script:
        f"{DOC_SCRIPTS}/documents_partnerships.py"


rule documents_note_coverage:
    input:
        notes="results/data/beleidsnotas.csv",
        register=DOC_REGISTER,
    output:
        table_csv="results/tables/nota-dekking.csv",
        table_md="results/tables/nota-dekking.md",
        numbers="results/numbers/nota.json",
        provenance="results/provenance/documents_note_coverage.json",
    params:
        periods=DOCUMENTS["note_periods"],
    conda:
        "../../environment.yml"
    log:
        f"{LOGS}/documents_note_coverage/run.log",
    script:
        f"{DOC_SCRIPTS}/documents_note_coverage.py"


rule documents_motives:
    input:
        notes="results/data/beleidsnotas.csv",
        dictionary=DOC_DICTIONARY,
    output:
        coded="results/data/documentmotieven.csv",
        table_csv="results/tables/documentmotieven-periode.csv",
        table_md="results/tables/documentmotieven-periode.md",
        figure=report(
            "results/figures/documentmotieven-periode.svg",
            caption="../../report/item.rst",
            category="Documenten",
        ),
        numbers="results/numbers/documentmotieven.json",
        provenance="results/provenance/documents_motives.json",
    params:
        periods=DOCUMENTS["note_periods"],
        min_hits=DOCUMENTS["min_hits"],
    conda:
        "../../environment.yml"
    log:
        f"{LOGS}/documents_motives/run.log",
    benchmark:
        f"{BENCH}/documents_motives/run.tsv"
    script:
        f"{DOC_SCRIPTS}/documents_motives.py"


# Agreement with the survey needs the survey stage's validated answers: SURVEY_DATA and
# SURVEY_CODEBOOK come from survey.smk, which the Snakefile includes first (a missing
# include is a NameError at once, not a silent default). The motive question and its
# "strongest motive" follow-up are named here because they tie the two codings together.


rule documents_agreement:
    input:
        coded="results/data/documentmotieven.csv",
        survey=SURVEY_DATA,
        codebook=SURVEY_CODEBOOK,
        dictionary=DOC_DICTIONARY,
    output:
        table_csv="results/tables/overeenstemming-motieven.csv",
        table_md="results/tables/overeenstemming-motieven.md",
        numbers="results/numbers/overeenstemming.json",
        provenance="results/provenance/documents_agreement.json",
    params:
        from_year=DOCUMENTS["agreement_from"],
        question="mot",
        strongest_question="mot_zwaarst",
        # answer codes of `mot_zwaarst` -> motive codes of the dictionary
        strongest={1: "economisch", 2: "cultureel", 3: "politiek", 4: "grensoverschrijdend"},
    conda:
        "../../environment.yml"
    log:
        f"{LOGS}/documents_agreement/run.log",
    benchmark:
        f"{BENCH}/documents_agreement/run.tsv"
    script:
        f"{DOC_SCRIPTS}/documents_agreement.py"


DOCUMENT_OUTPUTS = [
    "results/data/partnerschappen.csv",
    "results/data/beleidsnotas.csv",
    "results/tables/partnerschappen-decennium.md",
    "results/tables/partnerschappen-regio.md",
    "results/tables/partnerschappen-bronnen.md",
    "results/figures/partnerschappen-tijdlijn.svg",
    "results/numbers/partnerschappen.json",
    "results/tables/nota-dekking.md",
    "results/numbers/nota.json",
    "results/tables/documentmotieven-periode.md",
    "results/figures/documentmotieven-periode.svg",
    "results/numbers/documentmotieven.json",
    "results/tables/overeenstemming-motieven.md",
    "results/numbers/overeenstemming.json",
]
DOCUMENT_NOTICES = []

if _any_synthetic(DOC_PARTNERSHIPS, DOC_NOTES_META):
    DOCUMENT_NOTICES = ["results/notices/documents.json"]

    rule documents_notice:
        input:
            partnerships="results/data/partnerschappen.csv",
            notes="results/data/beleidsnotas.csv",
        output:
            notice="results/notices/documents.json",
        conda:
            "../../environment.yml"
        log:
            f"{LOGS}/documents_notice/run.log",
        script:
            f"{DOC_SCRIPTS}/documents_notice.py"
