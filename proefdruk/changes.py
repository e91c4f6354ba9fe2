"""What changed between two editions: the report a committee reads before re-reading.

A revised thesis goes back to the committee with one question attached: what is
different from the version you read? Two manifests answer most of it exactly (every
number's value, every figure's and table's checksum), and the published HTML pages of
both editions answer the rest: which sentences changed, and which references were added
or removed. Prose is compared with every registry number replaced by its key and every
generated table by a placeholder, so a changed number is reported once, as a number, and
not a second time as "changed text" in every chapter that prints it.

``since`` names the earlier edition: a published version (``0.1``: ``published/0.1/``,
which ``snakemake publish`` makes; a downloaded site works too) or its manifest. With the
pages and figures at hand the report has the word-level diff, each change placed by
chapter and section, the changed cells of each table and the figures with what differs
outlined (:mod:`proefdruk.changes_detail`, written by :mod:`proefdruk.changes_report`); with
a bare manifest it still lists numbers, figures and tables, and names the chapters whose
pages changed.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from proefdruk.arguments import CommandParser
from proefdruk.changes_detail import place, table_cells
from proefdruk.changes_pages import PageText, page_text
from proefdruk.changes_report import figure_images, html_report, markdown
from proefdruk.errors import BuildError
from proefdruk.files import atomic_write_text
from proefdruk.locale.words import Locale, load_locale, locale_for
from proefdruk.manifest import load_manifest
from proefdruk.publish import PUBLISHED, VERSION

CONTEXT_WORDS = 8
_NUM_RE = re.compile(r"\{\{<\s*num\s+([^\s>]+)")


@dataclass
class Changes:
    """Everything that differs, in the order the report shows it."""

    numbers: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    figures: list[dict[str, Any]] = field(default_factory=list)
    tables: list[dict[str, Any]] = field(default_factory=list)
    prose: list[dict[str, Any]] = field(default_factory=list)
    references: dict[str, list[str]] = field(default_factory=dict)
    references_text: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    old_site: Path | None = None
    new_site: Path | None = None
    since: Path | None = None
    site: str = ""  # the new edition's folder as the report links it (relative to it)

    @property
    def empty(self) -> bool:
        return not (self.numbers or self.claims or self.figures or self.tables or self.prose
                    or any(self.references.values()))


def number_users(root: Path) -> dict[str, list[str]]:
    """Which chapter files print each number key (scanned from the sources)."""
    users: dict[str, set[str]] = {}
    for qmd in sorted([*root.glob("*.qmd"), *root.glob("chapters/**/*.qmd")]):
        for key in _NUM_RE.findall(qmd.read_text(encoding="utf-8")):
            users.setdefault(key, set()).add(qmd.relative_to(root).as_posix())
    return {k: sorted(v) for k, v in users.items()}


def _compare_numbers(old: dict[str, Any], new: dict[str, Any],
                     users: dict[str, list[str]]) -> list[dict[str, Any]]:
    out = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        if a == b:
            continue
        out.append({"key": key, "old": (a or {}).get("display"), "new": (b or {}).get("display"),
                    "chapters": users.get(key, [])})
    return out


def _compare_claims(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for key in sorted(set(old) | set(new)):
        a, b = (old.get(key) or {}), (new.get(key) or {})
        if a.get("outcome") != b.get("outcome"):
            out.append({"key": key, "old": a.get("outcome"), "new": b.get("outcome")})
    return out


def _compare_files(old: dict[str, Any], new: dict[str, Any], group: str) -> list[dict[str, Any]]:
    out = []
    for rel in sorted(set(old) | set(new)):
        a, b = old.get(rel), new.get(rel)
        if (a or b or {}).get("group") != group:
            continue
        if a is None or b is None or a["sha256"] != b["sha256"]:
            out.append({"path": rel, "status": "nieuw" if a is None else
                        "vervallen" if b is None else "gewijzigd"})
    return out


def _compare_figures(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """The changed figures, one item each: a figure's PNG rendition (rule figure_png, for
    the DOCX and for Quarto) changes with its SVG and is the same figure to a reader."""
    svgs = {rel[: -len(".svg")] for rel in set(old) | set(new) if rel.endswith(".svg")}
    return [f for f in _compare_files(old, new, "figure")
            if not (f["path"].endswith(".png") and f["path"][: -len(".png")] in svgs)]


JOIN_GAP = 3  # changes this few unchanged words apart are one replacement


def word_diff(old: list[str], new: list[str]) -> list[dict[str, Any]]:
    """The changed passages between two word lists, each with a little context.

    One rewording is one change: edits separated by at most :data:`JOIN_GAP` unchanged
    words (``X de Y`` → ``P de Q``) are joined into one replacement, and a passage's
    context never reaches into the next change, so no bullet repeats another's old words
    as if they had been kept. ``at`` is the position in ``new`` (the place of the change).
    """
    ops = [op for op in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes()
           if op[0] != "equal"]
    joined: list[list[int]] = []
    for _tag, i1, i2, j1, j2 in ops:
        if joined and i1 - joined[-1][1] <= JOIN_GAP and j1 - joined[-1][3] <= JOIN_GAP:
            joined[-1][1], joined[-1][3] = i2, j2
        else:
            joined.append([i1, i2, j1, j2])
    out = []
    for n, (i1, i2, j1, j2) in enumerate(joined):
        start = joined[n - 1][1] if n else 0
        end = joined[n + 1][2] if n + 1 < len(joined) else len(new)
        out.append({"before": " ".join(old[max(start, i1 - CONTEXT_WORDS):i1]),
                    "old": " ".join(old[i1:i2]), "new": " ".join(new[j1:j2]),
                    "after": " ".join(new[j2:min(end, j2 + CONTEXT_WORDS)]), "at": j1})
    return out


def _pages(files: dict[str, Any]) -> list[str]:
    return sorted(rel for rel, f in files.items()
                  if f.get("group") == "edition" and rel.endswith(".html"))


def resolve_since(since: str | Path, root: str | Path = ".") -> tuple[Path, Path | None]:
    """The earlier edition's manifest and the folder of its pages (None: not at hand).

    ``since`` is a version (``0.1``: ``published/0.1/`` under ``root``, or only its kept
    manifest ``published/manifests/0.1.json``), an edition's ``manifest.json``, or a kept
    ``published/manifests/<version>.json``, whose pages are in ``published/<version>/``."""
    root, text = Path(root), str(since).strip()
    path = Path(text)
    if not path.exists() and not (root / path).exists() and VERSION.match(text) \
            and not text.endswith(".json"):
        folder = root / PUBLISHED / text
        kept = root / PUBLISHED / "manifests" / f"{text}.json"
        if (folder / "manifest.json").is_file():
            return folder / "manifest.json", folder
        if kept.is_file():
            return kept, None
        known = sorted(p.stem for p in (root / PUBLISHED / "manifests").glob("*.json"))
        raise BuildError(f"no published edition {text}", file=root / PUBLISHED,
                         field="--since", expected="a published version: "
                         + (", ".join(known) or "none yet"),
                         found=text, hint="publish an edition first (snakemake publish), "
                         "or give the path of an earlier edition's manifest.json")
    if not path.is_absolute() and not path.exists() and (root / path).exists():
        path = root / path
    if path.parent.name == "manifests":
        folder = path.parent.parent / path.stem
        if (folder / "manifest.json").is_file():
            return path, folder
        return path, None
    return path, path.parent


def _sources(site: Path | None, pages: list[str]) -> dict[str, PageText]:
    out = {}
    for name in pages:
        if site is not None and (site / name).is_file():
            out[name] = page_text(site / name)
    return out


def _shown(pages: dict[str, PageText], source: str, kind: str) -> list[dict[str, Any]]:
    """Where the pages show the output ``source``: its label, place and (tables) cells."""
    found = []
    for name, text in pages.items():
        item = (text.tables if kind == "table" else text.figures).get(source)
        if item is not None:
            where = place(text.chapter, text.sections, item.section, name)
            found.append({"label": item.label.replace("\u00a0", " "),
                          "place": {"label": where["label"],
                                    "href": f"{name}#{item.anchor}" if item.anchor
                                    else where["href"]},
                          "rows": getattr(item, "rows", None)})
    return found


def _step_numbers(root: Path) -> dict[str, set[str]]:
    """Per output file, the number keys its analysis step wrote (from the provenance
    records and the registry of the edition under ``root``)."""
    registry = root / "results" / "numbers.json"
    by_rule: dict[str, set[str]] = {}
    if registry.is_file():
        for key, entry in json.loads(registry.read_text(encoding="utf-8")).items():
            rule = ((entry or {}).get("provenance") or {}).get("rule")
            if rule:
                by_rule.setdefault(rule, set()).add(key)
    out: dict[str, set[str]] = {}
    for record in sorted((root / "results" / "provenance").glob("*.json")):
        data = json.loads(record.read_text(encoding="utf-8"))
        for output in data.get("outputs") or {}:
            out[output] = by_rule.get(data.get("rule", ""), set())
    return out


def _table_items(files: list[dict[str, Any]], old_pages: dict[str, PageText],
                 new_pages: dict[str, PageText]) -> list[dict[str, Any]]:
    """Changed table files as tables: the CSV and Markdown of one table are one item, with
    the cells that differ where both editions show it."""
    items: dict[str, dict[str, Any]] = {}
    for f in files:
        stem = f["path"].rsplit(".", 1)[0]
        item = items.setdefault(stem, {"path": stem, "files": [], "status": f["status"],
                                       "cells": [], "total": 0, "places": [], "label": ""})
        item["files"].append(f["path"])
        if f["status"] != item["status"]:
            item["status"] = "gewijzigd"
    for stem, item in items.items():
        new = _shown(new_pages, stem + ".md", "table")
        old = _shown(old_pages, stem + ".md", "table")
        item["places"] = [n["place"] for n in new]
        item["label"] = new[0]["label"] if new else old[0]["label"] if old else ""
        if new and old:
            item["cells"], item["total"] = table_cells(old[0]["rows"], new[0]["rows"])
    return [items[stem] for stem in sorted(items)]


def compare(since: str | Path, root: str | Path = ".",
            manifest: str | Path = "_book/manifest.json",
            generated_pages: tuple[str, ...] = ("herkomst",),
            words: Locale | None = None) -> Changes:
    """Compare the edition under ``root`` with the earlier one named by ``since`` (a
    version or a manifest: :func:`resolve_since`). ``words`` say the remarks (default:
    the book's locale, :func:`report_words`)."""
    root = Path(root)
    w = words or report_words(root)
    since_manifest, old_site = resolve_since(since, root)
    old_m, new_m = load_manifest(since_manifest), load_manifest(root / manifest)
    new_site = (root / manifest).parent
    ch = Changes(old_site=old_site, new_site=new_site, since=since_manifest)
    ch.numbers = _compare_numbers(old_m["numbers"], new_m["numbers"], number_users(root))
    ch.claims = _compare_claims(old_m.get("claims") or {}, new_m.get("claims") or {})
    ch.figures = _compare_figures(old_m["files"], new_m["files"])
    site_prefix = new_site.relative_to(root).as_posix() if new_site.is_relative_to(root) else ""
    names = {}
    for rel in sorted(set(_pages(old_m["files"])) | set(_pages(new_m["files"]))):
        names[rel] = rel[len(site_prefix) + 1:] if site_prefix and \
            rel.startswith(site_prefix + "/") else rel
    old_pages = _sources(old_site, sorted(names.values()))
    new_pages = _sources(new_site, sorted(names.values()))
    ch.tables = _table_items(_compare_files(old_m["files"], new_m["files"], "table"),
                             old_pages, new_pages)
    behind = _step_numbers(root)
    changed = {n["key"]: n for n in ch.numbers}
    for f in ch.figures:
        shown = _shown(new_pages, f["path"], "figure") or _shown(old_pages, f["path"], "figure")
        f["places"] = [s["place"] for s in shown]
        f["label"] = shown[0]["label"] if shown else ""
        f["numbers"] = [changed[k] for k in sorted(behind.get(f["path"], ())) if k in changed]
    old_refs: dict[str, str] = {}
    new_refs: dict[str, str] = {}
    for rel, name in names.items():
        if Path(name).stem in generated_pages:
            continue
        old_sha = (old_m["files"].get(rel) or {}).get("sha256")
        new_sha = (new_m["files"].get(rel) or {}).get("sha256")
        if name not in old_pages or name not in new_pages:
            if old_sha != new_sha:
                ch.prose.append({"page": name, "status": "nieuw" if old_sha is None else
                                 "vervallen" if new_sha is None else "gewijzigd",
                                 "passages": []})
                if old_sha and new_sha:
                    ch.notes.append(f"{name}: {w.word('proefdruk-changes-page-missing')}")
            continue
        a, b = old_pages[name], new_pages[name]
        old_refs.update(a.refs)
        new_refs.update(b.refs)
        passages = word_diff(a.words, b.words)
        for d in passages:
            at = min(d["at"], len(b.word_section) - 1)
            d["place"] = place(b.chapter, b.sections, b.word_section[at] if at >= 0 else 0,
                               name)
        if passages:
            title = b.sections[0].title
            ch.prose.append({"page": name, "status": "gewijzigd", "passages": passages,
                             "title": f"{b.chapter}: {title}" if b.chapter and title
                             and title != b.chapter else b.chapter or title})
    ch.references = {"toegevoegd": sorted(set(new_refs) - set(old_refs)),
                     "verwijderd": sorted(set(old_refs) - set(new_refs))}
    ch.references_text = {**old_refs, **new_refs}
    return ch


# --- the report -------------------------------------------------------------------------

def report_words(root: str | Path = ".") -> Locale:
    """The words of the report: the book's locale (``lang:`` and ``language:`` of the
    ``_quarto.yml`` under ``root``), Dutch where there is none, as the report was."""
    if (Path(root) / "_quarto.yml").is_file():
        return load_locale(root)
    return locale_for("nl")


def write_report(since: str | Path, out_dir: str | Path, root: str | Path = ".",
                 manifest: str | Path = "_book/manifest.json", lang: str | None = None,
                 site: str | None = None) -> Changes:
    """Compare and write ``wijzigingen.md`` and ``wijzigingen.html`` into ``out_dir``, in
    ``lang`` (default: the book's language, from the ``_quarto.yml`` under ``root``).
    ``since`` is a version (``0.1``) or a manifest; the places link into the new edition,
    at ``site`` (relative to ``out_dir``; default: where its manifest lies)."""
    if not str(since).strip():
        raise BuildError("no earlier edition to compare with", field="--since",
                         expected="the path of an earlier edition's manifest.json",
                         hint="proefdruk changes --since published/1.0/manifest.json")
    root, out_dir = Path(root), Path(out_dir)
    if Path(since).is_dir():
        raise BuildError("--since names a folder, not a manifest", file=since,
                         expected="the manifest.json of an earlier edition",
                         found="a folder", hint=f"give {Path(since).as_posix()}/manifest.json")
    resolved, _site = resolve_since(since, root)
    if not resolved.is_file():
        raise BuildError("the manifest of the earlier edition does not exist", file=since,
                         hint="give the manifest.json of the edition the committee read, "
                              "e.g. --since published/0.9/manifest.json")
    words = locale_for(lang) if lang else report_words(root)
    ch = compare(since, root, manifest, words=words)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    ch.site = site if site is not None else \
        Path(os.path.relpath((root / manifest).parent, out_dir)).as_posix()
    shown = str(since) if resolved == Path(since) else \
        f"{since} ({_shown_path(resolved, root)})"
    figure_images(ch, out_dir)
    atomic_write_text(out_dir / "wijzigingen.md", markdown(ch, shown, words, out_dir))
    atomic_write_text(out_dir / "wijzigingen.html",
                      html_report(ch, shown, out_dir, ch.old_site or resolved.parent,
                                  (root / manifest).parent, words))
    return ch


def _shown_path(path: Path, root: Path) -> str:
    """A path as the report prints it: relative to the project, never absolute."""
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name


def main(argv: list[str] | None = None) -> int:
    """``proefdruk changes --since OLD/manifest.json --out results/changes``."""
    ap = CommandParser(prog="proefdruk changes", description=__doc__.splitlines()[0])
    ap.add_argument("--since", default="",
                    help="the earlier edition: a published version (0.1, found in "
                         "published/<version>/) or its manifest (published/<version>/"
                         "manifest.json, published/manifests/<version>.json)")
    ap.add_argument("--out", default="results/changes", help="the report's folder")
    ap.add_argument("--root", default=".")
    ap.add_argument("--manifest", default="_book/manifest.json")
    ap.add_argument("--lang", help="language of the report (default: the book's lang:)")
    args = ap.parse_args(argv)
    try:
        ch = write_report(args.since, args.out, args.root, args.manifest, args.lang)
    except BuildError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    from proefdruk.summary import block

    print(block("changes", f"{len(ch.numbers)} number(s), {len(ch.figures)} figure(s), "
                f"{len(ch.tables)} table(s), {len(ch.prose)} page(s) with other text, "
                f"{sum(len(v) for v in ch.references.values())} reference(s) -> {args.out}",
                [f"{Path(args.out) / 'wijzigingen.html'} and wijzigingen.md (the report)"],
                []))
    return 0
