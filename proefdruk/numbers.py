"""The numbers registry: every number that appears in prose, with its source.

Each analysis step writes one file ``results/numbers/<namespace>.json`` holding the
numbers it computed, each under the key ``<namespace>.<name>``, plus the step's
provenance record. Chapters refer to a number by key (``{{< num respons.percentage >}}``),
so the namespace also tells the build which file, and hence which analysis, a chapter
depends on. ``merge`` joins the files into ``results/numbers.json`` for reviewers.

A number entry::

    {"value": 0.634, "display": "63,4 %", "unit": "percent",
     "numerator": 217, "denominator": 342, "decimals": 1, "kind": "percent",
     "description": "Respons (aandeel aangeschreven gemeenten)"}

The same file can publish *claims* (under ``"claims"``): a finding that a sentence
states in words ("economische motieven worden het vaakst genoemd"), decided by the
analysis step instead of by the author, so the chapter can offer a sentence per outcome
and the build can stop when the data no longer support the sentence it prints::

    {"outcome": "economisch", "kind": "category",
     "outcomes": ["economisch", "cultureel", "politiek", "grensoverschrijdend"],
     "rule": "de groep die de meeste gemeenten noemen",
     "values": {"motieven.mot.groep_economisch": 0.71, ...},
     "synthetic": true, "description": "Meest genoemde motiefgroep"}

A boolean claim has the outcomes ``"true"`` and ``"false"`` (strings, as a chapter
writes them in ``when="true"``). See docs/claims.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from proefdruk.arguments import CommandParser
from proefdruk.errors import BuildError
from proefdruk.locale.formats import format_number, format_p, format_percent
from proefdruk.provenance import dump_json
from proefdruk.similar import similar

SCHEMA_VERSION = 1
NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")


def namespace_of(key: str) -> str:
    """The namespace (file stem) of a registry key: ``respons.percentage`` -> ``respons``."""
    return key.split(".", 1)[0]


@dataclass
class NumberSet:
    """The numbers one analysis step produces, written as one registry file.

    ``lang`` is the language of the display forms (``1.234,5`` or ``1,234.5``). It is the
    book's ``lang:``, and it must reach the step as what it is, an input: a rule passes
    it as a parameter (``params: lang=...``, read from ``_quarto.yml`` when Snakemake
    parses the workflow), so that changing the book's language re-runs the steps and any
    other edit of ``_quarto.yml`` re-runs none. Reading ``_quarto.yml`` here would make
    every step depend on the whole file. The default is Dutch, the registry's format
    before there were locales; a registry in another language records ``lang`` in its
    file so that readers of the display forms (the consistency check) parse them right.
    """

    namespace: str
    numbers: dict[str, dict[str, Any]] = field(default_factory=dict)
    claims: dict[str, dict[str, Any]] = field(default_factory=dict)
    lang: str = "nl"

    def __post_init__(self) -> None:
        if not NAME_RE.match(self.namespace):
            raise ValueError(f"namespace must match {NAME_RE.pattern}: {self.namespace!r}")

    def _add(self, name: str, entry: dict[str, Any]) -> str:
        if not KEY_RE.match(f"{self.namespace}.{name}"):
            raise ValueError(f"bad number name {name!r}: use lowercase, digits, _ and .")
        key = f"{self.namespace}.{name}"
        if key in self.numbers:
            raise ValueError(f"number {key} recorded twice")
        self.numbers[key] = {k: v for k, v in entry.items() if v is not None}
        return key

    def count(self, name: str, n: int, description: str, unit: str = "count") -> str:
        """A whole number (respondents, municipalities, partnerships)."""
        n = int(n)
        return self._add(
            name,
            {"value": n, "display": format_number(n, lang=self.lang), "unit": unit, "kind": "count",
             "decimals": 0, "description": description},
        )

    def percent(self, name: str, k: int, n: int, description: str, decimals: int = 1) -> str:
        """A proportion k/n shown as a percentage; numerator and denominator are kept so
        the consistency check can recompute what is printed."""
        if n <= 0:
            raise ValueError(f"{self.namespace}.{name}: denominator must be positive, got {n}")
        if not 0 <= k <= n:
            raise ValueError(f"{self.namespace}.{name}: numerator {k} outside 0..{n}")
        share = k / n
        return self._add(
            name,
            {"value": share, "display": format_percent(share, decimals, lang=self.lang),
             "unit": "percent",
             "kind": "percent", "numerator": int(k), "denominator": int(n),
             "decimals": decimals, "description": description},
        )

    def share(self, name: str, value: float, description: str, decimals: int = 1,
              numerator: float | None = None, denominator: float | None = None) -> str:
        """A (possibly weighted) proportion that is not a plain k/n of integers."""
        return self._add(
            name,
            {"value": float(value), "display": format_percent(value, decimals, lang=self.lang),
             "unit": "percent", "kind": "share", "decimals": decimals,
             "numerator": numerator, "denominator": denominator, "description": description},
        )

    def value(self, name: str, x: float, description: str, decimals: int = 1,
              unit: str = "", kind: str = "value") -> str:
        """Any other quantity (a mean, an FTE count, a statistic)."""
        return self._add(
            name,
            {"value": float(x), "display": format_number(float(x), decimals, lang=self.lang),
             "unit": unit,
             "kind": kind, "decimals": decimals, "description": description},
        )

    def statistic(self, name: str, stat: float, p: float, description: str,
                  test: str, df: int | None = None, n: int | None = None,
                  decimals: int = 2) -> str:
        """A test result shown as ``χ²(3) = 12,41; p = 0,006``; ``stat``, ``df`` and ``p``
        are kept apart so the consistency check can recompute p from the statistic."""
        label = {"chi2": "χ²", "fisher": "OR", "kappa": "κ", "cramers_v": "V"}.get(test, test)
        head = f"{label}({df})" if df is not None else label
        display = (f"{head}\u00a0=\u00a0{format_number(stat, decimals, lang=self.lang)}; "
                   f"{format_p(p, lang=self.lang)}")
        return self._add(
            name,
            {"value": float(stat), "display": display, "unit": "", "kind": "statistic",
             "test": test, "df": df, "p": float(p), "n": n, "decimals": decimals,
             "description": description},
        )

    def text(self, name: str, text: str, description: str) -> str:
        """A derived label (the most common motive, the largest province): not a number,
        but still a finding, so it comes from the analysis and not from the author."""
        return self._add(
            name, {"value": text, "display": text, "unit": "", "kind": "text",
                   "description": description},
        )

    def claim(self, name: str, outcome: bool | str, *, rule: str,
              values: Mapping[str, Any], description: str,
              outcomes: Iterable[str] | None = None, synthetic: bool = False) -> str:
        """A finding in words, decided here: a boolean (``outcome`` True/False) or a
        category (``outcome`` one of ``outcomes``). ``values`` are the registry values it
        was decided on (key -> raw value) and ``rule`` says how, in a sentence a reviewer
        can check against them; ``synthetic`` says whether it rests on synthetic data, so
        every edition can mark the sentences that state it."""
        key = f"{self.namespace}.{name}"
        if not KEY_RE.match(key):
            raise ValueError(f"bad claim name {name!r}: use lowercase, digits, _ and .")
        if key in self.claims or key in self.numbers:
            raise ValueError(f"claim {key} recorded twice")
        if isinstance(outcome, bool):
            kind, allowed, text = "boolean", ["false", "true"], str(outcome).lower()
        else:
            kind, allowed, text = "category", [str(o) for o in (outcomes or [])], str(outcome)
            if text not in allowed:
                raise ValueError(f"claim {key}: outcome {text!r} is not one of {allowed}")
        if not rule.strip() or not values:
            raise ValueError(f"claim {key}: a claim needs its rule and the values it used")
        self.claims[key] = {"outcome": text, "kind": kind, "outcomes": allowed,
                            "rule": rule, "values": dict(sorted(values.items())),
                            "synthetic": bool(synthetic), "description": description}
        return key

    def write(self, path: str | Path, provenance: Mapping[str, Any]) -> None:
        """Write the registry file (deterministic JSON, atomic)."""
        data: dict[str, Any] = {"schema": SCHEMA_VERSION, "namespace": self.namespace,
                                "provenance": dict(provenance), "numbers": self.numbers}
        if self.lang != "nl":  # absent means Dutch: the files made before locales existed
            data["lang"] = self.lang
        if self.claims:
            data["claims"] = self.claims
        dump_json(data, path)


def load_file(path: str | Path) -> dict[str, Any]:
    """Read one registry file and check its shape."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BuildError(
            "numbers file is missing", file=path,
            hint="run `snakemake all`; the analysis step that writes it has not run",
        ) from exc
    except json.JSONDecodeError as exc:
        raise BuildError(
            "numbers file is not valid JSON", file=path, line=exc.lineno,
            expected="a registry file written by proefdruk.numbers", found=exc.msg,
            hint="delete it and rerun `snakemake all`",
        ) from exc
    if data.get("schema") != SCHEMA_VERSION or "numbers" not in data:
        raise BuildError("not a numbers registry file", file=path,
                         expected=f"schema {SCHEMA_VERSION}", found=str(data.get("schema")))
    return data


# What a reviewer needs to trace a number: without these a record is not provenance.
PROVENANCE_FIELDS = ("rule", "script", "inputs", "software")
ENTRY_FIELDS = ("value", "display", "kind")
CLAIM_FIELDS = ("outcome", "kind", "outcomes", "rule", "values", "synthetic")


def check_file(data: Mapping[str, Any], path: str | Path) -> None:
    """A registry file keeps the contract: keys in its own namespace (the file stem, so a
    chapter's key names the analysis it needs), complete entries, a provenance record."""
    missing = [f for f in PROVENANCE_FIELDS if f not in (data.get("provenance") or {})]
    if missing:
        raise BuildError("numbers file without a complete provenance record", file=path,
                         field="provenance", expected=", ".join(PROVENANCE_FIELDS),
                         found="missing: " + ", ".join(missing),
                         hint="write it with NumberSet.write(path, make_record(...))")
    stem = Path(path).stem
    for key, entry in data["numbers"].items():
        if namespace_of(key) != stem:
            raise BuildError(f"number {key} is not in the namespace of its file", file=path,
                             field=key, expected=f"a key starting with '{stem}.'", found=key,
                             hint="name the file after the NumberSet's namespace")
        absent = [f for f in ENTRY_FIELDS if f not in entry]
        if entry.get("kind") == "percent":
            absent += [f for f in ("numerator", "denominator") if f not in entry]
        if absent:
            raise BuildError(f"number {key} is incomplete", file=path, field=key,
                             expected=", ".join(ENTRY_FIELDS) + " (and numerator/denominator "
                             "for a percentage)", found="missing: " + ", ".join(absent),
                             hint="record it with NumberSet's methods")
    for key, entry in (data.get("claims") or {}).items():
        absent = [f for f in CLAIM_FIELDS if f not in entry]
        if namespace_of(key) != stem or absent:
            raise BuildError(f"claim {key} is incomplete or outside its file's namespace",
                             file=path, field=key,
                             expected=f"a key starting with '{stem}.' and the fields "
                                      + ", ".join(CLAIM_FIELDS),
                             found=("missing: " + ", ".join(absent)) if absent else key,
                             hint="record it with NumberSet.claim")


def merge_claims(paths: Iterable[str | Path]) -> dict[str, Any]:
    """Join the claims of registry files: ``key -> entry`` with provenance inlined."""
    merged: dict[str, Any] = {}
    for path in sorted(str(p) for p in paths):
        data = load_file(path)
        check_file(data, path)
        for key, entry in (data.get("claims") or {}).items():
            if key in merged:
                raise BuildError(f"claim {key} is defined twice", file=path,
                                 hint="give one of the two a different name")
            merged[key] = {**entry, "key": key, "provenance": data["provenance"],
                           "source": Path(path).as_posix()}
    return dict(sorted(merged.items()))


def merge(paths: Iterable[str | Path]) -> dict[str, Any]:
    """Join registry files into one mapping ``key -> entry`` with provenance inlined."""
    merged: dict[str, Any] = {}
    loaded = []
    for path in sorted(str(p) for p in paths):
        data = load_file(path)
        loaded.append((data, path))
        for key, entry in data["numbers"].items():
            if key in merged:
                raise BuildError(f"number {key} is defined twice", file=path,
                                 hint="give one of the two a different name")
            merged[key] = {**entry, "key": key, "provenance": data["provenance"],
                           "source": Path(path).as_posix()}
            if data.get("lang"):  # the display forms' language, for their readers
                merged[key]["lang"] = data["lang"]
    for data, path in loaded:
        check_file(data, path)
    return dict(sorted(merged.items()))


def lookup(registry: Mapping[str, Any], key: str, file: str | Path | None = None,
           line: int | None = None) -> dict[str, Any]:
    """The entry for ``key``, or an error naming the chapter and line that asked for it."""
    if key in registry:
        return registry[key]
    near = similar(key, registry)
    raise BuildError(
        f"unknown number key '{key}'", file=file, line=line,
        expected="a key in results/numbers.json",
        found=key,
        hint=("similar keys: " + ", ".join(near)) if near else
             "check the spelling, or add the number to the analysis step that computes it",
    )


def write_merged(paths: Iterable[str | Path], out: str | Path) -> dict[str, Any]:
    """Merge registry files and write ``results/numbers.json`` (deterministic, atomic).

    Each entry carries its key, raw value, display, unit, numerator and denominator where
    it is a proportion, and its step's provenance (rule, script, input hashes, software).
    """
    merged = merge(paths)
    dump_json(merged, out)
    return merged


def main(argv: list[str] | None = None) -> int:
    """``proefdruk numbers --out results/numbers.json results/numbers/*.json``."""
    import sys

    ap = CommandParser(prog="proefdruk numbers",
                       description="Merge the numbers registry files.")
    ap.add_argument("files", nargs="*")
    ap.add_argument("--out", required=True)
    ap.add_argument("--claims-out", default=None, help="merged claims (results/claims.json)")
    args = ap.parse_args(argv)
    try:
        merged = write_merged(args.files, args.out)
        claims = merge_claims(args.files)
        if args.claims_out:
            dump_json(claims, args.claims_out)
    except BuildError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"numbers registry: {len(merged)} number(s) and {len(claims)} claim(s) from "
          f"{len(args.files)} file(s)")
    return 0
