"""Quarto's interactive constructs as the print editions (PDF, DOCX) show them.

Quarto's own reading for formats without tabs: a tabset becomes its tabs one after the
other, each under its title as a level-4 heading (``min(4, level)``, quarto-cli
``panel-tabset.lua``). Those headings are titles, not sections, so they carry no
number. A collapsible callout is printed open. Shared by :mod:`.typst_pdf` and
:mod:`.docx`; :func:`tabset_tabs` (how a tabset splits into tabs) serves the HTML too.
"""

from __future__ import annotations

from proefdruk.render.editions.shared import Node, expand_blocks


def tabset_tabs(div: Node) -> list[tuple[Node, list[Node]]] | None:
    """(heading, content) per tab of a ``panel-tabset`` Div, or None for another block
    or a tabset without headings. Quarto's rule: the first heading's level starts tabs;
    what comes before the first tab is dropped."""
    if div.get("t") != "Div" or "panel-tabset" not in div["c"][0][1]:
        return None
    content = div["c"][1]
    level = next((b["c"][0] for b in content if b.get("t") == "Header"), None)
    if level is None:
        return None
    tabs: list[tuple[Node, list[Node]]] = []
    for block in content:
        if block.get("t") == "Header" and block["c"][0] == level:
            tabs.append((block, []))
        elif tabs:
            tabs[-1][1].append(block)
    return tabs


def tabsets_as_headings(blocks: list[Node]) -> list[Node]:
    """Each ``panel-tabset`` Div as unnumbered level-4 (or higher) headings."""

    def expand(node: Node) -> list[Node] | None:
        tabs = tabset_tabs(node)
        if tabs is None:
            return None
        out: list[Node] = []
        for header, body in tabs:
            attr = header["c"][1]
            header["c"][0] = min(4, header["c"][0])
            attr[1] += [c for c in ("unnumbered", "unlisted") if c not in attr[1]]
            out += [header, *body]
        return out

    return expand_blocks(blocks, expand)
