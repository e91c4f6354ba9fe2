"""The provenance appendix as a generated Quarto source: where every number, figure and
table comes from.

Every ``{{< num >}}`` in the book links to an entry here (``#num-<key>``) and every
generated figure or table caption to ``#src-<slug>``. An entry names the value, its
display form, numerator and denominator where they exist, the rule and script that made
it and the SHA-256 of each input, so a reviewer can check a sentence against the code and
data in one click.

The appendix is plain Quarto markdown (``results/book/herkomst.md``) that the chapter
``chapters/herkomst.qmd`` includes, so real Quarto and the built-in renderer set the same
text from the same file. Built from ``results/numbers/*.json`` and
``results/provenance/*.json``; every value is escaped, so nothing in the data can become
markup, a citation or a shortcode.

Claims (findings stated in words, bound with ``[…]{.claim key=…}``) get a section of their
own (``#claim-<key>``): the rule that decides each, the values it was decided on, the
outcome, whether it rests on synthetic data, and the chapters and lines whose text relies
on it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from string import Template
from typing import Any

from proefdruk.errors import BuildError, BuildErrors
from proefdruk.locale.words import Locale, locale_for
from proefdruk.markdown import escape_markdown
from proefdruk.numbers import load_file
from proefdruk.render.core.slug import claim_anchor, number_anchor, source_anchor

# The fields of a number entry the appendix shows, with the locale key of each label
# (p and n are written as they are in every language).
SHOWN_FIELDS = (("value", "proefdruk-provenance-value"),
                ("display", "proefdruk-provenance-display"),
                ("numerator", "proefdruk-provenance-numerator"),
                ("denominator", "proefdruk-provenance-denominator"),
                ("unit", "proefdruk-provenance-unit"), ("test", "proefdruk-provenance-test"),
                ("df", "proefdruk-provenance-df"), ("p", None), ("n", None))
WORD_PREFIX = "proefdruk-provenance-"


def code(text: Any) -> str:
    """``text`` as a literal code span (a fence longer than any backtick run inside).

    Quarto expands shortcodes even inside code, so ``{{< x >}}`` is written in Quarto's
    literal form ``{{</* x */>}}``, which both renderers show as ``{{< x >}}``."""
    text = re.sub(r"\s+", " ", str(text)).strip()
    text = re.sub(r"\{\{<(.*?)>\}\}", r"{{</*\1*/>}}", text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def text(value: Any) -> str:
    """Free text (a description, a title) as literal markdown."""
    return escape_markdown(str(value))


def _attr_value(value: str) -> str:
    """A key="value" attribute value: quotes and backslashes cannot occur in keys."""
    return value.replace("\\", "").replace('"', "")


def _record_items(record: dict[str, Any], w: Locale) -> list[str]:
    """The provenance record as a markdown bullet list (lines)."""
    script = f"- **{w.word('proefdruk-provenance-script')}:** {code(record.get('script', '?'))}"
    if record.get("script_sha256"):
        script += f" (SHA-256 {code(record['script_sha256'])})"
    lines = [f"- **{w.word('proefdruk-provenance-rule')}:** {code(record.get('rule', '?'))}",
             script]
    inputs = record.get("inputs") or {}
    if inputs:
        lines.append(f"- **{w.word('proefdruk-provenance-inputs')}:**")
        lines += [f"    - {code(path)}: {code(sha)}" for path, sha in sorted(inputs.items())]
    params = record.get("params") or {}
    if params:
        lines.append(f"- **{w.word('proefdruk-provenance-parameters')}:** "
                     + code(json.dumps(params, ensure_ascii=False, sort_keys=True)))
    return lines


def _value_text(value: Any) -> str:
    return repr(value) if isinstance(value, float) else str(value)


def _number_entry(key: str, entry: dict[str, Any], users: list[str],
                  titles: dict[str, str], w: Locale) -> list[str]:
    """One number: key, description and its values (the record of the step that computed
    it stands once above, per namespace)."""
    facts: list[str] = []
    for name, label in SHOWN_FIELDS:
        if entry.get(name) is None or entry.get(name) == "":
            continue
        value = text(entry[name]) if name == "display" else code(_value_text(entry[name]))
        facts.append(f"{w.word(label) if label else name}: {value}")
    if users:
        facts.append(f"{w.word('proefdruk-provenance-used-in')}: "
                     + text(", ".join(titles.get(u, u) for u in users)))
    return [
        f'::: {{#{number_anchor(key)} .provenance-entry .number key="{_attr_value(key)}"}}',
        f"**{code(key)}** — {text(entry.get('description', ''))}",
        "",
        "; ".join(facts),
        ":::",
        "",
    ]


def _source_entry(path: str, record: dict[str, Any], w: Locale) -> list[str]:
    head = f'::: {{#{source_anchor(path)} .provenance-entry .source path="{_attr_value(path)}"}}'
    items = _record_items(record, w)
    outputs = record.get("outputs")
    sha = outputs.get(path) if isinstance(outputs, dict) else None
    if sha:
        items.insert(0, f"- **SHA-256:** {code(sha)}")
    return [head, f"**{code(path)}**", "", *items, ":::", ""]


def _claim_entry(key: str, entry: dict[str, Any], users: list[list[Any]],
                 titles: dict[str, str], w: Locale) -> list[str]:
    """One claim: what it says, how it is decided, on which values, and who relies on it."""
    outcomes = ", ".join(str(o) for o in entry.get("outcomes") or [])
    lines = [
        f'::: {{#{claim_anchor(key)} .provenance-entry .claim-entry key="{_attr_value(key)}"}}',
        f"**{code(key)}** — {text(entry.get('description', ''))}",
        "",
        f"- **{w.word('proefdruk-provenance-outcome')}:** {code(entry.get('outcome'))} "
        f"({w.word('proefdruk-provenance-possible')}: {text(outcomes)})",
        f"- **{w.word('proefdruk-provenance-rule')}:** {text(entry.get('rule', ''))}",
        f"- **{w.word('proefdruk-provenance-decided-on')}:**",
        *(f"    - {code(k)}: {code(_value_text(v))}"
          for k, v in sorted((entry.get("values") or {}).items())),
    ]
    if entry.get("synthetic"):
        lines.append(f"- **{w.word('proefdruk-provenance-data')}:** "
                     f"{w.word('proefdruk-provenance-synthetic')}")
    line_word = w.word("proefdruk-provenance-line")
    where = [f"{titles.get(cid, cid)} ({file}, {line_word} {line})"
             for cid, file, line in users]
    lines.append(f"- **{w.word('proefdruk-provenance-supported-text')}:** "
                 + text("; ".join(where) if where
                        else w.word("proefdruk-provenance-no-chapter")))
    return [*lines, ":::", ""]


def _claim_lines(numbers_files: list[str], claim_users: dict[str, list[list[Any]]],
                 titles: dict[str, str], warnings: list[dict[str, Any]], w: Locale
                 ) -> list[str]:
    """The section with every claim the registry holds, used or not (a reviewer sees
    everything the analysis decided)."""
    entries: list[str] = []
    known: set[str] = set()
    for path in sorted(numbers_files):
        for key, entry in sorted((load_file(path).get("claims") or {}).items()):
            entries += _claim_entry(key, entry, claim_users.get(key, []), titles, w)
            known.add(key)
    for key in claim_users:
        if key not in known:
            warnings.append({"kind": "missing-claim", "label": key,
                             "message": f"claim {key} is used but in no registry file"})
    if not entries:
        return []
    return [f"## {w.word('proefdruk-provenance-claims')} {{#herkomst-beweringen .unnumbered}}",
            "", w.word("proefdruk-provenance-claims-intro"), "", *entries]


def _load_record(path: str | Path) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise BuildError("provenance record is not valid JSON", file=str(path),
                         line=exc.lineno, found=exc.msg,
                         hint="delete it and rerun `snakemake all`") from exc
    if not isinstance(data, dict) or "rule" not in data:
        raise BuildError("not a provenance record", file=str(path),
                         expected="a record written by proefdruk.provenance.write_record")
    return data


def build(numbers_files: list[str], record_files: list[str], *, generated: list[str],
          users: dict[str, list[str]], titles: dict[str, str],
          claim_users: dict[str, list[list[Any]]] | None = None,
          words: Mapping[str, str] | None = None) -> tuple[str, list[dict[str, Any]]]:
    """The appendix body as Quarto markdown, and warnings (a number a chapter uses that
    no analysis step makes). A figure, table, fragment or numbers file without a
    provenance record stops the build.

    ``words`` are the book's ``proefdruk-provenance-*`` words (the plan gives them, see
    :meth:`proefdruk.render.workflow.plan.BookPlan.provenance_words`); without them the
    Dutch table, what the appendix said before the locale layer existed.
    """
    w = Locale(lang="", words={**locale_for("nl").words, **(words or {})})
    warnings: list[dict[str, Any]] = []
    lines: list[str] = []
    number_lines: list[str] = []
    registry_size = shown_numbers = 0
    for path in sorted(numbers_files):
        data = load_file(path)
        record = data.get("provenance") or {}
        registry_size += len(data["numbers"])
        # The appendix serves a reader tracing a sentence: it lists the numbers the book
        # uses. The complete registry stays in results/numbers.json and the manifest.
        used = [key for key in sorted(data["numbers"]) if key in users]
        # Numbers no chapter uses are listed once, by the prose lint, as information.
        if not used:
            continue
        namespace = str(data.get("namespace") or Path(path).stem)
        number_lines += [f"### {code(f'results/numbers/{namespace}.json')} "
                         f"{{#herkomst-{namespace} .unnumbered .unlisted}}", "",
                         *_record_items(record, w), ""]
        for key in used:
            number_lines += _number_entry(key, data["numbers"][key], users[key], titles, w)
            shown_numbers += 1
    known = {k for path in numbers_files for k in load_file(path)["numbers"]}
    for key in users:
        if key not in known:
            warnings.append({"kind": "missing-number", "label": key,
                             "message": f"number {key} is used but in no registry file"})
    if number_lines:
        # $shown, $size and $file (string.Template: braces would clash with Snakemake's
        # formatting of the rule parameters that carry the words)
        intro = Template(w.word("proefdruk-provenance-numbers-intro")).safe_substitute(
            shown=shown_numbers, size=registry_size, file=code("results/numbers.json"))
        lines += [f"## {w.word('proefdruk-provenance-numbers')} {{#herkomst-getallen "
                  ".unnumbered}", "", intro, "", *number_lines]
    lines += _claim_lines(numbers_files, claim_users or {}, titles, warnings, w)
    producers: dict[str, dict[str, Any]] = {}
    for path in sorted(record_files):
        record = _load_record(path)
        for out in sorted(record.get("outputs") or {}):
            producers.setdefault(out, record)
    # Only what the book shows; every output's hash is in the manifest.
    shown = sorted(set(generated))
    if shown:
        lines += [f"## {w.word('proefdruk-provenance-files')} {{#herkomst-bestanden "
                  ".unnumbered}", ""]
    missing = [_no_record(path) for path in shown if path not in producers]
    missing += [_no_record(path) for path in sorted(numbers_files)
                if not load_file(path).get("provenance")]
    if missing:
        raise BuildErrors(missing)
    for path in shown:
        lines += _source_entry(path, producers[path], w)
    return "\n".join(lines).rstrip("\n") + "\n", warnings


def _no_record(path: str) -> BuildError:
    """A figure, table, fragment or numbers file the book shows without a provenance
    record: the appendix would show a stale record or none, so the build stops."""
    return BuildError(
        "output shown in the book has no provenance record", file=path,
        expected="a record results/provenance/<rule>.json that lists it as an output "
                 "(numbers: written with NumberSet.write(path, record))",
        found="no provenance record names this file",
        hint="declare provenance=\"results/provenance/<rule>.json\" as an output of the rule "
             "that makes it and write it with proefdruk.provenance.make_record and "
             "write_record (docs/how-to-add-an-analysis.md)")
