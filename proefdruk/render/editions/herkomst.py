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
from pathlib import Path
from typing import Any

from proefdruk.errors import BuildError, BuildErrors
from proefdruk.markdown import escape_markdown
from proefdruk.numbers import load_file
from proefdruk.render.core.slug import claim_anchor, number_anchor, source_anchor

SHOWN_FIELDS = (("value", "waarde"), ("display", "weergave"), ("numerator", "teller"),
                ("denominator", "noemer"), ("unit", "eenheid"), ("test", "toets"),
                ("df", "vrijheidsgraden"), ("p", "p"), ("n", "n"))


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


def _record_items(record: dict[str, Any]) -> list[str]:
    """The provenance record as a markdown bullet list (lines)."""
    script = f"- **script:** {code(record.get('script', '?'))}"
    if record.get("script_sha256"):
        script += f" (SHA-256 {code(record['script_sha256'])})"
    lines = [f"- **regel:** {code(record.get('rule', '?'))}", script]
    inputs = record.get("inputs") or {}
    if inputs:
        lines.append("- **invoer (SHA-256):**")
        lines += [f"    - {code(path)}: {code(sha)}" for path, sha in sorted(inputs.items())]
    params = record.get("params") or {}
    if params:
        lines.append("- **parameters:** " + code(json.dumps(params, ensure_ascii=False,
                                                             sort_keys=True)))
    return lines


def _value_text(value: Any) -> str:
    return repr(value) if isinstance(value, float) else str(value)


def _number_entry(key: str, entry: dict[str, Any], users: list[str],
                  titles: dict[str, str]) -> list[str]:
    """One number: key, description and its values (the record of the step that computed
    it stands once above, per namespace)."""
    facts: list[str] = []
    for name, label in SHOWN_FIELDS:
        if entry.get(name) is None or entry.get(name) == "":
            continue
        value = text(entry[name]) if name == "display" else code(_value_text(entry[name]))
        facts.append(f"{label}: {value}")
    if users:
        facts.append("gebruikt in: " + text(", ".join(titles.get(u, u) for u in users)))
    return [
        f'::: {{#{number_anchor(key)} .provenance-entry .number key="{_attr_value(key)}"}}',
        f"**{code(key)}** — {text(entry.get('description', ''))}",
        "",
        "; ".join(facts),
        ":::",
        "",
    ]


def _source_entry(path: str, record: dict[str, Any]) -> list[str]:
    head = f'::: {{#{source_anchor(path)} .provenance-entry .source path="{_attr_value(path)}"}}'
    items = _record_items(record)
    outputs = record.get("outputs")
    sha = outputs.get(path) if isinstance(outputs, dict) else None
    if sha:
        items.insert(0, f"- **SHA-256:** {code(sha)}")
    return [head, f"**{code(path)}**", "", *items, ":::", ""]


def _claim_entry(key: str, entry: dict[str, Any], users: list[list[Any]],
                 titles: dict[str, str]) -> list[str]:
    """One claim: what it says, how it is decided, on which values, and who relies on it."""
    outcomes = ", ".join(str(o) for o in entry.get("outcomes") or [])
    lines = [
        f'::: {{#{claim_anchor(key)} .provenance-entry .claim-entry key="{_attr_value(key)}"}}',
        f"**{code(key)}** — {text(entry.get('description', ''))}",
        "",
        f"- **uitkomst:** {code(entry.get('outcome'))} (mogelijk: {text(outcomes)})",
        f"- **regel:** {text(entry.get('rule', ''))}",
        "- **beslist op:**",
        *(f"    - {code(k)}: {code(_value_text(v))}"
          for k, v in sorted((entry.get("values") or {}).items())),
    ]
    if entry.get("synthetic"):
        lines.append("- **gegevens:** berust op synthetische gegevens; de tekst die erop "
                     "steunt, is in elke editie gemarkeerd (†)")
    where = [f"{titles.get(cid, cid)} ({file}, regel {line})" for cid, file, line in users]
    lines.append("- **tekst die erop steunt:** " + text("; ".join(where) if where
                                                        else "geen hoofdstuk"))
    return [*lines, ":::", ""]


def _claim_lines(numbers_files: list[str], claim_users: dict[str, list[list[Any]]],
                 titles: dict[str, str], warnings: list[dict[str, Any]]) -> list[str]:
    """The section with every claim the registry holds, used or not (a reviewer sees
    everything the analysis decided)."""
    entries: list[str] = []
    known: set[str] = set()
    for path in sorted(numbers_files):
        for key, entry in sorted((load_file(path).get("claims") or {}).items()):
            entries += _claim_entry(key, entry, claim_users.get(key, []), titles)
            known.add(key)
    for key in claim_users:
        if key not in known:
            warnings.append({"kind": "missing-claim", "label": key,
                             "message": f"claim {key} is used but in no registry file"})
    if not entries:
        return []
    return ["## Beweringen {#herkomst-beweringen .unnumbered}", "",
            "Een bewering is een bevinding die de tekst in woorden uitdrukt (welke groep het "
            "grootst is, of een verwachting uitkomt). Een stap van de workflow beslist haar "
            "volgens de genoemde regel op de genoemde waarden; het hoofdstuk biedt per "
            "uitkomst een tekst, en de uitgave toont de tekst die bij de uitkomst hoort. "
            "Tekst die op synthetische gegevens berust, is onderstreept en met † gemarkeerd.",
            "", *entries]


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
          claim_users: dict[str, list[list[Any]]] | None = None
          ) -> tuple[str, list[dict[str, Any]]]:
    """The appendix body as Quarto markdown, and warnings (a number a chapter uses that
    no analysis step makes). A figure, table, fragment or numbers file without a
    provenance record stops the build."""
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
                         *_record_items(record), ""]
        for key in used:
            number_lines += _number_entry(key, data["numbers"][key], users[key], titles)
            shown_numbers += 1
    known = {k for path in numbers_files for k in load_file(path)["numbers"]}
    for key in users:
        if key not in known:
            warnings.append({"kind": "missing-number", "label": key,
                             "message": f"number {key} is used but in no registry file"})
    if number_lines:
        lines += ["## Getallen {#herkomst-getallen .unnumbered}", "",
                  f"Hieronder staan de {shown_numbers} getallen die de tekst gebruikt, per "
                  f"stap van de workflow. Het volledige register ({registry_size} getallen) "
                  f"staat in {code('results/numbers.json')}.", "", *number_lines]
    lines += _claim_lines(numbers_files, claim_users or {}, titles, warnings)
    producers: dict[str, dict[str, Any]] = {}
    for path in sorted(record_files):
        record = _load_record(path)
        for out in sorted(record.get("outputs") or {}):
            producers.setdefault(out, record)
    # Only what the book shows; every output's hash is in the manifest.
    shown = sorted(set(generated))
    if shown:
        lines += ["## Figuren, tabellen en fragmenten {#herkomst-bestanden .unnumbered}", ""]
    missing = [_no_record(path) for path in shown if path not in producers]
    missing += [_no_record(path) for path in sorted(numbers_files)
                if not load_file(path).get("provenance")]
    if missing:
        raise BuildErrors(missing)
    for path in shown:
        lines += _source_entry(path, producers[path])
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
