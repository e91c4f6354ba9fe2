"""Checks of a dissertation's bibliography and of the citations in its chapters.

A reference list is where reviewers look first and where mistakes survive longest: a key
cited in a chapter but missing from the ``.bib`` silently prints as "???", two entries for
one book split its citations, and a half-known entry gets "completed" by guessing. These
checks run in the build and say where each problem is (file, line, entry, field) and
what to do. They know nothing about the study: they read ``.bib`` files with bibtexparser 2
and scan Quarto/Markdown chapters for ``@key`` citations.

Conventions understood here:

- ``x-todo = {title, institution}`` names details the author still has to look up. Such
  fields count as known gaps: they do not fail the build but are listed for the author.
- ``x-note = {...}`` is a free remark for the author, repeated in the report.
- Names may be written with LaTeX escapes (``{\\"u}``, ``{\\'e}``) or in UTF-8; both
  compare equal when looking for near-duplicates.

Run by hand::

    proefdruk bibliography --bib bibliography/references.bib \\
        --chapters index.qmd chapters/*.qmd --json report.json --markdown report.md
"""

from __future__ import annotations

import logging
import re
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import bibtexparser

from proefdruk.arguments import CommandParser
from proefdruk.citations import (  # noqa: F401 (re-exported for the check's callers)
    CITE_RE,
    CROSSREF_PREFIXES,
    TRAILING_PUNCT,
    Citation,
    scan_citations,
)
from proefdruk.errors import BuildError, BuildErrors
from proefdruk.provenance import atomic_write_text, dump_json

# Required fields per biblatex entry type (biblatex manual, section 2.1.1), with the
# alternatives biblatex accepts. A tuple means "one of these".
REQUIRED: dict[str, list[tuple[str, ...]]] = {
    "article": [("author",), ("title",), ("journaltitle", "journal"), ("year", "date")],
    "book": [("author", "editor"), ("title",), ("year", "date")],
    "collection": [("editor",), ("title",), ("year", "date")],
    "incollection": [("author",), ("title",), ("booktitle",), ("year", "date")],
    "inbook": [("author",), ("title",), ("booktitle",), ("year", "date")],
    "inproceedings": [("author",), ("title",), ("booktitle",), ("year", "date")],
    "proceedings": [("title",), ("year", "date")],
    "thesis": [("author",), ("title",), ("type",), ("institution", "school"), ("year", "date")],
    "phdthesis": [("author",), ("title",), ("institution", "school"), ("year", "date")],
    "mastersthesis": [("author",), ("title",), ("institution", "school"), ("year", "date")],
    "report": [("author",), ("title",), ("type",), ("institution",), ("year", "date")],
    "techreport": [("author",), ("title",), ("institution",), ("year", "date")],
    "online": [("author", "editor"), ("title",), ("year", "date"), ("url",)],
    "misc": [("author", "editor"), ("title",), ("year", "date")],
    "unpublished": [("author",), ("title",), ("year", "date")],
}

DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")

_ACCENTS = {'"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303",
            "=": "\u0304", ".": "\u0307", "c": "\u0327", "v": "\u030c", "u": "\u0306",
            "H": "\u030b", "r": "\u030a", "k": "\u0328"}
_LETTERS = {"ss": "ß", "o": "ø", "O": "Ø", "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ",
            "oe": "œ", "OE": "Œ", "l": "ł", "L": "Ł", "i": "ı"}
_ACCENT_RE = re.compile(r"\{?\\([\"'`^~=.]|[cvuHrk](?=[\s{]))\s*\{?\\?([A-Za-z])\}?\}?")
_LETTER_RE = re.compile(r"\{?\\(ss|aa|AA|ae|AE|oe|OE|o|O|l|L|i)(?![A-Za-z])\}?")


@dataclass
class Finding:
    """One problem or remark, located as precisely as the source allows."""

    level: str  # "error" (fails the build), "warning", or "todo" (for the author)
    code: str
    message: str
    file: str | None = None
    line: int | None = None
    key: str | None = None
    field: str | None = None
    hint: str | None = None
    expected: str | None = None
    found: str | None = None

    def as_error(self) -> BuildError:
        where_field = self.field if self.field else (f"entry {self.key}" if self.key else None)
        return BuildError(self.message, file=self.file, line=self.line, field=where_field,
                          expected=self.expected, found=self.found, hint=self.hint)


@dataclass
class Entry:
    """A parsed bibliography entry with the location it came from."""

    key: str
    type: str
    fields: dict[str, str]
    file: str
    line: int
    todo: list[str] = field(default_factory=list)


@dataclass
class Report:
    """Everything the checks found; serialised to JSON and Markdown."""

    bib_files: list[str]
    chapter_files: list[str]
    entries: list[Entry]
    citations: list[Citation]
    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "error"]

    def to_json(self) -> dict[str, Any]:
        cited = sorted({c.key for c in self.citations})
        todo = sum(f.level == "todo" for f in self.findings)
        unused = sum(f.code == "unused" for f in self.findings)
        return {
            "check": "bibliography",
            "summary": f"{len(self.entries)} entries, {len(cited)} cited, {unused} unused, "
                       f"{todo} incomplete (x-todo), {len(self.errors)} errors",
            "bib_files": self.bib_files,
            "chapter_files": self.chapter_files,
            "counts": {
                "entries": len(self.entries),
                "citations": len(self.citations),
                "cited_keys": len(cited),
                "errors": len(self.errors),
                "warnings": sum(f.level == "warning" for f in self.findings),
                "todo": sum(f.level == "todo" for f in self.findings),
            },
            "cited_keys": cited,
            "findings": [{k: v for k, v in asdict(f).items() if v is not None}
                         for f in self.findings],
        }


# --------------------------------------------------------------------------- text helpers

def latex_to_unicode(text: str) -> str:
    """Resolve the common LaTeX accent escapes so ``M{\\"u}ller`` equals ``Müller``."""
    text = _ACCENT_RE.sub(lambda m: unicodedata.normalize("NFC", m.group(2)
                                                          + _ACCENTS[m.group(1)]), text)
    return _LETTER_RE.sub(lambda m: _LETTERS[m.group(1)], text)


def normalise(text: str) -> str:
    """Lowercase ASCII letters and digits only: the form used to spot near-duplicates."""
    text = latex_to_unicode(text).replace("{", "").replace("}", "")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def split_names(value: str) -> list[str]:
    """Split a BibTeX name list on `` and `` outside braces."""
    names, depth, start, i = [], 0, 0, 0
    while i < len(value):
        ch = value[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif depth == 0 and value[i:i + 5].lower() == " and ":
            names.append(value[start:i].strip())
            start = i + 5
            i += 4
        i += 1
    names.append(value[start:].strip())
    return [n for n in names if n]


def family_name(name: str) -> str:
    """The family name of one BibTeX/biblatex name, particles excluded."""
    if re.search(r"(^|,)\s*family\s*=", name):
        parts = dict(
            (k.strip().lower(), v.strip())
            for k, _, v in (p.partition("=") for p in re.split(r",(?![^{]*\})", name))
        )
        return parts.get("family", "").strip("{}")
    if "," in name:
        last = name.split(",", 1)[0].strip()
    else:
        last = name.split()[-1] if name.split() else name
    words = last.split()
    while len(words) > 1 and words[0][:1].islower():  # von-part
        words = words[1:]
    return " ".join(words).strip("{}")


# --------------------------------------------------------------------------- .bib reading

def _key_from_raw(raw: str) -> str | None:
    m = re.match(r"\s*@\s*\w+\s*[{(]\s*([^,\s]+)\s*,", raw)
    return m.group(1) if m else None


def parse_todo(value: str) -> list[str]:
    """``{title, type, institution}`` -> ``["title", "type", "institution"]``."""
    return [p.strip().lower() for p in value.strip("{}").split(",") if p.strip()]


def load_bib(path: str | Path) -> tuple[list[Entry], list[Finding]]:
    """Parse one ``.bib`` file; syntax problems become findings with file, line and entry."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise BuildError("bibliography file not found", file=path,
                         hint="check the `bibliography:` entry in _quarto.yml") from exc
    except UnicodeDecodeError as exc:
        line = text_line_of_offset(path.read_bytes(), exc.start)
        raise BuildError("bibliography file is not valid UTF-8", file=path, line=line,
                         expected="UTF-8 text", found=f"byte {exc.object[exc.start]:#x}",
                         hint="save the file as UTF-8 (or use LaTeX escapes like {\\\"u})"
                         ) from exc
    # bibtexparser logs each syntax error itself; we report them with more context.
    logger = logging.getLogger("bibtexparser")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        library = bibtexparser.parse_string(text)
    finally:
        logger.setLevel(level)
    entries: list[Entry] = []
    findings: list[Finding] = []
    for block in library.failed_blocks:
        line = block.start_line + 1
        key = getattr(block, "key", None) or _key_from_raw(block.raw)
        if type(block).__name__ == "DuplicateBlockKeyBlock":
            first = next((e for e in library.entries if e.key == key), None)
            first_line = first.start_line + 1 if first is not None else None
            findings.append(Finding(
                "error", "duplicate-key", f"duplicate entry key '{key}'"
                + (f" (first defined on line {first_line})" if first_line else ""),
                file=str(path), line=line, key=key, expected="each entry key once",
                found=f"'{key}' again" + (f" (first on line {first_line})" if first_line else ""),
                hint="give each entry its own key, or delete the second copy"))
        else:
            error = getattr(block, "error", None)
            reason = getattr(error, "abort_reason", None) or str(error or "")
            detail = reason.strip() or "unreadable block"
            findings.append(Finding(
                "error", "syntax", f"BibTeX syntax error in entry '{key or '?'}': {detail}",
                file=str(path), line=line, key=key, found=detail,
                expected="@type{key, field = {value}, ...} with balanced braces",
                hint="check braces, quotes and the comma after each field in this entry"))
    for e in library.entries:
        fields = {k.lower(): str(f.value) for k, f in e.fields_dict.items()}
        entries.append(Entry(key=e.key, type=e.entry_type.lower(), fields=fields,
                             file=str(path), line=e.start_line + 1,
                             todo=parse_todo(fields.get("x-todo", ""))))
    return entries, findings


def text_line_of_offset(data: bytes, offset: int) -> int:
    """1-based line of a byte offset, to point at an undecodable byte."""
    return data[:offset].count(b"\n") + 1


# --------------------------------------------------------------------------- entry checks

def isbn_ok(isbn: str) -> bool:
    """ISBN-10 or ISBN-13 with a correct check digit (hyphens and spaces ignored)."""
    digits = re.sub(r"[\s-]", "", isbn).upper()
    if re.fullmatch(r"\d{9}[\dX]", digits):
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(digits))
        return total % 11 == 0
    if re.fullmatch(r"97[89]\d{10}", digits):
        total = sum((1 if i % 2 == 0 else 3) * int(c) for i, c in enumerate(digits))
        return total % 10 == 0
    return False


def check_entry(entry: Entry) -> list[Finding]:
    """Required fields, DOI and ISBN form, and the author's open to-do items."""
    out: list[Finding] = []
    where = {"file": entry.file, "line": entry.line, "key": entry.key}
    for options in REQUIRED.get(entry.type, [("title",), ("year", "date")]):
        if any(entry.fields.get(f, "").strip() for f in options):
            continue
        if any(o in item.split() or item == o for o in options for item in entry.todo):
            continue
        out.append(Finding(
            "error", "missing-field",
            f"entry '{entry.key}' (@{entry.type}) lacks required field "
            + " or ".join(f"'{o}'" for o in options),
            field=options[0], **where, expected=" or ".join(options), found="absent",
            hint=f"add {options[0]} = {{...}}, or if you do not know it yet, name it in "
                 f"x-todo = {{{options[0]}}} so it is listed for completion"))
    doi = entry.fields.get("doi", "").strip()
    if doi and not DOI_RE.match(doi):
        out.append(Finding("error", "bad-doi", f"malformed DOI in entry '{entry.key}'",
                           field="doi", **where,
                           hint="write the bare DOI, e.g. 10.1080/03071847.2018.1562014, "
                                "without https://doi.org/ (the style adds it)"))
    for isbn in re.split(r"[;,]\s*", entry.fields.get("isbn", "").strip()):
        if isbn and not isbn_ok(isbn):
            out.append(Finding("error", "bad-isbn",
                               f"ISBN '{isbn}' in entry '{entry.key}' has a wrong check "
                               "digit or length", field="isbn", **where,
                               hint="copy the ISBN again from the book's imprint page"))
    if entry.todo:
        note = entry.fields.get("x-note", "")
        out.append(Finding("todo", "todo",
                           f"entry '{entry.key}' is incomplete: {', '.join(entry.todo)}"
                           + (f". Note: {note}" if note else ""),
                           field="x-todo", **where))
    return out


def check_near_duplicates(entries: Sequence[Entry]) -> list[Finding]:
    """Two entries with the same normalised first author, year and title."""
    seen: dict[tuple[str, str, str], Entry] = {}
    out: list[Finding] = []
    for e in entries:
        title = normalise(e.fields.get("title", ""))
        if not title:
            continue
        names = split_names(e.fields.get("author") or e.fields.get("editor") or "")
        first = normalise(family_name(names[0])) if names else ""
        year = (e.fields.get("year") or e.fields.get("date", ""))[:4]
        sig = (first, year, title)
        if sig in seen:
            other = seen[sig]
            out.append(Finding(
                "warning", "near-duplicate",
                f"entries '{other.key}' ({other.file}:{other.line}) and '{e.key}' look like "
                "the same work (same first author, year and title)",
                file=e.file, line=e.line, key=e.key,
                hint="keep one entry and change the citations of the other key"))
        else:
            seen[sig] = e
    return out


# --------------------------------------------------------------------------- citations

def check_citations(citations: Sequence[Citation], entries: Sequence[Entry]) -> list[Finding]:
    """Cited keys that do not exist (errors) and entries nobody cites (warnings)."""
    keys = {e.key for e in entries}
    known = sorted(keys)
    out: list[Finding] = []
    for c in citations:
        if c.key not in keys:
            close = [k for k in known if normalise(k)[:4] == normalise(c.key)[:4]][:3]
            out.append(Finding(
                "error", "unknown-key", f"citation '@{c.key}' has no bibliography entry",
                file=c.file, line=c.line, key=c.key, found=f"@{c.key}",
                expected="a key of an entry in the .bib files",
                hint=("did you mean " + ", ".join(close) + "? " if close else "")
                + "add the entry to the .bib file or correct the key"))
    cited = {c.key for c in citations}
    for e in entries:
        if e.key not in cited:
            out.append(Finding("warning", "unused", f"entry '{e.key}' is never cited",
                               file=e.file, line=e.line, key=e.key,
                               hint="cite it, or remove it from the .bib file"))
    return out


# --------------------------------------------------------------------------- whole check

def check(bib_files: Sequence[str | Path], chapter_files: Sequence[str | Path]) -> Report:
    """Run every check; returns the report (it does not raise on findings)."""
    entries: list[Entry] = []
    findings: list[Finding] = []
    for bib in bib_files:
        found, problems = load_bib(bib)
        findings.extend(problems)
        for e in found:
            clash = next((x for x in entries if x.key == e.key), None)
            if clash is not None:
                findings.append(Finding(
                    "error", "duplicate-key",
                    f"duplicate entry key '{e.key}' (also in {clash.file}:{clash.line})",
                    file=e.file, line=e.line, key=e.key, expected="each entry key once",
                    found=f"'{e.key}' in two files", hint="give each entry its own key"))
                continue
            entries.append(e)
    for e in entries:
        findings.extend(check_entry(e))
    findings.extend(check_near_duplicates(entries))
    citations = [c for ch in chapter_files for c in scan_citations(ch)]
    findings.extend(check_citations(citations, entries))
    order = {"error": 0, "warning": 1, "todo": 2}
    findings.sort(key=lambda f: (order[f.level], f.file or "", f.line or 0, f.code))
    return Report([str(b) for b in bib_files], [str(c) for c in chapter_files], entries,
                  citations, findings)


def _entry_label(entry: Entry, no_year: str = "z.j.") -> str:
    names = split_names(entry.fields.get("author") or entry.fields.get("editor") or "")
    fam = [latex_to_unicode(family_name(n)).strip("{}") for n in names if n != "others"]
    who = " & ".join(fam[:2]) + (" et al." if len(names) > 2 or "others" in names else "")
    return f"{who or '?'} {entry.fields.get('year', entry.fields.get('date', no_year))}"


def render_markdown(report: Report, lang: str = "nl") -> str:
    """The report for the author, in the book's language (``lang``; Dutch by default, as
    before the locale layer): what must be fixed and what to complete. The findings'
    own messages are not translated."""
    from string import Template

    from proefdruk.locale.words import locale_for

    w = locale_for(lang)

    def say(key: str, **values: Any) -> str:
        return Template(w.word(key)).safe_substitute(values)

    data = report.to_json()["counts"]
    by_key = {e.key: e for e in report.entries}
    lines = [f"# {say('proefdruk-bib-title')}", "",
             f"- {say('proefdruk-bib-entries', entries=data['entries'])}",
             "- " + say("proefdruk-bib-citations", citations=data["citations"],
                        keys=data["cited_keys"]),
             "- " + say("proefdruk-bib-counts", errors=data["errors"],
                        warnings=data["warnings"], todo=data["todo"]),
             ""]
    sections = [("error", say("proefdruk-bib-errors")), ("warning", say("proefdruk-bib-warnings")),
                ("todo", say("proefdruk-bib-todo"))]
    for level, title in sections:
        items = [f for f in report.findings if f.level == level]
        lines += [f"## {title}", ""]
        if not items:
            lines += [say("proefdruk-bib-none"), ""]
            continue
        if level == "todo":
            lines += [say("proefdruk-bib-columns"), "| --- | --- | --- | --- |"]
            for f in items:
                e = by_key[f.key] if f.key in by_key else None
                if e is None:
                    continue
                note = e.fields.get("x-note", "").replace("|", "/")
                lines.append(f"| `{e.key}` | {_entry_label(e, say('proefdruk-bib-no-year'))} | "
                             f"{', '.join(e.todo)} | "
                             f"{note} |")
            lines.append("")
            continue
        for f in items:
            loc = f"{f.file}:{f.line}" if f.file else ""
            lines.append(f"- `{loc}` {f.message}" + (f" — {f.hint}" if f.hint else ""))
        lines.append("")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry: check, write the reports, exit 1 if there are errors."""
    parser = CommandParser(prog="proefdruk bibliography",
                           description=__doc__.split("\n\n")[0])
    parser.add_argument("--bib", nargs="+", required=True)
    parser.add_argument("--chapters", nargs="*", default=[])
    parser.add_argument("--json")
    parser.add_argument("--markdown")
    parser.add_argument("--lang", default="nl",
                        help="language of the markdown report (the book's lang:)")
    args = parser.parse_args(argv)
    try:
        report = check(args.bib, sorted(args.chapters))
    except BuildError as exc:
        print(exc.render(), file=sys.stderr)
        return 1
    markdown = render_markdown(report, args.lang)
    if report.errors:
        print(BuildErrors([f.as_error() for f in report.errors]), file=sys.stderr)
        print("\n" + markdown, file=sys.stderr)
        return 1
    if args.json:
        dump_json(report.to_json(), args.json)
    if args.markdown:
        atomic_write_text(args.markdown, markdown + "\n")
    for f in report.findings:
        if f.level == "warning":
            print(f"warning: {f.file}:{f.line}: {f.message}", file=sys.stderr)
    return 0
