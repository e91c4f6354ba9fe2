"""Warnings for Quarto features the built-in renderer does not follow, with file and line.

The list of features and their status is :mod:`.quarto_features`; this module reads
``_quarto.yml``, a chapter's front matter and its markdown and says, for each use of a
feature the renderer does not implement (or of a value it does not honour), which file,
which line, what was found and what the renderer does instead. Nothing here stops the
build: an author switching from Quarto must get a book and a list, not a crash.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from typing import Any

from proefdruk.locale import words as locale
from proefdruk.render.core import quarto_features as qf
from proefdruk.render.core import yamlfile
from proefdruk.render.core.extension import format_base
from proefdruk.render.core.terms import OVERRIDES

QUARTO_FILE = "_quarto.yml"
EDITIONS = ("html", "typst", "docx")
CROSSREF_KEYS = {"chapters", *OVERRIDES}
# Every word of the locale tables can be set under language: (proefdruk/locale/).
LANGUAGE_KEYS = set(locale.table(locale.FALLBACK))
KIND = "quarto-feature"
OPTION_NAMES = [f.name for f in qf.FEATURES if f.kind == "option"]

DIV_RE = re.compile(r"^\s*:{3,}\s*(?:\{(?P<attrs>[^{}]*)\}|(?P<cls>[\w-]+))\s*:*\s*$")
SPAN_OR_DIV_ATTR_RE = re.compile(r"\{(?P<attrs>[^{}]*)\}")
SHORTCODE_RE = re.compile(r"(?<!\{)\{\{<\s*(?P<name>[\w-]+)")
XREF_OTHER_RE = re.compile(r"(?<![\w@])-?@(?P<id>(?:eq|lst|thm|lem|cor|prp|cnj|def|exm|exr"
                           r"|sol|rem|nte|tip|wrn|imp|cau)-[\w-]+)")
DIAGRAM_RE = re.compile(r"^\s*(`{3,}|~{3,})\s*\{(?P<lang>mermaid|dot)[\s,}]")
FENCE_RE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
COLUMN_CLASS_RE = re.compile(r"\.column-(?!margin\b)[\w-]+")
FORMAT_COND_RE = re.compile(r"\b(?P<key>when-format|unless-format)=[\"']?(?P<value>[\w:-]+)")
PROFILE_COND_RE = re.compile(r"\b(?:when|unless)-profile=")
LAYOUT_RE = re.compile(r"\blayout(?:-ncol|-nrow)?=")
CALLOUT_ATTR_RE = re.compile(r"\b(?P<key>appearance|icon)=[\"']?(?P<value>[\w-]+)")


def warning(file: str, line: int | None, key: str, message: str) -> dict[str, Any]:
    """One warnings-report entry (see :mod:`proefdruk.warnings_report`)."""
    return {"kind": KIND, "file": file, "line": line, "key": key, "message": message}


def _not_followed(f: qf.Feature, shown: str) -> str:
    what = "is not implemented" if f.status == qf.MISSING else \
        f"{shown} is not followed"
    return f"`{f.name}` {what} by the built-in renderer: {f.how}"


def _value_text(value: Any) -> str:
    plain = yamlfile.plain(value)
    text = str(plain).replace("True", "true").replace("False", "false")
    return text if len(text) <= 60 else text[:57] + "..."


def check_option(key: str, value: Any, line: int | None, file: str,
                 fmt: str | None = None) -> list[dict[str, Any]]:
    """A document option (top level, ``format: <fmt>:`` or front matter)."""
    f = qf.option("option", key)
    if f is None:
        # Quarto keeps an unknown key as metadata (for {{< meta >}}), and so does this
        # renderer; only a key that looks like a misspelt option is worth a warning.
        close = difflib.get_close_matches(key, OPTION_NAMES, n=1, cutoff=0.8)
        if not close:
            return []
        return [warning(file, line, key, f"`{key}` is not a Quarto option: did you mean "
                        f"`{close[0]}`? It is kept as metadata and has no other effect")]
    if fmt is not None and fmt not in f.formats and f.status != qf.MISSING:
        return []  # Quarto ignores it for this format too
    out: list[dict[str, Any]] = []
    if key in ("crossref", "language") and isinstance(value, dict):
        known = CROSSREF_KEYS if key == "crossref" else LANGUAGE_KEYS
        # under language:, a mapping is the words of one language (`en: {...}`)
        subs = [s for s in value if not (key == "language" and isinstance(value[s], dict))]
        reads = (", ".join(sorted(known)) if key == "crossref"
                 else "the keys of proefdruk/locale/en.yml")
        for sub in sorted(set(subs) - known):
            sub_line = value.line_of(sub) if isinstance(value, yamlfile.LineDict) else line
            out.append(warning(file, sub_line, f"{key}.{sub}",
                               f"`{key}: {sub}` is not implemented by the built-in "
                               f"renderer (it reads {reads})"))
        return out
    if not f.honours(value):
        out.append(warning(file, line, key, _not_followed(f, f"`{key}: {_value_text(value)}`")))
    return out


def _section(data: Any, kind: str, file: str) -> Iterator[dict[str, Any]]:
    if not isinstance(data, yamlfile.LineDict):
        return
    for key, value in data.items():
        f = qf.option(kind, key)
        line = data.line_of(key)
        if f is None:
            if kind == "project":
                yield warning(file, line, f"project.{key}", f"`project: {key}` is not a "
                              "project option the built-in renderer knows; it is ignored")
            continue  # unknown book: keys are errors (proefdruk.render.core.project)
        if not f.honours(value):
            yield warning(file, line, f.name,
                          _not_followed(f, f"`{kind}: {key}: {_value_text(value)}`"))


def check_project(data: yamlfile.LineDict, file: str = QUARTO_FILE,
                  extensions: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Every option of ``_quarto.yml`` the built-in renderer does not follow.

    A top-level key named after an extension (``proefdruk:`` for ``_extensions/proefdruk``)
    is that extension's own configuration, not a Quarto option.
    """
    out: list[dict[str, Any]] = []
    out += _section(data.get("project"), "project", file)
    out += _section(data.get("book"), "book", file)
    formats = data.get("format")
    if isinstance(formats, yamlfile.LineDict):
        for name, options in formats.items():
            fmt = format_base(name, extensions)
            if fmt not in EDITIONS:
                out.append(warning(file, formats.line_of(name), f"format.{name}",
                                   f"format `{name}` is not built by the built-in renderer, "
                                   "which makes HTML, a Typst PDF and DOCX; its options "
                                   "are not read"))
                continue
            if isinstance(options, yamlfile.LineDict):
                for key, value in options.items():
                    out += check_option(key, value, options.line_of(key), file, fmt)
    for key, value in data.items():
        if key in ("project", "book", "format") or key in extensions:
            continue
        out += check_option(key, value, data.line_of(key), file)
    # a language without a word table: said once, here, since this check runs once
    for item in locale.locale_for(str(data.get("lang") or locale.FALLBACK)).warnings():
        out.append(warning(file, data.line_of("lang"), "lang", item["message"]))
    return out


# Options the renderer reads from a chapter's front matter; the others it reads from
# _quarto.yml only, so setting one per chapter is warned.
CHAPTER_OPTIONS = {"title", "lang", "execute", "jupyter", "engine", "editor"}


def check_front_matter(meta: dict[str, Any], file: str, lines: list[str]
                       ) -> list[dict[str, Any]]:
    """A chapter's front-matter options, with the line each key is on."""
    out: list[dict[str, Any]] = []
    for key, value in meta.items():
        line = _key_line(lines, key)
        if key == "format" and isinstance(value, dict):
            out.append(warning(file, line, "format", "per-chapter `format:` options are "
                               "not read by the built-in renderer: set them in _quarto.yml"))
            continue
        found = check_option(key, value, line, file)
        f = qf.option("option", key)
        if not found and f is not None and key not in CHAPTER_OPTIONS:
            found = [warning(file, line, key, f"`{key}` in a chapter's front matter is not "
                             "read by the built-in renderer, which takes it from _quarto.yml "
                             "for the whole book: set it there")]
        out += found
    return out


def _key_line(lines: list[str], key: str) -> int | None:
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*:")
    for i, line in enumerate(lines[:200]):
        if pattern.match(line):
            return i + 1
    return None


def check_markdown(lines: list[str], where: Any, numbered_in_conditional: bool = True
                   ) -> list[dict[str, Any]]:
    """Markdown constructs the renderer does not implement, one warning per use.

    ``where(i)`` gives (file, line) of text line ``i`` (includes expanded).
    """
    out: list[dict[str, Any]] = []
    features = qf.by_name()
    fence: str | None = None
    conditional_depth: list[bool] = []

    def add(i: int, name: str, message: str) -> None:
        file, line = where(i)
        out.append(warning(file, line, name, message))

    def add_columns(i: int, attrs: str) -> None:
        for col in COLUMN_CLASS_RE.findall(attrs):
            f = features["::: .column-body-outset/.column-page/.column-screen "
                         "(and -left/-right/-inset)"]
            add(i, f.name, f"`{col}` is not implemented by the built-in renderer: {f.how}")

    for i, text in enumerate(lines):
        if fence is not None:
            stripped = text.strip()
            if stripped and set(stripped) == {fence[0]} and len(stripped) >= len(fence):
                fence = None
            continue
        diagram = DIAGRAM_RE.match(text)
        if diagram:
            f = features["```{mermaid} / ```{dot} diagrams"]
            add(i, f.name, f"a `{diagram.group('lang')}` diagram is not implemented by the "
                f"built-in renderer: {f.how}")
        opened = FENCE_RE.match(text)
        if opened:
            fence = opened.group(1)
            continue
        div = DIV_RE.match(text)
        if div:
            attrs = div.group("attrs") or f".{div.group('cls')}"
            if div.group("cls"):  # ::: column-page (a bare class) has no braces
                add_columns(i, attrs)
            conditional_depth.append("content-visible" in attrs or "content-hidden" in attrs)
            if ".callout" in attrs:
                for m in CALLOUT_ATTR_RE.finditer(attrs):
                    f = features[f"callout {m.group('key')}="]
                    if not f.honours(m.group("value")):
                        add(i, f.name, _not_followed(f, f"`{m.group(0)}`"))
        elif re.match(r"^\s*:{3,}\s*$", text) and conditional_depth:
            conditional_depth.pop()
        elif numbered_in_conditional and any(conditional_depth) and re.match(
                r"^#{1,6}\s", text) and "unnumbered" not in text and "{-}" not in text:
            add(i, "::: .content-visible / .content-hidden",
                "a numbered heading inside conditional content: the built-in renderer "
                "numbers it as if every edition showed it, Quarto numbers it only where "
                "it is shown; mark it {.unnumbered} or move it out")
        for m in SPAN_OR_DIV_ATTR_RE.finditer(text):
            attrs = m.group("attrs")
            add_columns(i, attrs)
            for cond in FORMAT_COND_RE.finditer(attrs):
                if cond.group("value") in ("pdf", "latex"):
                    add(i, "::: .content-visible / .content-hidden",
                        f"`{cond.group('key')}=\"{cond.group('value')}\"` matches LaTeX "
                        "output only (Quarto's rule), so "
                        "it never matches this book's Typst PDF: write "
                        f"`{cond.group('key')}=\"typst\"` for the PDF edition")
            if PROFILE_COND_RE.search(attrs):
                f = features["when-profile="]
                add(i, f.name, f"`when-profile`/`unless-profile`: {f.how}")
            if LAYOUT_RE.search(attrs):
                f = features["figure layout-ncol= / layout="]
                add(i, f.name, _not_followed(f, ""))
        for m in SHORTCODE_RE.finditer(text):
            f = qf.shortcode(m.group("name"))
            if f is not None and f.status == qf.MISSING:
                add(i, f.name, _not_followed(f, ""))
        for m in XREF_OTHER_RE.finditer(text):
            f = features["@eq- @lst- @thm- and other cross-reference types"]
            add(i, f.name, f"`@{m.group('id')}`: this cross-reference type is not "
                f"implemented by the built-in renderer ({f.how})")
    return out
