"""The changes report as a committee member reads it: Markdown and one HTML page.

Each change says where it is (chapter and section, linked into the new edition), and
what it is: a number old → new, the cells of a table old → new, a figure with the regions
that differ outlined and the numbers behind it that changed, a passage with the old words
struck through and the new ones marked, one replacement as one change. The comparison
itself is :func:`proefdruk.changes.compare`.
"""

from __future__ import annotations

import html
import posixpath
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from proefdruk.changes_detail import outline_changes
from proefdruk.locale.words import Locale, locale_for
from proefdruk.render.editions.media import media_path

if TYPE_CHECKING:
    from proefdruk.changes import Changes

# the statuses compare() records (data, in the report's first language) -> locale keys
STATUS = {"nieuw": "proefdruk-changes-status-new", "vervallen": "proefdruk-changes-status-gone",
          "gewijzigd": "proefdruk-changes-status-changed"}


def _link(ch: Changes, href: str) -> str:
    """A place's address as seen from the report (the new edition's folder, then the page)."""
    return posixpath.join(ch.site, href) if ch.site else href


def figure_images(ch: Changes, out_dir: Path) -> None:
    """Copy each changed figure's two versions next to the report and outline what differs
    (``figuren/verschil/<name>.png``); records the images on each figure of ``ch``."""
    for f in ch.figures:
        if "images" in f:
            continue
        f["images"], f["regions"] = {}, None
        for sub, site in (("oud", ch.old_site), ("nieuw", ch.new_site)):
            src = site / media_path(f["path"]) if site is not None else None
            if src is not None and src.is_file():
                dest = out_dir / "figuren" / sub / Path(f["path"]).name
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dest)
                f["images"][sub] = dest
        if "oud" in f["images"] and "nieuw" in f["images"] and \
                f["images"]["nieuw"].suffix == ".svg":
            outline = out_dir / "figuren" / "verschil" / (Path(f["path"]).stem + ".png")
            f["regions"] = outline_changes(f["images"]["oud"], f["images"]["nieuw"], outline)
            if f["regions"]:
                f["images"]["verschil"] = outline


def _say(w: Locale, key: str, **values: Any) -> str:
    text = w.word(f"proefdruk-changes-{key}")
    for name, value in values.items():
        text = text.replace(f"${name}", str(value))
    return text


def _heading(item: dict[str, Any], w: Locale) -> str:
    label = f"{item['label']}: " if item.get("label") else ""
    return f"{label}{item['path']} ({w.word(STATUS[item['status']])})"


def markdown(ch: Changes, since: str, words: Locale | None = None,
             out_dir: Path | None = None) -> str:
    """The report as Markdown (for the author's editor and the archive)."""
    w = words or locale_for("nl")

    def say(key: str, **values: Any) -> str:
        return _say(w, key, **values)

    def where(places: list[dict[str, str]]) -> str:
        return "; ".join(f"[{p['label']}]({_link(ch, p['href'])})" for p in places) \
            or say("not-shown")

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
    if ch.figures:
        lines += [f"## {say('figures')}", ""]
        for f in ch.figures:
            lines += [f"### {_heading(f, w)}", "", f"{say('where')}: {where(f.get('places', []))}",
                      ""]
            images = f.get("images") or {}
            if "verschil" in images and out_dir is not None:
                rel = images["verschil"].relative_to(out_dir).as_posix()
                lines += [f"![{say('outline')}]({rel})", "", say("outline"), ""]
            elif f.get("regions") == 0:
                lines += [say("no-visible"), ""]
            if f.get("numbers"):
                lines += [f"{say('numbers-behind')}:", ""]
                lines += [f"- `{n['key']}`: {n['old'] or '—'} → {n['new'] or '—'}"
                          for n in f["numbers"]]
                lines.append("")
    if ch.tables:
        lines += [f"## {say('tables')}", ""]
        for t in ch.tables:
            files = ", ".join(f"`{p}`" for p in t["files"])
            lines += [f"### {_heading(t, w)}", "", f"{files}. {say('where')}: "
                      f"{where(t['places'])}", ""]
            if t["cells"]:
                lines += [f"| {say('row')} | {say('column')} | {say('was')} | {say('is')} |",
                          "|---|---|---|---|"]
                lines += [f"| {c['row']} | {c['column']} | {c['old']} | {c['new']} |"
                          for c in t["cells"]]
                lines.append("")
            if t["total"] > len(t["cells"]):
                lines += [say("more-cells", n=t["total"] - len(t["cells"])), ""]
    if ch.prose:
        lines += [f"## {say('text')}", ""]
        for p in ch.prose:
            title = f"{p['title']} ({p['page']})" if p.get("title") else p["page"]
            lines += [f"### {title}, {w.word(STATUS[p['status']])}", ""]
            for d in p["passages"]:
                old = f"~~{d['old']}~~ " if d["old"] else ""
                new = f"**{d['new']}** " if d["new"] else ""
                at = f"[{d['place']['label']}]({_link(ch, d['place']['href'])}): " \
                    if d.get("place") else ""
                lines.append(f"- {at}… {d['before']} {old}{new}{d['after']} …"
                             .replace("  ", " "))
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


def _passage(d: dict[str, Any]) -> str:
    """One change in a sentence: the old words struck through, the new ones marked."""
    e = html.escape
    old = f"<del>{e(d['old'])}</del> " if d["old"] else ""
    new = f"<ins>{e(d['new'])}</ins> " if d["new"] else ""
    return f"… {e(d['before'])} {old}{new}{e(d['after'])} …"


def html_report(ch: Changes, since: str, out_dir: Path, old_site: Path, new_site: Path,
                words: Locale | None = None) -> str:
    """The report as one HTML page: figures side by side with their differences outlined
    (copied next to it), places linked into the new edition."""
    e = html.escape
    w = words or locale_for("nl")
    if ch.old_site is None and ch.new_site is None:
        ch.old_site, ch.new_site = old_site, new_site
    figure_images(ch, out_dir)

    def say(key: str, **values: Any) -> str:
        return e(_say(w, key, **values))

    def where(places: list[dict[str, str]]) -> str:
        links = "; ".join(f'<a href="{e(_link(ch, p["href"]))}">{e(p["label"])}</a>'
                          for p in places)
        return f"<p>{say('where')}: {links or say('not-shown')}</p>"

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
            images = f.get("images") or {}
            cells = []
            for label, sub in ((say("was"), "oud"), (say("is"), "nieuw")):
                if sub in images:
                    rel = images[sub].relative_to(out_dir).as_posix()
                    cells.append(f'<figure><img src="{e(rel)}" alt="{label}: '
                                 f'{e(f["path"])}"><figcaption>{label}</figcaption></figure>')
                else:
                    cells.append(f"<figure><p>({label}: {say('unavailable')})</p></figure>")
            body.append(f"<h3>{e(_heading(f, w))}</h3>{where(f.get('places', []))}"
                        f'<div class="naast">{"".join(cells)}</div>')
            if "verschil" in images:
                rel = images["verschil"].relative_to(out_dir).as_posix()
                body.append(f'<figure class="verschil"><img src="{e(rel)}" alt="{say("outline")}'
                            f'"><figcaption>{say("outline")}</figcaption></figure>')
            elif f.get("regions") == 0:
                body.append(f"<p>{say('no-visible')}</p>")
            if f.get("numbers"):
                items = "".join(f"<li><code>{e(n['key'])}</code>: {e(n['old'] or '—')} → "
                                f"{e(n['new'] or '—')}</li>" for n in f["numbers"])
                body.append(f"<p>{say('numbers-behind')}:</p><ul>{items}</ul>")
    if ch.tables:
        body.append(f"<h2>{say('tables')}</h2>")
        for t in ch.tables:
            files = ", ".join(f"<code>{e(p)}</code>" for p in t["files"])
            body.append(f"<h3>{e(_heading(t, w))}</h3><p>{files}</p>{where(t['places'])}")
            if t["cells"]:
                rows = "".join(f"<tr><td>{e(c['row'])}</td><td>{e(c['column'])}</td>"
                               f"<td><del>{e(c['old'])}</del></td><td><ins>{e(c['new'])}</ins>"
                               f"</td></tr>" for c in t["cells"])
                body.append(f"<table><thead><tr><th>{say('row')}</th><th>{say('column')}</th>"
                            f"<th>{say('was')}</th><th>{say('is')}</th></tr></thead>"
                            f"<tbody>{rows}</tbody></table>")
            if t["total"] > len(t["cells"]):
                body.append(f"<p>{say('more-cells', n=t['total'] - len(t['cells']))}</p>")
    if ch.prose:
        body.append(f"<h2>{say('text')}</h2>")
        for p in ch.prose:
            items = "".join(
                "<li>" + (f'<a href="{e(_link(ch, d["place"]["href"]))}">'
                          f'{e(d["place"]["label"])}</a>: ' if d.get("place") else "")
                + _passage(d) + "</li>" for d in p["passages"])
            title = f"{p['title']} ({p['page']})" if p.get("title") else p["page"]
            body.append(f"<h3>{e(title)}, {e(w.word(STATUS[p['status']]))}</h3>"
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
             "gap:1rem}.naast figure{flex:1;margin:0}.naast img,.verschil img{max-width:100%}"
             ".verschil{margin:1rem 0}")
    lang = e(w.lang.split("-")[0] or "nl") if w.lang else "nl"
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>'
            f'{say("short")}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<style>{style}</style></head><body><main>{''.join(body)}</main></body></html>\n")
