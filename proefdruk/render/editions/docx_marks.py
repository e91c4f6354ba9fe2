"""Source positions in the DOCX: Word bookmarks and custom document properties.

A supervisor's Word keeps bookmarks and custom document properties through editing,
tracked changes and comments (LibreOffice does too, on a round trip), and neither shows
in the text. So each block's position marker (:mod:`proefdruk.render.core.sourcepos`) becomes
a bookmark around the block's text, named ``pd<file>_<first>_<last>`` (file number, lines;
Word allows letters, digits and ``_``, at most 40 characters), and each citation footnote
made by citeproc becomes ``pc<file>_<line>_<k>`` (the k-th citation of that block). The
custom properties ``proefdruk-bron-<n>`` hold "path sha256" for every file number, and
``proefdruk-bronposities`` says which version of this scheme the DOCX uses.
"""

from __future__ import annotations

from typing import Any

from proefdruk.render.core.sourcepos import SOURCES_META, is_marker, source_of

SCHEME = "1"
SCHEME_PROPERTY = "proefdruk-bronposities"
FILE_PROPERTY = "proefdruk-bron-"


def bookmark_name(prefix: str, file_no: int, first: int, last: int) -> str:
    return f"{prefix}{file_no}_{first}_{last}"


class SourceMarks:
    """Numbers the source files of the book and turns markers into bookmarks."""

    def __init__(self) -> None:
        self.files: dict[str, int] = {}
        self.sums: dict[str, str] = {}
        self.names: set[str] = set()

    def add_sources(self, ast: dict[str, Any]) -> None:
        """Record the source files (and their SHA-256) of one chapter's AST."""
        meta = ast.get("meta", {}).pop(SOURCES_META, None)
        for file, value in sorted((meta or {}).get("c", {}).items()):
            self.sums[file] = str(value.get("c", ""))
            self._number(file)

    def _number(self, file: str) -> int:
        if file not in self.files:
            self.files[file] = len(self.files) + 1
        return self.files[file]

    def _unique(self, name: str) -> str:
        candidate, n = name, 1
        while candidate in self.names:
            n += 1
            candidate = f"{name}_{n}"
        self.names.add(candidate)
        return candidate

    def bookmark(self, blocks: list[Any]) -> None:
        """Replace every marker (in document order) with a bookmark span around the rest
        of its list; give every citation footnote a bookmark of its own."""
        state: dict[str, Any] = {"at": None, "cites": 0}
        self._walk(blocks, state)

    def _walk(self, node: Any, state: dict[str, Any]) -> None:
        if isinstance(node, list):
            for k, item in enumerate(node):
                if is_marker(item):
                    where = source_of(item)
                    rest = node[k + 1:]
                    del node[k:]
                    if where is None:
                        node.extend(rest)
                        self._walk(node[k:], state)
                        return
                    file, first, last = where
                    state["at"], state["cites"] = (self._number(file), first, last), 0
                    name = self._unique(bookmark_name("pd", *state["at"]))
                    span = {"t": "Span", "c": [[name, [], []], rest]}
                    node.append(span)
                    self._walk(rest, state)
                    return
                self._walk(item, state)
        elif isinstance(node, dict):
            if node.get("t") == "Cite":
                self._cite(node, state)
            for value in node.values():
                if isinstance(value, list | dict):
                    self._walk(value, state)

    def _cite(self, cite: dict[str, Any], state: dict[str, Any]) -> None:
        state["cites"] += 1
        if state["at"] is None:
            return
        file_no, first, _ = state["at"]
        for inline in cite["c"][1]:
            if inline.get("t") != "Note" or not inline["c"]:
                continue
            block = inline["c"][0]
            if block.get("t") in ("Para", "Plain"):
                name = self._unique(bookmark_name("pc", file_no, first, state["cites"]))
                block["c"] = [{"t": "Span", "c": [[name, [], []], block["c"]]}]

    def properties(self) -> dict[str, Any]:
        """Document metadata that pandoc writes as custom properties."""
        props: dict[str, Any] = {SCHEME_PROPERTY: {"t": "MetaString", "c": SCHEME}}
        for file, no in self.files.items():
            value = f"{file} {self.sums.get(file, '')}".strip()
            props[f"{FILE_PROPERTY}{no}"] = {"t": "MetaString", "c": value}
        return props
