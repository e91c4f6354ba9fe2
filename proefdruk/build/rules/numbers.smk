# numbers stage: the merged numbers registry for reviewers, the prose lint, the
# consistency checks on every number, and one warnings report for the whole build.
#
# - results/numbers.json: every results/numbers/<ns>.json that a rule declares, merged
#   (proefdruk.numbers.merge): key, value, display, unit, fractions, provenance.
# - results/reports/prose-lint/<chapter>.json: per chapter, fails on a digit typed into
#   prose (proefdruk.lint_prose). A chapter's render rule depends on its own lint file
#   (prose_lint_for), so editing one chapter re-lints and re-renders that chapter only.
# - results/reports/prose-lint.json: all chapters together, plus unknown keys (error),
#   registry numbers no chapter uses (warning), and sentences that state a finding without
#   a claim (proefdruk.lint_claims; an error when config claims.strict is true).
# - results/reports/consistency.json: GRIM-style check of every percentage and a
#   statcheck-style check of every test statistic (proefdruk.consistency).
# - results/reports/warnings.md: every results/reports/*.json (bibliography, render,
#   prose lint, consistency, reproducibility) in one file, with a one-line summary
#   printed by the build.

import os
import shlex

from proefdruk.lint_prose import report_path_for as prose_lint_for

NUMBERS_JSON = "results/numbers.json"
CLAIMS_JSON = "results/claims.json"
PROSE_LINT = "results/reports/prose-lint.json"
CONSISTENCY = "results/reports/consistency.json"
WARNINGS_REPORT = "results/reports/warnings.md"
# Phrases with digits that are design constants, not findings, each with a reason.
# A project without the file has no exceptions (as with the claim words below).
PROSE_ALLOWLIST = config["prose_allowlist"]
PROSE_ALLOW = [PROSE_ALLOWLIST] if os.path.exists(PROSE_ALLOWLIST) else []
ALLOW_FLAG = f"--allow {shlex.quote(PROSE_ALLOWLIST)}" if PROSE_ALLOW else ""
# Second rule of the lint: sentences that state a finding without a claim (config claims).
# A project without a word list skips the rule.
CLAIMS_CONFIG = config["claims"]
CLAIM_WORDS = [CLAIMS_CONFIG["words"]] if os.path.exists(CLAIMS_CONFIG["words"]) else []
# The prose a reader sees: the book's own chapters (generated fragments are excluded,
# they are analysis output).
PROSE_SOURCES = BOOK.prose_sources()
# A chapter with a typed finding is not rendered (see CHAPTER_GATES in common.smk).
CHAPTER_GATES.append(prose_lint_for)


rule numbers_registry:
    input:
        numbers=lambda wc: declared_outputs(workflow, "results/numbers/", ".json"),
    output:
        numbers=NUMBERS_JSON,
        claims=CLAIMS_JSON,
    params:
        python=PYTHON,
    conda:
        ENVIRONMENT
    log:
        f"{LOGS}/numbers_registry/numbers_registry.log",
    shell:
        "{params.python:q} -m proefdruk numbers --out {output.numbers:q}"
        " --claims-out {output.claims:q} {input.numbers:q} > {log:q} 2>&1"


rule prose_lint_chapter:
    input:
        qmd="{source}.qmd",
        # The lint follows {{< include >}} (number keys in an included table count as
        # used), so what a chapter includes is read, and an input.
        includes=lambda wc: BOOK.includes_of(f"{wc.source}.qmd"),
        allow=PROSE_ALLOW,
    output:
        "results/reports/prose-lint/{source}.json",
    wildcard_constraints:
        source=choice_regex(q.removesuffix(".qmd") for q in PROSE_SOURCES),
    params:
        python=PYTHON,
        allow=ALLOW_FLAG,
    conda:
        ENVIRONMENT
    log:
        f"{LOGS}/prose_lint/{{source}}.log",
    shell:
        "{params.python:q} -m proefdruk lint-prose {input.qmd:q} {params.allow}"
        " --out {output:q} > {log:q} 2>&1"


rule prose_lint:
    input:
        chapters=PROSE_SOURCES,
        includes=BOOK.includes_of(*PROSE_SOURCES),
        per_chapter=[prose_lint_for(q) for q in PROSE_SOURCES],
        registry=NUMBERS_JSON,
        allow=PROSE_ALLOW,
        claim_words=CLAIM_WORDS,
    output:
        PROSE_LINT,
    params:
        python=PYTHON,
        allow=ALLOW_FLAG,
        claims=(f"--claim-words {CLAIM_WORDS[0]}" + (" --strict-claims" if CLAIMS_CONFIG["strict"]
                else "")) if CLAIM_WORDS else "",
    conda:
        ENVIRONMENT
    log:
        f"{LOGS}/prose_lint/all.log",
    shell:
        "{params.python:q} -m proefdruk lint-prose {input.chapters:q} {params.allow}"
        " --registry {input.registry:q} {params.claims}"
        " --out {output:q} > {log:q} 2>&1"


# The verdict depends on the registry only; the chapters are read for the error message
# (which chapter prints a failing number), so a prose edit does not re-run the checks.
rule consistency:
    input:
        registry=NUMBERS_JSON,
    output:
        CONSISTENCY,
    params:
        python=PYTHON,
        chapters=PROSE_SOURCES,
    conda:
        ENVIRONMENT
    log:
        f"{LOGS}/consistency/consistency.log",
    shell:
        "{params.python:q} -m proefdruk consistency {input.registry:q} {params.chapters:q}"
        " --out {output:q} > {log:q} 2>&1"


# Every report a rule declares, and the per-chapter ones (wildcard outputs) that the
# stages writing them expand over the book plan (CHAPTER_REPORTS): declared, never what
# lies on disk, so a changed report re-runs this one and a stale one is not read.
rule warnings_report:
    input:
        reports=lambda wc: declared_outputs(workflow, "results/reports/", ".json"),
        chapters=lambda wc: CHAPTER_REPORTS,
    output:
        WARNINGS_REPORT,
    params:
        python=PYTHON,
    conda:
        ENVIRONMENT
    log:
        f"{LOGS}/warnings_report/warnings_report.log",
    shell:
        ": > {log:q}; {params.python:q} -m proefdruk warnings-report"
        " {input.reports:q} {input.chapters:q} --out {output:q}"
        " 2>> {log:q} | tee -a {log:q}"
