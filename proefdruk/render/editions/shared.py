"""What the three edition writers (HTML, PDF, DOCX) share: reading the resolved book.

The renderer core resolves every chapter into a pandoc JSON AST and describes the book in
``book.json`` (see :mod:`proefdruk.render`). The writers only ever *read* that: this module
loads a chapter's AST, walks and edits pandoc JSON in place, turns inlines into plain
text, finds where a label lives, and runs pandoc. Keeping that in one place means the
three editions number, label and link things the same way.
"""

from __future__ import annotations

import contextlib
import copy
import importlib.util
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pypandoc

from proefdruk.errors import BuildError
from proefdruk.locale.words import Locale, book_words
from proefdruk.render.core import conditional, sourcepos
from proefdruk.render.core.pandocast import elements, walk  # noqa: F401 (the one AST walker)

Node = dict[str, Any]

# The word before a chapter's number, per kind (locale keys, as Quarto names them). One
# table so HTML, PDF and DOCX agree; the words come from the book's locale.
KIND_LABEL = {"chapter": "crossref-ch-prefix", "appendix": "crossref-apx-prefix",
              "provenance": "crossref-apx-prefix"}
# Quarto's callout kinds; each shows its locale's title when the author gives none.
CALLOUT_KINDS = ("note", "tip", "warning", "important", "caution")
# Used for the PDF date and DOCX zip entries when SOURCE_DATE_EPOCH is not set:
# 1980-01-01, the earliest date a zip entry can hold. A fixed value keeps bytes stable.
FALLBACK_EPOCH = 315532800


def project_root(book: dict[str, Any]) -> Path:
    """The folder that project-relative paths in ``book`` are relative to.

    Snakemake runs rules from the project root, so that is the default; tests and other
    callers may set ``book["root"]``.
    """
    return Path(book.get("root") or ".")


def project_image(root: Path, chapter: dict[str, Any], src: str,
                  hint: str = "run the analysis step that makes the figure, or fix the path"
                  ) -> str:
    """The project-relative path of an image in a chapter AST, which may still carry the
    chapter folder's ``../``. A missing file stops every edition alike; pandoc alone would
    only warn and leave a gap."""
    rel = src
    while rel.startswith("../"):
        rel = rel[3:]
    if not (root / rel).is_file():
        raise BuildError(
            "an image in the chapter does not exist",
            file=chapter.get("source"),
            field="src",
            expected="a project-relative path to an existing figure",
            found=src,
            hint=hint,
        )
    return rel


def source_date_epoch() -> int:
    """The fixed build date (seconds since 1970) from SOURCE_DATE_EPOCH, or a fallback."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return FALLBACK_EPOCH
    try:
        return int(value)
    except ValueError as exc:
        raise BuildError(
            "SOURCE_DATE_EPOCH is not a whole number of seconds",
            field="SOURCE_DATE_EPOCH",
            expected="an integer such as 1767225600",
            found=value,
            hint="set source_date_epoch in config/config.yaml to an integer",
        ) from exc


def chapter_by_id(book: dict[str, Any], chapter_id: str) -> dict[str, Any]:
    """The chapter entry of ``book`` with this id, or a BuildError naming the known ids."""
    for chapter in book.get("chapters", []):
        if chapter.get("id") == chapter_id:
            return chapter
    known = ", ".join(c.get("id", "?") for c in book.get("chapters", []))
    raise BuildError(
        "unknown chapter id",
        field="chapter_id",
        expected=f"one of: {known}",
        found=chapter_id,
        hint="use an id listed in results/render/book.json",
    )


def load_ast(book: dict[str, Any], chapter: dict[str, Any], edition: str | None = None, *,
             positions: bool = False) -> Node:
    """A fresh (deep-copied) pandoc AST for ``chapter``; writers edit it freely.

    With ``edition`` (html, typst, docx), conditional content (``.content-visible``,
    ``.content-hidden``) is already resolved for that edition. Source-position markers
    (:mod:`proefdruk.render.core.sourcepos`) are removed unless ``positions`` is set: only the
    DOCX carries them, as bookmarks.
    """
    data = _read_ast(book, chapter)
    if edition is not None:
        data["blocks"] = conditional.for_edition(data["blocks"], edition)
    return data if positions else sourcepos.strip(data)


def _read_ast(book: dict[str, Any], chapter: dict[str, Any]) -> Node:
    ast = chapter.get("ast")
    if isinstance(ast, dict):
        return copy.deepcopy(ast)
    path = project_root(book) / str(ast)
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError as exc:
        raise BuildError(
            "chapter AST not found",
            file=str(ast),
            field="ast",
            expected="the resolved pandoc JSON of the chapter",
            found="no such file",
            hint=f"render the chapter first ({chapter.get('source', chapter.get('id'))})",
        ) from exc
    except json.JSONDecodeError as exc:
        raise BuildError(
            "chapter AST is not valid JSON",
            file=str(ast),
            line=exc.lineno,
            expected="pandoc JSON",
            found=exc.msg,
            hint="delete the file and render the chapter again",
        ) from exc
    if not isinstance(data, dict) or "blocks" not in data:
        raise BuildError(
            "chapter AST is not a pandoc document",
            file=str(ast),
            expected='a JSON object with "pandoc-api-version", "meta" and "blocks"',
            found=type(data).__name__,
            hint="render the chapter again",
        )
    return data


# --- walking pandoc JSON -------------------------------------------------------------


def map_lists(node: Any, fn: Callable[[list[Any]], list[Any]]) -> Any:
    """Rewrite every list of elements bottom-up with ``fn`` (to insert or drop elements)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, list | dict):
                node[key] = map_lists(value, fn)
        return node
    if isinstance(node, list):
        items = [map_lists(item, fn) if isinstance(item, list | dict) else item
                 for item in node]
        if items and all(isinstance(i, dict) and "t" in i for i in items):
            return fn(items)
        return items
    return node


def expand_blocks(node: Any, expand: Callable[[Any], list[Any] | None]) -> Any:
    """Replace every element of every list below ``node`` for which ``expand`` returns a
    list by that list (``None`` keeps the element): the one loop behind each construct
    (callout, tabset, margin note) that an edition writes out in its own way."""

    def fix(items: list[Any]) -> list[Any]:
        out: list[Any] = []
        for item in items:
            new = expand(item)
            out += [item] if new is None else new
        return out

    return map_lists(node, fix)


def attr_get(attr: list[Any], key: str) -> str | None:
    """Value of key ``key`` in a pandoc Attr ``[id, classes, [[k, v], ...]]``."""
    for k, v in attr[2]:
        if k == key:
            return v
    return None


def attr_drop(attr: list[Any], *keys: str) -> None:
    """Remove key-value pairs from a pandoc Attr in place."""
    attr[2] = [[k, v] for k, v in attr[2] if k not in keys]


def node_attr(node: Node) -> list[Any] | None:
    """The Attr of an element that has one (Header, Div, Span, Link, Image, Figure...)."""
    t, c = node.get("t"), node.get("c")
    if t in ("Div", "Span", "Figure", "Table", "CodeBlock", "Code"):
        return c[0]
    if t == "Header":
        return c[1]
    if t in ("Link", "Image"):
        return c[0]
    return None


def stringify(node: Any) -> str:
    """Plain text of inlines or blocks, as a reader or a search index wants it.

    Footnotes and raw output are left out: a heading or a caption read aloud (or shown
    in a table of contents) should not carry its notes.
    """
    parts: list[str] = []

    def add(n: Any) -> None:
        if isinstance(n, list):
            for item in n:
                add(item)
            return
        if not isinstance(n, dict) or "t" not in n:
            return
        t, c = n["t"], n.get("c")
        if t == "Str":
            parts.append(c)
        elif t in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
        elif t in ("Code", "Math"):
            parts.append(c[1])
        elif t in ("Note", "RawInline", "RawBlock"):
            return
        elif t == "Cite":
            add(c[1])
        elif t == "CodeBlock":
            parts.append(" " + c[1] + " ")
        elif t in ("Para", "Plain", "Header"):
            add(c[2] if t == "Header" else c)
            parts.append(" ")
        else:
            add(c)

    add(node)
    return " ".join("".join(parts).split())


def note_text(node: Any) -> str:
    """Plain text of the footnotes below ``node`` (stringify skips them on purpose)."""
    return " ".join(stringify(n["c"]) for n in elements(node, "Note"))


def first_chapter_header(ast: Node) -> int | None:
    """Index in ``ast["blocks"]`` of the first level-1 Header: the chapter's title."""
    for i, block in enumerate(ast["blocks"]):
        if block.get("t") == "Header" and block["c"][0] == 1:
            return i
    return None


def header_number(header: Node) -> str | None:
    """The number the core gave a Header ("4.2", "A.1"), or None when unnumbered."""
    attr = header["c"][1]
    if "unnumbered" in attr[1]:
        return None
    number = attr_get(attr, "number")
    return number or None


def str_inlines(text: str) -> list[Node]:
    """Pandoc inlines for a plain string (words and spaces)."""
    out: list[Node] = []
    for i, word in enumerate(text.split()):
        if i:
            out.append({"t": "Space"})
        out.append({"t": "Str", "c": word})
    return out


def label_target(book: dict[str, Any], label: str) -> str | None:
    """Id of the chapter that holds ``label``, from ``book["labels"]`` and known prefixes.

    Citations point at ``ref-…`` entries of the bibliography and numbers at ``num-…``
    (and claims at ``claim-…``)
    anchors of the provenance appendix; the core lists the rest in ``labels``.
    """
    entry = book.get("labels", {}).get(label)
    if entry and entry.get("chapter"):
        return str(entry["chapter"])
    kinds = {"ref-": "references", "refs": "references", "num-": "provenance",
             "claim-": "provenance"}
    for prefix, kind in kinds.items():
        if label.startswith(prefix):
            for chapter in book.get("chapters", []):
                if chapter.get("kind") == kind:
                    return str(chapter["id"])
    return None


def auto_column_widths(blocks: list[Node]) -> None:
    """Let the layout size table columns by their content.

    Pandoc gives a pipe table whose lines are long *equal* column widths (from the dash
    counts), which squeezes a first column of long answer texts into a sliver. Generated
    tables carry no meaningful widths, so every edition lays them out by content.
    """
    for table in elements(blocks, "Table"):
        table["c"][2] = [[spec[0], {"t": "ColWidthDefault"}] for spec in table["c"][2]]


def chapter_lang(book: dict[str, Any], ast: Node) -> str | None:
    """The chapter's own language (front matter ``lang: en``) when it differs from the book's.

    An English summary in a Dutch book must be hyphenated and spell-checked as English.
    """
    meta = ast.get("meta", {}).get("lang")
    if not meta:
        return None
    lang = meta["c"] if meta.get("t") == "MetaString" else stringify(meta.get("c"))
    lang = str(lang).strip()
    book_lang = str(book.get("lang") or "nl")
    if not lang or lang.split("-")[0].lower() == book_lang.split("-")[0].lower():
        return None
    return lang


def part_numbers(book: dict[str, Any]) -> dict[str, str]:
    """Roman numeral per part title, in book order: parts read as "Deel I", "Deel II"."""
    romans = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
    out: dict[str, str] = {}
    for chapter in book.get("chapters", []):
        part = chapter.get("part")
        if part and part not in out:
            out[part] = romans[len(out)] if len(out) < len(romans) else str(len(out) + 1)
    return out


def chapter_label(chapter: dict[str, Any], book: dict[str, Any]) -> str | None:
    """ "Hoofdstuk 4" or "Bijlage A" (in the book's language: "Chapter 4") for numbered
    chapters and appendices, else None."""
    key = KIND_LABEL.get(str(chapter.get("kind")))
    number = chapter.get("number")
    if key and number:
        return f"{book_words(book).word(key)} {number}"
    return None


def part_label(book: dict[str, Any], roman: str) -> str:
    """ "Deel II" / "Part II": how a part is named above its title."""
    return f"{book_words(book).word('proefdruk-part')} {roman}"


def callout_parts(div: Node, words: Locale) -> tuple[str, list[Node], list[Node]] | None:
    """(kind, title inlines, body blocks) of a Quarto callout Div, or None for other Divs.

    The title is the ``title`` attribute, else a leading heading inside the callout
    (Quarto's two ways), else the locale's name of the kind (``callout-note-title``).
    """
    attr, body = div["c"]
    kinds = [c[len("callout-"):] for c in attr[1] if c.startswith("callout-")]
    if not kinds or kinds[0] not in CALLOUT_KINDS:
        return None
    kind = kinds[0]
    title = attr_get(attr, "title")
    if title:
        return kind, str_inlines(title), body
    if body and body[0].get("t") == "Header":
        return kind, body[0]["c"][2], body[1:]
    return kind, str_inlines(words.word(f"callout-{kind}-title")), body


# --- fonts for text inside figures -----------------------------------------------------

FIGURE_FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf",
                     "DejaVuSans-BoldOblique.ttf")


@contextlib.contextmanager
def figure_font_dir() -> Iterator[list[str]]:
    """A font folder for Typst with the font the SVG figures name (DejaVu Sans).

    Matplotlib writes figure text as text in 'DejaVu Sans' and ships that font with the
    (pinned) package, so the PDF uses exactly the font the figure was drawn with,
    without depending on the machine's fonts. Typst takes folders only, hence the copy.
    Yields ``[]`` when matplotlib is not installed (figure text then falls back to the
    book's serif).
    """
    spec = importlib.util.find_spec("matplotlib")
    folder = Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" if spec and spec.origin \
        else None
    files = [folder / name for name in FIGURE_FONT_FILES] if folder else []
    files = [f for f in files if f.is_file()]
    if not files:
        yield []
        return
    with tempfile.TemporaryDirectory(prefix="proefdruk-fonts-") as tmp:
        for f in files:
            shutil.copyfile(f, Path(tmp) / f.name)
        yield [tmp]


# --- pandoc --------------------------------------------------------------------------


def pandoc_path() -> str:
    """The pandoc binary of the pypandoc-binary wheel (pinned with the environment)."""
    return pypandoc.get_pandoc_path()


def run_pandoc(ast: Node, to: str, args: list[str] | None = None, *, output: Path | None = None
               ) -> str:
    """Convert a pandoc JSON AST with the real pandoc; stdout as text (or write ``output``).

    SOURCE_DATE_EPOCH is always set for the child, so pandoc stamps no wall-clock time
    (DOCX zip entries and core properties).
    """
    cmd = [pandoc_path(), "-f", "json", "-t", to, *(args or [])]
    if output is not None:
        cmd += ["-o", str(output)]
    env = dict(os.environ)
    env["SOURCE_DATE_EPOCH"] = str(source_date_epoch())
    proc = subprocess.run(
        cmd,
        input=json.dumps(ast, ensure_ascii=False).encode("utf-8"),
        capture_output=True,
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        raise BuildError(
            f"pandoc could not write {to}",
            expected="a successful pandoc run",
            found=proc.stderr.decode("utf-8", "replace").strip()[:2000],
            hint="check the chapter AST; run the same pandoc command by hand to see more",
        )
    return proc.stdout.decode("utf-8")


def empty_doc(api_version: list[int] | None = None) -> Node:
    """An empty pandoc document to assemble combined books into."""
    return {"pandoc-api-version": api_version or [1, 23, 1, 1], "meta": {}, "blocks": []}
