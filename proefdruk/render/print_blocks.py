"""Quarto's interactive constructs as the print editions (PDF, DOCX) show them.

Quarto's own reading for formats without tabs: a tabset becomes its tabs one after the
other, each under its title as a level-4 heading (``min(4, level)``, quarto-cli
``panel-tabset.lua``). Those headings are titles, not sections, so they carry no
number. A collapsible callout is printed open. Shared by :mod:`.typst_pdf` and
:mod:`.docx`.
"""

from __future__ import annotations

from proefdruk.render.editions import Node, map_lists


def tabsets_as_headings(blocks: list[Node]) -> list[Node]:
    """Each ``panel-tabset`` Div as unnumbered level-4 (or higher) headings."""

    def fix(items: list[Node]) -> list[Node]:
        out: list[Node] = []
        for node in items:
            if node.get("t") != "Div" or "panel-tabset" not in node["c"][0][1]:
                out.append(node)
                continue
            content = node["c"][1]
            level = next((b["c"][0] for b in content if b.get("t") == "Header"), None)
            for block in content:
                if block.get("t") == "Header" and block["c"][0] == level:
                    attr = block["c"][1]
                    block["c"][0] = min(4, level)
                    if "unnumbered" not in attr[1]:
                        attr[1].append("unnumbered")
                    if "unlisted" not in attr[1]:
                        attr[1].append("unlisted")
                out.append(block)
        return out

    return map_lists(blocks, fix)
