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

import html
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
# (p and n are written as they are in every language): the value as the text shows it
# first, the exact value the registry holds after it.
SHOWN_FIELDS = (("display", "proefdruk-provenance-display"),
                ("value", "proefdruk-provenance-value"),
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
    """The provenance record as a markdown bullet list (lines), for the HTML edition: the
    rule, the script and its parameters in view, the inputs' hashes folded away
    (:func:`_inputs_details`)."""
    script = f"- **{w.word('proefdruk-provenance-script')}:** {code(record.get('script', '?'))}"
    if record.get("script_sha256"):
        script += f" (SHA-256 {code(record['script_sha256'])})"
    lines = [f"- **{w.word('proefdruk-provenance-rule')}:** {code(record.get('rule', '?'))}",
             script]
    params = record.get("params") or {}
    if params:
        lines.append(f"- **{w.word('proefdruk-provenance-parameters')}:** "
                     + code(json.dumps(params, ensure_ascii=False, sort_keys=True)))
    return [*lines, "", *_inputs_details(record, w)]


def _inputs_details(record: dict[str, Any], w: Locale) -> list[str]:
    """The inputs and their SHA-256 in a ``<details>`` element: closed by default (a
    step can have thirty inputs), found by the browser's search and the site's."""
    inputs = record.get("inputs") or {}
    if not inputs:
        return []
    summary = html.escape(f"{w.word('proefdruk-provenance-inputs')}: {len(inputs)}")
    return ["```{=html}", f'<details class="provenance-inputs"><summary>{summary}</summary>',
            "```", "",
            *(f"- {code(path)}: {code(sha)}" for path, sha in sorted(inputs.items())),
            "", "```{=html}", "</details>", "```", ""]


def _print_step(record: dict[str, Any], w: Locale) -> str:
    """The record in one line for print: the rule and the script (the hashes are in the
    manifest and the HTML edition)."""
    return (f"{w.word('proefdruk-provenance-rule')} {code(record.get('rule', '?'))}, "
            f"{w.word('proefdruk-provenance-script')} {code(record.get('script', '?'))}")


def html_only(lines: list[str]) -> list[str]:
    """``lines`` in the HTML edition only (Quarto's conditional content, which the
    built-in renderer implements the same way)."""
    return ['::: {.content-visible when-format="html"}', *lines, ":::", ""]


def print_only(lines: list[str]) -> list[str]:
    """``lines`` in the PDF and the DOCX only."""
    return ['::: {.content-hidden when-format="html"}', *lines, ":::", ""]


def short_sha(sha: str) -> str:
    """The first 12 hex digits: enough to find the record in the manifest by search."""
    return str(sha)[:12]


def _value_text(value: Any) -> str:
    return repr(value) if isinstance(value, float) else str(value)


def _number_entry(key: str, entry: dict[str, Any], users: list[str],
                  titles: dict[str, str], w: Locale, namespace: str) -> list[str]:
    """One number: key, description and its values (the record of the step that computed
    it stands once above, per namespace). In print one line: the key without the
    namespace its heading names, the value as the text shows it, what it counts."""
    facts: list[str] = []
    for name, label in SHOWN_FIELDS:
        if entry.get(name) is None or entry.get(name) == "":
            continue
        value = text(entry[name]) if name == "display" else code(_value_text(entry[name]))
        facts.append(f"{w.word(label) if label else name}: {value}")
    if users:
        facts.append(f"{w.word('proefdruk-provenance-used-in')}: "
                     + text(", ".join(titles.get(u, u) for u in users)))
    short = key[len(namespace) + 1:] if key.startswith(namespace + ".") else key
    shown = entry.get("display")
    shown = text(shown) if shown not in (None, "") else text(_value_text(entry.get("value")))
    return [
        f'::: {{#{number_anchor(key)} .provenance-entry .number key="{_attr_value(key)}"}}',
        *html_only([f"**{code(key)}** — {text(entry.get('description', ''))}", "",
                    "; ".join(facts)]),
        *print_only([f"{code(short)} **{shown}** — {text(entry.get('description', ''))}"]),
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
    short = f" (SHA-256 {code(short_sha(sha))}…)" if sha else ""
    return [head, *html_only([f"**{code(path)}**", "", *items]),
            *print_only([f"{code(path)} — {_print_step(record, w)}{short}"]), ":::", ""]


def _claim_entry(key: str, entry: dict[str, Any], users: list[list[Any]],
                 titles: dict[str, str], w: Locale, displays: Mapping[str, str]
                 ) -> list[str]:
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
    compact = [f"{code(key)} — {text(entry.get('description', ''))}. "
               f"{w.word('proefdruk-provenance-outcome')}: {code(entry.get('outcome'))}; "
               f"{w.word('proefdruk-provenance-decided-on')}: "
               + text("; ".join(f"{k} = {_shown(k, v, displays)}"
                                for k, v in sorted((entry.get("values") or {}).items())))
               + (f"; {w.word('proefdruk-provenance-synthetic')}." if entry.get("synthetic")
                  else ".")]
    if entry.get("synthetic"):
        lines.append(f"- **{w.word('proefdruk-provenance-data')}:** "
                     f"{w.word('proefdruk-provenance-synthetic')}")
    line_word = w.word("proefdruk-provenance-line")
    where = [f"{titles.get(cid, cid)} ({file}, {line_word} {line})"
             for cid, file, line in users]
    lines.append(f"- **{w.word('proefdruk-provenance-supported-text')}:** "
                 + text("; ".join(where) if where
                        else w.word("proefdruk-provenance-no-chapter")))
    return [lines[0], *html_only(lines[1:]), *print_only(compact), ":::", ""]


def _shown(key: str, value: Any, displays: Mapping[str, str]) -> str:
    """A value a claim was decided on as the text shows it: the registry's display form
    where the key is a registered number, else a float to four significant digits."""
    if key in displays:
        return displays[key]
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def _claim_lines(numbers_files: list[str], claim_users: dict[str, list[list[Any]]],
                 titles: dict[str, str], warnings: list[dict[str, Any]], w: Locale,
                 displays: Mapping[str, str]) -> list[str]:
    """The section with every claim the registry holds, used or not (a reviewer sees
    everything the analysis decided)."""
    entries: list[str] = []
    known: set[str] = set()
    for path in sorted(numbers_files):
        for key, entry in sorted((load_file(path).get("claims") or {}).items()):
            entries += _claim_entry(key, entry, claim_users.get(key, []), titles, w,
                                    displays)
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
          words: Mapping[str, str] | None = None,
          site_url: str | None = None) -> tuple[str, list[dict[str, Any]]]:
    """The appendix body as Quarto markdown, and warnings (a number a chapter uses that
    no analysis step makes). A figure, table, fragment or numbers file without a
    provenance record stops the build.

    ``words`` are the book's ``proefdruk-provenance-*`` words (the plan gives them, see
    :meth:`proefdruk.render.workflow.plan.BookPlan.provenance_words`); without them the
    Dutch table, what the appendix said before the locale layer existed.

    Two forms from one source (Quarto's conditional content, so both renderers choose
    alike): the HTML edition keeps every record, the inputs' hashes folded in
    ``<details>``; the PDF and the DOCX print one line per number (its key, the value as
    the text shows it, what it counts) under one line per step (rule and script), and say
    where the full records are: ``site_url``'s manifest when the book has a site, else
    the manifest next to the editions and in the deposit archive. In the PDF the whole
    appendix is set in the house design's compact ``#provenance-block``.
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
                         *html_only(_record_items(record, w)),
                         *print_only([_print_step(record, w)])]
        for key in used:
            number_lines += _number_entry(key, data["numbers"][key], users[key], titles, w,
                                          namespace)
            shown_numbers += 1
    displays = {k: str(v["display"]) for path in numbers_files
                for k, v in load_file(path)["numbers"].items() if v.get("display")}
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
                  ".unnumbered}", "", intro, "", *print_only([_print_note(w, site_url)]),
                  *number_lines]
    lines += _claim_lines(numbers_files, claim_users or {}, titles, warnings, w, displays)
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
    # The PDF sets the appendix in the house design's compact block (typst-template.typ);
    # written here, not by a renderer, so real Quarto and the built-in renderer agree.
    lines = ["```{=typst}", "#provenance-block[", "```", "", *lines, "",
             "```{=typst}", "]", "```"]
    return "\n".join(lines).rstrip("\n") + "\n", warnings


MANIFEST = "manifest.json"


def _print_note(w: Locale, site_url: str | None) -> str:
    """Where a reader of the PDF finds what print leaves out: the manifest on the book's
    site when it has one, else the manifest that goes with every edition and archive."""
    if site_url:
        base = site_url.rstrip("/")
        where = Template(w.word("proefdruk-provenance-where-site")).safe_substitute(
            site=f"<{base}/>", manifest=f"<{base}/{MANIFEST}>")
    else:
        where = Template(w.word("proefdruk-provenance-where-archive")).safe_substitute(
            manifest=code(MANIFEST))
    return Template(w.word("proefdruk-provenance-print-note")).safe_substitute(
        where=where, registry=code("results/numbers.json"))


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
