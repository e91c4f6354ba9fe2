"""The book as ``_quarto.yml`` describes it: metadata, chapter order, parts, appendices.

Everything downstream (chapter numbers, hrefs, the sidebar, which files are chapters)
derives from this one reading, so it validates strictly: an unknown key or a chapter
that does not exist is reported with its line instead of silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from proefdruk.errors import BuildError
from proefdruk.locale.words import Locale, locale_for
from proefdruk.render.core import yamlfile
from proefdruk.render.core.quarto_features import FEATURES

QUARTO_FILE = "_quarto.yml"
# The provenance appendix is the appendix chapter with this id (chapters/herkomst.qmd):
# an ordinary source that includes the generated results/book/herkomst.md, so real
# Quarto shows it too. Numbers and generated files link to its entries.
PROVENANCE_ID = "herkomst"
PROVENANCE_INCLUDE = "results/book/herkomst.md"
# The edition notices, included by the book's opening page (index.qmd).
NOTICES_INCLUDE = "results/book/notices.md"

# Quarto's book schema is closed, so an unknown key under book: is a mistake worth
# stopping for (Quarto stops too); every documented one is listed in quarto_features.
# Other top-level keys are Quarto document options or free metadata: they never stop
# the build, and quarto_checks warns about those the renderer does not follow.
BOOK_KEYS = {f.name.split(".", 1)[1] for f in FEATURES if f.kind == "book"}


@dataclass(frozen=True)
class ChapterSpec:
    """One chapter as listed in ``_quarto.yml`` (number and kind come from the scan)."""

    id: str
    source: str
    part: str | None
    appendix: bool
    line: int | None

    @property
    def href(self) -> str:
        """Where the page lands under the output folder: where Quarto writes it, the
        source path with ``.html`` (``chapters/01-x.qmd`` -> ``chapters/01-x.html``), so
        links stay valid when an author switches between Quarto and this renderer."""
        return page_href(self.source)


@dataclass
class Project:
    """What the renderer needs from ``_quarto.yml``."""

    root: Path
    title: str
    subtitle: str | None
    author: str | None
    date: str | None
    lang: str
    output_file: str
    chapters: list[ChapterSpec]
    bibliography: list[str]
    csl: str | None
    crossref: dict[str, Any]
    formats: dict[str, Any]
    raw: dict[str, Any] = field(repr=False, default_factory=dict)

    def chapter(self, chapter_id: str) -> ChapterSpec:
        for ch in self.chapters:
            if ch.id == chapter_id:
                return ch
        raise BuildError(f"no chapter with id '{chapter_id}'", file=QUARTO_FILE,
                         expected=", ".join(c.id for c in self.chapters))

    def chapter_by_source(self, source: str) -> ChapterSpec:
        for ch in self.chapters:
            if ch.source == source:
                return ch
        raise BuildError(f"'{source}' is not a chapter of the book", file=QUARTO_FILE,
                         hint="add it under book: chapters: or book: appendices:")

    def image_extension(self) -> str:
        """The ``default-image-extension`` of the HTML format: the built-in renderer's
        chapter ASTs serve HTML and PDF alike, so they take the SVG; the DOCX writer
        embeds a PNG of it itself."""
        for name in ("proefdruk-html", "html"):
            opts = self.formats.get(name)
            if isinstance(opts, dict) and opts.get("default-image-extension"):
                return str(opts["default-image-extension"]).lstrip(".")
        return "svg"

    @property
    def provenance_id(self) -> str:
        """The provenance appendix's chapter id: the file that ``proefdruk: provenance:``
        names in _quarto.yml (what the extension's Lua links to under real Quarto), else
        ``herkomst`` (``chapters/herkomst.qmd``), so an English book may call it
        ``chapters/provenance.qmd``."""
        own = self.raw.get("proefdruk")
        named = own.get("provenance") if isinstance(own, dict) else None
        return chapter_id(str(named)) if named else PROVENANCE_ID

    def typst_design(self) -> dict[str, Any]:
        """The house design's options a book may set under ``format: proefdruk-typst:``,
        with Quarto's own names for its Typst format: ``mainfont``, ``fontsize`` and
        ``margin`` (a mapping of Typst margin keys: x, y, top, bottom, inside, outside,
        left, right). Unset, the 170 x 240 design's own choices stand; real Quarto reads
        the same keys through typst-show.typ."""
        opts = self.formats.get("proefdruk-typst")
        if not isinstance(opts, dict):
            return {}
        design: dict[str, Any] = {}
        for key in ("mainfont", "fontsize"):
            if opts.get(key) not in (None, ""):
                design[key] = str(opts[key])
        margin = opts.get("margin")
        if isinstance(margin, dict) and margin:
            design["margin"] = {str(k): str(v) for k, v in sorted(margin.items())}
        return design

    def locale(self) -> Locale:
        """The book's words and number style: ``lang`` with ``language:`` applied (a
        mapping, or a language file; see :mod:`proefdruk.locale`)."""
        language = self.raw.get("language")
        return locale_for(self.lang, yamlfile.plain(language) if language is not None
                          else None, self.root)

    def terms(self) -> dict[str, str]:
        """The words around numbers ("Figuur", "paragraaf", "Bijlage") for this book,
        from ``lang``, ``language:`` and ``crossref:`` as Quarto reads them."""
        from proefdruk.render.core.terms import terms_from

        return terms_from(self.locale(), self.crossref)

    def metadata(self) -> dict[str, Any]:
        """Project-level metadata visible to ``{{< meta >}}`` (Quarto merges it the same
        way: project keys first, the chapter's front matter on top)."""
        book = {k: v for k, v in (self.raw.get("book") or {}).items()
                if k not in ("chapters", "appendices")}
        meta: dict[str, Any] = {"book": yamlfile.plain(book), "lang": self.lang}
        # Quarto merges every top-level key of _quarto.yml into each document's metadata
        # (title-block and citation data included); only the project's own plumbing stays out.
        for key in sorted(set(self.raw) - {"project", "book", "format", "lang"}):
            meta[key] = yamlfile.plain(self.raw[key])
        return meta


def page_href(source: str) -> str:
    """The page of a chapter source, relative to the output folder (Quarto's rule)."""
    return PurePosixPath(source).with_suffix(".html").as_posix()


def chapter_id(source: str) -> str:
    """The id (and page name) of a chapter: its file stem, ``index`` for index.qmd."""
    return Path(source).stem


def _text(value: Any, key: str, where: yamlfile.LineDict, required: bool = False) -> str | None:
    if value is None:
        if required:
            raise BuildError(f"'{key}' is missing", file=QUARTO_FILE,
                             line=where.start_line, field=key, expected="a text value")
        return None
    if isinstance(value, list):  # several authors
        return ", ".join(str(v.get("name", v)) if isinstance(v, dict) else str(v)
                         for v in value)
    if isinstance(value, dict):
        if "name" in value:
            return str(value["name"])
        raise BuildError(f"'{key}' should be text", file=QUARTO_FILE, line=where.line_of(key),
                         field=key, expected="text", found="a mapping")
    return str(value)


def _chapter_list(items: Any, root: Path, key: str, parent: yamlfile.LineDict,
                  appendix: bool, seen: dict[str, int]) -> list[ChapterSpec]:
    line = parent.line_of(key)
    if not isinstance(items, list):
        raise BuildError(f"book: {key}: must be a list", file=QUARTO_FILE, line=line,
                         field=key, expected="a list of .qmd files or part: groups",
                         found=type(items).__name__)
    out: list[ChapterSpec] = []
    for item in items:
        if isinstance(item, str):
            out.append(_spec(item, root, None, appendix, line, seen))
        elif isinstance(item, dict) and "part" in item:
            unknown = set(item) - {"part", "chapters"}
            if unknown:
                raise BuildError("unknown key in a part", file=QUARTO_FILE,
                                 line=item.line_of(sorted(unknown)[0]),
                                 field=sorted(unknown)[0], expected="part:, chapters:",
                                 found=", ".join(sorted(unknown)))
            part = str(item["part"])
            chapters = item.get("chapters") or []
            if not isinstance(chapters, list):
                raise BuildError("chapters: of a part must be a list", file=QUARTO_FILE,
                                 line=item.line_of("chapters"), field="chapters")
            for ch in chapters:
                if not isinstance(ch, str):
                    raise BuildError("a chapter must be a file name", file=QUARTO_FILE,
                                     line=item.line_of("chapters"), field="chapters",
                                     expected="chapters/xx.qmd", found=repr(ch))
                out.append(_spec(ch, root, part, appendix, item.line_of("chapters"), seen))
        else:
            where = item.start_line if isinstance(item, yamlfile.LineDict) else line
            raise BuildError(f"unknown entry in book: {key}:", file=QUARTO_FILE, line=where,
                             field=key, expected="a .qmd path or a mapping with part: and "
                             "chapters:", found=repr(item)[:80])
    return out


def _spec(source: str, root: Path, part: str | None, appendix: bool, line: int | None,
          seen: dict[str, int]) -> ChapterSpec:
    source = Path(source).as_posix()
    if not source.endswith((".qmd", ".md")):
        raise BuildError("a chapter must be a .qmd or .md file", file=QUARTO_FILE, line=line,
                         found=source)
    if not (root / source).is_file():
        raise BuildError(f"chapter file '{source}' does not exist", file=QUARTO_FILE,
                         line=line, hint="create the file or remove it from _quarto.yml")
    cid = chapter_id(source)
    if cid in seen:
        raise BuildError(f"two chapters have the id '{cid}'", file=QUARTO_FILE, line=line,
                         hint="chapter file names (without folder) must be unique; "
                              "they become the page names")
    seen[cid] = line or 0
    return ChapterSpec(id=cid, source=source, part=part, appendix=appendix, line=line)


def load_project(root: str | Path = ".") -> Project:
    """Read and check ``_quarto.yml`` under ``root``."""
    root = Path(root)
    data = yamlfile.load_file(root / QUARTO_FILE, display=QUARTO_FILE)
    if not isinstance(data, yamlfile.LineDict):
        raise BuildError("_quarto.yml must be a mapping", file=QUARTO_FILE, line=1,
                         expected="project:, book:, ...", found=type(data).__name__)
    project = data.get("project") or {}
    if isinstance(project, dict) and project.get("type", "book") != "book":
        raise BuildError("only book projects are supported", file=QUARTO_FILE,
                         line=project.line_of("type"), field="project.type",
                         expected="book", found=str(project.get("type")))
    book = data.get("book")
    if not isinstance(book, yamlfile.LineDict):
        raise BuildError("'book:' is missing or not a mapping", file=QUARTO_FILE,
                         line=data.line_of("book"), field="book",
                         expected="book: with title: and chapters:")
    unknown = sorted(set(book) - BOOK_KEYS)
    if unknown:
        raise BuildError(f"unknown key 'book: {unknown[0]}'", file=QUARTO_FILE,
                         line=book.line_of(unknown[0]), field=f"book.{unknown[0]}",
                         expected=", ".join(sorted(BOOK_KEYS)),
                         hint="Quarto's book options are listed in docs/quarto-coverage.md; "
                              "document options (keywords, license, ...) go at the top level")
    seen: dict[str, int] = {}
    if "chapters" not in book:
        raise BuildError("'book: chapters:' is missing", file=QUARTO_FILE,
                         line=book.start_line, field="book.chapters")
    chapters = _chapter_list(book["chapters"], root, "chapters", book, False, seen)
    if "appendices" in book:
        chapters += _chapter_list(book["appendices"], root, "appendices", book, True, seen)
    bib = data.get("bibliography") or []
    if not isinstance(bib, str | list):
        raise BuildError("'bibliography:' must be a file or a list of files", file=QUARTO_FILE,
                         line=data.line_of("bibliography"), field="bibliography",
                         expected="bibliography/references.bib", found=repr(bib))
    bib = [bib] if isinstance(bib, str) else [str(b) for b in bib]
    formats = data.get("format") or {}
    if not isinstance(formats, dict):
        raise BuildError("'format:' must be a mapping", file=QUARTO_FILE,
                         line=data.line_of("format"), field="format")
    crossref = data.get("crossref") or {}
    if not isinstance(crossref, dict):
        raise BuildError("'crossref:' must be a mapping", file=QUARTO_FILE,
                         line=data.line_of("crossref"), field="crossref")
    title = _text(book.get("title"), "title", book, required=True)
    assert title is not None
    output_file = _text(book.get("output-file"), "output-file", book) or Path(
        root.resolve()).name
    return Project(
        root=root, title=title, subtitle=_text(book.get("subtitle"), "subtitle", book),
        author=_text(book.get("author"), "author", book),
        date=_text(book.get("date"), "date", book),
        lang=str(data.get("lang") or "en"), output_file=output_file, chapters=chapters,
        bibliography=bib, csl=str(data["csl"]) if data.get("csl") else None,
        crossref=yamlfile.plain(crossref), formats=yamlfile.plain(formats), raw=data,
    )
