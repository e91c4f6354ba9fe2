"""What changed between two editions: the report a committee reads before re-reading.

A revised thesis goes back to the committee with one question attached: what is
different from the version you read? Two manifests answer most of it exactly (every
number's value, every figure's and table's checksum), and the published HTML pages of
both editions answer the rest: which sentences changed, and which references were added
or removed. Prose is compared with every registry number replaced by its key and every
generated table by a placeholder, so a changed number is reported once, as a number, and
not a second time as "changed text" in every chapter that prints it.

``since`` is the manifest of the earlier edition. When it lies in a published edition
folder (``snakemake publish`` makes one; a downloaded site works too) the pages and
figures next to it give the word-level diff and the side-by-side figures; with a bare
manifest the report still lists numbers, figures and tables, and names the chapters whose
pages changed.
"""

from __future__ import annotations

import argparse
import difflib
import html
import re
import shutil
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from proefdruk.errors import BuildError
from proefdruk.files import atomic_write_text
from proefdruk.manifest import load_manifest
from proefdruk.render.editions.media import media_path

CONTEXT_WORDS = 8
_NUM_RE = re.compile(r"\{\{<\s*num\s+([^\s>]+)")


class _PageText(HTMLParser):
    """The reading text of a page's ``<main>``: numbers as ``⟨key⟩``, tables as one
    placeholder, scripts and navigation left out; also the reference ids it lists."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self.refs: dict[str, str] = {}
        self._main = 0
        self._skip = 0
        self._num = 0
        self._ref: str | None = None
        self._ref_text: list[str] = []
        self._stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("br", "img", "hr", "meta", "link", "input", "source", "wbr"):
            return
        self._stack.append(tag)
        if tag == "main":
            self._main += 1
        classes = (a.get("class") or "").split()
        if not self._main:
            return
        if tag in ("script", "style", "nav", "table", "button") or "prov" in classes:
            self._skip += 1
            if tag == "table":
                self.words.append("[tabel]")
        elif tag == "a" and "num" in classes and a.get("data-key"):
            self._num += 1
            self.words.append(f"⟨{a['data-key']}⟩")
        elif (a.get("id") or "").startswith("ref-") and self._ref is None:
            self._ref = a["id"][4:]
            self._ref_text = []

    def handle_endtag(self, tag: str) -> None:
        if not self._stack or tag not in self._stack:
            return
        while self._stack:
            top = self._stack.pop()
            if self._main:
                if top in ("script", "style", "nav", "table", "button") and self._skip:
                    self._skip -= 1
                elif top == "a" and self._num:
                    self._num -= 1
                elif top == "div" and self._ref is not None:
                    self.refs[self._ref] = " ".join(" ".join(self._ref_text).split())
                    self._ref = None
            if top == "main":
                self._main -= 1
            if top == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self._main or self._skip or self._num:
            return
        self.words.extend(data.split())
        if self._ref is not None:
            self._ref_text.append(data)


def page_text(path: Path) -> _PageText:
    parser = _PageText()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


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


def word_diff(old: list[str], new: list[str]) -> list[dict[str, str]]:
    """The changed passages between two word lists, each with a little context."""
    out = []
    sm = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        out.append({"before": " ".join(old[max(0, i1 - CONTEXT_WORDS):i1]),
                    "old": " ".join(old[i1:i2]), "new": " ".join(new[j1:j2]),
                    "after": " ".join(new[j2:j2 + CONTEXT_WORDS])})
    return out


def _pages(files: dict[str, Any]) -> list[str]:
    return sorted(rel for rel, f in files.items()
                  if f.get("group") == "edition" and rel.endswith(".html"))


def compare(since: str | Path, root: str | Path = ".",
            manifest: str | Path = "_book/manifest.json",
            generated_pages: tuple[str, ...] = ("herkomst",)) -> Changes:
    """Compare the edition under ``root`` with the one whose manifest is ``since``."""
    root = Path(root)
    since = Path(since)
    old_m, new_m = load_manifest(since), load_manifest(root / manifest)
    old_site, new_site = since.parent, (root / manifest).parent
    ch = Changes()
    ch.numbers = _compare_numbers(old_m["numbers"], new_m["numbers"], number_users(root))
    ch.claims = _compare_claims(old_m.get("claims") or {}, new_m.get("claims") or {})
    ch.figures = _compare_files(old_m["files"], new_m["files"], "figure")
    ch.tables = _compare_files(old_m["files"], new_m["files"], "table")
    site_prefix = new_site.relative_to(root).as_posix() if new_site.is_relative_to(root) else ""
    old_refs: dict[str, str] = {}
    new_refs: dict[str, str] = {}
    for rel in sorted(set(_pages(old_m["files"])) | set(_pages(new_m["files"]))):
        name = rel[len(site_prefix) + 1:] if site_prefix and rel.startswith(site_prefix + "/") \
            else rel
        if Path(name).stem in generated_pages:
            continue
        old_page, new_page = old_site / name, new_site / name
        old_sha = (old_m["files"].get(rel) or {}).get("sha256")
        new_sha = (new_m["files"].get(rel) or {}).get("sha256")
        if not old_page.is_file() or not new_page.is_file():
            if old_sha != new_sha:
                ch.prose.append({"page": name, "status": "nieuw" if old_sha is None else
                                 "vervallen" if new_sha is None else "gewijzigd",
                                 "passages": []})
                if old_sha and new_sha:
                    ch.notes.append(f"{name}: de pagina van de eerdere editie ontbreekt naast "
                                    "het manifest; alleen vastgesteld dat ze veranderde")
            continue
        a, b = page_text(old_page), page_text(new_page)
        old_refs.update(a.refs)
        new_refs.update(b.refs)
        passages = word_diff(a.words, b.words)
        if passages:
            ch.prose.append({"page": name, "status": "gewijzigd", "passages": passages})
    ch.references = {"toegevoegd": sorted(set(new_refs) - set(old_refs)),
                     "verwijderd": sorted(set(old_refs) - set(new_refs))}
    ch.references_text = {**old_refs, **new_refs}
    return ch


# --- the report -------------------------------------------------------------------------

def markdown(ch: Changes, since: str) -> str:
    """The report as Markdown (for the author's editor and the archive)."""
    lines = ["# Wijzigingen ten opzichte van de eerdere editie", "",
             f"Vergeleken met `{since}`.", ""]
    if ch.empty:
        lines += ["Geen verschillen in getallen, figuren, tabellen, tekst of literatuur.", ""]
    if ch.numbers:
        lines += ["## Getallen", "", "| sleutel | was | is | gebruikt in |", "|---|---|---|---|"]
        lines += [f"| `{n['key']}` | {n['old'] or '—'} | {n['new'] or '—'} | "
                  f"{', '.join(n['chapters']) or '—'} |" for n in ch.numbers]
        lines.append("")
    if ch.claims:
        lines += ["## Uitspraken (claims)", "", "| sleutel | was | is |", "|---|---|---|"]
        lines += [f"| `{c['key']}` | {c['old']} | {c['new']} |" for c in ch.claims]
        lines.append("")
    for title, items in (("Figuren", ch.figures), ("Tabellen", ch.tables)):
        if items:
            lines += [f"## {title}", ""] + [f"- `{f['path']}`: {f['status']}" for f in items]
            lines.append("")
    if ch.prose:
        lines += ["## Tekst", ""]
        for p in ch.prose:
            lines += [f"### {p['page']} ({p['status']})", ""]
            for d in p["passages"]:
                old = f"~~{d['old']}~~ " if d["old"] else ""
                new = f"**{d['new']}** " if d["new"] else ""
                lines.append(f"- … {d['before']} {old}{new}{d['after']} …".replace("  ", " "))
            lines.append("")
    refs = ch.references
    if any(refs.values()):
        lines += ["## Literatuur", ""]
        lines += [f"- toegevoegd: `{k}`" for k in refs["toegevoegd"]]
        lines += [f"- verwijderd: `{k}`" for k in refs["verwijderd"]]
        lines.append("")
    if ch.notes:
        lines += ["## Opmerkingen", ""] + [f"- {n}" for n in ch.notes] + [""]
    return "\n".join(lines)


def html_report(ch: Changes, since: str, out_dir: Path, old_site: Path, new_site: Path) -> str:
    """The report as one HTML page, figures side by side (copied next to it)."""
    e = html.escape
    body = [f"<h1>Wijzigingen ten opzichte van de eerdere editie</h1><p>Vergeleken met "
            f"<code>{e(since)}</code>.</p>"]
    if ch.empty:
        body.append("<p>Geen verschillen in getallen, figuren, tabellen, tekst of "
                    "literatuur.</p>")
    if ch.numbers:
        rows = "".join(f"<tr><td><code>{e(n['key'])}</code></td><td>{e(n['old'] or '—')}</td>"
                       f"<td>{e(n['new'] or '—')}</td><td>{e(', '.join(n['chapters']))}</td></tr>"
                       for n in ch.numbers)
        body.append("<h2>Getallen</h2><table><thead><tr><th>sleutel</th><th>was</th><th>is"
                    f"</th><th>gebruikt in</th></tr></thead><tbody>{rows}</tbody></table>")
    if ch.claims:
        rows = "".join(f"<tr><td><code>{e(c['key'])}</code></td><td>{e(str(c['old']))}</td>"
                       f"<td>{e(str(c['new']))}</td></tr>" for c in ch.claims)
        body.append("<h2>Uitspraken (claims)</h2><table><thead><tr><th>sleutel</th><th>was"
                    f"</th><th>is</th></tr></thead><tbody>{rows}</tbody></table>")
    if ch.figures:
        body.append("<h2>Figuren</h2>")
        for f in ch.figures:
            cells = []
            for label, site, sub in (("was", old_site, "oud"), ("is", new_site, "nieuw")):
                src = site / media_path(f["path"])
                if src.is_file():
                    dest = out_dir / "figuren" / sub / Path(f["path"]).name
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(src, dest)
                    rel = dest.relative_to(out_dir).as_posix()
                    cells.append(f'<figure><img src="{e(rel)}" alt="{e(label)}: '
                                 f'{e(f["path"])}"><figcaption>{label}</figcaption></figure>')
                else:
                    cells.append(f"<figure><p>({label}: niet beschikbaar)</p></figure>")
            body.append(f'<h3><code>{e(f["path"])}</code> ({f["status"]})</h3>'
                        f'<div class="naast">{"".join(cells)}</div>')
    if ch.tables:
        body.append("<h2>Tabellen</h2><ul>" + "".join(
            f"<li><code>{e(t['path'])}</code>: {t['status']}</li>" for t in ch.tables) + "</ul>")
    if ch.prose:
        body.append("<h2>Tekst</h2>")
        for p in ch.prose:
            items = "".join(
                f"<li>… {e(d['before'])} <del>{e(d['old'])}</del> <ins>{e(d['new'])}</ins> "
                f"{e(d['after'])} …</li>" for d in p["passages"])
            body.append(f"<h3>{e(p['page'])} ({p['status']})</h3><ul>{items}</ul>")
    refs = ch.references
    if any(refs.values()):
        texts = ch.references_text
        items = [f"<li>toegevoegd: {e(texts.get(k, k))}</li>" for k in refs["toegevoegd"]]
        items += [f"<li>verwijderd: {e(texts.get(k, k))}</li>" for k in refs["verwijderd"]]
        body.append("<h2>Literatuur</h2><ul>" + "".join(items) + "</ul>")
    if ch.notes:
        body.append("<h2>Opmerkingen</h2><ul>" + "".join(f"<li>{e(n)}</li>" for n in ch.notes)
                    + "</ul>")
    style = ("body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
             "padding:0 1rem;line-height:1.5}table{border-collapse:collapse}td,th{border:1px "
             "solid #ccc;padding:.2rem .5rem}del{background:#fdd;text-decoration:line-through}"
             "ins{background:#dfd;text-decoration:none;font-weight:600}.naast{display:flex;"
             "gap:1rem}.naast figure{flex:1;margin:0}.naast img{max-width:100%}")
    return (f'<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8"><title>Wijzigingen'
            f'</title><meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<style>{style}</style></head><body><main>{''.join(body)}</main></body></html>\n")


def write_report(since: str | Path, out_dir: str | Path, root: str | Path = ".",
                 manifest: str | Path = "_book/manifest.json") -> Changes:
    """Compare and write ``wijzigingen.md`` and ``wijzigingen.html`` into ``out_dir``."""
    if not str(since).strip():
        raise BuildError("no earlier edition to compare with", field="--since",
                         expected="the path of an earlier edition's manifest.json",
                         hint="proefdruk changes --since published/1.0/manifest.json")
    root, out_dir, since = Path(root), Path(out_dir), Path(since)
    if since.is_dir():
        raise BuildError("--since names a folder, not a manifest", file=since,
                         expected="the manifest.json of an earlier edition",
                         found="a folder", hint=f"give {since.as_posix()}/manifest.json")
    if not since.is_file():
        raise BuildError("the manifest of the earlier edition does not exist", file=since,
                         hint="give the manifest.json of the edition the committee read, "
                              "e.g. --since published/0.9/manifest.json")
    ch = compare(since, root, manifest)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    shown = since.as_posix()
    atomic_write_text(out_dir / "wijzigingen.md", markdown(ch, shown))
    atomic_write_text(out_dir / "wijzigingen.html",
                      html_report(ch, shown, out_dir, since.parent, (root / manifest).parent))
    return ch


def main(argv: list[str] | None = None) -> int:
    """``proefdruk changes --since OLD/manifest.json --out results/changes``."""
    ap = argparse.ArgumentParser(prog="proefdruk changes", description=__doc__.splitlines()[0])
    ap.add_argument("--since", default="",
                    help="the manifest of the earlier edition, ideally inside its published "
                         "folder (published/<version>/manifest.json) for the prose diff and "
                         "the images")
    ap.add_argument("--out", default="results/changes", help="the report's folder")
    ap.add_argument("--root", default=".")
    ap.add_argument("--manifest", default="_book/manifest.json")
    args = ap.parse_args(argv)
    try:
        ch = write_report(args.since, args.out, args.root, args.manifest)
    except BuildError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"changes: {len(ch.numbers)} number(s), {len(ch.figures)} figure(s), "
          f"{len(ch.tables)} table file(s), {len(ch.prose)} page(s) with other text, "
          f"{sum(len(v) for v in ch.references.values())} reference(s) -> {args.out}")
    return 0
