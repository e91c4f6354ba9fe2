"""The parts of a site page that Quarto's book options add (see :mod:`.site`).

Downloads, repository links and actions, the page footer, the cover image, reader mode,
the light/dark switch and the Google Scholar metadata: each is a small HTML fragment,
empty when its option is off, so a book without these options gets the plain page.
"""

from __future__ import annotations

import html
from typing import Any

import pypandoc

from proefdruk.locale.words import Locale

# Quarto's Dutch interface texts (quarto-cli src/resources/language/_language-nl.yml).
# repo-actions and the locale key (Quarto's) of each link's text
ACTION_TEXT = {"edit": "repo-action-links-edit", "source": "repo-action-links-source",
               "issue": "repo-action-links-issue"}


def _e(text: Any) -> str:
    return html.escape(str(text or ""), quote=True)


def downloads(site: dict[str, Any], root: str, words: Locale) -> str:
    """Links to the PDF and DOCX editions in the sidebar (``book: downloads``)."""
    items = site.get("downloads") or []
    if not items:
        return ""
    links = "".join(f'<li><a class="download download-{_e(d["format"])}" '
                    f'href="{root}{_e(d["href"])}" download>{_e(d["label"])}</a></li>'
                    for d in items)
    label = _e(words.word("proefdruk-downloads"))
    return (f'<nav class="sidebar-downloads" aria-label="{label}"><p class="sidebar-heading">'
            f'{label}</p><ul>{links}</ul></nav>')


def tools(site: dict[str, Any], words: Locale) -> str:
    """The sidebar's tool buttons: repository, reader mode, light/dark."""
    parts = []
    repo = site.get("repo")
    if repo:
        parts.append(f'<a class="tool repo-link" href="{_e(repo["url"])}">'
                     f'{_e(words.word("proefdruk-source-code"))}</a>')
    if site.get("reader_mode"):
        parts.append('<button type="button" class="tool reader-toggle" aria-pressed="false" '
                     f'title="{_e(words.word("toggle-reader-mode"))}">'
                     f'{_e(words.word("proefdruk-reader-mode"))}</button>')
    if site.get("theme") == "light-dark":
        parts.append('<button type="button" class="tool theme-toggle" aria-pressed="false" '
                     f'title="{_e(words.word("toggle-dark-mode"))}">'
                     f'{_e(words.word("proefdruk-dark-mode"))}</button>')
    return f'<div class="sidebar-tools">{"".join(parts)}</div>' if parts else ""


def repo_actions(site: dict[str, Any], source: str | None, words: Locale) -> str:
    """"Pagina bewerken" and friends under the page contents (``repo-actions``),
    with Quarto's URLs (``edit/<branch>/<path>``, ``blob/<branch>/<path>``,
    ``issues/new``)."""
    repo = site.get("repo")
    if not repo or not repo.get("actions") or not source:
        return ""
    path = f"{repo['subdir']}/{source}" if repo.get("subdir") else source
    urls = {"edit": f"{repo['url']}/edit/{repo['branch']}/{path}",
            "source": f"{repo['url']}/blob/{repo['branch']}/{path}",
            "issue": repo.get("issue_url") or f"{repo['url']}/issues/new"}
    links = "".join(f'<li><a class="repo-action repo-action-{a}" href="{_e(urls[a])}">'
                    f"{_e(words.word(ACTION_TEXT[a]))}</a></li>" for a in repo["actions"])
    return f'<ul class="repo-actions">{links}</ul>'


def page_footer(site: dict[str, Any], fallback: str) -> str:
    """``page-footer`` (markdown; left/center/right), else the book's title line."""
    regions = site.get("page_footer") or {}
    if not regions:
        return f"<p>{fallback}</p>"
    out = []
    for where in ("left", "center", "right"):
        text = regions.get(where)
        if text:
            body = pypandoc.convert_text(text, "html5", format="markdown",
                                         extra_args=["--wrap=none"]).strip()
            out.append(f'<div class="footer-{where}">{body}</div>')
    return "\n".join(out)


def cover(site: dict[str, Any], src: str | None) -> str:
    """The cover image on the home page (``cover-image``), at ``src``."""
    if not src:
        return ""
    return (f'<img class="cover-image" src="{_e(src)}" '
            f'alt="{_e(site.get("cover_image_alt") or "")}">')


def head(book: dict[str, Any], chapter: dict[str, Any], title: str) -> str:
    """``<meta>`` tags: description, and the ``citation_*`` tags of ``google-scholar``."""
    site = book.get("site") or {}
    tags = []
    if site.get("description"):
        tags.append(f'<meta name="description" content="{_e(site["description"])}">')
    if site.get("google_scholar"):
        tags.append(f'<meta name="citation_title" content="{_e(title)}">')
        for author in str(book.get("author") or "").split(", "):
            if author:
                tags.append(f'<meta name="citation_author" content="{_e(author)}">')
        if book.get("date"):
            tags.append(f'<meta name="citation_publication_date" content="{_e(book["date"])}">')
        tags.append(f'<meta name="citation_language" content="{_e(book.get("lang") or "nl")}">')
        if chapter.get("href") != "index.html":
            tags.append(f'<meta name="citation_inbook_title" content="{_e(book.get("title"))}">')
        if site.get("site_url"):
            url = f'{site["site_url"]}/{chapter.get("href")}'
            tags.append(f'<meta name="citation_fulltext_html_url" content="{_e(url)}">')
            pdf = next((d for d in site.get("downloads") or [] if d["format"] == "pdf"), None)
            if pdf:
                tags.append(f'<meta name="citation_pdf_url" '
                            f'content="{_e(site["site_url"] + "/" + pdf["href"])}">')
    return "\n".join(tags)


def body_data(site: dict[str, Any]) -> str:
    """``data-*`` attributes that switch the page script's behaviours on."""
    search = site.get("search") or {"enabled": True, "keys": ["f", "/", "s"]}
    attrs = {
        "data-search-keys": "".join(search.get("keys") or []) if search.get("enabled") else "",
        "data-lightbox": "true" if site.get("lightbox") else "false",
        "data-xref-preview": "true" if site.get("crossrefs_hover", True) else "false",
        "data-code-copy": "true" if site.get("code_copy", True) else "false",
        "data-theme": "light-dark" if site.get("theme") == "light-dark" else "light",
    }
    return "".join(f' {k}="{_e(v)}"' for k, v in attrs.items())
