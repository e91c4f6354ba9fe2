"""The DOCX edition: the whole book as one Word document, for a supervisor's tracked changes.

All chapters go into one pandoc document (numbers in the headings as the core gave them,
figures with their text alternative; the edition notices are callouts in the opening
chapter, as under Quarto) and pandoc's docx writer
sets it with a reference document made here from pandoc's own default: Dutch language,
a serif body, chapter headings on a new page, captions and footnotes in readable sizes.
Pandoc stamps zip entries and document properties with SOURCE_DATE_EPOCH, so two writes
give the same bytes. Every paragraph, heading, caption and footnote carries its source
file and lines as a Word bookmark (:mod:`proefdruk.render.editions.docx_marks`), so the DOCX a
supervisor returns can be read back onto the ``.qmd`` lines (:mod:`proefdruk.feedback`).
"""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import typst
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from proefdruk.locale.words import Locale, book_words
from proefdruk.provenance import atomic_write_bytes
from proefdruk.render.editions.docx_marks import SourceMarks
from proefdruk.render.editions.print_blocks import tabsets_as_headings
from proefdruk.render.editions.shared import (
    Node,
    attr_drop,
    attr_get,
    auto_column_widths,
    callout_parts,
    chapter_label,
    chapter_lang,
    elements,
    empty_doc,
    figure_font_dir,
    first_chapter_header,
    header_number,
    load_ast,
    pandoc_path,
    part_label,
    part_numbers,
    project_image,
    project_root,
    run_pandoc,
    str_inlines,
    stringify,
)

BODY_FONT = "Cambria"
INK = RGBColor(0x1D, 0x22, 0x26)
ACCENT = RGBColor(0x1F, 0x4E, 0x6E)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
PAGE_BREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
# The paragraph styles of a dissertation's title page and of its back (the committee).
THESIS_STYLE = "Thesis Formula"
COMMITTEE_STYLE = "Thesis Committee"
# Word's own table-of-contents field, marked dirty so Word fills it in on opening. Placed
# by us (not pandoc's --toc), right under the title.
TOC_FIELD = (
    '<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>'
    "<w:docPartUnique/></w:docPartObj></w:sdtPr><w:sdtContent>"
    '<w:p><w:pPr><w:pStyle w:val="TOCHeading"/></w:pPr><w:r><w:t>{title}</w:t></w:r></w:p>'
    '<w:p><w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/>'
    '<w:instrText xml:space="preserve">TOC \\o "1-2" \\h \\z \\u</w:instrText>'
    '<w:fldChar w:fldCharType="separate"/><w:t>{update}</w:t>'
    '<w:fldChar w:fldCharType="end"/></w:r></w:p>'
    "</w:sdtContent></w:sdt>"
)


def toc_field(words: Locale) -> str:
    """Word's contents field with the title and the "press F9" hint in the book's words."""
    return TOC_FIELD.format(title=xml_escape(words.word("toc-title-document")),
                            update=xml_escape(words.word("proefdruk-docx-toc-update")))


def lang_tag(book: dict[str, Any]) -> str:
    """The language Word checks spelling in: the book's ``lang`` when it names a region
    (``en-US``), else the locale's usual one (``nl`` -> ``nl-NL``)."""
    lang = str(book.get("lang") or "nl").replace("_", "-")
    return lang if "-" in lang else book_words(book).word("proefdruk-lang-tag")


def write_docx(book: dict[str, Any], out_docx: Path) -> None:
    """Write the book as one DOCX with headings, captions, footnotes, tables and figures."""
    doc = combined_ast(book)
    with tempfile.TemporaryDirectory(prefix="proefdruk-docx-") as tmp:
        reference = Path(tmp) / "reference.docx"
        reference.write_bytes(reference_docx(lang_tag(book)))
        target = Path(tmp) / "book.docx"
        run_pandoc(doc, "docx", [
            f"--reference-doc={reference}",
            f"--resource-path={project_root(book)}",
        ], output=target)
        data = with_png_fallbacks(target.read_bytes())
    atomic_write_bytes(Path(out_docx), data)


# --- the combined document ------------------------------------------------------------


def _meta_str(text: str) -> Node:
    return {"t": "MetaInlines", "c": str_inlines(text)}


def combined_ast(book: dict[str, Any]) -> Node:
    """All chapters as one pandoc document (the notices are in the opening chapter's text)."""
    doc = empty_doc()
    meta = doc["meta"]
    thesis = book.get("thesis_page")
    for key in ("title", "subtitle", "author", "date"):
        # a dissertation names its author in the formula ("door …"), not twice
        if book.get(key) and not (thesis and key == "author"):
            meta[key] = _meta_str(str(book[key]))
    words = book_words(book)
    meta["lang"] = _meta_str(lang_tag(book))
    blocks: list[Node] = doc["blocks"]
    if thesis:
        blocks += thesis_blocks(thesis)
    blocks.append({"t": "RawBlock", "c": ["openxml", toc_field(words)]})
    marks = SourceMarks()
    romans = part_numbers(book)
    current_part: str | None = None
    for chapter in book.get("chapters", []):
        ast = load_ast(book, chapter, "docx", positions=True)
        marks.add_sources(ast)
        if ast.get("pandoc-api-version"):
            doc["pandoc-api-version"] = ast["pandoc-api-version"]
        part = chapter.get("part")
        if part and part != current_part:
            current_part = part
            blocks.append({"t": "RawBlock", "c": ["openxml", PAGE_BREAK]})
            blocks.append({"t": "Div", "c": [["", [], [["custom-style", "Part"]]], [
                {"t": "Para", "c": str_inlines(
                    f"{part_label(book, romans.get(part, ''))} · {part}")}]]})
        lang = chapter_lang(book, ast)
        chapter_blocks = _prepare_chapter(book, chapter, ast)
        marks.bookmark(chapter_blocks)
        if lang:  # Word then checks this chapter's spelling in its own language
            chapter_blocks = [{"t": "Div", "c": [["", [], [["lang", lang]]], chapter_blocks]}]
        blocks.extend(chapter_blocks)
    meta.update(marks.properties())
    return doc


def _styled(style: str, text: str, strong: bool = False) -> Node:
    inlines = str_inlines(text)
    para = {"t": "Para", "c": [{"t": "Strong", "c": inlines}] if strong else inlines}
    return {"t": "Div", "c": [["", [], [["custom-style", style]]], [para]]}


def thesis_blocks(thesis: dict[str, Any]) -> list[Node]:
    """A dissertation's title page below the title (the formula, "door", the candidate,
    "geboren te …") and its back (promotors, copromotors, committee), each ending with a
    page break, as the PDF has them (proefdruk/thesis_page.py makes the text)."""
    out = [_styled(THESIS_STYLE, thesis["formula"]), _styled(THESIS_STYLE, thesis["by"]),
           _styled(THESIS_STYLE, thesis["author"], strong=True),
           _styled(THESIS_STYLE, thesis["born"]),
           {"t": "RawBlock", "c": ["openxml", PAGE_BREAK]}]
    for role in thesis.get("roles") or []:
        out.append(_styled(COMMITTEE_STYLE, role["label"], strong=True))
        out += [_styled(COMMITTEE_STYLE, name) for name in role["names"]]
    if thesis.get("roles"):
        out.append({"t": "RawBlock", "c": ["openxml", PAGE_BREAK]})
    return out


def _prepare_chapter(book: dict[str, Any], chapter: dict[str, Any], ast: Node) -> list[Node]:
    blocks = ast["blocks"]
    index = first_chapter_header(ast)
    if index is None:
        blocks.insert(0, {"t": "Header", "c": [1, [chapter["id"], [], []],
                                               str_inlines(str(chapter.get("title", "")))]})
        index = 0
    title = blocks[index]
    label = chapter_label(chapter, book)
    for header in elements(blocks, "Header"):
        number = header_number(header)
        attr_drop(header["c"][1], "number")
        if header is title:
            if label and chapter.get("kind") != "chapter":
                header["c"][2] = [*str_inlines(label), {"t": "Str", "c": ":"}, {"t": "Space"},
                                  *header["c"][2]]
            elif chapter.get("number"):
                header["c"][2] = [{"t": "Str", "c": str(chapter["number"])}, {"t": "Space"},
                                  *header["c"][2]]
        elif number:
            header["c"][2] = [{"t": "Str", "c": number}, {"t": "Space"}, *header["c"][2]]
    blocks[:] = tabsets_as_headings(blocks)
    _figure_alt(blocks)
    _check_images(book, chapter, blocks)
    _callouts(blocks, book_words(book))
    auto_column_widths(blocks)
    return blocks


def _callouts(blocks: list[Node], words: Locale) -> None:
    """Quarto callouts as shaded paragraphs (style "Callout") with a bold title."""
    for div in elements(blocks, "Div"):
        parts = callout_parts(div, words)
        if parts is None:
            continue
        _, title, body = parts
        div["c"][0] = ["", [], [["custom-style", "Callout"]]]
        div["c"][1] = [{"t": "Para", "c": [{"t": "Strong", "c": title}]}, *body]


def _figure_alt(blocks: list[Node]) -> None:
    """Word reads an image's description from its alt text: use the author's fig-alt."""
    for figure in elements(blocks, "Figure"):
        fig_alt = attr_get(figure["c"][0], "fig-alt")
        for image in elements(figure["c"][2], "Image"):
            alt = attr_get(image["c"][0], "fig-alt") or fig_alt
            if alt:
                image["c"][1] = str_inlines(alt)
            attr_drop(image["c"][0], "fig-alt")
        attr_drop(figure["c"][0], "fig-alt")


def _check_images(book: dict[str, Any], chapter: dict[str, Any], blocks: list[Node]) -> None:
    """A missing figure is an error here too (pandoc would only warn and leave a gap)."""
    root = project_root(book)
    for image in elements(blocks, "Image"):
        src = image["c"][2][0]
        if "://" in src:
            image["c"][2][0] = re.sub(r"^(\.\./)+", "", src)
            continue
        image["c"][2][0] = project_image(
            root, chapter, src,
            hint=f"run the analysis step that makes the figure ({stringify(image['c'][1])[:60]})")


# --- PNG fallbacks for SVG figures ---------------------------------------------------------

# Pandoc embeds SVG figures as Office's svgBlip extension with no ordinary picture behind
# it; Word 2016 and later show that, but older Word, LibreOffice and online converters
# show an empty frame. Office's own files carry a PNG in the main blip with the SVG as the
# extension, so we add one, rasterised by Typst (deterministic, no extra tool).
PNG_PPI = 200
IMAGE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
SVG_BLIP = re.compile(r'<a:blip>(<a:extLst>(?:(?!</a:blip>).)*?<asvg:svgBlip [^>]*?'
                      r'r:embed="([^"]+)")', re.S)


def svg_to_png(svg: bytes, fonts: list[str]) -> bytes:
    """Rasterise one SVG at its own size with Typst's renderer (``fonts``: font folders)."""
    with tempfile.TemporaryDirectory(prefix="proefdruk-svg-") as tmp:
        (Path(tmp) / "figure.svg").write_bytes(svg)
        source = b'#set page(width: auto, height: auto, margin: 0pt, fill: white)\n' \
                 b'#image("/figure.svg")\n'
        png = typst.compile(source, root=tmp, font_paths=fonts, ignore_system_fonts=True,
                            format="png", ppi=PNG_PPI)
    assert isinstance(png, bytes)
    return png


def with_png_fallbacks(docx_bytes: bytes) -> bytes:
    """The same DOCX with a PNG rendition behind every SVG picture."""
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as src:
        infos = src.infolist()
        files = {info.filename: src.read(info.filename) for info in infos}
    rels_name = "word/_rels/document.xml.rels"
    rels = files[rels_name].decode("utf-8")
    document = files["word/document.xml"].decode("utf-8")
    targets = {}
    for rel in re.findall(r"<Relationship [^>]*>", rels):
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', rel))
        if attrs.get("Type") == IMAGE_REL and attrs.get("Target", "").endswith(".svg"):
            targets[attrs["Id"]] = attrs["Target"]
    added: dict[str, bytes] = {}
    new_rels = []
    with figure_font_dir() as fonts:
        for rid, target in sorted(targets.items()):
            png_rid, png_target = f"{rid}png", target[: -len(".svg")] + ".png"
            added["word/" + png_target] = svg_to_png(files["word/" + target], fonts)
            new_rels.append(f'<Relationship Id="{png_rid}" Type="{IMAGE_REL}" '
                            f'Target="{png_target}" />')
    if not added:
        return docx_bytes
    document = SVG_BLIP.sub(lambda m: f'<a:blip r:embed="{m.group(2)}png">{m.group(1)}',
                            document)
    files["word/document.xml"] = document.encode("utf-8")
    files[rels_name] = rels.replace("</Relationships>",
                                    "".join(new_rels) + "</Relationships>").encode("utf-8")
    types = files["[Content_Types].xml"].decode("utf-8")
    if 'Extension="png"' not in types:
        types = types.replace("<Default ", '<Default Extension="png" ContentType="image/png" />'
                              "<Default ", 1)
        files["[Content_Types].xml"] = types.encode("utf-8")
    out = io.BytesIO()
    date = infos[0].date_time
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in infos:
            dst.writestr(_entry(info.filename, info.date_time), files[info.filename])
        for name in sorted(added):
            dst.writestr(_entry(name, date), added[name])
    return out.getvalue()


def _entry(name: str, date: tuple[int, int, int, int, int, int]) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=date)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


# --- the reference document -------------------------------------------------------------


def _pandoc_default_reference() -> bytes:
    proc = subprocess.run([pandoc_path(), "--print-default-data-file", "reference.docx"],
                          capture_output=True, check=True)
    return proc.stdout


def _set_lang(style_element: Any, lang: str) -> None:
    rpr = style_element.get_or_add_rPr()
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    el = OxmlElement("w:lang")
    el.set(qn("w:val"), lang)
    el.set(qn("w:eastAsia"), lang)
    el.set(qn("w:bidi"), "ar-SA")
    rpr.append(el)


def _font(style: Any, name: str, size: float | None = None, *, bold: bool | None = None,
          italic: bool | None = None, color: RGBColor | None = None) -> None:
    style.font.name = name
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), name)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        if fonts.get(qn(theme)) is not None:
            del fonts.attrib[qn(theme)]
    if size is not None:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    if italic is not None:
        style.font.italic = italic
    if color is not None:
        style.font.color.rgb = color


def _style(document: Any, name: str, kind: WD_STYLE_TYPE = WD_STYLE_TYPE.PARAGRAPH) -> Any:
    for style in document.styles:
        if style.name == name:
            return style
    else:
        style = document.styles.add_style(name, kind)
        style.base_style = document.styles["Normal"] if kind == WD_STYLE_TYPE.PARAGRAPH else None
        return style


@lru_cache(maxsize=1)
def reference_docx(lang: str = "nl-NL") -> bytes:
    """A reference.docx with styles for a book in ``lang``, made from pandoc's default.

    Made in code (not committed as a binary) so every style choice is visible and
    reviewable; the zip is written with fixed dates so the bytes never change.
    """
    document = Document(io.BytesIO(_pandoc_default_reference()))
    styles = document.styles
    doc_defaults = styles.element.find(qn("w:docDefaults"))
    rpr_default = doc_defaults.find(qn("w:rPrDefault")) if doc_defaults is not None else None
    if rpr_default is not None:
        rpr = rpr_default.find(qn("w:rPr"))
        if rpr is not None:
            for old in rpr.findall(qn("w:lang")):
                rpr.remove(old)
            el = OxmlElement("w:lang")
            el.set(qn("w:val"), lang)
            el.set(qn("w:eastAsia"), lang)
            el.set(qn("w:bidi"), "ar-SA")
            rpr.append(el)
    normal = styles["Normal"]
    _font(normal, BODY_FONT, 11, color=INK)
    _set_lang(normal.element, lang)
    for name in ("Body Text", "First Paragraph", "Compact"):
        style = _style(document, name)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.line_spacing = 1.2
    for name in ("Title", "Subtitle", "Author", "Date"):
        style = _style(document, name)
        _font(style, BODY_FONT, {"Title": 24, "Subtitle": 15, "Author": 13, "Date": 12}[name],
              bold=name == "Title", italic=name == "Subtitle", color=INK)
    # a dissertation's title page, centred like the title block, and its back
    formula = _style(document, THESIS_STYLE)
    _font(formula, BODY_FONT, 12, color=INK)
    formula.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    formula.paragraph_format.space_after = Pt(10)
    committee = _style(document, COMMITTEE_STYLE)
    _font(committee, BODY_FONT, 11, color=INK)
    committee.paragraph_format.space_after = Pt(2)
    sizes = {1: 20, 2: 14, 3: 12, 4: 11, 5: 11}
    for level, size in sizes.items():
        style = _style(document, f"Heading {level}")
        _font(style, BODY_FONT, size, bold=level <= 3, italic=level >= 4,
              color=ACCENT if level == 1 else INK)
        fmt = style.paragraph_format
        fmt.space_before = Pt(30 if level == 1 else 16 if level == 2 else 12)
        fmt.space_after = Pt(14 if level == 1 else 6)
        fmt.keep_with_next = True
        if level == 1:
            fmt.page_break_before = True
    for name in ("Image Caption", "Table Caption", "Caption"):
        style = _style(document, name)
        _font(style, BODY_FONT, 9.5, italic=False, color=INK)
        style.paragraph_format.space_after = Pt(10)
    for name in ("Captioned Figure", "Figure"):  # the picture stays with its caption
        style = _style(document, name)
        style.paragraph_format.keep_with_next = True
    _style(document, "Table Caption").paragraph_format.keep_with_next = True  # caption above
    bibliography = _style(document, "Bibliography")
    bibliography.paragraph_format.left_indent = Cm(1)
    bibliography.paragraph_format.first_line_indent = Cm(-1)
    bibliography.paragraph_format.space_after = Pt(4)
    for name in ("Footnote Text",):
        style = _style(document, name)
        _font(style, BODY_FONT, 9)
    notice = _style(document, "Notice")
    _font(notice, BODY_FONT, 10, color=RGBColor(0x5B, 0x2C, 0x06))
    ppr = notice.element.get_or_add_pPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), "FDF3E1")
    ppr.append(shd)
    callout = _style(document, "Callout")
    _font(callout, BODY_FONT, 10, color=INK)
    cppr = callout.element.get_or_add_pPr()
    cshd = OxmlElement("w:shd")
    cshd.set(qn("w:val"), "clear")
    cshd.set(qn("w:color"), "auto")
    cshd.set(qn("w:fill"), "EEF4F8")
    cppr.append(cshd)
    part = _style(document, "Part")
    _font(part, BODY_FONT, 22, bold=True, color=ACCENT)
    part.paragraph_format.space_before = Pt(160)
    part.paragraph_format.space_after = Pt(24)
    for section in document.sections:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.5)
        section.top_margin = section.bottom_margin = Cm(2.5)
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with fixed entry dates and order, so its bytes never change."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in sorted(src.namelist()):
            dst.writestr(_entry(name, ZIP_DATE), src.read(name))
    return out.getvalue()
