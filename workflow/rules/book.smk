# book stage: _quarto.yml + chapters/*.qmd -> resolved pandoc ASTs -> _book/ editions.
#
# One job per chapter (render_chapter) reads exactly that chapter's files; its labels for
# other chapters arrive as a parameter, so editing one chapter re-renders that chapter's
# page and the whole-book editions (PDF, DOCX, search index), never the other pages.
# With config render.quarto = "auto" (and quarto on PATH) or a path, `quarto render`
# builds _book/ instead (rule quarto_render).

import os
from pathlib import Path

import proefdruk.render as _render_pkg

_TOOL_DIR = Path(_render_pkg.__file__).parent


def _tool_files(*names):
    """Renderer code a rule depends on: a change in it must rebuild what it made."""
    out = []
    for name in names:
        path = _TOOL_DIR / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for f in files:
            if not f.exists() or f.suffix == ".pyc" or "__pycache__" in f.parts:
                continue
            rel = os.path.relpath(f)
            out.append(rel if not rel.startswith("..") else str(f))
    return out


CORE_CODE = _tool_files(
    "chapter.py", "crossref.py", "scan.py", "source.py", "shortcodes.py", "citeproc.py",
    "pandocast.py", "project.py", "terms.py", "yamlfile.py", "extension.py", "slug.py",
    "lua/shortcodes.lua",
)


def _rule_outputs(prefix, suffix=".json"):
    """Files under ``prefix`` that some rule of the workflow writes (no wildcards), plus
    those already there: the numbers registry files, provenance records and notices."""
    found = set()
    for r in workflow.rules:
        for f in r.output:
            f = str(f)
            if f.startswith(prefix) and f.endswith(suffix) and "{" not in f:
                found.add(f)
    if os.path.isdir(prefix):
        found.update(
            os.path.join(prefix, n) for n in os.listdir(prefix) if n.endswith(suffix)
        )
    return sorted(found)


NUMBER_FILES = _rule_outputs("results/numbers/")
PROVENANCE_RECORDS = _rule_outputs("results/provenance/")
NOTICE_FILES = _rule_outputs("results/notices/")


def _check_sources():
    """Stop before running anything if a chapter names a figure, table or numbers file
    that neither exists nor is made by any rule, with the chapter line that names it."""
    for cid in CHAPTER_IDS:
        s = BOOK.scans[cid]
        wanted = [(p, s.images.get(p)) for p in s.images]
        wanted += [(f"results/numbers/{k.split('.', 1)[0]}.json", w)
                   for k, w in s.num_keys.items()]
        for path, where in wanted:
            if os.path.exists(path) or any(r.is_producer(path) for r in workflow.rules):
                continue
            what = "numbers file" if path.startswith("results/numbers/") else "file"
            err = BuildError(
                f"{what} '{path}' does not exist and no rule makes it",
                file=where[0] if where else s.spec.source,
                line=where[1] if where else None,
                hint="check the path or the number key; generated files must come "
                "from an analysis rule",
            )
            raise WorkflowError("\n" + str(err))


_check_sources()

if QUARTO is None:

    BOOK_TARGETS = (
        expand("_book/{page}.html", page=PAGE_IDS)
        + [
            "_book/search.json",
            "_book/site_libs",
            f"_book/{OUTPUT_FILE}.pdf",
            f"_book/{OUTPUT_FILE}.docx",
        ]
    )

    rule render_chapter:
        """Resolve one chapter: includes, cells, shortcodes, cross-references, citations."""
        input:
            lambda wc: BOOK.chapter_inputs(wc.chapter),
            CORE_CODE,
        output:
            ast=RENDER + "/chapters/{chapter}.json",
            labels=RENDER + "/labels/{chapter}.json",
            report="results/reports/render-{chapter}.json",
        params:
            plan=lambda wc: json_param(BOOK.render_params(wc.chapter)),
            declared=lambda wc: BOOK.chapter_inputs(wc.chapter),
        wildcard_constraints:
            chapter=choice_regex(CHAPTER_IDS),
        log:
            LOGS + "/render_chapter/{chapter}.log",
        benchmark:
            BENCH + "/render_chapter/{chapter}.tsv"
        shell:
            "{PROEFDRUK} render-chapter --chapter {wildcards.chapter} --plan {params.plan:q}"
            " --ast {output.ast} --labels {output.labels} --report {output.report}"
            " --declared {params.declared:q} 2>&1 | tee {log}"

    rule provenance_chapter:
        """The generated appendix with the source of every number, figure and table."""
        input:
            numbers=NUMBER_FILES,
            records=PROVENANCE_RECORDS,
            code=_tool_files("herkomst.py", "crossref.py", "slug.py"),
        output:
            ast=RENDER + f"/chapters/{PROVENANCE_ID}.json",
            labels=RENDER + f"/labels/{PROVENANCE_ID}.json",
            report=f"results/reports/render-{PROVENANCE_ID}.json",
        params:
            plan=json_param(
                {
                    "generated": BOOK.generated_files(),
                    "users": BOOK.number_users(),
                    "titles": {c.id: c.title for c in BOOK.chapters},
                    "number": BOOK.chapter(PROVENANCE_ID).number,
                }
            ),
        log:
            LOGS + "/provenance_chapter.log",
        shell:
            "{PROEFDRUK} provenance-chapter --plan {params.plan:q}"
            " --numbers {input.numbers:q} --records {input.records:q}"
            " --ast {output.ast} --labels {output.labels} --report {output.report}"
            " 2>&1 | tee {log}"

    rule book_json:
        """Describe the whole book for the edition writers (cheap)."""
        input:
            labels=expand(RENDER + "/labels/{page}.json", page=PAGE_IDS),
            notices=NOTICE_FILES,
            quarto="_quarto.yml",
        output:
            RENDER + "/book.json",
        params:
            paper=PAPER,
            pdfa=PDFA,
        log:
            LOGS + "/book_json.log",
        shell:
            "{PROEFDRUK} book-json --labels {input.labels:q} --notices {input.notices:q}"
            " --paper {params.paper} --pdfa {params.pdfa} --out {output} 2> {log}"

    rule chapter_page:
        """One page of the HTML site; needs only its own chapter and the book skeleton."""
        input:
            ast=RENDER + "/chapters/{page}.json",
            labels=RENDER + "/labels/{page}.json",
            notices=NOTICE_FILES,
            images=lambda wc: BOOK.scans[wc.page].images if wc.page in BOOK.scans else [],
            code=_tool_files("html.py", "editions.py", "book.py", "templates", "assets"),
        output:
            "_book/{page}.html",
        params:
            skeleton=json_param(BOOK.skeleton()),
            external=lambda wc: json_param(BOOK.page_labels(wc.page)),
            paper=PAPER,
            pdfa=PDFA,
        wildcard_constraints:
            page=choice_regex(PAGE_IDS),
        log:
            LOGS + "/chapter_page/{page}.log",
        shell:
            "{PROEFDRUK} page --chapter {wildcards.page} --skeleton {params.skeleton:q}"
            " --external {params.external:q} --labels {input.labels}"
            " --notices {input.notices:q} --paper {params.paper} --pdfa {params.pdfa}"
            " --out {output} 2> {log}"

    rule search_index:
        """Full-text search over all chapters (one JSON file for the site's script)."""
        input:
            book=RENDER + "/book.json",
            asts=expand(RENDER + "/chapters/{page}.json", page=PAGE_IDS),
            code=_tool_files("html.py", "editions.py"),
        output:
            "_book/search.json",
        log:
            LOGS + "/search_index.log",
        shell:
            "{PROEFDRUK} search-index --book {input.book} --out {output} 2> {log}"

    rule site_assets:
        """The site's stylesheet, script and fonts."""
        input:
            _tool_files("html.py", "assets"),
        output:
            directory("_book/site_libs"),
        log:
            LOGS + "/site_assets.log",
        shell:
            "{PROEFDRUK} assets --out _book 2> {log}"

    rule book_pdf:
        """The PDF edition (Typst)."""
        input:
            book=RENDER + "/book.json",
            asts=expand(RENDER + "/chapters/{page}.json", page=PAGE_IDS),
            images=sorted({p for s in BOOK.scans.values() for p in s.images}),
            code=_tool_files("typst_pdf.py", "editions.py"),
        output:
            f"_book/{OUTPUT_FILE}.pdf",
        log:
            LOGS + "/book_pdf.log",
        benchmark:
            BENCH + "/book_pdf.tsv"
        shell:
            "{PROEFDRUK} pdf --book {input.book} --out {output} 2> {log}"

    rule book_docx:
        """The DOCX edition, for a supervisor's tracked changes."""
        input:
            book=RENDER + "/book.json",
            asts=expand(RENDER + "/chapters/{page}.json", page=PAGE_IDS),
            images=sorted({p for s in BOOK.scans.values() for p in s.images}),
            code=_tool_files("docx.py", "editions.py"),
        output:
            f"_book/{OUTPUT_FILE}.docx",
        log:
            LOGS + "/book_docx.log",
        benchmark:
            BENCH + "/book_docx.tsv"
        shell:
            "{PROEFDRUK} docx --book {input.book} --out {output} 2> {log}"

else:

    BOOK_TARGETS = [
        "_book/index.html",
        f"_book/{OUTPUT_FILE}.pdf",
        f"_book/{OUTPUT_FILE}.docx",
    ]

    rule quarto_render:
        """Real Quarto renders the same sources (config render.quarto)."""
        input:
            sorted({f for cid in CHAPTER_IDS for f in BOOK.chapter_inputs(cid)}),
            NUMBER_FILES,
        output:
            BOOK_TARGETS,
        log:
            LOGS + "/quarto_render.log",
        benchmark:
            BENCH + "/quarto_render.tsv"
        shell:
            "{QUARTO:q} render --to all > {log} 2>&1"
