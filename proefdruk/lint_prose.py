"""Prose lint: no finding is typed into a chapter.

Every finding in the book must come from the numbers registry (``{{< num key >}}``), so
that a changed input changes the text and a reviewer can trace each number to its
source. A digit typed into prose breaks both promises silently. This lint reads the
chapter sources and reports every digit that is neither markup nor one of the documented
exceptions, with file, line and column, so the build can stop before rendering.

What is NOT prose (masked before looking for digits): YAML front matter, fenced code
blocks and code cells, inline code (also `` `{python} expr` ``), HTML comments and tags,
shortcodes (``{{< … >}}``), attribute blocks (``{#fig-x width=80%}``), link and image
targets, URLs, citations with their locators (``[@key, p. 12]``, ``@key [p. 12]``),
cross-references (``@sec-…``), footnote labels (``[^3]``), div fences (``:::``) and
ordered-list markers (``1.``).

Digits in prose that are NOT findings (the documented exceptions):

- a year, 1900-2099, written as four digits without separators, unless it reads as a
  quantity: followed by ``%``/``procent``/``per cent`` or a decimal part, or preceded by
  ``=``, ``<``, ``>``, ``±``, ``n``/``N``; decades as ``jaren '90``; centuries as
  ``20e eeuw``;
- a page number after ``p.``, ``pp.``, ``blz.``, ``pag.``, ``pagina('s)``, ``page(s)``;
- a label number after a label word: hoofdstuk, paragraaf, ``§``, sectie, bijlage,
  deelvraag, vraag, figuur, tabel, artikel, ``art.``, lid, ``nr.``, stelling, hypothese
  (and the English chapter, section, appendix, question, figure, table, article): the
  lists of every locale table (``proefdruk/locale/*.yml``, section ``lint:``);
  chains such as ``hoofdstuk 3 en 4`` or ``vragen 2 tot en met 5`` included;
- a section number at the start of a heading (``## 2.3 Respons``);
- a day of the month before a month name (``1 januari 2024``);
- a digit that is part of a name, glued to letters: G4, G40, COVID-19, CO2, 5G;
- an official-publication locator: ``Kamerstukken II 2019/20, 35 300 V, nr. 12``,
  ``Stb. 2023, 45``, ``Stcrt. 2021, 1234``;
- a phrase listed in the allow-list file (default ``config/prose-allowlist.yaml``), each
  entry with a reason: design constants such as the population of the study. Design
  constants may also come from ``_variables.yml`` through ``{{< var name >}}``, which,
  like every shortcode, is not prose.

Numbers written in words ("de vijf deelvragen") are not digits and are never flagged.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

from proefdruk.arguments import CommandParser
from proefdruk.errors import BuildError, BuildErrors
from proefdruk.locale.formats import STYLES
from proefdruk.locale.words import lint_words
from proefdruk.numbers import KEY_RE
from proefdruk.provenance import dump_json, project_relative

# ---------------------------------------------------------------------------- masking

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_FENCE_OPEN = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_SHORTCODE = re.compile(r"\{\{[<%].*?[>%]\}\}", re.S)
_INLINE_CODE = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.S)
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_URL = re.compile(r"<?(?:https?|ftp)://[^\s<>)\]]+>?|<?www\.[^\s<>)\]]+>?|doi:\S+|[\w.+-]+@[\w-]+\.[\w.-]+")
_LINK_TARGET = re.compile(r"\]\([^()\s]*(?:\([^()]*\)[^()\s]*)*(?:\s+\"[^\"]*\")?\)")
_REF_DEF = re.compile(r"^[ \t]{0,3}\[[^\]]+\]:[ \t]*\S.*$", re.M)
_ATTRS = re.compile(r"\{[^{}\n]*\}")
_DIV_FENCE = re.compile(r"^[ \t]*:{3,}.*$", re.M)
_FOOTNOTE_LABEL = re.compile(r"\[\^[^\]\s]+\]:?")
# A bracketed citation cluster without nested brackets: [@a, p. 12; zie ook @b].
_CITE_CLUSTER = re.compile(r"(?<!\^)\[[^\[\]]*?-?@[A-Za-z0-9_][^\[\]]*\]")
# An in-text citation or cross-reference, optionally with a locator: @key [p. 12].
_CITE_INTEXT = re.compile(
    r"(?<![\w@])-?@[A-Za-z0-9_][\w:.#$%&+?<>~/-]*(?<![.:])(?:\s*\[[^\[\]\n]*\])?"
)
_LIST_MARKER = re.compile(r"^([ \t]*)(\d+[.)])(?=[ \t])", re.M)
_OFFICIAL = re.compile(
    r"\b(?:Kamerstukken|Handelingen|Aanhangsel\s+Handelingen)\s+(?:I{1,2}\s+)?"
    r"\d{4}(?:[/-]\d{2,4})?(?:,\s*(?:nr\.\s*)?[\dA-Z][\d ]*(?:\s*[A-Z]{1,3}\b)?)*"
    r"(?:,\s*(?:nr|p|blz)\.\s*\d+(?:\s*[-–]\s*\d+)?)*"
    r"|\b(?:Stb|Stcrt|Trb)\.\s*\d{4}(?:,\s*(?:nr\.\s*)?\d+)?"
)


def _blank(text: str, start: int, end: int) -> str:
    """Replace text[start:end] by spaces, keeping newlines so lines and columns hold."""
    piece = "".join("\n" if ch == "\n" else " " for ch in text[start:end])
    return text[:start] + piece + text[end:]


def _blank_all(text: str, pattern: re.Pattern[str]) -> str:
    out = list(text)
    for m in pattern.finditer(text):
        for i in range(m.start(), m.end()):
            if out[i] != "\n":
                out[i] = " "
    return "".join(out)


def _blank_fenced_code(text: str) -> str:
    """Mask fenced code blocks and executable cells (their output is computed)."""
    lines = text.split("\n")
    inside: str | None = None
    for i, line in enumerate(lines):
        m = _FENCE_OPEN.match(line)
        if inside is None:
            if m:
                inside = m.group(1)
                lines[i] = " " * len(line)
        else:
            lines[i] = " " * len(line)
            stripped = line.strip()
            if m and stripped and set(stripped) == {inside[0]} and len(stripped) >= len(inside):
                inside = None
    return "\n".join(lines)


def _blank_citations(text: str) -> str:
    """Mask citation clusters (innermost first, so a footnote keeps its own prose)."""
    while True:
        new = _blank_all(text, _CITE_CLUSTER)
        if new == text:
            break
        text = new
    return _blank_all(text, _CITE_INTEXT)


def mask_markup(text: str) -> str:
    """The chapter with everything that is not running prose replaced by spaces."""
    text = text.replace("\r\n", "\n")
    m = _FRONT_MATTER.match(text)
    if m:
        text = _blank(text, 0, m.end())
    text = _blank_fenced_code(text)
    for pattern in (_HTML_COMMENT, _SHORTCODE, _INLINE_CODE, _URL, _LINK_TARGET, _REF_DEF,
                    _HTML_TAG, _ATTRS, _DIV_FENCE, _FOOTNOTE_LABEL):
        text = _blank_all(text, pattern)
    text = _blank_citations(text)
    text = _blank_all(text, _OFFICIAL)
    return _LIST_MARKER.sub(lambda mm: mm.group(1) + " " * len(mm.group(2)), text)


# ------------------------------------------------------------------------- exceptions

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _words_pattern(words: Iterable[str]) -> str:
    r"""An alternation of the locale tables' words, longest first: a space stands for
    white space (``\s+``), and after a period it may be absent (``vgl.p.``)."""
    parts = []
    for word in words:
        pieces = [re.escape(w) for w in word.split(" ")]
        out = pieces[0]
        for before, piece in zip(word.split(" ")[:-1], pieces[1:], strict=True):
            out += (r"\s*" if before.endswith(".") else r"\s+") + piece
        parts.append(out)
    return "|".join(parts) or "(?!)"  # no word: a pattern that never matches


# The words come from the locale tables (proefdruk/locale/*.yml, section lint:), every
# language at once; month names from the number and date formats.
_CHAIN = (
    rf"(?:\s*(?:,|{_words_pattern(lint_words('chain-words'))}|[-–—/])\s*(?:§\s*)?"
    r"\d+(?:\.\d+)*[a-z]?)*"
)
_PAGE_WORDS = _words_pattern(lint_words("page-words"))
_LABEL_WORDS = _words_pattern(lint_words("label-words"))
_PAGE = re.compile(rf"(?i)(?<![\w])(?:{_PAGE_WORDS})\s*\d+[a-z]?{_CHAIN}")
_LABEL = re.compile(rf"(?i)(?<![\w])(?:{_LABEL_WORDS})\s*\d+(?:\.\d+)*[a-z]?{_CHAIN}")
_MONTHS = "|".join(sorted({m.lower() for style in STYLES.values() for m in style.months}))
_DATE = re.compile(rf"(?i)\b(?:[1-9]|[12]\d|3[01])\.?\s+(?:{_MONTHS})\b")
_HEADING_NUMBER = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(\d+(?:\.\d+)*\.?)(?=\s)", re.M)
_DECADE = re.compile(
    rf"(?i)\b(?:{_words_pattern(lint_words('decade-words'))})\s+'\d\d\b"
    rf"|\b\d{{1,2}}(?:{_words_pattern(lint_words('ordinal-suffixes'))})\s+"
    rf"(?:{_words_pattern(lint_words('century-words'))})\b"
)
_QUANTITY_AFTER = re.compile(
    rf"^\s*(?:%|‰|(?:{_words_pattern(lint_words('percent-words'))})\b)")
_QUANTITY_BEFORE = re.compile(r"(?:[=<>±≈~]|\b[nN])\s*$")


@dataclass(frozen=True)
class Finding:
    """A digit typed into prose, located the way an editor looks it up."""

    file: str
    line: int
    column: int
    text: str
    context: str

    def render(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: '{self.text}' in \"{self.context}\""


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def _phrase_spans(phrases: Iterable[str], text: str) -> list[tuple[int, int]]:
    spans = []
    for phrase in phrases:
        pat = re.compile(r"\s+".join(re.escape(w) for w in phrase.split()))
        spans.extend(_spans(pat, text))
    return spans


def _is_year(token: str, before: str, after: str) -> bool:
    if not re.fullmatch(r"(19|20)\d\d", token):
        return False
    if re.match(r"^[.,]\d", after) or _QUANTITY_AFTER.match(after):
        return False
    return not _QUANTITY_BEFORE.search(before)


_ORDINAL_SUFFIXES = frozenset({"e", "ste", "de", "th", "st", "nd", "rd"})


def _glued_to_name(text: str, start: int, end: int) -> bool:
    """G4, G40, COVID-19, CO2, 5G: the digit belongs to a name, not to a finding."""
    prev = text[start - 1] if start > 0 else ""
    if prev.isalpha():
        return True
    if prev == "-" and start > 1 and text[start - 2].isalpha():
        return True
    nxt = text[end] if end < len(text) else ""
    if nxt.isalpha():
        # Ordinals (3e, 21ste, 2de) are numbers in words' clothing, not names.
        tail = re.match(r"[A-Za-z]+", text[end:])
        return bool(tail) and tail.group(0).lower() not in _ORDINAL_SUFFIXES
    return False


def find_digits(text: str, allow_phrases: Iterable[str] = ()) -> list[tuple[int, int, str]]:
    """Offsets and text of every digit run in prose that no exception covers."""
    masked = mask_markup(text)
    allowed: list[tuple[int, int]] = []
    for pattern in (_PAGE, _LABEL, _DATE, _DECADE):
        allowed.extend(_spans(pattern, masked))
    allowed.extend((m.start(1), m.end(1)) for m in _HEADING_NUMBER.finditer(masked))
    # The allow-list is matched on the original text (masking keeps offsets).
    allowed.extend(_phrase_spans(allow_phrases, text))
    found = []
    for m in _NUMBER.finditer(masked):
        start, end = m.start(), m.end()
        token = m.group(0).rstrip(".,")
        end = start + len(token)
        if any(a <= start and end <= b for a, b in allowed):
            continue
        if _glued_to_name(masked, start, end):
            continue
        line_start = masked.rfind("\n", 0, start) + 1
        if _is_year(token, masked[line_start:start], masked[end:end + 12]):
            continue
        found.append((start, end, token))
    return found


def lint_text(text: str, file: str, allow_phrases: Iterable[str] = ()) -> list[Finding]:
    """All findings in one chapter's source text."""
    text = text.replace("\r\n", "\n")
    findings = []
    for start, _end, token in find_digits(text, allow_phrases):
        line_no = text.count("\n", 0, start) + 1
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", start)
        line = text[line_start:line_end if line_end >= 0 else len(text)]
        col = start - line_start + 1
        lo, hi = max(0, col - 41), min(len(line), col + 40)
        context = ("…" if lo else "") + line[lo:hi].strip() + ("…" if hi < len(line) else "")
        findings.append(Finding(file, line_no, col, token, context))
    return findings


# -------------------------------------------------------------------------- allow-list

def load_allowlist(path: str | Path | None) -> list[str]:
    """Phrases allowed to contain digits, each with a reason (a design constant).

    Format (YAML)::

        allow:
          - phrase: "342 gemeenten"
            reason: "populatie: gemeentelijke indeling 2024 (ontwerp, geen bevinding)"
    """
    if path is None or not Path(path).exists():
        return []
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise BuildError("allow-list is not valid YAML", file=path,
                         line=mark.line + 1 if mark else None, found=str(exc).splitlines()[0],
                         hint="fix the YAML syntax") from exc
    entries = data.get("allow") or []
    phrases = []
    for i, item in enumerate(entries, 1):
        if not isinstance(item, Mapping) or not str(item.get("phrase", "")).strip() \
                or not str(item.get("reason", "")).strip():
            raise BuildError("allow-list entry needs a phrase and a reason", file=path,
                             field=f"allow[{i}]", expected="{phrase: ..., reason: ...}",
                             found=repr(item),
                             hint="say why the digits in this phrase are not a finding")
        phrases.append(str(item["phrase"]))
    return phrases


# ------------------------------------------------------------------------ number usage

_NUM_SHORTCODE = re.compile(r"\{\{<\s*([A-Za-z][\w-]*)\s+([^>]*?)\s*>\}\}")
# Quarto's own shortcodes take metadata keys (``{{< var book.title >}}``), not numbers.
QUARTO_SHORTCODES = frozenset(
    {"var", "meta", "env", "include", "pagebreak", "kbd", "video", "embed", "lipsum",
     "placeholder", "version", "contents", "brand"}
)
_INCLUDE = re.compile(r"\{\{<\s*include\s+(\S+)\s*>\}\}")


def number_uses(text: str) -> list[tuple[str, int, str]]:
    """Every registry key a text refers to: (shortcode, line, key).

    Any shortcode argument shaped like a key counts (``num``, and e.g. a provenance
    shortcode), so a number shown only through another shortcode is not called unused.
    """
    uses = []
    for m in _NUM_SHORTCODE.finditer(text):
        if m.group(1) in QUARTO_SHORTCODES:
            continue
        line = text.count("\n", 0, m.start()) + 1
        for arg in m.group(2).split():
            arg = arg.strip("\"'")
            if "=" not in arg and KEY_RE.match(arg):
                uses.append((m.group(1), line, arg))
    return uses


def collect_uses(files: Iterable[str | Path], follow_includes: bool = True
                 ) -> dict[str, list[tuple[str, int]]]:
    """``key -> [(file, line), ...]`` over the chapters and the files they include."""
    uses: dict[str, list[tuple[str, int]]] = {}
    seen: set[Path] = set()
    todo = [Path(f) for f in files]
    while todo:
        path = todo.pop(0)
        if path.resolve() in seen or not path.exists():
            continue
        seen.add(path.resolve())
        text = path.read_text(encoding="utf-8", errors="replace")
        for _name, line, key in number_uses(text):
            uses.setdefault(key, []).append((project_relative(path), line))
        if follow_includes:
            todo.extend(path.parent / m.group(1) for m in _INCLUDE.finditer(text))
    return {k: sorted(set(v)) for k, v in sorted(uses.items())}


# ------------------------------------------------------------------------------ checks

def report_path_for(qmd: str | Path) -> str:
    """Where the lint report of one chapter source goes; its render rule depends on it,
    so editing one chapter re-lints (and re-renders) that chapter only."""
    return f"results/reports/prose-lint/{Path(qmd).with_suffix('').as_posix()}.json"


def lint_files(files: Iterable[str | Path], allowlist: str | Path | None = None
               ) -> list[Finding]:
    """Findings over several chapter files, in file and line order."""
    phrases = load_allowlist(allowlist)
    findings: list[Finding] = []
    for f in sorted(str(p) for p in files):
        text = Path(f).read_text(encoding="utf-8")
        findings.extend(lint_text(text, project_relative(f), phrases))
    return findings


def findings_error(findings: list[Finding]) -> BuildErrors:
    """One error per typed digit, each saying what to do instead."""
    return BuildErrors([
        BuildError(
            "a number is typed into the prose", file=f.file, line=f.line,
            expected="a registry reference such as {{< num respons.percentage >}}, or a "
                     "documented exception (year, page, section number)",
            found=f"'{f.text}' in \"{f.context}\"",
            hint="compute the number in an analysis step and refer to it by key; write "
                 "counting words in letters; or add a design constant with its reason "
                 "to config/prose-allowlist.yaml",
        )
        for f in findings
    ])


def report(files: list[str], findings: list[Finding], registry: Mapping[str, Any] | None,
           uses: Mapping[str, list[tuple[str, int]]]) -> dict[str, Any]:
    """The prose-lint report: errors (typed digits, unknown keys), and as information
    (listed, not counted as warnings: nothing is wrong) the numbers no chapter uses."""
    errors = [dict(asdict(f), message=f"number typed into prose: '{f.text}'") for f in findings]
    warnings: list[dict[str, Any]] = []
    info: list[dict[str, Any]] = []
    if registry is not None:
        for key, where in uses.items():
            if key not in registry:
                for file, line in where:
                    errors.append({"file": file, "line": line, "key": key,
                                   "message": f"unknown number key '{key}'"})
    unused = sorted(k for k in (registry or {}) if k not in uses)
    # One line per analysis step, not one per number: a step computes more than the
    # prose needs (confidence bounds, test statistics), which is a fact, not a problem.
    by_namespace: dict[str, list[str]] = {}
    for key in unused:
        by_namespace.setdefault(key.split(".", 1)[0], []).append(key)
    for ns, keys in by_namespace.items():
        shown = ", ".join(keys[:12]) + (f", … (+{len(keys) - 12})" if len(keys) > 12 else "")
        info.append({"key": ns, "keys": keys, "file": f"results/numbers/{ns}.json",
                     "message": f"{len(keys)} number(s) not used by any chapter: {shown}"})
    return {
        "check": "prose-lint",
        "files": sorted(files),
        "errors": errors,
        "warnings": warnings,
        "info": info,
        "unused": unused,
        "summary": f"{len(files)} file(s) linted, {len(errors)} error(s), "
                   f"{len(unused)} unused number(s) in {len(by_namespace)} analysis step(s)",
    }


def main(argv: list[str] | None = None) -> int:
    """``proefdruk lint-prose FILE... --out REPORT [--registry numbers.json]``."""
    import json

    ap = CommandParser(prog="proefdruk lint-prose", description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+")
    ap.add_argument("--out", required=True, help="report JSON to write")
    ap.add_argument("--allow", default=None, help="allow-list YAML")
    ap.add_argument("--registry", default=None, help="merged numbers.json (unused/unknown keys)")
    ap.add_argument("--claim-words", default=None,
                    help="word list of the second rule: sentences that state a finding "
                         "without a claim (proefdruk.lint_claims)")
    ap.add_argument("--strict-claims", action="store_true",
                    help="an unbound claim is an error instead of a warning")
    args = ap.parse_args(argv)
    try:
        findings = lint_files(args.files, args.allow)
        registry = None
        if args.registry:
            registry = json.loads(Path(args.registry).read_text(encoding="utf-8"))
        uses = collect_uses(args.files)
        rep = report([project_relative(f) for f in args.files], findings, registry, uses)
        if args.claim_words:
            from proefdruk import lint_claims

            unbound = lint_claims.lint_files([project_relative(f) for f in args.files],
                                             lint_claims.load_words(args.claim_words),
                                             registry)
            if unbound and args.strict_claims:
                raise lint_claims.as_errors(unbound)
            rep["warnings"] += lint_claims.as_warnings(unbound)
            rep["summary"] += f", {len(unbound)} unbound claim(s)"
        if rep["errors"]:
            if findings:
                raise findings_error(findings)
            raise BuildErrors([BuildError(e["message"], file=e["file"], line=e["line"],
                                          expected="a key in results/numbers.json",
                                          found=e.get("key"),
                                          hint="check the spelling of the key")
                               for e in rep["errors"]])
        dump_json(rep, args.out)
        print(f"prose lint: {rep['summary']}")
    except (BuildError, BuildErrors) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    return 0
