"""Quarto's conditional content: ``.content-visible`` / ``.content-hidden``.

One chapter AST serves every edition, so the choice is made twice, as late as each part
is known: conditions on metadata and profiles (``when-meta``, ``unless-meta``,
``when-profile``, ``unless-profile``) when the chapter is rendered
(:func:`resolve_static`), and conditions on the format (``when-format``,
``unless-format``) by each edition writer (:func:`for_edition`). Format names match as
Quarto's ``isFormat`` does (quarto-cli ``_format.lua``): ``html`` is the site, ``typst``
the PDF, ``docx`` the DOCX; ``pdf`` and ``latex`` mean LaTeX output and so match none of
this book's editions (the chapter checks warn about that). A hidden Div disappears with
its content, a visible one leaves its content in place (Quarto's rule); a Span or code
block keeps its element.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

VISIBLE = "content-visible"
HIDDEN = "content-hidden"
FORMAT_KEYS = ("when-format", "unless-format")
STATIC_KEYS = ("when-meta", "unless-meta", "when-profile", "unless-profile")
STATIC_RESULT = "proefdruk-condition"  # the static part, decided at chapter render
CONDITIONAL_TYPES = ("Div", "Span", "CodeBlock")
HTML_ALIASES = ("html", "html:js", "html4", "html5")


def is_format(name: str, edition: str) -> bool:
    """Quarto's ``isFormat(name)`` when the output is ``edition`` (html, typst, docx)."""
    name = name.strip().lower()
    if edition == "html":
        return name in HTML_ALIASES
    return name == edition


def _truthy(value: Any) -> bool:
    return value not in (None, False, "", "false", [], {})


def resolve_static(blocks: list[Any], lookup: Callable[[str], Any],
                   profiles: tuple[str, ...] = ()) -> None:
    """Decide the metadata and profile conditions now; leave the format ones.

    ``lookup("a.b")`` returns a metadata value or None. No Quarto profile is active
    unless ``profiles`` names one.
    """

    def decide(attr: list[Any]) -> None:
        kv = dict(attr[2])
        if not any(k in kv for k in STATIC_KEYS):
            return
        match = True
        if "when-meta" in kv:
            match = match and _truthy(lookup(kv["when-meta"]))
        if "unless-meta" in kv:
            match = match and not _truthy(lookup(kv["unless-meta"]))
        if "when-profile" in kv:
            match = match and kv["when-profile"] in profiles
        if "unless-profile" in kv:
            match = match and kv["unless-profile"] not in profiles
        attr[2] = [[k, v] for k, v in attr[2] if k not in STATIC_KEYS]
        attr[2].append([STATIC_RESULT, "true" if match else "false"])

    def visit(value: Any) -> None:
        if isinstance(value, list):
            for item in value:
                visit(item)
        elif isinstance(value, dict):
            if value.get("t") in CONDITIONAL_TYPES and _is_conditional(value["c"][0]):
                decide(value["c"][0])
            visit(value.get("c"))

    visit(blocks)


def _is_conditional(attr: list[Any]) -> bool:
    return VISIBLE in attr[1] or HIDDEN in attr[1]


def _visible(attr: list[Any], edition: str) -> bool:
    kv = dict(attr[2])
    match = kv.get(STATIC_RESULT, "true") == "true"
    if "when-format" in kv:
        match = match and is_format(kv["when-format"], edition)
    if "unless-format" in kv:
        match = match and not is_format(kv["unless-format"], edition)
    return match if VISIBLE in attr[1] else not match


def _clear(attr: list[Any]) -> None:
    attr[1] = [c for c in attr[1] if c not in (VISIBLE, HIDDEN)]
    attr[2] = [[k, v] for k, v in attr[2]
               if k not in FORMAT_KEYS + STATIC_KEYS + (STATIC_RESULT,)]


def for_edition(blocks: list[Any], edition: str) -> list[Any]:
    """``blocks`` as edition ``edition`` shows them (a new list; nodes are reused)."""

    def fix_list(items: list[Any]) -> list[Any]:
        out: list[Any] = []
        for item in items:
            if isinstance(item, dict) and item.get("t") in CONDITIONAL_TYPES and \
                    _is_conditional(item["c"][0]):
                attr = item["c"][0]
                if not _visible(attr, edition):
                    continue
                _clear(attr)
                if item["t"] == "Div":
                    out.extend(fix_list(item["c"][1]))
                    continue
            out.append(fix(item))
        return out

    def fix(value: Any) -> Any:
        if isinstance(value, list):
            return fix_list(value)
        if isinstance(value, dict) and "c" in value:
            value["c"] = fix(value["c"])
        return value

    return fix_list(blocks)
