"""Small helpers for pandoc's JSON AST and for running the pandoc binary.

The renderer edits chapters as pandoc JSON (dicts with "t" and "c"); these helpers keep
that code short and in one style. Pandoc itself comes from the pypandoc-binary wheel, so
every machine runs the same pandoc version.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

Node = dict[str, Any]


def pandoc_binary() -> str:
    """Path of the pinned pandoc binary."""
    import pypandoc

    return pypandoc.get_pandoc_path()


def run(args: list[str], stdin: str, *, cwd: str | Path, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[str]:
    """Run pandoc with ``args`` on ``stdin``; the caller interprets errors."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run([pandoc_binary(), *args], input=stdin, capture_output=True,
                          text=True, cwd=str(cwd), env=full_env, check=False)


def str_inlines(text: str) -> list[Node]:
    """Inlines for plain text: words as Str, runs of spaces as Space."""
    out: list[Node] = []
    for i, word in enumerate(text.split(" ")):
        if i:
            out.append({"t": "Space"})
        if word:
            out.append({"t": "Str", "c": word})
    return out


def span(classes: list[str], inlines: list[Node], kv: list[list[str]] | None = None) -> Node:
    return {"t": "Span", "c": [["", classes, kv or []], inlines]}


def link(inlines: list[Node], target: str, classes: list[str], title: str = "") -> Node:
    return {"t": "Link", "c": [["", classes, []], inlines, [target, title]]}


def stringify(node: Any) -> str:
    """Plain text of inlines or blocks, like pandoc.utils.stringify."""
    if isinstance(node, list):
        return "".join(stringify(n) for n in node)
    if not isinstance(node, dict):
        return ""
    t, c = node.get("t"), node.get("c")
    if t == "Str":
        return c
    if t in ("Space", "SoftBreak", "LineBreak"):
        return " "
    if t in ("Code", "Math", "RawInline"):
        return c[1] if t != "RawInline" else ""
    if t in ("Emph", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps",
             "Underline", "Plain", "Para"):
        return stringify(c)
    if t == "Quoted":
        quotes = "\u201c\u201d" if c[0]["t"] == "DoubleQuote" else "\u2018\u2019"
        return quotes[0] + stringify(c[1]) + quotes[1]
    if t in ("Span", "Link"):
        return stringify(c[1])
    if t == "Cite":
        return stringify(c[1])
    if t == "Header":
        return stringify(c[2])
    if t == "Note":
        return ""
    return ""


def attr_of(node: Node) -> list[Any] | None:
    """The Attr [id, classes, kv] of an element, if it has one."""
    t = node.get("t")
    c = node.get("c")
    if t in ("Div", "Span", "Figure", "Table", "CodeBlock", "Code", "Link", "Image"):
        return c[0]
    if t == "Header":
        return c[1]
    return None


def set_kv(attr: list[Any], key: str, value: str) -> None:
    kv = [pair for pair in attr[2] if pair[0] != key]
    kv.append([key, value])
    attr[2] = kv


def get_kv(attr: list[Any], key: str) -> str | None:
    for k, v in attr[2]:
        if k == key:
            return v
    return None


def walk(node: Any, visit: Callable[[Node], None]) -> None:
    """Call ``visit`` on every element below ``node`` in document order, parents first.

    Every renderer pass walks the whole chapter, and the preview's draft waits on them
    all: the walk descends only into lists and dicts (a tree holds many more strings)."""
    if isinstance(node, list):
        for item in node:
            if isinstance(item, list | dict):
                walk(item, visit)
    elif isinstance(node, dict):
        if "t" in node:
            visit(node)
            c = node.get("c")
            if isinstance(c, list | dict):
                walk(c, visit)
        else:
            for v in node.values():
                if isinstance(v, list | dict):
                    walk(v, visit)


def elements(node: Any, kind: str) -> Iterator[Node]:
    """The elements of type ``kind`` below ``node``, in document order."""
    found: list[Node] = []
    walk(node, lambda n: found.append(n) if n["t"] == kind else None)
    return iter(found)


def map_inline_lists(node: Any, fn: Callable[[list[Any]], list[Any]]) -> None:
    """Apply ``fn`` to every list (bottom-up) below ``node``, replacing it in place."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, list | dict):
                map_inline_lists(value, fn)
                if isinstance(value, list):
                    node[key] = fn(value)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            if isinstance(item, list | dict):
                map_inline_lists(item, fn)
                if isinstance(item, list):
                    node[i] = fn(item)
