# book stage: _quarto.yml and chapters/*.qmd, via resolved pandoc ASTs, to the editions,
# rendered into results/staging/_book/ and promoted to _book/ all at once (verify.smk).
#
# One job per chapter (render_chapter) reads exactly that chapter's files; its labels for
# other chapters arrive as a parameter, so editing one chapter re-renders that chapter's
# page and the whole-book editions (PDF, DOCX, search index), never the other pages.
# With config render.quarto set to auto (and quarto on PATH) or to a path, `quarto render`
# builds the editions instead (rule quarto_render), into a staging folder of its own
# (results/staging/quarto/_book/), so neither renderer's files can pass for the other's.

import os
import shutil
import sys

from proefdruk.render.workflow.quarto_run import quarto_leftovers

# What the analysis rules (included before this file) declare; never what merely lies on
# disk, so a stale file from a removed step cannot become an input.
NUMBER_FILES = declared_outputs(workflow, "results/numbers/", ".json")
PROVENANCE_RECORDS = declared_outputs(workflow, "results/provenance/", ".json")
NOTICE_FILES = declared_outputs(workflow, "results/notices/", ".json")

# The PNG next to each generated SVG figure: Quarto's DOCX shows it (the book's
# default-image-extension: png), whether Quarto runs in the build or by hand.
QUARTO_PNGS = sorted({p[: -len(".svg")] + ".png" for s in BOOK.scans.values()
                      for p in s.images if p.startswith("results/figures/")
                      and p.endswith(".svg")})


# Generated Quarto sources of the book: both renderers read them (through the includes in
# chapters/herkomst.qmd and index.qmd), so real Quarto shows the provenance appendix and
# the notices too.
rule provenance_appendix:
    """The provenance appendix's entries: the source of every number, figure and table."""
    input:
        numbers=NUMBER_FILES,
        records=PROVENANCE_RECORDS,
    output:
        md=PROVENANCE_INCLUDE,
        report="results/reports/provenance.json",
    params:
        tool=PROEFDRUK,
        plan=json_param(
            {
                "generated": BOOK.generated_files(),
                "users": BOOK.number_users(),
                "claim_users": BOOK.claim_users(),
                "titles": BOOK.display_titles(),
                "words": BOOK.provenance_words(),
                "site_url": BOOK.site_url(),
            }
        ),
    conda:
        ENVIRONMENT
    log:
        "logs/provenance_appendix.log",
    shell:
        "{params.tool} provenance-appendix --plan {params.plan:q}"
        " --numbers {input.numbers:q} --records {input.records:q}"
        " --out {output.md} --report {output.report} > {log} 2>&1"


rule book_notices:
    """The edition notices (synthetic data) as callouts for the book's opening page."""
    input:
        notices=NOTICE_FILES,
    output:
        NOTICES_INCLUDE,
    params:
        tool=PROEFDRUK,
    conda:
        ENVIRONMENT
    log:
        "logs/book_notices.log",
    shell:
        "{params.tool} notices --notices {input.notices:q} --out {output} 2> {log}"


rule figure_png:
    """A PNG next to a figure's SVG, for editions that cannot show SVG (Quarto's DOCX
    takes it through default-image-extension: png); Typst rasterises it, deterministic."""
    input:
        svg="results/figures/{name}.svg",
    output:
        "results/figures/{name}.png",
    params:
        tool=PROEFDRUK,
    conda:
        ENVIRONMENT
    log:
        "logs/figure_png/{name}.log",
    shell:
        "{params.tool} svg-png --svg {input.svg:q} --out {output:q} 2> {log}"


# After the rules above, so the generated sources count as made by a rule.
try:
    check_sources(BOOK, list(workflow.rules))
except BuildError as exc:
    raise WorkflowError(f"\n{exc}") from None

if QUARTO is None:

    # Quarto's pages in the built-in staging folder (left by a version that rendered
    # both there) would pass for built-in pages: render that folder afresh.
    _leftovers = quarto_leftovers(EDITION_STAGING)
    if _leftovers:
        print(f"{EDITION_STAGING}/ holds Quarto's files ({', '.join(_leftovers[:2])} …); "
              "it will be rendered again by the built-in renderer", file=sys.stderr)
        shutil.rmtree(EDITION_STAGING)

    # The site's copy of each image a page shows (site path -> project file), from the
    # book plan: one rule owns each copy, however many pages show the image.
    try:
        SITE_MEDIA = site_media(BOOK, PAGE_CHAPTER.values())
    except BuildError as exc:
        raise WorkflowError(f"\n{exc}") from None

    BOOK_STAGING = EDITION_STAGING
    BOOK_TARGETS = [
        *expand(f"{EDITION_STAGING}/{{page}}.html", page=sorted(PAGE_CHAPTER)),
        # the pages depend on them too; listed so every reader of the site declares them
        *(f"{EDITION_STAGING}/{m}" for m in sorted(SITE_MEDIA)),
        # book: search: false in _quarto.yml turns the search off (no index, no box)
        *([f"{EDITION_STAGING}/search.json"] if SITE["search"]["enabled"] else []),
        f"{EDITION_STAGING}/site_libs",
        f"{EDITION_STAGING}/{OUTPUT_FILE}.pdf",
        f"{EDITION_STAGING}/{OUTPUT_FILE}.docx",
        *CITATION_DOWNLOADS,
    ]

    rule scholar_json:
        """What the pages tell libraries and search engines: metadata, the book's own
        citation in the house style, and the bibliography for citation_reference tags."""
        input:
            quarto="_quarto.yml",
            bibliography=BOOK.project.bibliography,
            csl=[BOOK.project.csl] if BOOK.project.csl else [],
        output:
            "results/render/scholar.json",
        params:
            tool=PROEFDRUK,
        conda:
            ENVIRONMENT
        log:
            "logs/scholar_json.log",
        shell:
            "{params.tool} scholar-json --out {output} 2> {log}"

    rule citation_downloads:
        """citeer.bib and citeer.ris: the "Citeer dit boek" downloads of the site."""
        input:
            "_quarto.yml",
        output:
            bib=CITATION_DOWNLOADS[0],
            ris=CITATION_DOWNLOADS[1],
        params:
            tool=PROEFDRUK,
        conda:
            ENVIRONMENT
        log:
            "logs/citation_downloads.log",
        shell:
            "{params.tool} citation-files --bib {output.bib} --ris {output.ris} 2> {log}"

    rule render_chapter:
        """Resolve one chapter: includes, cells, shortcodes, cross-references, citations."""
        input:
            lambda wc: BOOK.chapter_inputs(wc.chapter),
            # Checks a chapter must pass before it is rendered (e.g. the prose lint).
            gates=lambda wc: [gate(BOOK.chapter(wc.chapter).source) for gate in CHAPTER_GATES],
        output:
            ast="results/render/chapters/{chapter}.json",
            labels="results/render/labels/{chapter}.json",
            report="results/reports/render-{chapter}.json",
        params:
            tool=PROEFDRUK,
            plan=lambda wc: json_param(BOOK.render_params(wc.chapter)),
            declared=lambda wc: BOOK.chapter_inputs(wc.chapter),
        wildcard_constraints:
            chapter=choice_regex(CHAPTER_IDS),
        conda:
            ENVIRONMENT
        log:
            "logs/render_chapter/{chapter}.log",
        benchmark:
            "benchmarks/render_chapter/{chapter}.tsv"
        shell:
            "{params.tool} render-chapter --chapter {wildcards.chapter} --plan {params.plan:q}"
            " --ast {output.ast} --labels {output.labels} --report {output.report}"
            " --declared {params.declared:q} > {log} 2>&1"

    CHAPTER_REPORTS.extend(expand(rules.render_chapter.output.report, chapter=CHAPTER_IDS))

    rule book_json:
        """Describe the whole book for the edition writers (cheap)."""
        input:
            labels=expand("results/render/labels/{page}.json", page=PAGE_IDS),
            notices=NOTICE_FILES,
            quarto="_quarto.yml",
            # a `language:` file sets words the editions print
            language=BOOK.language_files(),
        output:
            book="results/render/book.json",
            # Options of _quarto.yml the built-in renderer does not follow (warnings).
            report="results/reports/quarto-features.json",
        params:
            tool=PROEFDRUK,
        conda:
            ENVIRONMENT
        log:
            "logs/book_json.log",
        shell:
            "{params.tool} book-json --labels {input.labels:q} --notices {input.notices:q}"
            " --out {output.book} --report {output.report} 2> {log}"

    rule chapter_page:
        """One page of the HTML site; needs only its own chapter and the book skeleton."""
        input:
            ast=lambda wc: f"results/render/chapters/{PAGE_CHAPTER[wc.page]}.json",
            labels=lambda wc: f"results/render/labels/{PAGE_CHAPTER[wc.page]}.json",
            notices=NOTICE_FILES,
            scholar="results/render/scholar.json",
            # The page only links its images' copies (rule site_media), so it does not
            # wait for them; the preview asks for the copies itself.
        output:
            f"{EDITION_STAGING}/{{page}}.html",
        params:
            tool=PROEFDRUK,
            chapter=lambda wc: PAGE_CHAPTER[wc.page],
            # the images whose copies rule site_media makes: the page only links them
            made=lambda wc: page_images(PAGE_CHAPTER[wc.page]),
            skeleton=json_param(BOOK.skeleton()),
            external=lambda wc: json_param(BOOK.page_labels(PAGE_CHAPTER[wc.page])),
        wildcard_constraints:
            page=choice_regex(PAGE_CHAPTER),
        conda:
            ENVIRONMENT
        log:
            "logs/chapter_page/{page}.log",
        shell:
            "{params.tool} page --chapter {params.chapter} --skeleton {params.skeleton:q}"
            " --external {params.external:q} --labels {input.labels}"
            " --notices {input.notices:q} --scholar {input.scholar}"
            " --media-made {params.made:q} --out {output} 2> {log}"

    rule site_media:
        """The site's copies of the images the pages show (media/...), all in one job, as
        declared outputs: the jobs that read the site (manifest, promote, the
        reproducibility scan) have them among their inputs, and a changed figure is
        copied again. One job, since a job costs more than a copy; the list of copies is
        what the preview asks for (proefdruk/render/editions/media.py)."""
        input:
            # in the order of the copies: the n-th image goes to the n-th copy
            images=[SITE_MEDIA[m] for m in sorted(SITE_MEDIA)],
        output:
            copies=[f"{EDITION_STAGING}/{m}" for m in sorted(SITE_MEDIA)],
            listing=MEDIA_LIST,
        params:
            tool=PROEFDRUK,
        conda:
            ENVIRONMENT
        log:
            "logs/site_media.log",
        shell:
            "{params.tool} site-media --images {input.images:q}"
            " --copies {output.copies:q} --out {output.listing:q} 2> {log:q}"

    rule search_index:
        """Full-text search over all chapters (one JSON file for the site's script)."""
        input:
            book="results/render/book.json",
            asts=expand("results/render/chapters/{page}.json", page=PAGE_IDS),
        output:
            f"{EDITION_STAGING}/search.json",
        params:
            tool=PROEFDRUK,
        conda:
            ENVIRONMENT
        log:
            "logs/search_index.log",
        shell:
            "{params.tool} search-index --book {input.book} --out {output} 2> {log}"

    rule site_assets:
        """The site's stylesheet, script and fonts (the scripts' words in the book's
        language)."""
        output:
            directory(f"{EDITION_STAGING}/site_libs"),
        params:
            tool=PROEFDRUK,
            words=json_param(BOOK.skeleton()["words"]),
            # the folder that holds site_libs/, derived from the output (snakemake --lint)
            dest=lambda wc, output: os.path.dirname(output[0]),
        conda:
            ENVIRONMENT
        log:
            "logs/site_assets.log",
        shell:
            "{params.tool} assets --out {params.dest} --words {params.words:q} 2> {log}"

    rule book_pdf:
        """The PDF edition (Typst)."""
        input:
            book="results/render/book.json",
            asts=expand("results/render/chapters/{page}.json", page=PAGE_IDS),
            images=sorted({p for s in BOOK.scans.values() for p in s.images}),
            # the Typst format of the extension: template partials and filters
            typst=typst_files("."),
        output:
            f"{EDITION_STAGING}/{OUTPUT_FILE}.pdf",
        params:
            tool=PROEFDRUK,
            # Only this rule reads the page size and PDF/A: changing them re-renders the
            # PDF and nothing else.
            paper=config["render"]["paper"],
            pdfa="true" if config["render"]["pdfa"] else "false",
            pdfua="true" if config["render"]["pdfua"] else "false",
        conda:
            ENVIRONMENT
        log:
            "logs/book_pdf.log",
        benchmark:
            "benchmarks/book_pdf.tsv"
        shell:
            "{params.tool} pdf --book {input.book} --paper {params.paper}"
            " --pdfa {params.pdfa} --pdfua {params.pdfua} --out {output} 2> {log}"

    rule book_docx:
        """The DOCX edition, for a supervisor's tracked changes."""
        input:
            book="results/render/book.json",
            asts=expand("results/render/chapters/{page}.json", page=PAGE_IDS),
            images=sorted({p for s in BOOK.scans.values() for p in s.images}),
        output:
            f"{EDITION_STAGING}/{OUTPUT_FILE}.docx",
        params:
            tool=PROEFDRUK,
        conda:
            ENVIRONMENT
        log:
            "logs/book_docx.log",
        benchmark:
            "benchmarks/book_docx.tsv"
        shell:
            "{params.tool} docx --book {input.book} --out {output} 2> {log}"

else:

    # Quarto renders into a folder of its own, never into the built-in renderer's: a page
    # of one renderer cannot stand in for the other's, whatever the order of the runs.
    # The folder is the rule's one output, so Snakemake empties it before each render and
    # removes it after a failed one (proefdruk quarto-render removes it too, and every
    # working file Quarto left in the project).
    BOOK_STAGING = QUARTO_STAGING
    BOOK_TARGETS = [QUARTO_STAGING]

    rule quarto_render:
        """Real Quarto renders the same sources (config render.quarto); the "Citeer dit
        boek" downloads and block are added after a good render (proefdruk quarto-render)."""
        input:
            sorted({f for cid in CHAPTER_IDS for f in BOOK.chapter_inputs(cid)}),
            NUMBER_FILES,
            typst_files("."),
            # every filter, partial and theme of the extensions, whichever format reads it
            extension_files("."),
            quarto="_quarto.yml",
            # the book's citation in the house style (citeer.bib, citeer.ris, the block)
            bibliography=BOOK.project.bibliography,
            csl=[BOOK.project.csl] if BOOK.project.csl else [],
            # the DOCX shows the PNG next to each generated SVG (default-image-extension)
            pngs=QUARTO_PNGS,
        output:
            directory(QUARTO_STAGING),
        params:
            quarto=QUARTO,
            tool=PROEFDRUK,
        conda:
            ENVIRONMENT
        log:
            "logs/quarto_render.log",
        benchmark:
            "benchmarks/quarto_render.tsv"
        shell:
            # Quarto before 1.9 makes no Typst PDF for a book: it stops with a clear message.
            "{params.tool} quarto-render --quarto {params.quarto:q}"
            " --output-dir {output:q} > {log} 2>&1"
