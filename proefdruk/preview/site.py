"""Which file in the site folder a URL means, and nothing outside it.

The preview server reads files the build wrote; a request must never reach past the
site folder (``..``, an encoded ``%2e%2e``, a symbolic link that points elsewhere, a NUL
byte). Each request path is resolved here once, and refused unless the real file lies
inside the site folder. Kept apart from the server so the rule can be tested alone.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

EMBEDDED = re.compile(rb'\bsrc="([^"?#]+)')


class Refused(Exception):
    """The request names something outside the site folder (HTTP 403)."""


def page_key(url_path: str) -> str:
    """The site-relative file a URL path shows: ``/`` and ``/dir/`` mean their index.html.

    Raises :class:`Refused` for a path that tries to leave the site folder.
    """
    path = unquote(urlsplit(url_path).path)
    if "\x00" in path or "\\" in path:
        raise Refused(url_path)
    parts = [p for p in PurePosixPath(path).parts if p not in ("/", ".")]
    if any(p == ".." for p in parts):
        raise Refused(url_path)
    rel = "/".join(parts)
    if not rel or path.endswith("/"):
        rel = f"{rel}/index.html".lstrip("/")
    return rel


def resolve(site: Path, url_path: str) -> Path:
    """The file under ``site`` for ``url_path``; :class:`Refused` when it lies outside.

    The file need not exist (the caller answers 404); a directory means its index.html.
    """
    root = site.resolve()
    target = (root / page_key(url_path)).resolve()
    if not target.is_relative_to(root):
        raise Refused(url_path)
    if target.is_dir():
        target = target / "index.html"
    return target


def digest(path: Path, locate: Callable[[str], Path | None] | None = None) -> str:
    """A short content hash of a page as a reader sees it: its bytes and those of the
    images and other files it embeds (``src="…"`` inside the site; ``locate`` finds the
    file a reference in the page means, by default next to the page, None for none), ""
    when it does not exist. A tab reloads exactly when this changes: a new figure with
    unchanged text counts, a rebuilt page with the same bytes does not."""
    try:
        html = path.read_bytes()
    except OSError:
        return ""
    h = hashlib.sha256(html)
    for ref in sorted(set(EMBEDDED.findall(html))):
        target = ref.decode("utf-8", "replace")
        if "://" in target or target.startswith(("data:", "/", "#")):
            continue
        h.update(b"\0" + ref + b"\0")
        file = path.parent / unquote(target) if locate is None else locate(unquote(target))
        try:
            if file is None:
                raise FileNotFoundError(target)
            h.update(hashlib.sha256(file.read_bytes()).digest())
        except OSError:
            h.update(b"missing")
    return h.hexdigest()[:16]
