"""The one list of Quarto features and what the built-in renderer does with each.

An author writes what Quarto's documentation teaches; this renderer stands in for Quarto
where it cannot be installed, so it must never be silently different. Every documented
option of a book (``_quarto.yml``: ``project:``, ``book:``, document options at the top,
under ``format:`` or in a chapter's front matter) and every markdown construct a book
uses is listed here with its status:

- ``implemented``: every edition shows what Quarto shows;
- ``different``: it works, in the way ``how`` says (for instance a PDF-only reading of an
  HTML-only feature);
- ``not implemented``: the build goes on, and the warnings report names the file and line.

The renderer reads this list (:mod:`.quarto_checks` warns with it), a test compares it
with what the renderer does, and ``docs/quarto-coverage.md`` is generated from it
(``proefdruk quarto-coverage --write docs/quarto-coverage.md``), so the
table and the behaviour cannot drift apart. Option names follow Quarto's schema
(quarto-cli ``src/resources/schema/``).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from proefdruk.arguments import CommandParser

IMPLEMENTED = "implemented"
DIFFERENT = "different"
MISSING = "not implemented"
STATUSES = (IMPLEMENTED, DIFFERENT, MISSING)
ALL = ("html", "typst", "docx")
ANY = object()  # any value is honoured


@dataclass(frozen=True)
class Feature:
    """One documented Quarto option or construct.

    ``name`` is how an author writes it: ``book.downloads`` or ``project.output-dir`` for
    project options, ``lightbox`` for a document option (valid at the top of
    ``_quarto.yml``, under ``format: <name>:`` and in front matter), ``::: .callout-*``,
    ``{{< pagebreak >}}`` or ``when-format=`` for markdown. ``honoured`` lists the values
    the renderer follows (``ANY``: all); another value is warned like a missing feature.
    """

    name: str
    kind: str  # "project", "book", "option" or "markdown"
    status: str
    how: str
    formats: tuple[str, ...] = ALL
    honoured: Any = ANY

    def honours(self, value: Any) -> bool:
        """Whether the renderer follows this value of the option."""
        if self.status == MISSING:
            return False
        if self.honoured is ANY:
            return True
        if callable(self.honoured):
            return bool(self.honoured(value))
        return value in self.honoured


def _f(name: str, kind: str, status: str, how: str, formats: tuple[str, ...] = ALL,
       honoured: Any = ANY) -> Feature:
    return Feature(name, kind, status, how, formats, honoured)


def _is_light_dark(value: Any) -> bool:
    return isinstance(value, dict) and set(value) <= {"light", "dark"}


def _downloads_ok(value: Any) -> bool:
    values = value if isinstance(value, list) else [value]
    return all(v in ("pdf", "docx") for v in values)


def _search_ok(value: Any) -> bool:
    return isinstance(value, bool) or (
        isinstance(value, dict) and set(value) <= {"keyboard-shortcut"})


def _repo_actions_ok(value: Any) -> bool:
    values = value if isinstance(value, list) else [value]
    return all(v in ("none", "edit", "source", "issue") for v in values)


FEATURES: tuple[Feature, ...] = (
    # --- project: ---------------------------------------------------------------------
    _f("project.type", "project", IMPLEMENTED, "`book` (the only type this renderer builds)",
       honoured=("book",)),
    _f("project.output-dir", "project", IMPLEMENTED, "editions are written to `_book/`",
       honoured=("_book", "_book/")),
    _f("project.render", "project", MISSING, "the chapters listed under `book:` are rendered"),
    _f("project.execute-dir", "project", DIFFERENT,
       "code cells always run in the project folder (Quarto's `execute-dir: project`)",
       honoured=("project",)),
    _f("project.resources", "project", MISSING, "files are not copied into `_book/`"),
    _f("project.pre-render", "project", MISSING, "use a Snakemake rule instead"),
    _f("project.post-render", "project", MISSING, "use a Snakemake rule instead"),
    _f("project.lib-dir", "project", DIFFERENT, "site files are always in `_book/site_libs/`",
       honoured=("site_libs",)),
    _f("project.preview", "project", IMPLEMENTED, "no effect on the editions (preview only)"),
    _f("project.title", "project", MISSING, "the book title comes from `book: title`"),
    # --- book: (Quarto's book schema is closed: other keys are errors) ------------------
    _f("book.title", "book", IMPLEMENTED, "title page, site header, document metadata"),
    _f("book.subtitle", "book", IMPLEMENTED, "title page and site cover"),
    _f("book.author", "book", IMPLEMENTED, "title page, site header, metadata"),
    _f("book.date", "book", IMPLEMENTED, "shown as written"),
    _f("book.date-format", "book", DIFFERENT, "the date is shown as written (write it as "
       "it should appear, e.g. a year)"),
    _f("book.abstract", "book", DIFFERENT, "not shown in the editions; read for the "
       "archive's citation files (CITATION.cff, datacite.json)"),
    _f("book.description", "book", IMPLEMENTED, "`<meta name=\"description\">` on every page",
       ("html",)),
    _f("book.chapters", "book", IMPLEMENTED,
       "chapters and `part:` groups; pages land where Quarto writes them "
       "(`chapters/x.qmd` -> `_book/chapters/x.html`)"),
    _f("book.appendices", "book", IMPLEMENTED, "numbered A, B, … after the chapters"),
    _f("book.references", "book", MISSING, "put a `references.qmd` chapter in the list"),
    _f("book.output-file", "book", IMPLEMENTED, "name of the PDF and DOCX"),
    _f("book.cover-image", "book", IMPLEMENTED, "shown on the home page of the site",
       ("html",)),
    _f("book.cover-image-alt", "book", IMPLEMENTED, "alt text of the cover image", ("html",)),
    _f("book.sharing", "book", MISSING, "no sharing buttons"),
    _f("book.downloads", "book", IMPLEMENTED,
       "download links to the PDF and DOCX in the sidebar (`epub` is not built)", ("html",),
       _downloads_ok),
    _f("book.tools", "book", MISSING, "no custom tools"),
    _f("book.doi", "book", DIFFERENT, "not shown in the editions; read for the archive's "
       "citation files"),
    _f("book.license", "book", DIFFERENT, "not shown in the editions; read for the "
       "archive's citation files"),
    _f("book.keywords", "book", DIFFERENT, "not shown in the editions; read for the "
       "archive's citation files"),
    _f("book.keyword", "book", DIFFERENT, "as `book.keywords`"),
    _f("book.publisher", "book", MISSING, "not shown (the archive reads `citation: "
       "publisher`)"),
    _f("book.isbn", "book", MISSING, "not shown"),
    _f("book.favicon", "book", MISSING, "the site keeps its own icon"),
    _f("book.site-url", "book", IMPLEMENTED,
       "absolute links in the `google-scholar` metadata", ("html",)),
    _f("book.site-path", "book", MISSING, "links are relative, so any path works"),
    _f("book.repo-url", "book", IMPLEMENTED, "a repository link in the sidebar", ("html",)),
    _f("book.repo-subdir", "book", IMPLEMENTED, "used in the repository action links",
       ("html",)),
    _f("book.repo-branch", "book", IMPLEMENTED,
       "used in the repository action links (default `main`)", ("html",)),
    _f("book.repo-actions", "book", IMPLEMENTED,
       "`edit`, `source` and `issue` links under each page's contents", ("html",),
       _repo_actions_ok),
    _f("book.issue-url", "book", IMPLEMENTED, "target of the `issue` action", ("html",)),
    _f("book.repo-link-target", "book", MISSING, "repository links open in the same tab"),
    _f("book.repo-link-rel", "book", MISSING, "no `rel` on repository links"),
    _f("book.reader-mode", "book", IMPLEMENTED,
       "a button that hides the sidebar and the page contents", ("html",)),
    _f("book.google-analytics", "book", MISSING,
       "no analytics: the site makes no network requests"),
    _f("book.cookie-consent", "book", MISSING, "the site sets no cookies"),
    _f("book.search", "book", IMPLEMENTED,
       "`false` removes the search box and `search.json`; `keyboard-shortcut` sets the "
       "keys (default `f`, `/`, `s`); other search options are not read", ("html",),
       _search_ok),
    _f("book.navbar", "book", MISSING, "the site has a sidebar, no top navigation bar"),
    _f("book.sidebar", "book", MISSING, "the sidebar always lists the chapters and parts"),
    _f("book.body-header", "book", MISSING, "not shown"),
    _f("book.body-footer", "book", MISSING, "not shown"),
    _f("book.margin-header", "book", MISSING, "not shown"),
    _f("book.margin-footer", "book", MISSING, "not shown"),
    _f("book.page-navigation", "book", IMPLEMENTED, "previous/next links (always on)",
       ("html",), (True,)),
    _f("book.back-to-top-navigation", "book", MISSING, "no back-to-top link"),
    _f("book.bread-crumbs", "book", MISSING, "no breadcrumbs"),
    _f("book.page-footer", "book", IMPLEMENTED,
       "text, or `left`/`center`/`right`, as markdown in every page's footer", ("html",)),
    _f("book.image", "book", MISSING, "no social-media image"),
    _f("book.image-alt", "book", MISSING, "no social-media image"),
    _f("book.comments", "book", MISSING,
       "no hypothesis, utterances or giscus: the site makes no network requests"),
    _f("book.open-graph", "book", MISSING, "no Open Graph metadata"),
    _f("book.twitter-card", "book", MISSING, "no Twitter card metadata"),
    _f("book.other-links", "book", MISSING, "not shown"),
    _f("book.code-links", "book", MISSING, "not shown"),
    # --- document options (top level, format: <name>:, front matter) -------------------
    _f("title", "option", IMPLEMENTED, "a chapter's front-matter title is its heading"),
    _f("subtitle", "option", MISSING, "a chapter subtitle is not shown"),
    _f("author", "option", MISSING, "chapter authors are not shown (use `book: author`)"),
    _f("date", "option", MISSING, "chapter dates are not shown (use `book: date`)"),
    _f("lang", "option", IMPLEMENTED,
       "book language; a chapter's own `lang:` sets hyphenation and the `lang` attribute"),
    _f("language", "option", IMPLEMENTED,
       "the cross-reference words (`crossref-fig-title`, `crossref-tbl-title`, "
       "`crossref-ch-prefix`, `crossref-sec-prefix`, `crossref-apx-prefix`) and "
       "`section-title-appendices`; other interface texts are warned"),
    _f("bibliography", "option", IMPLEMENTED, "citeproc with the project's CSL"),
    _f("csl", "option", IMPLEMENTED, "citeproc style"),
    _f("nocite", "option", IMPLEMENTED, "the references chapter lists the works the book "
       "cites and those under `nocite` (`@*`: every entry), as Quarto does"),
    _f("suppress-bibliography", "option", IMPLEMENTED, "bibliography only in the references "
       "chapter"),
    _f("link-citations", "option", IMPLEMENTED, "citations link to their entry"),
    _f("citation-location", "option", MISSING, "citations follow the CSL (notes)"),
    _f("citation", "option", DIFFERENT, "read for the archive's citation files "
       "(CITATION.cff, datacite.json); the site shows no citation block"),
    _f("crossref", "option", IMPLEMENTED,
       "`chapters`, `fig-prefix`, `tbl-prefix`, `sec-prefix`, `fig-title`, `tbl-title`, "
       "`appendix-title`, `title-delim`; other sub-keys are warned"),
    _f("number-sections", "option", IMPLEMENTED, "sections are numbered", honoured=(True,)),
    _f("number-depth", "option", MISSING, "every section level is numbered"),
    _f("toc", "option", IMPLEMENTED,
       "contents in every edition (site: sidebar and page contents)", honoured=(True,)),
    _f("toc-depth", "option", IMPLEMENTED, "levels 1-3 (Quarto's default)", honoured=(3,)),
    _f("toc-title", "option", MISSING, "Dutch titles: Inhoudsopgave, Op deze pagina"),
    _f("toc-location", "option", MISSING, "page contents in the right margin"),
    _f("toc-expand", "option", MISSING, "page contents are always expanded"),
    _f("lof", "option", DIFFERENT, "the PDF always lists figures", ("typst",), (True,)),
    _f("lot", "option", DIFFERENT, "the PDF always lists tables", ("typst",), (True,)),
    _f("execute", "option", IMPLEMENTED, "code cell options (see the cells documentation)"),
    _f("jupyter", "option", IMPLEMENTED, "Python cells run in a Jupyter kernel"),
    _f("engine", "option", IMPLEMENTED, "`jupyter` only", honoured=("jupyter",)),
    _f("filters", "option", DIFFERENT,
       "Lua filters (a `.lua` file or an extension's `contributes: filters:`) run after the "
       "shortcodes, whatever `at:` says; other filters stop the build"),
    _f("shortcodes", "option", IMPLEMENTED, "extension shortcodes from `_extensions/`"),
    _f("metadata-files", "option", MISSING, "metadata files are not merged"),
    _f("reference-location", "option", IMPLEMENTED,
       "`document`: notes at the end of the page / at the bottom of the PDF page; "
       "`margin`: HTML notes in the margin, footnotes in the PDF and DOCX (Quarto's "
       "reading for those formats); `block`/`section` are warned",
       honoured=("document", "margin")),
    _f("lightbox", "option", IMPLEMENTED,
       "`true`/`auto`: a click on a figure opens it full-size (HTML)", ("html",),
       lambda v: v in (True, False, "auto") or isinstance(v, dict)),
    _f("google-scholar", "option", IMPLEMENTED,
       "Highwire Press `citation_*` meta tags on every page", ("html",)),
    _f("comments", "option", MISSING,
       "no hypothesis, utterances or giscus: the site makes no network requests",
       honoured=(False,)),
    _f("theme", "option", DIFFERENT,
       "the site has its own stylesheet; `theme: {light: …, dark: …}` gives a light/dark "
       "switch (following the reader's system setting), Bootswatch names are not used",
       ("html",), _is_light_dark),
    _f("anchor-sections", "option", IMPLEMENTED, "a § link on each heading", ("html",)),
    _f("crossrefs-hover", "option", IMPLEMENTED,
       "hovering a figure/table/section reference shows a preview", ("html",)),
    _f("footnotes-hover", "option", DIFFERENT, "footnotes open in place on click",
       ("html",)),
    _f("citations-hover", "option", MISSING, "citations are footnotes (house style)"),
    _f("code-copy", "option", IMPLEMENTED, "a copy button on code blocks", ("html",)),
    _f("code-fold", "option", MISSING, "code is never folded"),
    _f("code-tools", "option", MISSING, "no code tools menu"),
    _f("code-overflow", "option", MISSING, "long code lines scroll"),
    _f("code-line-numbers", "option", MISSING, "no line numbers"),
    _f("highlight-style", "option", MISSING, "code is not highlighted"),
    _f("smooth-scroll", "option", MISSING, "the browser's default scrolling"),
    _f("html-math-method", "option", DIFFERENT, "MathML, which needs no script",
       ("html",), ("mathml",)),
    _f("css", "option", MISSING, "the site's own stylesheet only"),
    _f("include-in-header", "option", MISSING, "not included"),
    _f("include-before-body", "option", MISSING, "not included"),
    _f("include-after-body", "option", MISSING, "not included"),
    _f("embed-resources", "option", MISSING, "pages link `site_libs/`"),
    _f("page-layout", "option", MISSING, "the site has one layout"),
    _f("grid", "option", MISSING, "the site has one layout"),
    _f("fig-cap-location", "option", DIFFERENT, "figure captions below the figure",
       honoured=("bottom",)),
    _f("tbl-cap-location", "option", DIFFERENT, "table captions above the table",
       honoured=("top",)),
    _f("fig-align", "option", DIFFERENT, "figures are centred", honoured=("center",)),
    _f("papersize", "option", DIFFERENT,
       "set `render.paper` in config/config.yaml (170x240 or a4)", ("typst",), ()),
    _f("margin", "option", MISSING, "the page design sets the margins (`render.paper`)"),
    _f("mainfont", "option", MISSING, "the house fonts are used"),
    _f("fontsize", "option", MISSING, "the house font size is used"),
    _f("columns", "option", MISSING, "one column"),
    _f("keep-typ", "option", MISSING, "the Typst source is not kept"),
    _f("pdf-engine", "option", DIFFERENT, "the PDF is always made with Typst"),
    _f("reference-doc", "option", DIFFERENT,
       "the DOCX uses the house reference document", ("docx",), ()),
    _f("keywords", "option", MISSING, "not written to the editions' metadata"),
    _f("license", "option", MISSING, "not shown"),
    _f("copyright", "option", MISSING, "not shown"),
    _f("abstract", "option", MISSING, "not shown"),
    _f("date-format", "option", DIFFERENT, "the date is shown as written (write it as it "
       "should appear, e.g. a year)"),
    _f("editor", "option", IMPLEMENTED, "no effect on the editions (editor setting)"),
    _f("citeproc", "option", IMPLEMENTED, "citations always go through citeproc",
       honoured=(True,)),
    _f("freeze", "option", DIFFERENT, "code cells are always cached by their code and the "
       "files they read (`.proefdruk-cache/cells/`), which is what `freeze: auto` promises"),
    _f("cache", "option", DIFFERENT, "as `freeze`"),
    _f("default-image-extension", "option", DIFFERENT,
       "an image written without extension takes the HTML format's value (default `svg`) "
       "in every edition; the DOCX embeds a PNG made from each SVG"),
    # Further documented options (quarto.org reference pages for HTML, Typst and DOCX)
    # that the built-in renderer does not read: each use is warned.
    *(_f(name, "option", MISSING, how) for names, how in (
        (("date-modified", "abstract-title", "order", "subject", "categories", "funding",
          "appendix-style", "appendix-cite-as", "title-block-style", "title-block-banner",
          "title-block-categories"), "not shown"),
        (("number-offset", "shift-heading-level-by", "section-numbering"),
         "headings are numbered from the chapter number, level by level"),
        (("code-summary", "code-link", "code-annotations", "code-block-border-left",
          "code-block-bg", "indented-code-classes", "syntax-definitions"),
         "code blocks have one plain style"),
        (("monofont", "fontcolor", "linkcolor", "backgroundcolor", "linestretch",
          "max-width", "margin-left", "margin-right", "margin-top", "margin-bottom",
          "mathfont", "codefont", "citecolor", "filecolor", "font-paths", "brand",
          "respect-user-color-scheme"), "the house design sets fonts, colours and measures"),
        (("fig-width", "fig-height", "fig-format", "fig-dpi", "fig-asp", "fig-responsive",
          "tbl-colwidths", "df-print"),
         "figures and tables come from the analysis steps as they are"),
        (("link-external-icon", "link-external-newwindow", "link-external-filter",
          "format-links", "notebook-links", "aliases"), "links are shown as written"),
        (("cite-method", "link-bibliography", "notes-after-punctuation"),
         "citations always go through citeproc with the project's CSL"),
        (("template", "template-partials", "standalone", "self-contained", "keep-md",
          "keep-ipynb", "output-file", "output-ext", "resource-path", "section-divs",
          "identifier-prefix", "email-obfuscation", "wrap", "strip-comments",
          "html-table-processing", "mermaid", "mermaid-format", "page-numbering", "logo",
          "toc-indent", "pdf-standard", "track-changes", "page-width"),
         "the renderer's own writers and templates are used"),
    ) for name in names),
    # --- markdown ---------------------------------------------------------------------
    _f("::: .callout-note/-tip/-warning/-important/-caution", "markdown", IMPLEMENTED,
       "a titled box in every edition; a heading inside is the title, not a section"),
    _f("callout title=", "markdown", IMPLEMENTED, "the callout's title"),
    _f("callout collapse=", "markdown", IMPLEMENTED,
       "HTML: a folding box (`true` folded, `false` open); PDF and DOCX show it open, as "
       "Quarto does"),
    _f("callout appearance=", "markdown", MISSING, "every callout has the default look",
       honoured=("default",)),
    _f("callout icon=", "markdown", MISSING, "callouts have no icon"),
    _f("::: .panel-tabset", "markdown", IMPLEMENTED,
       "HTML: tabs; PDF and DOCX: each tab as an unnumbered level-4 heading with its "
       "content (Quarto's reading); tab headings are not sections"),
    _f("::: .content-visible / .content-hidden", "markdown", IMPLEMENTED,
       "per edition; `when-format`/`unless-format` match as Quarto's `isFormat`: `html`, "
       "`typst`, `docx`; `pdf` and `latex` mean LaTeX output and so never match the Typst "
       "PDF (warned); `when-meta`/`unless-meta` test a metadata value"),
    _f("when-profile=", "markdown", DIFFERENT,
       "no Quarto profile is ever active (warned)"),
    _f("{{< pagebreak >}}", "markdown", IMPLEMENTED,
       "a page break in the PDF (also inside a callout or other box) and the DOCX; "
       "a print page break in HTML"),
    _f("::: .column-margin", "markdown", IMPLEMENTED,
       "HTML: in the right margin (below the text on narrow screens); PDF: a small-type "
       "note set off from the text; DOCX: in the text, as Quarto does"),
    _f("[…]{.aside}", "markdown", IMPLEMENTED, "like `.column-margin`"),
    _f("::: .column-body-outset/.column-page/.column-screen (and -left/-right/-inset)",
       "markdown", MISSING, "shown in the text column"),
    _f("heading {.unnumbered}", "markdown", IMPLEMENTED, "no section number"),
    _f("heading {.unlisted}", "markdown", IMPLEMENTED, "not in the page contents"),
    _f("@fig- @tbl- @sec- cross-references", "markdown", IMPLEMENTED,
       "Quarto's words and numbers (Figuur 4.2, paragraaf 4.2); `@Fig-` capitalises"),
    _f("@eq- @lst- @thm- and other cross-reference types", "markdown", MISSING,
       "not numbered"),
    _f("{{< include >}}", "markdown", IMPLEMENTED, "text inclusion before parsing"),
    _f("{{< var >}}", "markdown", IMPLEMENTED, "from `_variables.yml`"),
    _f("{{< meta >}}", "markdown", IMPLEMENTED, "front matter, then `_quarto.yml`"),
    _f("{{< kbd >}}", "markdown", IMPLEMENTED, "keys as code (`<kbd>` in HTML)"),
    _f("{{< env >}}", "markdown", MISSING,
       "left as written: the environment would make the editions differ per machine"),
    _f("{{< video >}}", "markdown", MISSING, "left as written"),
    _f("{{< lipsum >}}", "markdown", MISSING, "left as written"),
    _f("{{< placeholder >}}", "markdown", MISSING, "left as written"),
    _f("{{< contents >}}", "markdown", MISSING, "left as written"),
    _f("{{< embed >}}", "markdown", MISSING, "left as written"),
    _f("{{< version >}}", "markdown", MISSING, "left as written"),
    _f("{{< downloadthis >}} and other extension shortcodes", "markdown", DIFFERENT,
       "extension shortcodes run when their Lua is under `_extensions/`; an unknown one "
       "stops the build with its line"),
    _f("```{mermaid} / ```{dot} diagrams", "markdown", MISSING, "shown as code"),
    _f("```{=html} / ```{=typst} / ```{=openxml} raw blocks", "markdown", IMPLEMENTED,
       "passed to their own edition only"),
    _f("figure layout-ncol= / layout=", "markdown", MISSING,
       "subfigures are stacked, not laid out in columns"),
)

SHORTCODES_MISSING = ("env", "video", "lipsum", "placeholder", "contents", "embed",
                      "version")


def by_name() -> dict[str, Feature]:
    """The features by name (each name is unique; a test checks it)."""
    return {f.name: f for f in FEATURES}


def option(kind: str, key: str) -> Feature | None:
    """The feature of option ``key`` of ``kind`` (project, book, option), or None."""
    return by_name().get(key if kind == "option" else f"{kind}.{key}")


def shortcode(name: str) -> Feature | None:
    """The feature of a built-in Quarto shortcode, or None for other names."""
    return by_name().get(f"{{{{< {name} >}}}}")


# --- the coverage table ---------------------------------------------------------------

KIND_TITLES = {
    "project": "`project:` options",
    "book": "`book:` options",
    "option": "Document options (top of `_quarto.yml`, under `format:`, or in front matter)",
    "markdown": "Markdown constructs",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def coverage_markdown() -> str:
    """docs/quarto-coverage.md: the table, generated from :data:`FEATURES`."""
    counts = {s: sum(1 for f in FEATURES if f.status == s) for s in STATUSES}
    lines = [
        "# Quarto features in the built-in renderer",
        "",
        "<!-- Generated from proefdruk/render/core/quarto_features.py by",
        "     `proefdruk quarto-coverage --write docs/quarto-coverage.md`;",
        "     tests/test_quarto_coverage.py fails when this file or the behaviour differs. -->",
        "",
        "The built-in renderer reads the same sources as Quarto (1.9+). This table lists "
        "every Quarto option and markdown construct it knows of and what it does with each:",
        "",
        "- **implemented**: every edition shows what Quarto shows;",
        "- **different**: it works, in the way described;",
        "- **not implemented**: the build goes on and `results/reports/warnings.md` names "
        "the file and line (a value the renderer does not follow is warned the same way).",
        "",
        "A documented option missing from this table is kept as metadata (for "
        "`{{< meta >}}`) and warned as unknown, with its line; an unknown key under "
        "`book:` stops the build, as Quarto's schema does.",
        "",
        f"Totals: {counts[IMPLEMENTED]} implemented, {counts[DIFFERENT]} different, "
        f"{counts[MISSING]} not implemented.",
    ]
    for kind, title in KIND_TITLES.items():
        lines += ["", f"## {title}", "", "| feature | editions | status | what the built-in "
                  "renderer does |", "| --- | --- | --- | --- |"]
        for f in FEATURES:
            if f.kind != kind:
                continue
            name = f.name if kind == "markdown" else f"`{f.name}`"
            if kind == "markdown" and not f.name.startswith("`"):
                name = f"`{f.name}`"
            editions = ", ".join({"html": "HTML", "typst": "PDF", "docx": "DOCX"}[x]
                                 for x in f.formats)
            lines.append(f"| {_cell(name)} | {editions} | {f.status} | {_cell(f.how)} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """``proefdruk quarto-coverage --write docs/quarto-coverage.md``."""
    ap = CommandParser(prog="proefdruk quarto-coverage",
                       description=__doc__.splitlines()[0])
    ap.add_argument("--write", type=Path, help="write the coverage table to this file")
    args = ap.parse_args(argv)
    text = coverage_markdown()
    if args.write:
        args.write.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
