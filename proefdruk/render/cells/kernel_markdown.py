"""Kernel outputs (Jupyter MIME bundles) as safe, reproducible markdown.

Rules, in Quarto's spirit: markdown output is kept as markdown (the author asked for it,
or it is a DataFrame that :mod:`kernel_boot` already escaped); plain text goes into a code
block; figures become SVG files in the cache, referenced by a path relative to the
chapter (as Quarto reads image paths; the renderer turns it into a project path); ``fig-``
and ``tbl-`` labels with captions become cross-referenceable figures and tables.

Everything that comes from a *value* is made inert: text in prose is backslash-escaped,
text in code blocks gets Quarto's shortcode escape (``{{{< >}}}``, which Quarto and our
shortcode filter both print literally) and a fence longer than
any backtick run inside it. Memory addresses, temporary paths and the absolute project
path are removed so that the same inputs give the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from proefdruk.markdown import escape_markdown
from proefdruk.provenance import atomic_write_bytes
from proefdruk.render.cells.kernel_boot import INLINE_MIME

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
_CELL_FILE = re.compile(r"/tmp/ipykernel_\d+/\d+\.py")


def strip_ansi(text: str) -> str:
    """Terminal colour codes out: they are noise in a book and in an error message."""
    return _ANSI.sub("", text)


def clean_text(text: str, root: Path) -> str:
    """Text output without colours, memory addresses or machine-specific paths."""
    text = strip_ansi(text)
    text = _ADDRESS.sub("", text)
    text = _CELL_FILE.sub("<cell>", text)
    for prefix in {str(root), str(root.resolve())}:
        text = text.replace(prefix + "/", "")
    return text


def code_block(text: str, classes: str) -> str:
    """A fenced code block that shows ``text`` literally, whatever it contains."""
    body = text.rstrip("\n").replace("{{<", "{{{<").replace(">}}", ">}}}")
    longest = max([2, *(len(r) for r in re.findall(r"`+", body))])
    fence = "`" * (longest + 1)
    return f"{fence}{{{classes}}}\n{body}\n{fence}"


def _attr(value: str) -> str:
    return '"' + " ".join(value.split()).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _one_line(value: str) -> str:
    return " ".join(str(value).split())


def _link(path: str) -> str:
    return f"<{path}>" if any(c in path for c in " <>()") else path


class FigureStore:
    """Writes figures into the cache with content-addressed names; remembers them.

    Names carry the chapter and the cell label so a person can find a figure, and a hash
    of the content so two versions never overwrite each other under a cached entry.
    """

    def __init__(self, cache_dir: Path, root: Path, chapter: str) -> None:
        self.folder = cache_dir / "figures"
        self.root = root
        self.chapter_dir = (root / chapter).parent
        self.stem = re.sub(r"[^A-Za-z0-9_-]+", "-", Path(chapter).with_suffix("").as_posix())
        self.written: dict[str, str] = {}

    def save(self, data: bytes, name: str, suffix: str) -> str:
        digest = hashlib.sha256(data).hexdigest()
        path = self.folder / f"{self.stem}-{name}-{digest[:12]}.{suffix}"
        if not path.exists() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            atomic_write_bytes(path, data)
        try:
            rel = path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            rel = path.resolve().as_posix()
        self.written[rel] = digest
        return self.link(path)

    def link(self, path: Path) -> str:
        """The path as the chapter must write it: relative to the chapter's folder, like
        every image path in Quarto (the renderer makes it project-relative again)."""
        full = path.resolve()
        if not full.is_relative_to(self.root.resolve()):
            return full.as_posix()  # a cache outside the project: only an absolute path works
        return Path(os.path.relpath(full, self.chapter_dir.resolve())).as_posix()


def _merge_streams(outputs: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    merged: list[dict[str, Any]] = []
    for out in outputs:
        if (
            out.get("output_type") == "stream"
            and merged
            and merged[-1].get("output_type") == "stream"
            and merged[-1].get("name") == out.get("name")
        ):
            merged[-1] = {**merged[-1], "text": merged[-1]["text"] + out["text"]}
        else:
            merged.append(dict(out))
    return merged


def cell_markdown(
    code: str,
    options: dict[str, Any],
    outputs: Sequence[dict[str, Any]],
    *,
    index: int,
    root: Path,
    figures: FigureStore,
) -> str:
    """The markdown that replaces one fenced cell (``index`` is its 1-based number)."""
    if not options.get("include", True):
        return ""
    blocks: list[str] = []
    echo = options.get("echo", True)
    if echo == "fenced":
        shown = "```{python}\n" + code.rstrip("\n") + "\n```"
        blocks.append(code_block(shown, ".markdown .cell-code"))
    elif echo:
        lines = code.split("\n")
        while lines and lines[0].startswith("#|"):  # Quarto hides the option lines only
            lines.pop(0)
        body = "\n".join(lines)
        if body.strip():
            blocks.append(code_block(body.strip("\n"), ".python .cell-code"))
    output = options.get("output", True)
    if output is False or not options.get("eval", True):
        return "\n\n".join(blocks)

    label = str(options.get("label") or "")
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", label) if label else f"cell{index}"
    shown_outputs: list[str] = []
    images: list[str] = []
    image_slot: int | None = None
    warning = options.get("warning", True)
    for out in _merge_streams(outputs):
        kind = out.get("output_type")
        if kind == "stream":
            text = clean_text(out.get("text", ""), root)
            if out.get("name") == "stderr":
                if warning and text.strip():
                    shown_outputs.append(code_block(text, ".cell-output .cell-output-stderr"))
            elif output == "asis":
                shown_outputs.append(text.strip("\n"))
            elif text.strip():
                shown_outputs.append(code_block(text, ".cell-output .cell-output-stdout"))
        elif kind == "error":
            trace = clean_text("\n".join(out.get("traceback", [])), root)
            shown_outputs.append(code_block(trace, ".cell-output .cell-output-error"))
        elif kind in ("display_data", "execute_result"):
            data = out.get("data", {})
            if "text/markdown" in data:
                shown_outputs.append(str(data["text/markdown"]).strip("\n"))
            elif "image/svg+xml" in data or "image/png" in data:
                if "image/svg+xml" in data:
                    raw, suffix = str(data["image/svg+xml"]).encode("utf-8"), "svg"
                else:
                    raw, suffix = base64.b64decode(data["image/png"]), "png"
                number = f"-{len(images) + 1}" if images else ""
                images.append(figures.save(raw, name + number, suffix))
                if image_slot is None:
                    image_slot = len(shown_outputs)
                    shown_outputs.append("")
            elif "text/plain" in data:
                text = clean_text(str(data["text/plain"]), root)
                if output == "asis":
                    shown_outputs.append(text.strip("\n"))
                else:
                    shown_outputs.append(code_block(text, ".cell-output .cell-output-display"))
            elif "text/html" in data:
                shown_outputs.append(code_block(str(data["text/html"]), "=html"))
    # All images of a cell go where its first image was, as one figure.
    if image_slot is not None:
        shown_outputs[image_slot] = _figure(images, options, label)
    shown_outputs = [s for s in shown_outputs if s.strip()]
    blocks.extend(_table(shown_outputs, options, label))
    return "\n\n".join(blocks)


def _figure(paths: list[str], options: dict[str, Any], label: str) -> str:
    """One image, or a figure div with subfigures, with Quarto's caption and id syntax."""
    caps = options.get("fig-cap")
    subcaps = options.get("fig-subcap")
    if isinstance(caps, list):  # Quarto: one caption per plot
        subcaps, caps = caps, None
    alt = options.get("fig-alt")
    is_fig = label.startswith("fig-")
    if len(paths) == 1 and not subcaps:
        cap = _one_line(caps) if isinstance(caps, str) else ""
        attrs = []
        if is_fig:
            attrs.append(f"#{label}")
        alt_text = alt if isinstance(alt, str) else (cap or None)
        if alt_text:
            attrs.append(f"fig-alt={_attr(alt_text)}")
        suffix = "{" + " ".join(attrs) + "}" if attrs else ""
        return f"![{cap}]({_link(paths[0])}){suffix}"
    parts: list[str] = []
    for k, path in enumerate(paths):
        sub = _one_line(subcaps[k]) if isinstance(subcaps, list) and k < len(subcaps) else ""
        # No ids on subfigures: Quarto letters them (a), (b) under the cell's label, and
        # ids the source does not show would surprise the renderer's label scan.
        attrs: list[str] = []
        if isinstance(alt, str):
            attrs.append(f"fig-alt={_attr(alt)}")
        elif sub:
            attrs.append(f"fig-alt={_attr(sub)}")
        suffix = "{" + " ".join(attrs) + "}" if attrs else ""
        parts.append(f"![{sub}]({_link(path)}){suffix}")
    body = "\n\n".join(parts)
    if is_fig or isinstance(caps, str):
        head = f"::: {{#{label}}}" if is_fig else ":::"
        cap = _one_line(caps) if isinstance(caps, str) else ""
        return f"{head}\n\n{body}\n\n{cap}\n\n:::" if cap else f"{head}\n\n{body}\n\n:::"
    return body


def _is_pipe_table(text: str) -> bool:
    rows = text.strip().splitlines()
    return len(rows) >= 2 and all(r.lstrip().startswith("|") for r in rows) and bool(
        re.match(r"^\s*\|(\s*:?-+:?\s*\|)+\s*$", rows[1])
    )


def _table(outputs: list[str], options: dict[str, Any], label: str) -> list[str]:
    """Attach ``tbl-cap``/``label`` to the cell's table, or wrap a labelled cell in a div."""
    cap = options.get("tbl-cap")
    is_tbl = label.startswith("tbl-")
    if isinstance(cap, str) or is_tbl:
        cap_text = _one_line(cap) if isinstance(cap, str) else ""
        ident = f" {{#{label}}}" if is_tbl else ""
        tables = [i for i, o in enumerate(outputs) if _is_pipe_table(o)]
        if len(tables) == 1 and cap_text:
            i = tables[0]
            outputs = list(outputs)
            outputs[i] = outputs[i].rstrip("\n") + f"\n\n: {cap_text}{ident}"
            return outputs
        if is_tbl:
            body = "\n\n".join(outputs)
            tail = f"\n\n{cap_text}" if cap_text else ""
            return [f"::: {{#{label}}}\n\n{body}{tail}\n\n:::"]
        return outputs
    if label and not label.startswith("fig-") and outputs:
        return [f"::: {{#{label}}}\n\n" + "\n\n".join(outputs) + "\n\n:::"]
    return outputs


def inline_markdown(
    code: str, options: dict[str, Any], outputs: Sequence[dict[str, Any]], root: Path
) -> str:
    """An inline expression's value as escaped text (or markdown if it is a Markdown object)."""
    if not options.get("eval", True):
        return code_span(code)
    for out in outputs:
        payload = out.get("data", {}).get(INLINE_MIME)
        if payload is not None:
            text = clean_text(str(payload.get("text", "")), root)
            if payload.get("markdown"):
                return " ".join(text.split())
            return escape_markdown(text)
    return ""


def code_span(code: str) -> str:
    """``code`` as an inline code span with enough backticks to hold it."""
    longest = max([0, *(len(r) for r in re.findall(r"`+", code))])
    ticks = "`" * (longest + 1)
    pad = " " if code.startswith("`") or code.endswith("`") else ""
    return f"{ticks}{pad}{code}{pad}{ticks}"

