"""The HTML site's options, read once from ``_quarto.yml`` as Quarto reads them.

Book options (``book: downloads``, ``search``, ``repo-url``, ``page-footer``, …) and the
HTML document options (``lightbox``, ``google-scholar``, ``theme``, ``reference-location``,
…, at the top of ``_quarto.yml`` or under ``format: html:``, the latter winning) become
one small dict that travels in the book skeleton to every page job: a change in them
re-renders the pages, nothing else does. What each option does, and which values are
followed, is listed in :mod:`proefdruk.render.core.quarto_features`.
"""

from __future__ import annotations

from typing import Any

from proefdruk.render.core import yamlfile
from proefdruk.render.core.extension import extension_names, format_base
from proefdruk.render.core.project import Project

DOWNLOADS = {"pdf": "PDF", "docx": "Word (DOCX)"}
SEARCH_KEYS = ["f", "/", "s"]  # Quarto's default keyboard shortcut to the search box


def _html_options(project: Project) -> dict[str, Any]:
    """The document options for HTML: ``format: html:`` (or an extension's HTML format,
    ``proefdruk-html:``) over the top level."""
    extensions = extension_names(project.root)
    options = dict(yamlfile.plain(project.raw))
    # the first HTML format that sets a key wins, as before: apply them last to first
    for name, given in reversed(list((project.formats or {}).items())):
        if format_base(name, extensions) == "html" and isinstance(given, dict):
            options.update(given)
    return options


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _footer(value: Any) -> dict[str, str]:
    if isinstance(value, str):
        return {"center": value}
    if isinstance(value, dict):
        return {k: str(value[k]) for k in ("left", "center", "right")
                if isinstance(value.get(k), str)}
    return {}


def _search(value: Any) -> dict[str, Any]:
    if value is False:
        return {"enabled": False, "keys": []}
    keys = SEARCH_KEYS
    if isinstance(value, dict) and "keyboard-shortcut" in value:
        keys = [str(k) for k in _as_list(value["keyboard-shortcut"])]
    return {"enabled": True, "keys": keys}


def _repo(book: dict[str, Any]) -> dict[str, Any] | None:
    url = book.get("repo-url")
    if not url:
        return None
    actions = [a for a in _as_list(book.get("repo-actions")) if a in ("edit", "source", "issue")]
    if "none" in _as_list(book.get("repo-actions")):
        actions = []
    return {"url": str(url).rstrip("/"), "branch": str(book.get("repo-branch") or "main"),
            "subdir": str(book.get("repo-subdir") or "").strip("/"), "actions": actions,
            "issue_url": str(book["issue-url"]) if book.get("issue-url") else None}


def site_options(project: Project) -> dict[str, Any]:
    """The site's options (plain JSON) for the page writer."""
    book = yamlfile.plain(project.raw.get("book") or {})
    html = _html_options(project)
    theme = html.get("theme")
    lightbox = html.get("lightbox", False)
    output = project.output_file
    return {
        "description": book.get("description"),
        "downloads": [{"format": f, "label": DOWNLOADS[f], "href": f"{output}.{f}"}
                      for f in _as_list(book.get("downloads")) if f in DOWNLOADS],
        "search": _search(book.get("search", True)),
        "repo": _repo(book),
        "reader_mode": bool(book.get("reader-mode", False)),
        "page_footer": _footer(book.get("page-footer")),
        "cover_image": book.get("cover-image"),
        "cover_image_alt": book.get("cover-image-alt"),
        "site_url": str(book["site-url"]).rstrip("/") if book.get("site-url") else None,
        "google_scholar": bool(html.get("google-scholar", False)),
        "lightbox": lightbox not in (False, None),
        "theme": "light-dark" if isinstance(theme, dict) and "dark" in theme else "light",
        "anchor_sections": bool(html.get("anchor-sections", True)),
        "crossrefs_hover": bool(html.get("crossrefs-hover", True)),
        "code_copy": html.get("code-copy", True) is not False,
        "reference_location": str(html.get("reference-location", "document")),
    }
