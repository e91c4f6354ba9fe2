"""The generated provenance appendix: where every number, figure and table comes from.

Every ``{{< num >}}`` in the book links to an entry here (``#num-<key>``) and every
generated figure or table caption to ``#src-<slug>``. An entry names the value, its
display form, numerator and denominator where they exist, the rule and script that made
it and the SHA-256 of each input, so a reviewer can check a sentence against the code and
data in one click. Built from ``results/numbers/*.json`` and ``results/provenance/*.json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from proefdruk.errors import BuildError
from proefdruk.numbers import load_file
from proefdruk.render import crossref
from proefdruk.render import pandocast as pa
from proefdruk.render.project import PROVENANCE_ID, PROVENANCE_TITLE
from proefdruk.render.slug import number_anchor, source_anchor
from proefdruk.render.terms import terms_for

API_VERSION = [1, 23, 1, 1]
SHOWN_FIELDS = (("value", "waarde"), ("display", "weergave"), ("numerator", "teller"),
                ("denominator", "noemer"), ("unit", "eenheid"), ("test", "toets"),
                ("df", "vrijheidsgraden"), ("p", "p"), ("n", "n"))


def _para(*inlines: Any) -> dict[str, Any]:
    return {"t": "Para", "c": [i for group in inlines for i in group]}


def _txt(text: str) -> list[Any]:
    return pa.str_inlines(str(text))


def _code(text: str) -> dict[str, Any]:
    return {"t": "Code", "c": [["", [], []], str(text)]}


def _item(label: str, value: list[Any]) -> list[Any]:
    return [{"t": "Plain", "c": [{"t": "Strong", "c": _txt(label + ":")}, {"t": "Space"},
                                 *value]}]


def _record_items(record: dict[str, Any]) -> list[list[Any]]:
    items = [
        _item("regel", [_code(record.get("rule", "?"))]),
        _item("script", [_code(record.get("script", "?"))] + (
            [{"t": "Space"}, {"t": "Str", "c": "(SHA-256"}, {"t": "Space"},
             _code(record["script_sha256"]), {"t": "Str", "c": ")"}]
            if record.get("script_sha256") else [])),
    ]
    inputs = record.get("inputs") or {}
    if inputs:
        rows = [[{"t": "Plain", "c": [_code(path), {"t": "Str", "c": ":"}, {"t": "Space"},
                                      _code(sha)]}]
                for path, sha in sorted(inputs.items())]
        items.append([{"t": "Plain", "c": [{"t": "Strong", "c": _txt("invoer (SHA-256):")}]},
                      {"t": "BulletList", "c": rows}])
    params = record.get("params") or {}
    if params:
        items.append(_item("parameters", [_code(json.dumps(params, ensure_ascii=False,
                                                           sort_keys=True))]))
    return items


def _value_text(value: Any) -> str:
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _number_entry(key: str, entry: dict[str, Any], users: list[str],
                  titles: dict[str, str]) -> dict[str, Any]:
    """One number: key, description and its values on two short lines (the record of
    the step that computed it stands once above, per namespace)."""
    head = _para([{"t": "Strong", "c": [_code(key)]}, {"t": "Space"}, {"t": "Str", "c": "—"},
                  {"t": "Space"}], _txt(entry.get("description", "")))
    facts: list[Any] = []
    for name, label in SHOWN_FIELDS:
        if entry.get(name) is None or entry.get(name) == "":
            continue
        if facts:
            facts += [{"t": "Str", "c": ";"}, {"t": "Space"}]
        value = ({"t": "Str", "c": str(entry[name])} if name == "display"
                 else _code(_value_text(entry[name])))
        facts += [*_txt(label + ":"), {"t": "Space"}, value]
    if users:
        facts += [{"t": "Str", "c": ";"}, {"t": "Space"}, *_txt("gebruikt in:"),
                  {"t": "Space"}, *_txt(", ".join(titles.get(u, u) for u in users))]
    body = [head, _para(facts)]
    return {"t": "Div", "c": [[number_anchor(key), ["provenance-entry", "number"],
                               [["key", key]]], body]}


def _namespace_blocks(namespace: str, record: dict[str, Any]) -> list[Any]:
    """Heading and the provenance record shared by all numbers of one registry file."""
    return [
        {"t": "Header", "c": [3, [f"herkomst-{namespace}", [], []],
                              [_code(f"results/numbers/{namespace}.json")]]},
        {"t": "BulletList", "c": _record_items(record)},
    ]


def _source_entry(path: str, record: dict[str, Any] | None) -> dict[str, Any]:
    head = _para([{"t": "Strong", "c": [_code(path)]}])
    if record is None:
        body = [head, _para(_txt("Geen herkomstrecord gevonden: geen workflowregel "
                                 "meldt dit bestand als uitvoer."))]
    else:
        items = _record_items(record)
        sha = (record.get("outputs") or {}).get(path) if isinstance(
            record.get("outputs"), dict) else None
        if sha:
            items.insert(0, _item("SHA-256", [_code(sha)]))
        body = [head, {"t": "BulletList", "c": items}]
    return {"t": "Div", "c": [[source_anchor(path), ["provenance-entry", "source"],
                               [["path", path]]], body]}


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
          users: dict[str, list[str]], titles: dict[str, str], number: str | None,
          lang: str = "nl") -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
    """The appendix AST, its labels file content and warnings."""
    warnings: list[dict[str, Any]] = []
    blocks: list[Any] = [
        {"t": "Header", "c": [1, ["sec-herkomst", [], []], _txt(PROVENANCE_TITLE)]},
        _para(_txt("Dit aanhangsel is door de workflow gegenereerd. Elk getal, elke figuur "
                   "en elke tabel in dit boek is berekend door een stap van de workflow; "
                   "hieronder staat per onderdeel welke regel en welk script het maakten, "
                   "uit welke invoerbestanden (met hun SHA-256-controlegetal), zodat een "
                   "lezer elke uitkomst kan nagaan en opnieuw kan berekenen.")),
    ]
    labels: dict[str, dict[str, Any]] = {}
    number_blocks: list[Any] = []
    registry_size = 0
    for path in sorted(numbers_files):
        data = load_file(path)
        record = data.get("provenance") or {}
        registry_size += len(data["numbers"])
        # The appendix serves a reader tracing a sentence: it lists the numbers the book
        # uses. The complete registry stays in results/numbers.json and the manifest.
        used = [key for key in sorted(data["numbers"]) if key in users]
        for key in sorted(set(data["numbers"]) - set(used)):
            warnings.append({"kind": "unused-number", "label": key,
                             "message": f"number {key} is used by no chapter"})
        if not used:
            continue
        number_blocks += _namespace_blocks(str(data.get("namespace") or Path(path).stem), record)
        for key in used:
            entry = data["numbers"][key]
            number_blocks.append(_number_entry(key, entry, users[key], titles))
            labels[number_anchor(key)] = {"chapter": PROVENANCE_ID, "kind": "num",
                                          "number": None, "text": str(entry.get("display"))}
    for key in users:
        if number_anchor(key) not in labels:
            warnings.append({"kind": "missing-number", "label": key,
                             "message": f"number {key} is used but in no registry file"})
    if number_blocks:
        blocks.append({"t": "Header", "c": [2, ["sec-herkomst-getallen", [], []],
                                            _txt("Getallen")]})
        blocks.append(_para(_txt(
            f"Hieronder staan de {len([k for k in users if number_anchor(k) in labels])} "
            f"getallen die de tekst gebruikt, per stap van de workflow. Het volledige "
            f"register ({registry_size} getallen) staat in "), [_code("results/numbers.json")],
            _txt(".")))
        blocks += number_blocks
    producers: dict[str, dict[str, Any]] = {}
    for path in sorted(record_files):
        record = _load_record(path)
        outputs = record.get("outputs") or {}
        for out in sorted(outputs):
            producers.setdefault(out, record)
    # Only what the book shows; every output's hash is in the manifest.
    shown = sorted(set(generated))
    if shown:
        blocks.append({"t": "Header", "c": [2, ["sec-herkomst-bestanden", [], []],
                                            _txt("Figuren, tabellen en fragmenten")]})
    for path in shown:
        record = producers.get(path)
        if record is None:
            warnings.append({"kind": "no-provenance", "label": path,
                             "message": f"{path} is shown in the book but no provenance "
                                        "record lists it as an output"})
        blocks.append(_source_entry(path, record))
        labels[source_anchor(path)] = {"chapter": PROVENANCE_ID, "kind": "src",
                                       "number": None, "text": path}
    ast = {"pandoc-api-version": API_VERSION, "meta": {"lang": {"t": "MetaString", "c": lang}},
           "blocks": blocks}
    resolved = crossref.number_chapter(ast, PROVENANCE_ID, "provenance", number,
                                       terms_for(lang), None)
    labels.update(resolved.labels)
    labels_doc = {"id": PROVENANCE_ID, "source": None, "kind": "provenance", "number": number,
                  "title": PROVENANCE_TITLE, "labels": dict(sorted(labels.items())),
                  "refs": [], "images": [], "includes": [], "generated": [],
                  "num_keys": [], "cell_reads": [], "bibliography_ids": []}
    return ast, labels_doc, warnings
