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

import difflib
import html
import re
import shutil
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from proefdruk.arguments import CommandParser
from proefdruk.errors import BuildError
from proefdruk.files import atomic_write_text
from proefdruk.locale.words import Locale, load_locale, locale_for
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
            generated_pages: tuple[str, ...] = ("herkomst",),
            words: Locale | None = None) -> Changes:
    """Compare the edition under ``root`` with the one whose manifest is ``since``.
    ``words`` say the remarks (default: the book's locale, :func:`report_words`)."""
    root = Path(root)
    w = words or report_words(root)
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
                    ch.notes.append(f"{name}: {w.word('proefdruk-changes-page-missing')}")
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

def report_words(root: str | Path = ".") -> Locale:
    """The words of the report: the book's locale (``lang:`` and ``language:`` of the
    ``_quarto.yml`` under ``root``), Dutch where there is none, as the report was."""
    if (Path(root) / "_quarto.yml").is_file():
        return load_locale(root)
    return locale_for("nl")


# the statuses compare() records (data, in the report's first language) -> locale keys
STATUS = {"nieuw": "proefdruk-changes-status-new", "vervallen": "proefdruk-changes-status-gone",
          "gewijzigd": "proefdruk-changes-status-changed"}


def markdown(ch: Changes, since: str, words: Locale | None = None) -> str:
    """The report as Markdown (for the author's editor and the archive)."""
    w = words or locale_for("nl")

    def say(key: str) -> str:
        return w.word(f"proefdruk-changes-{key}")

    lines = [f"# {say('title')}", "", f"{say('compared')} `{since}`.", ""]
    if ch.empty:
        lines += [say("none"), ""]
    if ch.numbers:
        lines += [f"## {say('numbers')}", "",
                  f"| {say('key')} | {say('was')} | {say('is')} | {say('used-in')} |",
                  "|---|---|---|---|"]
        lines += [f"| `{n['key']}` | {n['old'] or '—'} | {n['new'] or '—'} | "
                  f"{', '.join(n['chapters']) or '—'} |" for n in ch.numbers]
        lines.append("")
    if ch.claims:
        lines += [f"## {say('claims')}", "",
                  f"| {say('key')} | {say('was')} | {say('is')} |", "|---|---|---|"]
        lines += [f"| `{c['key']}` | {c['old']} | {c['new']} |" for c in ch.claims]
        lines.append("")
    for title, items in ((say("figures"), ch.figures), (say("tables"), ch.tables)):
        if items:
            lines += [f"## {title}", ""] + [f"- `{f['path']}`: {w.word(STATUS[f['status']])}"
                                            for f in items]
            lines.append("")
    if ch.prose:
        lines += [f"## {say('text')}", ""]
        for p in ch.prose:
            lines += [f"### {p['page']} ({w.word(STATUS[p['status']])})", ""]
            for d in p["passages"]:
                old = f"~~{d['old']}~~ " if d["old"] else ""
                new = f"**{d['new']}** " if d["new"] else ""
                lines.append(f"- … {d['before']} {old}{new}{d['after']} …".replace("  ", " "))
            lines.append("")
    refs = ch.references
    if any(refs.values()):
        lines += [f"## {say('references')}", ""]
        lines += [f"- {say('added')}: `{k}`" for k in refs["toegevoegd"]]
        lines += [f"- {say('removed')}: `{k}`" for k in refs["verwijderd"]]
        lines.append("")
    if ch.notes:
        lines += [f"## {say('notes')}", ""] + [f"- {n}" for n in ch.notes] + [""]
    return "\n".join(lines)


def html_report(ch: Changes, since: str, out_dir: Path, old_site: Path, new_site: Path,
                words: Locale | None = None) -> str:
    """The report as one HTML page, figures side by side (copied next to it)."""
    e = html.escape
    w = words or locale_for("nl")

    def say(key: str) -> str:
        return e(w.word(f"proefdruk-changes-{key}"))

    body = [f"<h1>{say('title')}</h1><p>{say('compared')} "
            f"<code>{e(since)}</code>.</p>"]
    if ch.empty:
        body.append(f"<p>{say('none')}</p>")
    if ch.numbers:
        rows = "".join(f"<tr><td><code>{e(n['key'])}</code></td><td>{e(n['old'] or '—')}</td>"
                       f"<td>{e(n['new'] or '—')}</td><td>{e(', '.join(n['chapters']))}</td></tr>"
                       for n in ch.numbers)
        body.append(f"<h2>{say('numbers')}</h2><table><thead><tr><th>{say('key')}</th>"
                    f"<th>{say('was')}</th><th>{say('is')}</th><th>{say('used-in')}</th>"
                    f"</tr></thead><tbody>{rows}</tbody></table>")
    if ch.claims:
        rows = "".join(f"<tr><td><code>{e(c['key'])}</code></td><td>{e(str(c['old']))}</td>"
                       f"<td>{e(str(c['new']))}</td></tr>" for c in ch.claims)
        body.append(f"<h2>{say('claims')}</h2><table><thead><tr><th>{say('key')}</th>"
                    f"<th>{say('was')}</th><th>{say('is')}</th></tr></thead>"
                    f"<tbody>{rows}</tbody></table>")
    if ch.figures:
        body.append(f"<h2>{say('figures')}</h2>")
        for f in ch.figures:
            cells = []
            for label, site, sub in ((say("was"), old_site, "oud"),
                                     (say("is"), new_site, "nieuw")):
                src = site / media_path(f["path"])
                if src.is_file():
                    dest = out_dir / "figuren" / sub / Path(f["path"]).name
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(src, dest)
                    rel = dest.relative_to(out_dir).as_posix()
                    cells.append(f'<figure><img src="{e(rel)}" alt="{e(label)}: '
                                 f'{e(f["path"])}"><figcaption>{label}</figcaption></figure>')
                else:
                    cells.append(f"<figure><p>({label}: {say('unavailable')})</p></figure>")
            body.append(f'<h3><code>{e(f["path"])}</code> ({e(w.word(STATUS[f["status"]]))})</h3>'
                        f'<div class="naast">{"".join(cells)}</div>')
    if ch.tables:
        body.append(f"<h2>{say('tables')}</h2><ul>" + "".join(
            f"<li><code>{e(t['path'])}</code>: {e(w.word(STATUS[t['status']]))}</li>"
            for t in ch.tables) + "</ul>")
    if ch.prose:
        body.append(f"<h2>{say('text')}</h2>")
        for p in ch.prose:
            items = "".join(
                f"<li>… {e(d['before'])} <del>{e(d['old'])}</del> <ins>{e(d['new'])}</ins> "
                f"{e(d['after'])} …</li>" for d in p["passages"])
            body.append(f"<h3>{e(p['page'])} ({e(w.word(STATUS[p['status']]))})</h3>"
                        f"<ul>{items}</ul>")
    refs = ch.references
    if any(refs.values()):
        texts = ch.references_text
        items = [f"<li>{say('added')}: {e(texts.get(k, k))}</li>" for k in refs["toegevoegd"]]
        items += [f"<li>{say('removed')}: {e(texts.get(k, k))}</li>"
                  for k in refs["verwijderd"]]
        body.append(f"<h2>{say('references')}</h2><ul>" + "".join(items) + "</ul>")
    if ch.notes:
        body.append(f"<h2>{say('notes')}</h2><ul>" + "".join(f"<li>{e(n)}</li>" for n in ch.notes)
                    + "</ul>")
    style = ("body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
             "padding:0 1rem;line-height:1.5}table{border-collapse:collapse}td,th{border:1px "
             "solid #ccc;padding:.2rem .5rem}del{background:#fdd;text-decoration:line-through}"
             "ins{background:#dfd;text-decoration:none;font-weight:600}.naast{display:flex;"
             "gap:1rem}.naast figure{flex:1;margin:0}.naast img{max-width:100%}")
    lang = e(w.lang.split("-")[0] or "nl") if w.lang else "nl"
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>'
            f'{say("short")}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<style>{style}</style></head><body><main>{''.join(body)}</main></body></html>\n")


def write_report(since: str | Path, out_dir: str | Path, root: str | Path = ".",
                 manifest: str | Path = "_book/manifest.json", lang: str | None = None
                 ) -> Changes:
    """Compare and write ``wijzigingen.md`` and ``wijzigingen.html`` into ``out_dir``, in
    ``lang`` (default: the book's language, from the ``_quarto.yml`` under ``root``)."""
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
    words = locale_for(lang) if lang else report_words(root)
    ch = compare(since, root, manifest, words=words)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    shown = since.as_posix()
    atomic_write_text(out_dir / "wijzigingen.md", markdown(ch, shown, words))
    atomic_write_text(out_dir / "wijzigingen.html",
                      html_report(ch, shown, out_dir, since.parent, (root / manifest).parent,
                                  words))
    return ch


def main(argv: list[str] | None = None) -> int:
    """``proefdruk changes --since OLD/manifest.json --out results/changes``."""
    ap = CommandParser(prog="proefdruk changes", description=__doc__.splitlines()[0])
    ap.add_argument("--since", default="",
                    help="the manifest of the earlier edition, ideally inside its published "
                         "folder (published/<version>/manifest.json) for the prose diff and "
                         "the images")
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
    print(f"changes: {len(ch.numbers)} number(s), {len(ch.figures)} figure(s), "
          f"{len(ch.tables)} table file(s), {len(ch.prose)} page(s) with other text, "
          f"{sum(len(v) for v in ch.references.values())} reference(s) -> {args.out}")
    return 0
