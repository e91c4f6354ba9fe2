# verify stage: the manifest of the build, promoting the editions to _book/, clean-room
# verification, a scan for non-reproducible bytes, the deposit archive and the report.
#
#   snakemake all                      ... writes the manifest, then promotes the staged
#                                      editions to _book/ (rule promote, manifest last)
#   snakemake verify                   hash the published files (_book/, results/) against
#                                      _book/manifest.json, then rebuild the tracked
#                                      sources in a clean temporary directory and compare
#                                      (`proefdruk verify` with its defaults; its flags
#                                      --manifest, --editions, --rev, --keep and --target
#                                      are options of that command, not of the build)
#   snakemake archive                  results/archive/<output-file>.zip for DANS/Zenodo,
#                                      with CITATION.cff and datacite.json next to it
#   snakemake publish                  published/<version>/: site, PDF, DOCX, manifest,
#                                      archive and metadata, ready to upload; the manifest
#                                      is kept in published/manifests/<version>.json
#
# What changed since an earlier edition, and a supervisor's returned DOCX, take an
# argument: they are commands (`proefdruk changes --since ...`, `proefdruk feedback
# --docx ...`) that read the finished build, not targets of it.
#   snakemake --report report.html     the Snakemake report (figures and tables marked
#                                      report(...) by the analysis rules)

import os
import sys

import yaml

from proefdruk.promote import damaged
from proefdruk.verify import tracked_files

PUBLISHED_BOOK = "_book"
MANIFEST = f"{PUBLISHED_BOOK}/manifest.json"
STAGED_MANIFEST = "results/staging/manifest.json"
PROMOTED = "results/promote/record.json"
REPRODUCIBILITY = "results/reports/reproducibility.json"
with open("_quarto.yml", encoding="utf-8") as _fh:
    _BOOK = (yaml.safe_load(_fh) or {}).get("book", {})
ARCHIVE_NAME = _BOOK.get("output-file", "book")
ARCHIVE_TITLE = _BOOK.get("title", ARCHIVE_NAME)
ARCHIVE = f"results/archive/{ARCHIVE_NAME}.zip"
DEPOSIT_METADATA = ["results/archive/CITATION.cff", "results/archive/datacite.json"]

# What the manifest hashes besides the editions; the rules that declare them must run.
PUBLISHED_PREFIXES = ("results/figures/", "results/tables/", "results/data/",
                      "results/numbers/", "results/fragments/", "results/notices/",
                      "results/book/")

# The promote record says what _book/ holds. When _book/ no longer matches it (a file
# edited, removed or added by hand, or a promotion killed half-way), the record goes,
# so this run copies the staged editions into _book/ again.
if os.path.exists(PROMOTED):
    _damage = damaged(PUBLISHED_BOOK, PROMOTED)
    if _damage:
        print(f"{PUBLISHED_BOOK}/ differs from what was published last "
              f"({', '.join(_damage[:3])}{' …' if len(_damage) > 3 else ''}); "
              "it will be published again", file=sys.stderr)
        os.remove(PROMOTED)


# The build path or today's date in a published file makes `snakemake verify` (a rebuild
# elsewhere, another day) differ from the manifest. So the scan reads what the manifest
# publishes, exactly its declared inputs (--files): not the intermediates, which reach a
# reader only through those, and never a stale file in results/ or the previous _book/.
rule reproducibility_scan:
    input:
        editions=BOOK_TARGETS,
        published=lambda wc: [p for d in PUBLISHED_PREFIXES
                              for p in declared_outputs(workflow, d)],
        registry=NUMBERS_JSON,
        claims=CLAIMS_JSON,
    output:
        REPRODUCIBILITY,
    params:
        python=PYTHON,
    conda:
        ENVIRONMENT
    log:
        f"{LOGS}/reproducibility_scan/scan.log",
    shell:
        "{params.python:q} -m proefdruk verify scan --report {output:q}"
        " --files {input.editions:q} {input.published:q} {input.registry:q}"
        " {input.claims:q} > {log:q} 2>&1"


rule manifest:
    input:
        BOOK_TARGETS,
        lambda wc: [p for d in PUBLISHED_PREFIXES for p in declared_outputs(workflow, d)],
        registry=NUMBERS_JSON,
        claims=CLAIMS_JSON,
        checks=[PROSE_LINT, CONSISTENCY, WARNINGS_REPORT],
        # The PNG next to each figure's SVG, whichever renderer runs: Quarto's DOCX needs
        # them (also a plain `quarto render --to docx` after the default build), and the
        # manifest lists results/figures/ as it is, so both renderers must leave the same.
        pngs=QUARTO_PNGS,
    output:
        STAGED_MANIFEST,
    params:
        python=PYTHON,
        staged=f"{PUBLISHED_BOOK}={BOOK_STAGING}",
        # the staged folder differs per renderer; a switch makes a new manifest
        renderer=RENDERER,
    conda:
        ENVIRONMENT
    log:
        f"{LOGS}/manifest/manifest.log",
    shell:
        "{params.python:q} -m proefdruk manifest --registry {input.registry:q}"
        " --claims {input.claims:q} --staged {params.staged:q} --out {output:q}"
        " > {log:q} 2>&1"


# _book/ is replaced only here, after every edition and the manifest exist; nothing in
# _book/ is a declared output, because Snakemake deletes a job's outputs before it runs
# and after it fails, which would take the published edition with it.
rule promote:
    input:
        editions=BOOK_TARGETS,
        manifest=STAGED_MANIFEST,
    output:
        PROMOTED,
    params:
        python=PYTHON,
        # the staging folder, derived from the editions it holds (snakemake --lint)
        staging=lambda wc, input: os.path.commonpath(input.editions),
        dest=PUBLISHED_BOOK,
        reserve=config["promote"]["reserve_mb"],
        # which renderer made what is published: switching publishes the other's edition
        renderer=RENDERER,
    conda:
        ENVIRONMENT
    log:
        f"{LOGS}/promote/promote.log",
    shell:
        ": > {log:q}; {params.python:q} -m proefdruk promote --staging {params.staging:q}"
        " --dest {params.dest:q} --manifest {input.manifest:q} --record {output:q}"
        " --reserve-mb {params.reserve} 2>> {log:q} | tee -a {log:q}"


# No output: a verification is an act, not a product, so `snakemake verify` always runs.
# The manifest is deliberately not an input: Snakemake would first rebuild it from the
# changed sources and the comparison would prove nothing. Its options are flags of
# `proefdruk verify` (the one place the act is defined); the target runs the defaults.
rule verify:
    params:
        python=PYTHON,
    conda:
        ENVIRONMENT
    log:
        f"{LOGS}/verify/clean-rebuild.log",
    shell:
        "{params.python:q} -m proefdruk verify manifest --log {log:q}"


rule archive:
    input:
        published=PROMOTED,
        lock="requirements.lock",
        data=lambda wc: declared_outputs(workflow, "results/data/"),
        # what the archive packs; it is remade when a tracked file changes
        sources=lambda wc: tracked_files("."),
    output:
        zip=ARCHIVE,
        metadata=DEPOSIT_METADATA,
    params:
        python=PYTHON,
        title=ARCHIVE_TITLE,
        manifest=MANIFEST,
        exclude=" ".join(f"--exclude {p}" for p in config["archive_exclude"]),
    conda:
        ENVIRONMENT
    log:
        f"{LOGS}/archive/archive.log",
    shell:
        ": > {log:q}; {params.python:q} -m proefdruk archive --out {output.zip:q}"
        " --manifest {params.manifest:q} --title {params.title:q} {params.exclude}"
        " 2>> {log:q} | tee -a {log:q}"


# No output either: publishing is an act on a folder outside the build (published/),
# which keeps every earlier version; it refuses to overwrite a version with other content.
rule publish:
    input:
        PROMOTED,
        ARCHIVE,
        DEPOSIT_METADATA,
    params:
        python=PYTHON,
        extra=[ARCHIVE, *DEPOSIT_METADATA],
    conda:
        ENVIRONMENT
    log:
        f"{LOGS}/publish/publish.log",
    shell:
        ": > {log:q}; {params.python:q} -m proefdruk publish --book _book"
        " $(printf -- '--extra %q ' {params.extra:q}) 2>> {log:q} | tee -a {log:q}"
