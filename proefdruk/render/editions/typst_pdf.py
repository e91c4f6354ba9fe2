"""The PDF edition: the whole book as one Typst document, compiled in-process.

The chapter ASTs are joined into one pandoc document, with raw Typst between them for
what pandoc cannot know (part pages, the switch from front matter to main text and to
appendices, the exact section numbers the core assigned). Pandoc's Typst writer turns
that into markup with the Quarto extension's own Typst format: the template partials
``typst-template.typ`` and ``typst-show.typ`` and the filter ``table-widths.lua`` from
``_extensions/proefdruk/`` (see :func:`extension.typst_format`), so real Quarto and this
writer set the book in one design, 170 × 240 mm (or A4). Typst compiles from memory with
only its embedded fonts and a fixed date, so the same sources give the same PDF bytes on
every machine and nothing is written to the source tree.
"""

from __future__ import annotations

import re
import tempfile
import warnings
from pathlib import Path, PurePosixPath
from typing import Any

import typst

from proefdruk.errors import BuildError
from proefdruk.locale.words import Locale, book_words
from proefdruk.provenance import atomic_write_bytes
from proefdruk.render.core import extension
from proefdruk.render.editions.print_blocks import tabsets_as_headings
from proefdruk.render.editions.shared import (
    Node,
    attr_drop,
    attr_get,
    auto_column_widths,
    callout_parts,
    chapter_lang,
    elements,
    empty_doc,
    expand_blocks,
    figure_font_dir,
    first_chapter_header,
    header_number,
    load_ast,
    map_lists,
    part_label,
    part_numbers,
    project_image,
    project_root,
    run_pandoc,
    source_date_epoch,
    str_inlines,
    stringify,
    walk,
)

PAPERS = ("170x240", "a4")
LABEL_RE = re.compile(r"^[A-Za-z0-9_:.-]+$")


def write_pdf(book: dict[str, Any], out_pdf: Path, *, paper: str, pdfa: bool,
              pdfua: bool = False) -> None:
    """Write the book as a PDF (``paper`` "170x240" or "a4"; PDF/A-2b when ``pdfa``,
    PDF/UA-1 when ``pdfua``: Typst then refuses a document a screen reader cannot use)."""
    if paper not in PAPERS:
        raise BuildError(
            "unknown paper size for the PDF",
            field="render.paper",
            expected=" or ".join(f'"{p}"' for p in PAPERS),
            found=str(paper),
            hint="set render.paper in config/config.yaml",
        )
    source = typst_source(book, paper=paper)
    pdf = compile_typst(book, source, paper=paper, pdfa=pdfa, pdfua=pdfua)
    atomic_write_bytes(Path(out_pdf), pdf)


def compile_typst(book: dict[str, Any], source: str, *, paper: str, pdfa: bool,
                  pdfua: bool = False) -> bytes:
    """Compile Typst markup to PDF bytes with embedded fonts only and a fixed date."""
    root = project_root(book).resolve()
    try:
        with warnings.catch_warnings(), figure_font_dir() as fonts:
            warnings.simplefilter("ignore")
            pdf = typst.compile(
                source.encode("utf-8"),
                root=str(root),
                font_paths=fonts,
                ignore_system_fonts=True,
                pdf_standards=(["a-2b"] if pdfa else []) + (["ua-1"] if pdfua else []),
                timestamp=source_date_epoch(),
            )
    except typst.TypstError as exc:
        raise BuildError(
            "Typst could not set the PDF",
            expected="a document Typst compiles",
            found=f"{exc.message}\n{getattr(exc, 'diagnostic', '')}"[:3000],
            hint="the message names the element; check the chapter that holds it",
        ) from exc
    assert isinstance(pdf, bytes)
    return pdf


# --- building the Typst source --------------------------------------------------------


def _typst_string(text: str) -> str:
    """A Typst string literal holding ``text`` exactly (no markup, no code runs)."""
    out = []
    for ch in text:
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ch == "\x7f":
            out.append(f"\\u{{{ord(ch):x}}}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _raw(code: str) -> Node:
    return {"t": "RawBlock", "c": ["typst", code]}


def _raw_inline(code: str) -> Node:
    return {"t": "RawInline", "c": ["typst", code]}


def _meta_inlines(text: str) -> Node:
    return {"t": "MetaInlines", "c": str_inlines(text)}


def _template_meta(book: dict[str, Any], paper: str, asts: list[Node]) -> dict[str, Node]:
    """The variables typst-show.typ reads, as Quarto would set them from _quarto.yml."""
    meta: dict[str, Node] = {}
    for key in ("title", "subtitle", "author", "date"):
        if book.get(key):
            meta[key] = _meta_inlines(str(book[key]))
    words = book_words(book)
    terms = book.get("terms") or {}
    meta.update(_thesis_meta(book.get("thesis_page")))
    # Typst takes a bare language code ("en") and the region apart ("GB"): en-GB as one
    # string stops the PDF
    tag = str(book.get("lang") or "nl").replace("_", "-").split("-")
    meta["lang"] = {"t": "MetaString", "c": tag[0].lower()}
    if len(tag) > 1 and tag[1]:
        meta["region"] = {"t": "MetaString", "c": tag[1].upper()}
    meta["papersize"] = {"t": "MetaString", "c": paper}
    # the house design's options from format: proefdruk-typst: (Quarto's names)
    design = book.get("design") or {}
    for key in ("mainfont", "fontsize"):
        if design.get(key):
            meta[key] = {"t": "MetaString", "c": str(design[key])}
    if design.get("margin"):
        meta["margin"] = {"t": "MetaMap", "c": {
            k: {"t": "MetaString", "c": str(v)} for k, v in design["margin"].items()}}
    meta["crossref-ch-prefix"] = {"t": "MetaString",
                                  "c": terms.get("ch", words.word("crossref-ch-prefix"))}
    meta["crossref-apx-prefix"] = {"t": "MetaString",
                                   "c": terms.get("apx", words.word("crossref-apx-prefix"))}
    # what Quarto sets from the language (typst-show.typ keeps Dutch words as fallback)
    for key in ("toc-title-document", "crossref-lof-title", "crossref-lot-title"):
        meta[key] = {"t": "MetaString", "c": words.word(key)}
    meta["toc"] = {"t": "MetaBool", "c": True}
    meta["toc-depth"] = {"t": "MetaString", "c": "2"}
    meta["lof"] = {"t": "MetaBool", "c": any(
        True for a in asts for _ in elements(a["blocks"], "Figure"))}
    meta["lot"] = {"t": "MetaBool", "c": any(
        True for a in asts for _ in elements(a["blocks"], "Table"))}
    return meta


def _thesis_meta(thesis: dict[str, Any] | None) -> dict[str, Node]:
    """The dissertation title page's variables of typst-show.typ (``thesis-formula``,
    ``thesis-roles``, ..), as the extension's titlepage.lua sets them under Quarto."""
    if not thesis:
        return {}
    meta = {f"thesis-{key}": _meta_inlines(str(thesis[key]))
            for key in ("formula", "by", "author", "born")}
    meta["thesis-roles"] = {"t": "MetaList", "c": [
        {"t": "MetaMap", "c": {"label": _meta_inlines(role["label"]),
                               "names": {"t": "MetaList",
                                         "c": [_meta_inlines(n) for n in role["names"]]}}}
        for role in thesis.get("roles") or []]}
    return meta


def typst_source(book: dict[str, Any], paper: str = "170x240") -> str:
    """The whole book as Typst markup: the extension's Typst format around the chapters."""
    doc = empty_doc()
    blocks: list[Node] = doc["blocks"]
    chapters = book.get("chapters", [])
    asts = [load_ast(book, ch, "typst") for ch in chapters]
    if asts:
        doc["pandoc-api-version"] = asts[0].get("pandoc-api-version", doc["pandoc-api-version"])
    doc["meta"] = _template_meta(book, paper, asts)
    ids = _all_ids(asts)
    romans = part_numbers(book)
    in_main = False
    in_appendix = False
    current_part: str | None = None
    appendices = str((book.get("terms") or {}).get(
        "appendices", book_words(book).word("section-title-appendices")))
    for chapter, ast in zip(chapters, asts, strict=True):
        kind = chapter.get("kind")
        if kind == "chapter" and not in_main:
            in_main = True
            blocks.append(_raw("#show: main-matter"))
        if kind in ("appendix", "provenance") and not in_appendix and not chapter.get("part"):
            in_appendix = True
            current_part = None
            blocks.append(_raw(f"#show: appendices.with([{_escape_markup(appendices)}])"))
        part = chapter.get("part")
        if part and part != current_part:
            current_part = part
            label = part_label(book, romans.get(part, ""))
            blocks.append(_raw(f"#part-page({_typst_string(label)}, "
                               f"[{_escape_markup(part)}])"))
        lang = chapter_lang(book, ast)
        if lang:
            blocks.append(_raw(_set_lang(lang)))
        blocks.extend(_prepare_chapter(book, chapter, ast, ids))
        if lang:
            blocks.append(_raw(_set_lang(str(book.get("lang") or "nl"))))
    fmt = extension.typst_format(project_root(book))
    with tempfile.TemporaryDirectory(prefix="proefdruk-typst-") as tmp:
        template = fmt.write_template(Path(tmp))
        args = ["--wrap=preserve", f"--template={template}"]
        args += [f"--lua-filter={f}" for f in fmt.filters]
        return run_pandoc(doc, "typst", args)


def _set_lang(lang: str) -> str:
    """A Typst rule that switches hyphenation and quotes to ``lang`` ("en", "nl-NL")."""
    parts = lang.replace("_", "-").split("-")
    code = f"#set text(lang: {_typst_string(parts[0].lower())}"
    if len(parts) > 1 and len(parts[1]) == 2:
        code += f", region: {_typst_string(parts[1].upper())}"
    return code + ")"


def _escape_markup(text: str) -> str:
    """Plain text made safe inside Typst markup brackets."""
    return re.sub(r"([\\#\[\]*_`$<>@~=/+-])", r"\\\1", text)


def _all_ids(asts: list[Node]) -> set[str]:
    """Every id any chapter defines: what a link in the PDF can point at."""
    ids: set[str] = set()

    def visit(node: Node) -> None:
        t, c = node["t"], node.get("c")
        attr = None
        if t in ("Div", "Span", "Figure", "Table", "CodeBlock"):
            attr = c[0]
        elif t == "Header":
            attr = c[1]
        if attr and attr[0]:
            ids.add(attr[0])

    for ast in asts:
        walk(ast["blocks"], visit)
    return ids


def _counter_before(number: str) -> list[int]:
    """Heading-counter value to set just before a heading numbered ``number``.

    The heading steps its own level, so "4.2" needs (4, 1) beforehand and "A" needs
    (0,). Letters count from A = 1, as Typst's "A" numbering does.
    """
    values = []
    for part in number.split("."):
        if part.isdigit():
            values.append(int(part))
        elif len(part) == 1 and part.isalpha():
            values.append(ord(part.upper()) - ord("A") + 1)
        else:
            raise BuildError(
                "a heading number the PDF cannot reproduce",
                field="number",
                expected='numbers like "4", "4.2" or "A.1"',
                found=number,
                hint="this comes from the renderer core; report it",
            )
    values[-1] -= 1
    return values


def _prepare_chapter(book: dict[str, Any], chapter: dict[str, Any], ast: Node,
                     ids: set[str]) -> list[Node]:
    """One chapter's blocks, ready for pandoc's Typst writer."""
    blocks = ast["blocks"]
    index = first_chapter_header(ast)
    if index is None:
        title = {"t": "Header", "c": [1, [chapter["id"], [], []],
                                      [{"t": "Str", "c": str(chapter.get("title", ""))}]]}
        if chapter.get("number"):
            title["c"][1][2].append(["number", str(chapter["number"])])
        blocks.insert(0, title)
    _check_links(chapter, blocks, ids)
    _rendered_citations(blocks)
    auto_column_widths(blocks)
    _images(book, chapter, blocks)
    _caption_labels(blocks)
    _provenance_spans(blocks)
    _spans_with_ids(blocks)
    _bibliography(blocks)
    blocks[:] = tabsets_as_headings(blocks)
    _pagebreaks(blocks)
    _margin_content(blocks)
    _callouts(blocks, book_words(book))
    return _number_headings(blocks)


def _pagebreaks(blocks: list[Node]) -> None:
    """``{{< pagebreak >}}`` as bare Typst (pandoc would wrap its Div in a ``#block``),
    and inside a box (a callout, a quote, a list) as a column break: Typst allows no
    page break inside a container, and on a one-column page a column break starts the
    next page all the same."""

    def is_break(node: Node) -> bool:
        return node.get("t") == "Div" and "pagebreak" in node["c"][0][1]

    def nested(items: list[Node]) -> list[Node]:
        return [_raw("#colbreak(weak: true)") if is_break(n) else n for n in items]

    for i, block in enumerate(blocks):
        if is_break(block):
            blocks[i] = _raw("#pagebreak(weak: true)")
        elif "c" in block:
            block["c"] = map_lists(block["c"], nested)


def _margin_content(blocks: list[Node]) -> None:
    """``.column-margin`` (and ``.aside``) content as a small-type note set off from the
    text by a rule: a 170 x 240 page has no margin column to put it in."""

    def fix(items: list[Node]) -> list[Node]:
        out: list[Node] = []
        for node in items:
            if node.get("t") == "Div" and "column-margin" in node["c"][0][1]:
                out += [_raw("#block(inset: (left: 0.8em), stroke: (left: 0.5pt + luma(140)), "
                             "above: 0.9em, below: 0.9em)[#set text(size: 0.85em)"),
                        *node["c"][1], _raw("]")]
            elif node.get("t") == "Span" and {"aside", "column-margin"} & set(node["c"][0][1]):
                out += [_raw_inline("#text(size: 0.85em)["), *node["c"][1], _raw_inline("]")]
            else:
                out.append(node)
        return out

    blocks[:] = map_lists(blocks, fix)


def _callouts(blocks: list[Node], words: Locale) -> None:
    """Quarto callouts as a tinted box with a semibold title."""

    def expand(node: Node) -> list[Node] | None:
        parts = callout_parts(node, words) if node.get("t") == "Div" else None
        if parts is None:
            return None
        kind, title, body = parts
        return [_raw(f"#callout(kind: {_typst_string(kind)})["),
                {"t": "Para", "c": [{"t": "Strong", "c": title}]}, *body, _raw("]")]

    blocks[:] = expand_blocks(blocks, expand)


def _number_headings(blocks: list[Node]) -> list[Node]:
    """Set the heading counter before each numbered heading; mark the rest unnumbered."""

    def fix(items: list[Node]) -> list[Node]:
        out: list[Node] = []
        for node in items:
            if node.get("t") == "Header":
                number = header_number(node)
                attr = node["c"][1]
                attr_drop(attr, "number")
                if number:
                    values = ", ".join(str(v) for v in _counter_before(number))
                    out.append(_raw(f"#counter(heading).update(({values},))"))
                elif "unnumbered" not in attr[1]:
                    attr[1].append("unnumbered")
            out.append(node)
        return out

    return map_lists(blocks, fix)


def _check_links(chapter: dict[str, Any], blocks: list[Node], ids: set[str]) -> None:
    """Every internal link must land somewhere: Typst stops on a missing label."""
    for link in elements(blocks, "Link"):
        target = link["c"][2][0]
        if target.startswith("#") and len(target) > 1 and target[1:] not in ids:
            raise BuildError(
                "a link points at a label that no chapter defines",
                file=chapter.get("source"),
                field=target,
                expected="a figure, table, section, bibliography entry or number anchor",
                found=target,
                hint="check the spelling of the cross-reference, or add the label",
            )


def _images(book: dict[str, Any], chapter: dict[str, Any], blocks: list[Node]) -> None:
    """Point images at the project root and give them their text alternative."""
    root = project_root(book)
    alts: dict[int, str] = {}
    for figure in elements(blocks, "Figure"):
        fig_alt = attr_get(figure["c"][0], "fig-alt")
        for image in elements(figure["c"][2], "Image"):
            alts[id(image)] = attr_get(image["c"][0], "fig-alt") or fig_alt or ""

    def fix(items: list[Node]) -> list[Node]:
        out = []
        for node in items:
            if node.get("t") != "Image":
                out.append(node)
                continue
            src = node["c"][2][0]
            if re.match(r"^[a-z][a-z0-9+.-]*:", src):
                raise BuildError(
                    "the PDF cannot show an image from the web",
                    file=chapter.get("source"),
                    field="src",
                    expected="a project file",
                    found=src,
                    hint="save the image in the project and refer to the file",
                )
            rel = project_image(root, chapter, src)
            alt = alts.get(id(node)) or stringify(node["c"][1])
            path = "/" + PurePosixPath(rel).as_posix()
            args = [_typst_string(path), "width: 90%"]
            if alt:
                args.append(f"alt: {_typst_string(alt)}")
            out.append(_raw_inline(f"#image({', '.join(args)})"))
        return out

    blocks[:] = map_lists(blocks, fix)


def _rendered_citations(blocks: list[Node]) -> None:
    """Keep citeproc's text of each citation, not the citation itself.

    Pandoc's Typst writer turns a Cite into ``#cite(<key>)`` for Typst's own
    bibliography; the core has already rendered every citation with the project's CSL,
    so the PDF prints that text (as the HTML and DOCX do).
    """

    def fix(items: list[Node]) -> list[Node]:
        out = []
        for node in items:
            if node.get("t") == "Cite":
                out.extend(node["c"][1])
                continue
            out.append(node)
        return out

    blocks[:] = map_lists(blocks, fix)


def _caption_labels(blocks: list[Node]) -> None:
    """"Figuur 4.2" at the start of a caption is set as a label (semibold)."""

    def fix(items: list[Node]) -> list[Node]:
        out = []
        for node in items:
            if node.get("t") == "Span" and "caption-label" in node["c"][0][1]:
                out.append(_raw_inline(f"#caplabel({_typst_string(stringify(node))})"))
                continue
            out.append(node)
        return out

    blocks[:] = map_lists(blocks, fix)


def _provenance_spans(blocks: list[Node]) -> None:
    """Caption links to the provenance appendix, left out of the lists of figures/tables."""

    def fix(items: list[Node]) -> list[Node]:
        out = []
        for node in items:
            if node.get("t") == "Span" and "provenance" in node["c"][0][1]:
                out += [_raw_inline("#prov["), *node["c"][1], _raw_inline("]")]
                continue
            out.append(node)
        return out

    blocks[:] = map_lists(blocks, fix)


def _spans_with_ids(blocks: list[Node]) -> None:
    """Give anchors in running text (e.g. numbers) a place a PDF link can jump to."""

    def fix(items: list[Node]) -> list[Node]:
        out = []
        for node in items:
            if node.get("t") == "Span" and node["c"][0][0]:
                ident = node["c"][0][0]
                node["c"][0][0] = ""
                if LABEL_RE.match(ident):
                    out.append(_raw_inline(f"#metadata(none)<{ident}>"))
            out.append(node)
        return out

    blocks[:] = map_lists(blocks, fix)


def _bibliography(blocks: list[Node]) -> None:
    """Set the bibliography with hanging indents."""

    def fix(items: list[Node]) -> list[Node]:
        out = []
        for node in items:
            if node.get("t") == "Div" and node["c"][0][0] == "refs":
                out.append(_raw("#bibliography-block["))
                out.append(node)
                out.append(_raw("]"))
                continue
            out.append(node)
        return out

    blocks[:] = map_lists(blocks, fix)
