"""The HTML edition: a multi-page book site like Quarto's, written from the resolved ASTs.

One page per chapter (so editing one chapter rewrites one page), a shared sidebar with
parts and numbered chapters, an in-page table of contents, previous/next links, footnotes
that open in place, and a client-side search over ``search.json``. Everything the site
needs (CSS, script, fonts) is shipped in ``site_libs/``: the site works offline and makes
no network requests. Output bytes depend only on the inputs (no dates, no absolute paths).
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections.abc import Collection
from pathlib import Path, PurePosixPath
from string import Template
from typing import Any

from proefdruk.errors import BuildError
from proefdruk.locale.words import Locale, book_words, locale_for
from proefdruk.provenance import atomic_write_bytes, atomic_write_text
from proefdruk.render.editions import html_blocks, html_site, site_meta
from proefdruk.render.editions.media import media_path
from proefdruk.render.editions.notices import NOTICE_CLASS
from proefdruk.render.editions.shared import (
    Node,
    attr_drop,
    attr_get,
    auto_column_widths,
    chapter_by_id,
    chapter_label,
    chapter_lang,
    elements,
    first_chapter_header,
    header_number,
    label_target,
    load_ast,
    note_text,
    part_label,
    part_numbers,
    project_image,
    project_root,
    run_pandoc,
    str_inlines,
    stringify,
    walk,
)

HERE = Path(__file__).resolve().parent
ASSETS = HERE / "assets"
PAGE_TEMPLATE = HERE / "templates" / "page.html"
SITE_LIBS = "site_libs"
# Checksums (SHA-256 and the like) are kept out of the search index: nobody searches for
# them, and in the provenance appendix they would make up most of the index.
HASH_RE = re.compile(r"\b[0-9a-f]{32,}\b")
PANDOC_HTML_ARGS = ["--mathml", "--wrap=none", "--syntax-highlighting=none",
                    "--email-obfuscation=none"]


# --- public interface ---------------------------------------------------------------


def write_assets(out_dir: Path, words: Locale | None = None) -> None:
    """Copy the site's CSS, script and fonts to ``out_dir/site_libs``.

    The scripts say a few words themselves (search status, "Copy"); they hold
    ``{{key}}`` markers that are filled with ``words`` here, so the site's scripts speak
    the book's language and a browser needs no extra file. ``None`` is the Dutch table,
    what the assets said before the locale layer existed (the build passes the book's).
    """
    words = words or locale_for("nl")
    target = Path(out_dir) / SITE_LIBS
    for src in sorted(p for p in ASSETS.rglob("*") if p.is_file()):
        dest = target / src.relative_to(ASSETS)
        dest.parent.mkdir(parents=True, exist_ok=True)
        data = src.read_bytes()
        if src.suffix == ".js":
            data = fill_words(data.decode("utf-8"), words).encode("utf-8")
        atomic_write_bytes(dest, data)


WORD_MARK = re.compile(r"\{\{([a-z][a-z0-9-]*)\}\}")


def fill_words(script: str, words: Locale) -> str:
    """``{{key}}`` in a script's string literals -> the word, escaped for JavaScript."""
    return WORD_MARK.sub(lambda m: json.dumps(words.word(m.group(1)),
                                              ensure_ascii=False)[1:-1], script)


def write_chapter_page(book: dict[str, Any], chapter_id: str, out_path: Path,
                       media_made: Collection[str] = ()) -> None:
    """Write the page of one chapter (or appendix) and publish the images it shows.

    ``media_made`` are the project files whose copy under ``media/`` another step makes:
    the page links them and leaves the copy alone. The build passes every image the book
    plan knows the page shows, because there rule ``site_media`` makes each copy as a
    declared output (two pages may show one figure; one job must own its copy). The
    preview's drafts and the tests pass nothing and get the copies from here.
    """
    out_path = Path(out_path)
    made = frozenset(media_made)
    chapter = chapter_by_id(book, chapter_id)
    site_root = _site_root(chapter, out_path)
    ast = load_ast(book, chapter, "html")
    lang = chapter_lang(book, ast)
    # The page that includes the notices (index.qmd) shows them in its text, as Quarto
    # does; every other page repeats them as a banner.
    shows_notices = any(NOTICE_CLASS in div["c"][0][1] for div in elements(ast["blocks"], "Div"))
    ast = _prepare_ast(book, chapter, ast, site_root, made)
    toc = _page_toc_entries(ast)
    if (book.get("site") or {}).get("anchor_sections", True):
        html_blocks.heading_anchors(ast, book_words(book))
    cited = sorted({c["citationId"] for cite in elements(ast["blocks"], "Cite")
                    for c in cite["c"][0]})
    body = run_pandoc(ast, "html5", PANDOC_HTML_ARGS)
    body = html_blocks.polish(_polish_body(body, book_words(book)))
    page = _render_page(book, chapter, body, toc, lang, banner=not shows_notices,
                        cover_src=_cover_image(book, chapter, site_root, made),
                        cited=cited)
    atomic_write_text(out_path, page)


def write_search_index(book: dict[str, Any], out_path: Path) -> None:
    """Write ``search.json``: one entry per section of every chapter, in book order."""
    entries: list[dict[str, str]] = []
    for chapter in book.get("chapters", []):
        ast = load_ast(book, chapter, "html")
        entries.extend(_search_entries(chapter, ast))
    text = json.dumps(entries, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    atomic_write_text(Path(out_path), text + "\n")


# --- the chapter AST, made ready for HTML --------------------------------------------


def _site_root(chapter: dict[str, Any], out_path: Path) -> Path:
    """The ``_book`` folder: ``out_path`` minus the folders in the chapter's href."""
    depth = len(PurePosixPath(str(chapter.get("href", out_path.name))).parts)
    return out_path.parents[depth - 1] if depth >= 1 else out_path.parent


def _prepare_ast(book: dict[str, Any], chapter: dict[str, Any], ast: Node, site_root: Path,
                 media_made: frozenset[str] = frozenset()) -> Node:
    """Number headings, resolve links, publish images and frame the chapter title."""
    page_ids = _ids(ast)
    _heading_order(ast)
    _number_headers(ast)
    _resolve_links(book, chapter, ast, page_ids)
    _publish_images(book, chapter, ast, site_root, media_made)
    _check_figure_alt(chapter, ast)
    auto_column_widths(ast["blocks"])
    html_blocks.callouts(ast, book_words(book))
    html_blocks.tabsets(ast)
    html_blocks.margin_content(ast)
    if (book.get("site") or {}).get("reference_location") == "margin":
        html_blocks.margin_notes(ast)
    _frame_title(book, chapter, ast)
    return ast


def _ids(ast: Node) -> set[str]:
    """Every id on the page (headers, divs, spans, figures, tables)."""
    ids: set[str] = set()

    def visit(node: Node) -> None:
        c = node.get("c")
        t = node["t"]
        attr = None
        if t in ("Div", "Span", "Figure", "Table", "CodeBlock", "Link", "Image"):
            attr = c[0]
        elif t == "Header":
            attr = c[1]
        if attr and attr[0]:
            ids.add(attr[0])

    walk(ast["blocks"], visit)
    return ids


def _heading_order(ast: Node) -> None:
    """No heading skips a level (h1 then h3): screen readers navigate by that outline.

    Generated fragments (e.g. the questionnaire) may start at ``###`` under a chapter
    title; such headings move up to the next level down from the one before them.
    """
    previous = 0
    for header in elements(ast["blocks"], "Header"):
        level = min(header["c"][0], previous + 1)
        header["c"][0] = level
        previous = level


def _number_headers(ast: Node) -> None:
    """Show the core's section numbers ("4.2") in front of section headings."""
    for header in elements(ast["blocks"], "Header"):
        level, attr, inlines = header["c"]
        number = header_number(header)
        attr_drop(attr, "number")
        if level == 1 or not number:
            continue
        span = {"t": "Span", "c": [["", ["header-section-number"], []],
                                   [{"t": "Str", "c": number}]]}
        header["c"][2] = [span, {"t": "Space"}, *inlines]


def _resolve_links(book: dict[str, Any], chapter: dict[str, Any], ast: Node,
                   page_ids: set[str]) -> None:
    """Point ``#label`` links at the page that holds the label; same-page links stay."""
    hrefs = {c["id"]: c["href"] for c in book.get("chapters", [])}
    for link in elements(ast["blocks"], "Link"):
        target = link["c"][2][0]
        if not target.startswith("#") or len(target) < 2:
            continue
        label = target[1:]
        if label in page_ids:
            continue
        owner = label_target(book, label)
        if owner is None or owner not in hrefs:
            raise BuildError(
                "a link points at a label that no chapter defines",
                file=chapter.get("source"),
                field=target,
                expected="a label listed in book.json 'labels' (fig-, tbl-, sec-), a "
                "bibliography entry (ref-), a number (num-) or a claim (claim-)",
                found=f"#{label}",
                hint="check the spelling of the cross-reference, or add the label",
            )
        if owner != chapter["id"]:
            link["c"][2][0] = f"{_relative_href(str(chapter['href']), hrefs[owner])}#{label}"


def _relative_href(from_page: str, to_page: str) -> str:
    """A link from one page of the site to another, relative (the site works from disk
    and under any URL prefix): ``chapters/a.html`` to ``herkomst.html`` is
    ``../herkomst.html``."""
    return posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")


def _publish_images(book: dict[str, Any], chapter: dict[str, Any], ast: Node,
                    site_root: Path, media_made: frozenset[str]) -> None:
    """Copy each image the page shows to ``_book/media/…`` and point the page at it."""
    root = project_root(book)
    depth = len(PurePosixPath(str(chapter.get("href", "x.html"))).parts) - 1
    up = "../" * depth
    for image in elements(ast["blocks"], "Image"):
        src = image["c"][2][0]
        if re.match(r"^[a-z][a-z0-9+.-]*:", src) or src.startswith("#"):
            continue
        rel = project_image(root, chapter, src)
        image["c"][2][0] = f"{up}{_publish(root, rel, site_root, media_made)}"


def _publish(root: Path, rel: str, site_root: Path, media_made: frozenset[str]) -> str:
    """Copy project file ``rel`` to ``_book/media/…`` (unless another step makes that
    copy, see :func:`write_chapter_page`); its path from the site root."""
    name = media_path(rel)
    if rel in media_made:
        return name
    dest = site_root / name
    data = (root / rel).read_bytes()
    if not dest.is_file() or dest.read_bytes() != data:
        dest.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(dest, data)
    return name


def _cover_image(book: dict[str, Any], chapter: dict[str, Any], site_root: Path,
                 media_made: frozenset[str]) -> str | None:
    """Publish ``book: cover-image`` for the home page; its ``src`` there."""
    rel = (book.get("site") or {}).get("cover_image")
    if not rel or chapter.get("href") != "index.html":
        return None
    root = project_root(book)
    if not (root / str(rel)).is_file():
        raise BuildError("the cover image does not exist", file="_quarto.yml",
                         field="book.cover-image", expected="an image file in the project",
                         found=str(rel), hint="fix the path (relative to the project)")
    return _publish(root, str(rel), site_root, media_made)


def _caption_text(caption: list[Any]) -> str:
    """A Figure caption's text without its "Figuur 4.2" label."""
    blocks = caption[1] if len(caption) > 1 else []

    def drop_label(node: Any) -> Any:
        if isinstance(node, dict) and node.get("t") == "Span" and \
                {"caption-label", "provenance"} & set(node["c"][0][1]):
            return None
        if isinstance(node, list):
            return [x for x in (drop_label(i) for i in node) if x is not None]
        if isinstance(node, dict):
            return {k: drop_label(v) for k, v in node.items()}
        return node

    return stringify(drop_label(blocks))


def _check_figure_alt(chapter: dict[str, Any], ast: Node) -> None:
    """Give every figure image a text alternative (fig-alt, else the caption text).

    Screen-reader users get the author's description; without one the caption is read,
    never an empty alt. A figure with neither is an error the author must fix.
    """
    for figure in elements(ast["blocks"], "Figure"):
        attr, caption, _ = figure["c"]
        caption_text = _caption_text(caption)
        for image in elements(figure["c"][2], "Image"):
            img_attr = image["c"][0]
            alt = attr_get(img_attr, "fig-alt") or attr_get(attr, "fig-alt") or caption_text
            if not alt:
                raise BuildError(
                    "a figure has no text alternative",
                    file=chapter.get("source"),
                    field=attr[0] or "figure",
                    expected="fig-alt=\"…\" or a caption",
                    found="neither",
                    hint="describe the figure for readers who cannot see it (fig-alt)",
                )
            attr_drop(img_attr, "fig-alt")
            image["c"][1] = str_inlines(alt)
        attr_drop(attr, "fig-alt")


def _frame_title(book: dict[str, Any], chapter: dict[str, Any], ast: Node) -> None:
    """Turn the chapter's first heading into the page title: label, number, part."""
    index = first_chapter_header(ast)
    if index is None:
        header = {"t": "Header", "c": [1, [chapter["id"], [], []],
                                      str_inlines(str(chapter.get("title", "")))]}
        ast["blocks"].insert(0, header)
        index = 0
    header = ast["blocks"][index]
    label = chapter_label(chapter, book)
    title_span = {"t": "Span", "c": [["", ["chapter-title"], []], header["c"][2]]}
    inlines: list[Node] = []
    if label:
        inlines = [{"t": "Span", "c": [["", ["chapter-label"], []], str_inlines(label)]},
                   {"t": "Space"}]
    header["c"][2] = [*inlines, title_span]
    before = ['<header class="chapter-header">']
    part = chapter.get("part")
    if part and chapter.get("kind") == "chapter":
        roman = part_numbers(book).get(part, "")
        before.append(f'<p class="part-label">{html.escape(part_label(book, roman))} · '
                      f"{html.escape(part)}</p>")
    elif chapter.get("kind") in ("appendix", "provenance"):
        appendices = book_words(book).word("section-title-appendices")
        before.append(f'<p class="part-label">{html.escape(appendices)}</p>')
    raw_open = {"t": "RawBlock", "c": ["html", "\n".join(before)]}
    raw_close = {"t": "RawBlock", "c": ["html", "</header>"]}
    ast["blocks"][index:index + 1] = [raw_open, header, raw_close]


def _page_toc_entries(ast: Node) -> list[tuple[int, str, str, str]]:
    """(level, id, number, text) for the sections listed under "Op deze pagina"."""
    out = []
    for header in elements(ast["blocks"], "Header"):
        level, attr, inlines = header["c"]
        if level not in (2, 3) or not attr[0] or "unlisted" in attr[1]:
            continue
        number = ""
        rest = inlines
        if inlines and inlines[0].get("t") == "Span" and \
                "header-section-number" in inlines[0]["c"][0][1]:
            number = stringify(inlines[0])
            rest = inlines[2:]
        out.append((level, attr[0], number, stringify(rest)))
    return out


def _polish_body(body: str, words: Locale) -> str:
    """Small fixes to pandoc's HTML: scrollable tables, a Dutch notes heading."""
    body = re.sub(r"<table", '<div class="table-wrap" tabindex="0"><table', body)
    body = body.replace("</table>", "</table></div>")
    body = body.replace(
        '<section id="footnotes" class="footnotes footnotes-end-of-document" '
        'role="doc-endnotes">\n<hr />',
        '<section id="footnotes" class="footnotes footnotes-end-of-document" '
        'role="doc-endnotes" aria-labelledby="noten-kop">\n'
        '<h2 id="noten-kop" class="footnotes-title">'
        f'{_e(words.word("section-title-footnotes"))}</h2>',
    )
    body = body.replace('class="footnote-back" role="doc-backlink"',
                        'class="footnote-back" role="doc-backlink" '
                        f'aria-label="{_e(words.word("proefdruk-footnote-back"))}"')
    return body


# --- the page around the chapter ----------------------------------------------------


def _e(text: Any) -> str:
    return html.escape(str(text or ""), quote=True)


def _nav_title(chapter: dict[str, Any]) -> str:
    """Sidebar text of a chapter: its number (if any) and title, as HTML."""
    number = chapter.get("number")
    num = f'<span class="toc-number">{_e(number)}</span>' if number else ""
    return f'{num}<span class="toc-text">{_e(chapter.get("title"))}</span>'


def _groups(book: dict[str, Any]) -> list[tuple[str | None, list[dict[str, Any]]]]:
    """Chapters grouped as the sidebar shows them: loose, by part, then appendices."""
    groups: list[tuple[str | None, list[dict[str, Any]]]] = []
    for chapter in book.get("chapters", []):
        part = chapter.get("part")
        if not part and chapter.get("kind") in ("appendix", "provenance"):
            part = book_words(book).word("section-title-appendices")
        if groups and groups[-1][0] == part and part is not None:
            groups[-1][1].append(chapter)
        else:
            groups.append((part, [chapter]))
    return groups


def _sidebar(book: dict[str, Any], current: dict[str, Any], root: str) -> str:
    romans = part_numbers(book)
    lines = ['<ol class="book-toc">']

    def item(ch: dict[str, Any]) -> str:
        here = ch["id"] == current["id"]
        cur = ' aria-current="page"' if here else ""
        cls = "toc-chapter active" if here else "toc-chapter"
        return (f'<li class="{cls}"><a href="{root}{_e(ch["href"])}"{cur}>'
                f"{_nav_title(ch)}</a></li>")

    for part, chapters in _groups(book):
        if part is None:
            lines.extend(item(ch) for ch in chapters)
            continue
        roman = romans.get(part)
        label = (f'<span class="toc-part-number">{_e(part_label(book, roman))}</span>'
                 if roman else "")
        lines.append(f'<li class="toc-part"><span class="toc-part-title">{label}'
                     f"{_e(part)}</span>")
        lines.append("<ol>")
        lines.extend(item(ch) for ch in chapters)
        lines.append("</ol></li>")
    lines.append("</ol>")
    return "\n".join(lines)


def _page_toc(entries: list[tuple[int, str, str, str]], words: Locale) -> str:
    if not entries:
        return ""
    lines = ['<nav class="page-toc" aria-labelledby="op-deze-pagina">',
             '<p id="op-deze-pagina" class="page-toc-heading">'
             f'{_e(words.word("toc-title-website"))}</p>', "<ol>"]
    for level, ident, number, text in entries:
        num = f'<span class="toc-number">{_e(number)}</span>' if number else ""
        lines.append(f'<li class="level-{level}"><a href="#{_e(ident)}">{num}'
                     f"{_e(text)}</a></li>")
    lines += ["</ol>", "</nav>"]
    return "\n".join(lines)


def _inline_toc(entries: list[tuple[int, str, str, str]], words: Locale) -> str:
    """The same contents, folded under the chapter title for screens without a margin."""
    if not entries:
        return ""
    lines = ['<details class="page-toc-inline">',
             f'<summary>{_e(words.word("toc-title-website"))}</summary>', "<ol>"]
    for level, ident, number, text in entries:
        num = f'<span class="toc-number">{_e(number)}</span>' if number else ""
        lines.append(f'<li class="level-{level}"><a href="#{_e(ident)}">{num}{_e(text)}</a></li>')
    lines += ["</ol>", "</details>"]
    return "\n".join(lines)


def _page_nav(book: dict[str, Any], chapter: dict[str, Any], root: str) -> str:
    words = book_words(book)
    chapters = book.get("chapters", [])
    index = next(i for i, c in enumerate(chapters) if c["id"] == chapter["id"])
    links = []
    if index > 0:
        prev = chapters[index - 1]
        links.append(f'<a class="page-prev" rel="prev" href="{root}{_e(prev["href"])}">'
                     f'<span class="page-nav-dir">{_e(words.word("proefdruk-nav-previous"))}</span>'
                     f'<span class="page-nav-title">{_nav_title(prev)}</span></a>')
    if index + 1 < len(chapters):
        nxt = chapters[index + 1]
        links.append(f'<a class="page-next" rel="next" href="{root}{_e(nxt["href"])}">'
                     f'<span class="page-nav-dir">{_e(words.word("proefdruk-nav-next"))}</span>'
                     f'<span class="page-nav-title">{_nav_title(nxt)}</span></a>')
    if not links:
        return ""
    return (f'<nav class="page-nav" aria-label="{_e(words.word("proefdruk-nav-label"))}">\n'
            + "\n".join(links) + "\n</nav>")


def _notices(book: dict[str, Any]) -> str:
    """Every notice of the book, as a banner that no page is without."""
    items = []
    for notice in book.get("notices", []):
        level = re.sub(r"[^a-z]", "", str(notice.get("level", "info")).lower()) or "info"
        title = str(notice.get("title", "")).rstrip(".")
        items.append(
            f'<div class="notice notice-{level}" role="note" id="notice-{_e(notice.get("id"))}">'
            f'<p><strong class="notice-title">{_e(title)}.</strong> '
            f'<span class="notice-text">{_e(notice.get("text"))}</span></p></div>'
        )
    if not items:
        return ""
    # A labelled region: assistive technology lists it as a landmark, so a screen-reader
    # user finds the notice like any other part of the page (axe-core rule "region").
    label = _e(book_words(book).word("proefdruk-notices-label"))
    return (f'<section class="notices" aria-label="{label}">\n' + "\n".join(items)
            + "\n</section>")


def _cover(book: dict[str, Any]) -> str:
    """The book's title block, shown above the first page of the site."""
    parts = ['<div class="book-cover">',
             f'<p class="cover-title">{_e(book.get("title"))}</p>']
    if book.get("subtitle"):
        parts.append(f'<p class="cover-subtitle">{_e(book["subtitle"])}</p>')
    thesis = book.get("thesis_page")
    if thesis:
        parts += _thesis_cover(thesis)
    elif book.get("author"):
        parts.append(f'<p class="cover-author">{_e(book["author"])}</p>')
    if book.get("date"):
        parts.append(f'<p class="cover-date">{_e(book["date"])}</p>')
    parts.append("</div>")
    return "\n".join(parts)


def _thesis_cover(thesis: dict[str, Any]) -> list[str]:
    """A dissertation's title page on the site: the formula, "door", the candidate,
    "geboren te …", then what the printed page's back says (promotors, committee)."""
    parts = [f'<p class="cover-formula">{_e(thesis["formula"])}</p>',
             f'<p class="cover-by">{_e(thesis["by"])}</p>',
             f'<p class="cover-author">{_e(thesis["author"])}</p>',
             f'<p class="cover-born">{_e(thesis["born"])}</p>']
    if thesis.get("roles"):
        parts.append('<dl class="cover-committee">')
        for role in thesis["roles"]:
            parts.append(f"<dt>{_e(role['label'])}</dt>")
            parts += [f"<dd>{_e(name)}</dd>" for name in role["names"]]
        parts.append("</dl>")
    return parts


def _render_page(book: dict[str, Any], chapter: dict[str, Any], body: str,
                 toc: list[tuple[int, str, str, str]], lang: str | None = None,
                 banner: bool = True, cover_src: str | None = None,
                 cited: list[str] | None = None) -> str:
    depth = len(PurePosixPath(str(chapter.get("href", "x.html"))).parts) - 1
    root = "../" * depth
    site = book.get("site") or {}
    scholar = book.get("scholar")
    book_title = str(book.get("title", ""))
    is_home = chapter.get("href") == "index.html"
    number = chapter.get("number")
    title = f"{number} {chapter.get('title', '')}" if number else str(chapter.get("title", ""))
    page_title = book_title if is_home else f"{title} – {book_title}"
    footer = " · ".join(_e(x) for x in (book_title, book.get("author"), book.get("date")) if x)
    search_on = (site.get("search") or {}).get("enabled", True)
    words = book_words(book)
    template = Template(PAGE_TEMPLATE.read_text(encoding="utf-8"))
    return template.substitute(
        lang=_e(book.get("lang") or "nl"),
        author=_e(book.get("author")),
        page_title=_e(page_title),
        head_meta=html_site.head(book, chapter, str(chapter.get("title", "")) if not is_home
                                 else book_title)
        + ("\n" + site_meta.head_tags(scholar, page_title, root, cited or []) if scholar
           else ""),
        root=root,
        kind=_e(chapter.get("kind", "chapter")),
        body_data=html_site.body_data(site),
        main_lang=f' lang="{_e(lang)}"' if lang else "",
        book_title=_e(book_title),
        sidebar=_sidebar(book, chapter, root),
        search=search_box(words) if search_on else "",
        tools=html_site.tools(site, words),
        downloads=html_site.downloads(site, root, words),
        skip_label=_e(words.word("skip-to-content")),
        toc_title=_e(words.word("toc-title-document")),
        notices=_notices(book) if banner else "",
        title_block=(html_site.cover(site, cover_src) + _cover(book)) if is_home else "",
        citation=site_meta.citation_block(scholar, root, words) if is_home and scholar
        else "",
        body_with_toc=body.strip().replace("</header>",
                                           "</header>\n" + _inline_toc(toc, words), 1),
        page_nav=_page_nav(book, chapter, root),
        footer=html_site.page_footer(site, footer),
        page_toc=_page_toc(toc, words) + html_site.repo_actions(site, chapter.get("source"),
                                                                 words),
    )


def search_box(words: Locale) -> str:
    """The sidebar's search field, labelled in the book's language."""
    return f"""<div class="search" role="search">
<label class="visually-hidden" for="zoekveld">{_e(words.word("proefdruk-search-in-book"))}</label>
<input id="zoekveld" class="search-input" type="search" \
placeholder="{_e(words.word("search-label"))}" \
autocomplete="off" spellcheck="false" aria-describedby="zoekstatus">
<p id="zoekstatus" class="search-status" aria-live="polite"></p>
<ol id="zoekresultaten" class="search-results" hidden></ol>
</div>"""


# --- search -------------------------------------------------------------------------


def _search_entries(chapter: dict[str, Any], ast: Node) -> list[dict[str, str]]:
    """Split a chapter at its level-2 headings; each piece is one search hit."""
    number = chapter.get("number")
    chapter_title = f"{number} {chapter.get('title', '')}" if number else \
        str(chapter.get("title", ""))
    href = str(chapter["href"])
    entries: list[dict[str, str]] = []
    kind = str(chapter.get("kind") or "chapter")
    current = {"href": href, "chapter": chapter_title, "section": "", "blocks": [],
               "kind": kind}
    pieces = [current]
    for block in ast["blocks"]:
        if block.get("t") == "Header" and block["c"][0] == 2 and block["c"][1][0]:
            num = header_number(block)
            text = stringify(block["c"][2])
            current = {"href": f"{href}#{block['c'][1][0]}", "chapter": chapter_title,
                       "section": f"{num} {text}" if num else text, "blocks": [],
                       "kind": kind}
            pieces.append(current)
        elif block.get("t") == "Header" and block["c"][0] == 1:
            continue
        elif block.get("t") == "Div" and block["c"][0][0] and \
                "provenance-entry" in block["c"][0][1]:
            # each number or file in the provenance appendix is its own hit, so a search
            # for a key lands on its entry rather than on a page-long section
            title = stringify(block["c"][1][:1])
            pieces.append({"href": f"{href}#{block['c'][0][0]}", "chapter": chapter_title,
                           "section": title[:120].rstrip(), "blocks": block["c"][1][1:],
                           "kind": "provenance"})
        else:
            current["blocks"].append(block)
    for piece in pieces:
        blocks = piece.pop("blocks")
        text = " ".join(x for x in (stringify(blocks), note_text(blocks)) if x)
        text = HASH_RE.sub("", text)
        text = " ".join(text.split())
        if text or piece["section"]:
            entries.append({**piece, "text": text})
    return entries

