"""Numbering and cross-references on a chapter's pandoc AST.

Quarto's crossref filter numbers sections, figures and tables per chapter and turns
``@fig-x`` into "Figuur 4.2". We do the same on the AST pandoc parsed, using the same
numbering function as the text scan (:func:`proefdruk.render.core.scan.number_labels`), so
the labels other chapters were given at planning time are the ones this chapter shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from proefdruk.errors import BuildError, BuildErrors
from proefdruk.render.core import pandocast as pa
from proefdruk.render.core.scan import heading_numbers, is_box, number_labels
from proefdruk.render.core.source import Expanded
from proefdruk.render.core.terms import capitalise

XREF_RE = re.compile(r"^(fig|tbl|sec|Fig|Tbl|Sec)-")
NBSP = "\u00a0"
WHAT = {"fig": "figure", "tbl": "table", "sec": "section"}


@dataclass
class Resolved:
    """What the AST pass found: the chapter's own labels and its title."""

    labels: dict[str, dict[str, Any]]
    title: str
    refs: list[str] = field(default_factory=list)
    figures: list[dict[str, Any]] = field(default_factory=list)


def _caption_blocks(blocks: list[Any]) -> tuple[list[Any], list[Any]]:
    """Split a figure/table div into content and caption (its last paragraph, Quarto's
    rule), unless the last block is itself an image or table."""
    if len(blocks) >= 2 and blocks[-1]["t"] == "Para":
        last = blocks[-1]["c"]
        if not (len(last) == 1 and last[0]["t"] == "Image"):
            return blocks[:-1], [{"t": "Plain", "c": last}]
    return blocks, []


def normalise_floats(blocks: list[Any]) -> list[Any]:
    """Turn ``::: {#fig-x}`` and ``::: {#tbl-x}`` divs into pandoc Figure and Table blocks,
    so writers see one shape for every figure and table."""
    out: list[Any] = []
    for block in blocks:
        if block["t"] == "Div":
            attr, content = block["c"]
            content = normalise_floats(content)
            ident = attr[0]
            if ident.startswith("fig-"):
                body, caption = _caption_blocks(content)
                # A single image in a div: use the image itself, not a figure in a figure.
                if len(body) == 1 and body[0]["t"] == "Figure" and not body[0]["c"][0][0]:
                    body = body[0]["c"][2]
                out.append({"t": "Figure", "c": [attr, [None, caption], body]})
                continue
            if ident.startswith("tbl-"):
                body, caption = _caption_blocks(content)
                tables = [b for b in body if b["t"] == "Table"]
                if len(tables) == 1 and len(body) == 1:
                    table = tables[0]
                    table["c"][0] = [ident, attr[1] + table["c"][0][1], attr[2]]
                    if caption:
                        table["c"][1] = [None, caption]
                    out.append(table)
                    continue
            block["c"][1] = content
        elif block["t"] == "Figure":
            block["c"][2] = normalise_floats(block["c"][2])
        out.append(block)
    return out


def _collect(blocks: list[Any], parent: str | None, headings: list[Any], floats: list[Any],
             sections: bool = True) -> None:
    """Headings (sections) and figures/tables in document order. Headings inside a
    callout or tabset are titles and tabs (``sections=False``), as in Quarto."""
    for block in blocks:
        t = block["t"]
        if t == "Header":
            if sections:
                headings.append(block)
        elif t == "Figure":
            ident = block["c"][0][0]
            if ident.startswith("fig-"):
                floats.append(("fig", block, parent))
                _collect(block["c"][2], ident, headings, floats, sections)
            else:
                _collect(block["c"][2], parent, headings, floats, sections)
        elif t == "Table":
            if block["c"][0][0].startswith("tbl-"):
                floats.append(("tbl", block, None))
        elif t == "Div":
            _collect(block["c"][1], parent, headings, floats,
                     sections and not is_box(block["c"][0][1]))


def _prefix_caption(caption: list[Any], label: list[Any], delim: str) -> None:
    """Put "Figuur 4.2:" (a Span of class caption-label) in front of a caption."""
    blocks = caption[1]
    if not blocks:
        blocks.append({"t": "Plain", "c": []})
    first = blocks[0]
    if first["t"] not in ("Plain", "Para"):
        blocks.insert(0, {"t": "Plain", "c": []})
        first = blocks[0]
    head = [pa.span(["caption-label"], label)]
    if first["c"]:
        head += ([{"t": "Str", "c": delim}] if delim else []) + [{"t": "Space"}]
    first["c"] = head + first["c"]


def number_chapter(ast: dict[str, Any], chapter_id: str, kind: str, number: str | None,
                   terms: dict[str, str], title_meta: str | None) -> Resolved:
    """Number headings, figures and tables of one chapter and label their captions."""
    ast["blocks"] = normalise_floats(ast["blocks"])
    headings: list[Any] = []
    floats: list[Any] = []
    _collect(ast["blocks"], None, headings, floats)
    if not any(h["c"][0] == 1 for h in headings) and title_meta:
        # Title only in the front matter: Quarto shows it as the chapter heading.
        h1 = {"t": "Header", "c": [1, ["", [], []], pa.str_inlines(title_meta)]}
        ast["blocks"].insert(0, h1)
        headings.insert(0, h1)
    rows = [(h["c"][0], h["c"][1][0], "unnumbered" in h["c"][1][1], pa.stringify(h["c"][2]))
            for h in headings]
    first_h1 = next((r for r in rows if r[0] == 1), None)
    title = first_h1[3] if first_h1 else (title_meta or chapter_id)
    if number is None:
        # An unnumbered chapter's title heading must say so, for every writer.
        for h in headings:
            if h["c"][0] == 1 and "unnumbered" not in h["c"][1][1]:
                h["c"][1][1].append("unnumbered")
    labels = number_labels(chapter_id, kind, number, title, rows,
                           [(k, b["c"][0][0], p) for k, b, p in floats], terms)
    for h, sec_no in zip(headings, heading_numbers(number, rows), strict=True):
        if sec_no is not None:
            pa.set_kv(h["c"][1], "number", sec_no)
        elif "unnumbered" not in h["c"][1][1]:
            h["c"][1][1].append("unnumbered")
    delim = terms.get("title-delim", ":")
    for _kind, block, parent in floats:
        entry = labels[block["c"][0][0]]
        pa.set_kv(block["c"][0], "number", entry["number"])
        if parent:
            label = [{"t": "Str", "c": f"({entry['number'][-1]})"}]
            _prefix_caption(block["c"][1], label, "")
        else:
            _prefix_caption(block["c"][1], [{"t": "Str", "c": entry["text"]}], delim)
    return Resolved(labels=labels, title=title)


def _ref_inlines(ident: str, mode: str, entry: dict[str, Any], terms: dict[str, str]
                 ) -> list[Any]:
    """"Figuur 4.2" (or "4.2" for ``[-@fig-x]``, "Paragraaf 2.3" for ``@Sec-x``)."""
    text = entry["text"]
    if mode == "SuppressAuthor" and entry.get("number"):
        text = entry["number"]
    elif ident[0].isupper():
        text = capitalise(text)
    return [{"t": "Str", "c": text}]


def resolve_refs(ast: dict[str, Any], labels: dict[str, dict[str, Any]],
                 terms: dict[str, str], exp: Expanded) -> list[str]:
    """Replace crossref citations (``@fig-``, ``@tbl-``, ``@sec-``) by links of class
    ``xref`` to ``#<label>``. Unknown labels stop the build with their line."""
    errors: list[BuildError] = []
    used: list[str] = []
    joiner = f" {terms.get('and', 'and')} "

    def fix(inlines: list[Any]) -> list[Any]:
        out: list[Any] = []
        for node in inlines:
            if not (isinstance(node, dict) and node.get("t") == "Cite"):
                out.append(node)
                continue
            citations = node["c"][0]
            ids = [c["citationId"] for c in citations]
            xrefs = [i for i in ids if XREF_RE.match(i)]
            if not xrefs:
                out.append(node)
                continue
            if len(xrefs) != len(ids):
                file, line = exp.find("@" + xrefs[0]) or (None, None)
                errors.append(BuildError(
                    "a cross-reference and a citation share one pair of brackets",
                    file=file, line=line, found=", ".join(ids),
                    hint="write them in separate brackets: [@fig-x] [@author2020]"))
                out.append(node)
                continue
            pieces: list[list[Any]] = []
            for cit in citations:
                ident = cit["citationId"]
                key = ident[0].lower() + ident[1:]
                entry = labels.get(key)
                if entry is None:
                    file, line = exp.find(re.compile(r"@\{?" + re.escape(ident) + r"(?![\w-])")
                                          ) or (None, None)
                    errors.append(BuildError(
                        f"unresolved cross-reference '@{ident}'", file=file, line=line,
                        expected=f"a label {{#{key}}} on a heading, figure or table of the book",
                        found=f"@{ident}",
                        hint="check the spelling, or add the label where the "
                             f"{WHAT[key[:3]]} is defined"))
                    continue
                used.append(key)
                inner = _ref_inlines(ident, cit["citationMode"]["t"], entry, terms)
                piece = list(cit.get("citationPrefix") or [])
                if piece:
                    piece.append({"t": "Space"})
                piece.append(pa.link(inner, f"#{key}", ["xref"]))
                suffix = list(cit.get("citationSuffix") or [])
                piece += suffix
                pieces.append(piece)
            for i, piece in enumerate(pieces):
                if i:
                    sep = joiner if i == len(pieces) - 1 else ", "
                    out += pa.str_inlines(sep) if sep.strip() != "," else [
                        {"t": "Str", "c": ","}, {"t": "Space"}]
                out += piece
        return out

    pa.map_inline_lists(ast["blocks"], fix)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise BuildErrors(errors)
    return sorted(set(used))
