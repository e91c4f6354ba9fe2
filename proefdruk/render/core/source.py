"""Reading a chapter as text: front matter, ``{{< include >}}`` and a line map.

Quarto expands includes as text before anything else, so a table or a fragment included
from ``results/`` behaves exactly as if typed in the chapter. We do the same, and keep
for every expanded line the file and line it came from: every later error (an unknown
shortcode, an unresolved reference, a missing image) can then name the line the author
must edit, even inside an included file.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from proefdruk.errors import BuildError
from proefdruk.render.core import yamlfile

INCLUDE_RE = re.compile(r"^\s*\{\{<\s*include\s+(?P<path>\"[^\"]+\"|'[^']+'|\S+)\s*>\}\}\s*$")
INLINE_INCLUDE_RE = re.compile(r"(?<!\{)\{\{<\s*include\s")
FENCE_RE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
# Files under these folders are written by the workflow; the parse-time scan cannot read
# them before they exist, so they are never a source of cross-chapter labels.
GENERATED_PREFIXES = ("results/",)


# Generated Quarto sources of the book itself (the provenance appendix, the notices):
# build products, but parts of the book rather than analysis outputs with provenance.
BOOK_SOURCES_PREFIX = "results/book/"


def is_generated(path: str) -> bool:
    """Whether a project-relative path is a build product rather than a source."""
    return path.startswith(GENERATED_PREFIXES)


def with_image_extension(path: str, extension: str) -> str:
    """``results/figures/x`` -> ``results/figures/x.svg``: an image written without an
    extension gets the format's ``default-image-extension`` (Quarto's rule, which lets
    the DOCX take the PNG next to each SVG)."""
    if not extension or PurePosixPath(path).suffix:
        return path
    return f"{path}.{extension.lstrip('.')}"


def has_provenance(path: str) -> bool:
    """Whether a path is an analysis output that gets a provenance entry (figures,
    tables, fragments), as opposed to a generated part of the book itself."""
    return is_generated(path) and not path.startswith(BOOK_SOURCES_PREFIX)


@dataclass
class Expanded:
    """A chapter's text after includes, with the origin of every line."""

    lines: list[str]
    origin: list[tuple[str, int]]
    includes: list[str] = field(default_factory=list)
    skipped_generated: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def where(self, index: int) -> tuple[str, int]:
        """File and 1-based line of expanded line ``index`` (0-based)."""
        if not self.origin:
            return ("?", 1)
        index = max(0, min(index, len(self.origin) - 1))
        return self.origin[index]

    def find(self, pattern: str | re.Pattern[str]) -> tuple[str, int] | None:
        """Origin of the first line matching ``pattern`` (a literal string or a regex)."""
        for i, line in enumerate(self.lines):
            if isinstance(pattern, str):
                if pattern in line:
                    return self.where(i)
            elif pattern.search(line):
                return self.where(i)
        return None

    def replaced(self, new_text: str) -> Expanded:
        """The same chapter after a text transformation (code cells): lines that survive
        unchanged keep their origin, new lines take the origin of what they replaced."""
        new_lines = new_text.split("\n")
        if new_lines and new_lines[-1] == "":
            new_lines.pop()
        origin: list[tuple[str, int]] = []
        matcher = difflib.SequenceMatcher(a=self.lines, b=new_lines, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            for k in range(j2 - j1):
                src = i1 + k if tag == "equal" else (i1 if i1 < i2 else max(i1 - 1, 0))
                origin.append(self.where(src))
        return Expanded(new_lines, origin, list(self.includes), list(self.skipped_generated))


def front_matter_end(lines: list[str]) -> int:
    """The index of the first line after a closed YAML front matter block (0 without one):
    where a chapter's body starts, for passes that must leave the metadata alone."""
    if not lines or lines[0].rstrip() != "---":
        return 0
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return i + 1
    return 0


def split_front_matter(lines: list[str], file: str) -> tuple[dict[str, Any], int]:
    """The YAML front matter (checked, with line numbers) and the index of the first body
    line. Pandoc would stop on malformed YAML without saying which chapter; we say it."""
    if not lines or lines[0].rstrip() != "---":
        return {}, 0
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            meta = yamlfile.load("\n".join(lines[1:i]), file, line_offset=1)
            if meta is None:
                meta = {}
            if not isinstance(meta, dict):
                raise BuildError("front matter must be a mapping", file=file, line=2,
                                 expected="key: value lines between the --- markers",
                                 found=type(meta).__name__)
            return meta, i + 1
    raise BuildError("front matter is not closed", file=file, line=1,
                     expected="a second line with --- after the YAML block",
                     hint="add a line '---' after the last front matter line")


def project_path(target: str, base_file: str) -> tuple[str, bool]:
    """``target`` as written in ``base_file`` (relative to it, or to the project root when
    it starts with ``/``, as in Quarto), made project-relative; and whether it tried to
    climb above the project root (such ``..`` steps are dropped)."""
    if target.startswith("/"):
        rel = PurePosixPath(target.lstrip("/"))
    else:
        rel = PurePosixPath(base_file).parent / target
    parts: list[str] = []
    escaped = False
    for part in rel.parts:
        if part == "..":
            if parts:
                parts.pop()
            else:
                escaped = True
        elif part != ".":
            parts.append(part)
    return "/".join(parts), escaped


def _resolve(target: str, including: str, root: Path, file: str, line: int) -> str:
    target = target.strip("\"'")
    path, escaped = project_path(target, including)
    if escaped:
        raise BuildError("include points outside the project", file=file, line=line,
                         found=target)
    return path


def code_fence_mask(lines: list[str]) -> list[bool]:
    """For each line, whether it belongs to a fenced code block (fences included)."""
    mask: list[bool] = []
    fence: str | None = None
    for line in lines:
        if fence is None:
            m = FENCE_RE.match(line)
            if m:
                fence = m.group("fence")
                mask.append(True)
                continue
            mask.append(False)
        else:
            mask.append(True)
            stripped = line.strip()
            if stripped.startswith(fence[0] * len(fence)) and set(stripped) == {fence[0]}:
                fence = None
    return mask


def read_chapter(source: str, root: str | Path, *, follow_generated: bool = True
                 ) -> tuple[dict[str, Any], Expanded]:
    """Front matter and the include-expanded text of chapter ``source`` (project-relative).

    With ``follow_generated=False`` includes of build products are recorded but not read
    (the parse-time scan runs before they exist).
    """
    root = Path(root)
    path = root / source
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise BuildError("chapter file not found", file=source) from exc
    except UnicodeDecodeError as exc:
        raise BuildError("chapter is not UTF-8 text", file=source,
                         hint="save the file as UTF-8") from exc
    # A byte order mark (Windows editors write one) is not text: Quarto and pandoc skip
    # it, and left in place it hides the front matter's opening '---'.
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    meta, body = split_front_matter(lines, source)
    out = Expanded([], [])
    # Front matter lines stay in place (pandoc reads them) so line numbers stay true.
    for i in range(body):
        out.lines.append(lines[i])
        out.origin.append((source, i + 1))
    _expand(lines[body:], source, body, root, out, [source], follow_generated)
    return meta, out


def _expand(lines: list[str], file: str, offset: int, root: Path, out: Expanded,
            stack: list[str], follow_generated: bool) -> None:
    mask = code_fence_mask(lines)
    for i, line in enumerate(lines):
        lineno = offset + i + 1
        m = INCLUDE_RE.match(line) if not mask[i] else None
        if m is None:
            if not mask[i] and INLINE_INCLUDE_RE.search(line):
                raise BuildError("an include must stand alone on its line", file=file,
                                 line=lineno, found=line.strip()[:80],
                                 hint="put {{< include path >}} on a line of its own")
            out.lines.append(line)
            out.origin.append((file, lineno))
            continue
        target = _resolve(m.group("path"), file, root, file, lineno)
        if target in stack:
            raise BuildError("include loop", file=file, line=lineno,
                             found=" -> ".join([*stack, target]),
                             hint="a file cannot include itself, directly or indirectly")
        if target not in out.includes:
            out.includes.append(target)
        if is_generated(target) and not follow_generated:
            if target not in out.skipped_generated:
                out.skipped_generated.append(target)
            out.lines.append("")
            out.origin.append((file, lineno))
            continue
        try:
            inc_text = (root / target).read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            written = m.group("path").strip("\"'")
            if written.startswith("/"):
                # Quarto reads "/x" from the project root; a system path is never read.
                raise BuildError("an absolute include path is read from the project root, "
                                 "never from elsewhere on the computer", file=file,
                                 line=lineno, found=f"{written} (read as {target}, which "
                                 "does not exist in the project)",
                                 expected="a file inside the project",
                                 hint="copy what you need into the project and include it "
                                      "by a path relative to this chapter") from exc
            raise BuildError(f"included file '{target}' does not exist", file=file,
                             line=lineno,
                             hint=("it is made by the workflow: run `snakemake all`"
                                   if is_generated(target) else
                                   "fix the path (it is relative to the including file)")
                             ) from exc
        inc_lines = inc_text.removeprefix("\ufeff").replace("\r\n", "\n").split("\n")
        if inc_lines and inc_lines[-1] == "":
            inc_lines.pop()
        _, body = split_front_matter(inc_lines, target)
        _expand(inc_lines[body:], target, body, root, out, [*stack, target], follow_generated)
