"""The feedback report, in Markdown and HTML: per source file, in reading order.

Each item links to its line twice: ``vscode://file/<absolute path>:<line>`` opens it in
VS Code, the plain ``file:line`` works in any editor's "go to file" and in a terminal.
The report is for the author's own machine (it holds absolute paths); it is never part
of the book.
"""

from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import quote

from proefdruk.feedback.items import Item
from proefdruk.feedback.locate import FUZZY_THRESHOLD
from proefdruk.markdown import escape_markdown

ASCII_SPACE = " \t\n\r\f\v"
LABELS = {"comment": "Comment", "insertion": "Insertion", "deletion": "Deletion",
          "replacement": "Change", "untracked": "Untracked edit"}
ACTIONS = {"patch": "in the patch", "manual": "manual", "comment": "comment",
           "unplaced": "not placed", "applied": "already in the source"}


def groups(items: list[Item]) -> list[tuple[str | None, list[Item]]]:
    """Items per source file (files in reading order), unplaced ones last."""
    out: dict[str | None, list[Item]] = {}
    for item in items:
        out.setdefault(item.file if item.action != "unplaced" else None, []).append(item)
    placed = [(f, v) for f, v in out.items() if f is not None]
    return placed + ([(None, out[None])] if None in out else [])


def editor_link(root: Path, file: str, line: int | None) -> str:
    return f"vscode://file{quote(str((root / file).resolve()))}:{line or 1}"


def summary(items: list[Item]) -> dict[str, int]:
    counts = {"comments": 0, "changes": 0, "untracked": 0, "patch": 0, "manual": 0,
              "unplaced": 0, "applied": 0}
    for item in items:
        counts[{"comment": "comments", "untracked": "untracked"}.get(item.kind, "changes")] += 1
        if item.action in ("patch", "manual", "unplaced", "applied"):
            counts[item.action] += 1
    return counts


def headline(items: list[Item], patch_name: str) -> str:
    """One sentence with the counts, for the report and the command's last line."""
    c = summary(items)
    return (f"{c['comments']} comment(s), {c['changes']} tracked change(s) and "
            f"{c['untracked']} untracked edit(s): {c['patch']} in {patch_name}, "
            f"{c['manual']} to make by hand, {c['unplaced']} not placed"
            + (f", {c['applied']} already in the source." if c["applied"] else "."))


def closing_summary(items: list[Item], out: Path) -> str:
    """What ``proefdruk feedback`` ends with on the console (:mod:`proefdruk.summary`)."""
    from proefdruk.summary import block

    c = summary(items)
    patch = out / "accepted.patch"
    still_open = []
    if c["patch"]:
        still_open.append(f"{c['patch']} change(s) in {patch}: read it, then "
                          f"`git apply {patch}` and rebuild")
    if c["manual"]:
        still_open.append(f"{c['manual']} change(s) to make by hand (the report says why)")
    if c["unplaced"]:
        still_open.append(f"{c['unplaced']} item(s) not placed (listed last in the report)")
    if c["comments"]:
        still_open.append(f"{c['comments']} comment(s) to answer")
    return block("feedback", headline(items, str(patch)),
                 [f"{out / 'feedback.html'} and feedback.md (the report)",
                  f"{patch} ({c['patch']} change(s))"], still_open)


def _what(item: Item) -> str:
    """What the supervisor wrote, as inert Markdown text."""
    if item.kind == "comment":
        return md(item.comment)
    return f"{md(item.old) or '∅'} → {md(item.new) or '∅'}"


def md(text: str) -> str:
    """Text from the DOCX as literal Markdown: a comment's ``<script>`` or
    ``[x](javascript:…)`` must read as typed and never become HTML or a link in a
    Markdown viewer. Newlines become spaces, so a comment cannot open a new block; the
    spaces at either end stay, as they are part of an inserted or deleted stretch."""
    lead = len(text) - len(text.lstrip(ASCII_SPACE))  # what escape_markdown strips
    trail = len(text) - len(text.rstrip(ASCII_SPACE))
    core = escape_markdown(text)
    return " " * lead + core + " " * trail if core else ""


def markdown(items: list[Item], docx_name: str, patch_name: str, root: Path) -> str:
    out = [f"# Feedback from {md(docx_name)}", "", headline(items, f"`{patch_name}`"), "",
           f"Review the patch, then apply it with `git apply {patch_name}`; the sources are "
           "never edited by this command. Paragraphs of a DOCX from an older edition are "
           f"matched by text (similarity at least {FUZZY_THRESHOLD:.2f}), marked *fuzzy*.",
           ""]
    for file, group in groups(items):
        # file names are the plan's own paths (checked in .scope), not the DOCX's words
        out += [f"## {file}" if file else "## Not placed", ""]
        for n, item in enumerate(group, 1):
            where = ""
            if item.file:
                where = (f"[{item.file}:{item.line}]({editor_link(root, item.file, item.line)})"
                         + (" *fuzzy*" if item.fuzzy else ""))
            head = (f"{n}. **{LABELS[item.kind]}** ({ACTIONS[item.action]}), "
                    f"{md(item.author) or 'unknown author'}"
                    + (f", {md(item.date)}" if item.date else "")
                    + (f", {where}" if where else ""))
            out.append(head)
            if item.quoted:
                out.append(f"   > {md(item.quoted)}")
            out.append(f"   {_what(item)}")
            if item.reason:
                out.append(f"   *Why: {item.reason}*")  # ours; a bookmark name in it is
                # reduced to Word's letters, digits and _ (docx_read._mark)
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def to_html(items: list[Item], docx_name: str, patch_name: str, root: Path) -> str:
    e = html.escape
    body = [f"<h1>Feedback from {e(docx_name)}</h1>",
            f"<p>{e(headline(items, patch_name))} Review the patch, then "
            f"<code>git apply {e(patch_name)}</code>. Fuzzy matches (older edition) need a "
            f"similarity of at least {FUZZY_THRESHOLD:.2f}.</p>"]
    for file, group in groups(items):
        body.append(f"<h2>{e(file) if file else 'Not placed'}</h2><ol>")
        for item in group:
            links = ""
            if item.file:
                plain = f"{item.file}:{item.line}"
                links = (f' <a href="{e(editor_link(root, item.file, item.line))}">'
                         f"{e(plain)}</a> <code>{e(plain)}</code>"
                         + (" <em>fuzzy</em>" if item.fuzzy else ""))
            body.append(f'<li class="{item.action}"><strong>{LABELS[item.kind]}</strong> '
                        f"({ACTIONS[item.action]}), {e(item.author or 'unknown author')}"
                        + (f", {e(item.date)}" if item.date else "") + links)
            if item.quoted:
                body.append(f"<blockquote>{e(item.quoted)}</blockquote>")
            if item.kind == "comment":
                body.append(f"<p>{e(item.comment)}</p>")
            else:
                body.append(f"<p><del>{e(item.old)}</del> → <ins>{e(item.new)}</ins></p>")
            if item.reason:
                body.append(f'<p class="why">Why: {e(item.reason)}</p>')
            body.append("</li>")
        body.append("</ol>")
    style = ("body{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.4}"
             "del{background:#fdd}ins{background:#dfd}blockquote{color:#555;margin-left:1em}"
             "li.manual{border-left:3px solid #c80;padding-left:.5em}"
             "li.applied{color:#555}"
             "li.unplaced{border-left:3px solid #c00;padding-left:.5em}.why{font-style:italic}")
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f"<title>Feedback: {e(docx_name)}</title><style>{style}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")
