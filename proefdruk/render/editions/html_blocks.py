"""Quarto's block constructs in the HTML edition: callouts, tabsets, margin content.

Each works without a script (a reader with scripts off, or printing, sees everything):
a collapsible callout is a ``<details>``, a tabset shows all its panels until
``proefdruk-site.js`` turns it into tabs, margin content is an ``<aside>`` that the
stylesheet floats into the right margin where the screen is wide enough.
"""

from __future__ import annotations

import html
import re
from typing import Any

from proefdruk.locale.words import Locale
from proefdruk.render.editions.print_blocks import tabset_tabs
from proefdruk.render.editions.shared import (
    Node,
    attr_drop,
    attr_get,
    callout_parts,
    elements,
    expand_blocks,
    map_lists,
    stringify,
)

MARGIN = "column-margin"


def _raw(text: str) -> Node:
    return {"t": "RawBlock", "c": ["html", text]}


def _unlist_headings(blocks: list[Node]) -> None:
    """Headings inside a box are titles, not sections: keep them out of the contents."""
    for header in elements(blocks, "Header"):
        if "unlisted" not in header["c"][1][1]:
            header["c"][1][1].append("unlisted")


def callouts(ast: Node, words: Locale) -> None:
    """Quarto callouts as a titled box; ``collapse`` makes it a ``<details>`` box
    (``collapse="true"`` folded, ``"false"`` open), as Quarto's HTML does."""

    def expand(node: Node) -> list[Node] | None:
        parts = callout_parts(node, words) if node.get("t") == "Div" else None
        if parts is None:
            return None
        kind, title, body = parts
        attr = node["c"][0]
        _unlist_headings(body)
        collapse = attr_get(attr, "collapse")
        ident = f' id="{html.escape(attr[0])}"' if attr[0] else ""
        classes = f"callout callout-{kind}"
        if collapse in ("true", "false"):
            opened = " open" if collapse == "false" else ""
            return [_raw(f'<details class="{classes} callout-collapse"{ident} role="note"'
                         f'{opened}>\n<summary class="callout-title">'),
                    {"t": "Plain", "c": title}, _raw("</summary>"), *body,
                    _raw("</details>")]
        attr_drop(attr, "title")
        attr_drop(attr, "collapse")
        attr[1] = classes.split()
        attr[2].append(["role", "note"])
        heading = {"t": "Div", "c": [["", ["callout-title"], []],
                                     [{"t": "Plain", "c": title}]]}
        node["c"][1] = [heading, *body]
        return [node]

    ast["blocks"] = expand_blocks(ast["blocks"], expand)


def tabsets(ast: Node) -> None:
    """``::: panel-tabset``: one tab per heading of the first heading level inside."""
    counter = [0]

    def expand(node: Node) -> list[Node] | None:
        tabs = tabset_tabs(node)
        if tabs is None:
            return None
        counter[0] += 1
        return _tabset(node["c"][0], tabs, counter[0])

    ast["blocks"] = expand_blocks(ast["blocks"], expand)


def _tabset(attr: list[Any], tabs: list[tuple[Node, list[Node]]], n: int) -> list[Node]:
    set_id = attr[0] or f"tabset-{n}"
    active = next((i for i, (h, _) in enumerate(tabs) if "active" in h["c"][1][1]), 0)
    buttons = []
    ids = []
    for i, (header, _) in enumerate(tabs):
        tab_id = header["c"][1][0] or f"{set_id}-{i + 1}"
        ids.append(tab_id)
        selected = "true" if i == active else "false"
        buttons.append(f'<button type="button" role="tab" id="{html.escape(tab_id)}-tab" '
                       f'aria-controls="{html.escape(tab_id)}" aria-selected="{selected}">'
                       f"{html.escape(stringify(header['c'][2]))}</button>")
    out = [_raw(f'<div class="panel-tabset" id="{html.escape(set_id)}">\n'
                f'<div class="tabset-nav" role="tablist">{"".join(buttons)}</div>')]
    for i, ((header, body), tab_id) in enumerate(zip(tabs, ids, strict=True)):
        _unlist_headings(body)
        active_cls = " active" if i == active else ""
        out.append(_raw(f'<div class="tab-pane{active_cls}" role="tabpanel" '
                        f'id="{html.escape(tab_id)}" aria-labelledby="{html.escape(tab_id)}-tab">'
                        f'\n<p class="tab-title">{html.escape(stringify(header["c"][2]))}</p>'))
        out += body
        out.append(_raw("</div>"))
    out.append(_raw("</div>"))
    return out


def margin_content(ast: Node) -> None:
    """``::: column-margin`` as an ``<aside>``; ``[…]{.aside}`` spans likewise."""

    def fix(items: list[Node]) -> list[Node]:
        out: list[Node] = []
        for node in items:
            if node.get("t") == "Div" and MARGIN in node["c"][0][1]:
                out += [_raw('<aside class="column-margin">'), *node["c"][1], _raw("</aside>")]
            else:
                if node.get("t") == "Span" and "aside" in node["c"][0][1]:
                    node["c"][0][1] = [c for c in node["c"][0][1] if c != "aside"] + [
                        "column-margin", "aside"]
                out.append(node)
        return out

    ast["blocks"] = map_lists(ast["blocks"], fix)


def margin_notes(ast: Node) -> None:
    """``reference-location: margin``: each footnote becomes a numbered margin note."""
    counter = [0]

    def fix(items: list[Node]) -> list[Node]:
        out: list[Node] = []
        for node in items:
            if node.get("t") != "Note":
                out.append(node)
                continue
            counter[0] += 1
            n = str(counter[0])
            inlines: list[Node] = []
            for block in node["c"]:
                if block.get("t") in ("Para", "Plain"):
                    if inlines:
                        inlines.append({"t": "Space"})
                    inlines += block["c"]
            out.append({"t": "Superscript", "c": [{"t": "Str", "c": n}]})
            out.append({"t": "Span", "c": [["", ["column-margin", "margin-note"], []], [
                {"t": "Superscript", "c": [{"t": "Str", "c": n}]}, {"t": "Space"}, *inlines]]})
        return out

    ast["blocks"] = map_lists(ast["blocks"], fix)


def heading_anchors(ast: Node, words: Locale) -> None:
    """A "§" link after each section heading (Quarto's ``anchor-sections``), so a reader
    can copy the address of a section."""
    for header in elements(ast["blocks"], "Header"):
        level, attr, inlines = header["c"]
        if level == 1 or not attr[0]:
            continue
        header["c"][2] = [*inlines, {"t": "Link", "c": [
            ["", ["anchor-link"], [["aria-label", words.word("proefdruk-anchor-link")]]],
            [{"t": "Str", "c": "§"}], [f"#{attr[0]}", ""]]}]


KBD_RE = re.compile(r'<code class="kbd">(.*?)</code>')


def polish(body: str) -> str:
    """``{{< kbd >}}`` keys as ``<kbd>`` (Quarto's HTML)."""
    return KBD_RE.sub(r"<kbd>\1</kbd>", body)
