"""Prose lint, second rule: a sentence that states a finding in words is bound to a claim.

"De vaakst gekozen groep is economische motieven" contains no digit, yet it is a finding
that turns false when the data change. A sentence that compares or ranks (meest, vaakst,
meer dan, stijging, bevestigd, majority, …) must therefore either be bound to a claim
(``[…]{.claim key="…"}`` or a ``::: {.claim …}`` div, see docs/claims.md), rest on cited
literature (a citation in the same sentence), or get its ranking from the registry itself
(a ``{{< num >}}`` of a text value, such as ``motieven.mot_zwaarst.meest_gekozen``). In
the conclusion chapter and the summaries, concluding words (blijkt, toont aan, concludeer,
shows that, …) count as well. Everything else is listed with file and line; in strict
mode it stops the build.

The words live in a data file (``config/claim-words.yaml``)::

    comparative: {nl: [meest, vaakst, "meer dan", "bevestig*"], en: [most, "more than"]}
    concluding: {nl: [blijkt, "toont aan"], en: ["shows that"]}
    scope: ["chapters/0[4-9]-*.qmd", chapters/10-*.qmd]   # files checked
    conclusion_files: [chapters/10-*.qmd]                  # where concluding words count
    allow:                                                  # phrases that are no finding
      - {phrase: "hoger bestuursniveau", reason: "bestuurslaag, geen vergelijking"}

A word may end in ``*`` (any ending: ``bevestig*``); a lone ``*`` in a phrase stands for
one word (``"eerder * dan"``).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from proefdruk.errors import BuildError, BuildErrors
from proefdruk.lint_prose import (
    _ATTRS,
    _CITE_CLUSTER,
    _CITE_INTEXT,
    _DIV_FENCE,
    _FOOTNOTE_LABEL,
    _FRONT_MATTER,
    _HTML_COMMENT,
    _HTML_TAG,
    _INLINE_CODE,
    _LINK_TARGET,
    _SHORTCODE,
    _URL,
    _blank,
    _blank_all,
    _blank_fenced_code,
)

_CLAIM_ATTR = re.compile(r"\{[^{}\n]*\.claim(?![\w-])[^{}\n]*\}")
_FENCE = re.compile(r"^[ \t]*(:{3,})\s*(?P<rest>.*)$")
_NUM = re.compile(r"\{\{<\s*num\s+(?P<key>[^\s>]+)\s*>\}\}")
_SENTENCE_END = re.compile(r"[.!?](?=[’”'\")\]]*(?:\s|$))")
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t].*$", re.M)


@dataclass(frozen=True)
class Words:
    """The lint's data file, compiled."""

    comparative: re.Pattern[str]
    concluding: re.Pattern[str] | None
    scope: tuple[str, ...]
    conclusion_files: tuple[str, ...]
    allow: tuple[str, ...]


@dataclass(frozen=True)
class Unbound:
    """A sentence that states a finding without a claim."""

    file: str
    line: int
    word: str
    sentence: str

    def message(self) -> str:
        return f"unbound claim: '{self.word}' in \"{self.sentence}\""


def _pattern(entries: Iterable[str]) -> re.Pattern[str] | None:
    parts = []
    for entry in sorted({str(e).strip() for e in entries if str(e).strip()}, key=len,
                        reverse=True):
        tokens = []
        for tok in entry.split():
            if tok == "*":
                tokens.append(r"\S+")
            elif tok.endswith("*"):
                tokens.append(re.escape(tok[:-1]) + r"\w*")
            else:
                tokens.append(re.escape(tok))
        parts.append(r"\s+".join(tokens))
    if not parts:
        return None
    return re.compile(r"(?i)(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])")


def load_words(path: str | Path) -> Words:
    """Read and check the word list (see the module docstring for its shape)."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except FileNotFoundError as exc:
        raise BuildError("claim word list not found", file=path,
                         hint="create it (see docs/claims.md) or set claims.words in "
                              "config/config.yaml") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise BuildError("claim word list is not valid YAML", file=path,
                         line=mark.line + 1 if mark else None,
                         found=str(exc).splitlines()[0], hint="fix the YAML syntax") from exc

    def words(section: str) -> list[str]:
        value = data.get(section) or {}
        if not isinstance(value, Mapping) or not all(isinstance(v, list)
                                                     for v in value.values()):
            raise BuildError(f"'{section}' must map languages to lists of words", file=path,
                             field=section, expected="{nl: [...], en: [...]}",
                             found=repr(value)[:80], hint="list the words per language")
        return [str(w) for ws in value.values() for w in ws]

    allow = []
    for i, item in enumerate(data.get("allow") or [], 1):
        if not isinstance(item, Mapping) or not str(item.get("phrase", "")).strip() \
                or not str(item.get("reason", "")).strip():
            raise BuildError("allow entry needs a phrase and a reason", file=path,
                             field=f"allow[{i}]", expected="{phrase: ..., reason: ...}",
                             found=repr(item), hint="say why the phrase states no finding")
        allow.append(str(item["phrase"]))
    comparative = _pattern(words("comparative"))
    if comparative is None:
        raise BuildError("claim word list has no comparative words", file=path,
                         field="comparative", hint="list at least one word")
    return Words(comparative, _pattern(words("concluding")),
                 tuple(str(s) for s in data.get("scope") or ["*"]),
                 tuple(str(s) for s in data.get("conclusion_files") or []), tuple(allow))


def _claim_regions(text: str) -> list[tuple[int, int]]:
    """Offsets of text inside claim spans ``[…]{.claim …}`` and claim divs."""
    regions: list[tuple[int, int]] = []
    for m in _CLAIM_ATTR.finditer(text):
        if m.start() == 0 or text[m.start() - 1] != "]":
            continue
        depth, i = 0, m.start() - 1
        while i >= 0:
            if text[i] == "]":
                depth += 1
            elif text[i] == "[":
                depth -= 1
                if depth == 0:
                    break
            i -= 1
        regions.append((max(i, 0), m.end()))
    stack: list[tuple[int, bool]] = []  # (start offset, is a claim div)
    offset = 0
    for line in text.split("\n"):
        f = _FENCE.match(line)
        if f:
            if f.group("rest").strip():
                stack.append((offset, bool(_CLAIM_ATTR.search(line))))
            elif stack:
                start, is_claim = stack.pop()
                if is_claim:
                    regions.append((start, offset + len(line)))
        offset += len(line) + 1
    return regions


def _prose(text: str) -> str:
    """The text with what is not running prose blanked (offsets kept); shortcodes and
    citations are blanked too, so words inside them never count."""
    m = _FRONT_MATTER.match(text)
    if m:
        text = _blank(text, 0, m.end())
    text = _blank_fenced_code(text)
    for pattern in (_HTML_COMMENT, _SHORTCODE, _INLINE_CODE, _URL, _LINK_TARGET, _HTML_TAG,
                    _ATTRS, _DIV_FENCE, _FOOTNOTE_LABEL, _HEADING):
        text = _blank_all(text, pattern)
    return text


def _sentences(prose: str) -> Iterable[tuple[int, int]]:
    """Sentence offsets: split at . ! ? before a space, and at paragraph breaks."""
    for para in re.finditer(r"(?:[^\n]|\n(?![ \t]*\n))+", prose):
        start = para.start()
        for end in _SENTENCE_END.finditer(para.group(0)):
            stop = para.start() + end.end()
            if prose[start:stop].strip():
                yield start, stop
            start = stop
        if prose[start:para.end()].strip():
            yield start, para.end()


def _in_scope(file: str, patterns: Iterable[str]) -> bool:
    return any(fnmatch.fnmatch(file, p) for p in patterns)


def lint_text(text: str, file: str, words: Words,
              registry: Mapping[str, Any] | None = None) -> list[Unbound]:
    """Every sentence of one chapter that states a finding without a claim."""
    text = text.replace("\r\n", "\n")
    if not _in_scope(file, words.scope):
        return []
    prose = _prose(text)
    regions = _claim_regions(text)
    allowed = [(m.start(), m.end()) for phrase in words.allow
               for m in re.finditer(r"(?i)" + r"\s+".join(map(re.escape, phrase.split())), text)]
    patterns = [words.comparative]
    if words.concluding is not None and _in_scope(file, words.conclusion_files):
        patterns.append(words.concluding)
    out: list[Unbound] = []
    for start, end in _sentences(prose):
        raw = text[start:end]
        if _CITE_CLUSTER.search(raw) or _CITE_INTEXT.search(_strip_refs(raw)):
            continue  # rests on cited literature
        if registry is not None and any(
                (registry.get(m.group("key").strip("\"'")) or {}).get("kind") == "text"
                for m in _NUM.finditer(raw)):
            continue  # the ranking itself comes from the registry
        for pattern in patterns:
            hit = next((m for m in pattern.finditer(prose, start, end)
                        if not any(a <= m.start() < b for a, b in regions)
                        and not any(a <= m.start() < b for a, b in allowed)), None)
            if hit:
                line = text.count("\n", 0, hit.start()) + 1
                sentence = " ".join(raw.split())
                if len(sentence) > 160:
                    sentence = sentence[:157] + "…"
                out.append(Unbound(file, line, " ".join(hit.group(0).split()), sentence))
                break
    return out


def _strip_refs(text: str) -> str:
    """Cross-references (@sec-…, @fig-…, @tbl-…) are no citations of literature."""
    return re.sub(r"-?@(?:sec|fig|tbl|eq|lst|thm|lem)-[\w-]+", " ", text)


def lint_files(files: Iterable[str], words: Words,
               registry: Mapping[str, Any] | None = None) -> list[Unbound]:
    """Unbound claims over several chapters, in file and line order."""
    out: list[Unbound] = []
    for f in sorted(files):
        out += lint_text(Path(f).read_text(encoding="utf-8"), f, words, registry)
    return out


def as_warnings(found: list[Unbound]) -> list[dict[str, Any]]:
    """Report entries (the warnings report lists them with file and line)."""
    return [{"kind": "unbound-claim", "file": u.file, "line": u.line, "message": u.message()}
            for u in found]


def as_errors(found: list[Unbound]) -> BuildErrors:
    """Strict mode: one error per unbound sentence, each saying what to do."""
    return BuildErrors([
        BuildError("a sentence states a finding that no claim decides", file=u.file,
                   line=u.line, expected="the sentence bound to a claim "
                   "([…]{.claim key=\"…\" when=\"…\"}), a citation, or a ranking taken from "
                   "the registry ({{< num … >}} of a text value)",
                   found=f"'{u.word}' in \"{u.sentence}\"",
                   hint="publish the finding as a claim in the analysis step and bind the "
                        "sentence to it (docs/claims.md); or cite the literature it rests "
                        "on; or list a phrase that is no finding under allow: in the word "
                        "list, with its reason")
        for u in found
    ])
