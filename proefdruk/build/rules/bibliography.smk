# bibliography stage: checks of the book's bibliography files (`bibliography:` in
# _quarto.yml) and of the citations in its chapters.
# Fails (with file, line and key) on syntax errors, duplicate keys, missing required
# fields, malformed DOIs/ISBNs and citations of unknown keys; lists unused entries and the
# details the author still has to complete (x-todo) in results/reports/bibliography.md.

BIB_FILES = BOOK.project.bibliography
BIB_CHAPTERS = BOOK.prose_sources()
BIBLIOGRAPHY_REPORT = "results/reports/bibliography.json"


rule bibliography_check:
    input:
        bib=BIB_FILES,
        chapters=BIB_CHAPTERS,
    output:
        json=BIBLIOGRAPHY_REPORT,
        markdown="results/reports/bibliography.md",
    params:
        python=PYTHON,
        # the markdown report is written in the book's language
        lang=BOOK.project.lang,
    conda:
        ENVIRONMENT
    log:
        f"{LOGS}/bibliography_check/check.log",
    shell:
        "{params.python:q} -m proefdruk bibliography --bib {input.bib:q} --chapters {input.chapters:q}"
        " --json {output.json:q} --markdown {output.markdown:q} --lang {params.lang:q}"
        " > {log:q} 2>&1"
