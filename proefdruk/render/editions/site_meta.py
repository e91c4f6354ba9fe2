"""What the site tells libraries, search engines and readers who want to cite the book.

Google Scholar indexes a thesis from Highwire Press tags (``citation_*``), repositories
and harvesters read Dublin Core, link previews read Open Graph, and a reader wants a
ready citation. All of it is made from the one metadata record of ``_quarto.yml``
(:mod:`proefdruk.bookmeta`) and the project's own bibliography and CSL, when the book
description (``book.json``) is made, so every page says the same.

Per chapter, ``citation_reference`` lists the works that chapter cites, the way Quarto's
``google-scholar: true`` does, so that Scholar can link the thesis to its sources.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from proefdruk import bookmeta, citation_files
from proefdruk.files import atomic_write_bytes, atomic_write_text
from proefdruk.locale.words import Locale
from proefdruk.render.core import pandocast as pa

CITE_BASENAME = "citeer"


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _csl_references(root: Path, bibliography: list[str]) -> dict[str, dict[str, Any]]:
    """Title, authors, year and venue of every bibliography entry (pandoc's reading)."""
    out: dict[str, dict[str, Any]] = {}
    for bib in bibliography:
        proc = pa.run(["-f", "bibtex", "-t", "csljson", bib], "", cwd=root)
        if proc.returncode != 0:
            continue  # the bibliography checks report a broken .bib with its line
        for item in json.loads(proc.stdout or "[]"):
            authors = []
            for a in item.get("author", []):
                particle = a.get("non-dropping-particle") or ""
                gap = "" if not particle or particle.endswith(("'", "’")) else " "
                family = f"{particle}{gap}{a.get('family', '')}".strip()
                authors.append(f"{family}, {a['given']}" if a.get("given") else
                               family or a.get("literal", ""))
            year = ((item.get("issued") or {}).get("date-parts") or [[None]])[0][0]
            out[item["id"]] = {
                "type": item.get("type", ""), "title": item.get("title", ""),
                "authors": authors, "year": str(year) if year else "",
                "container": item.get("container-title", ""),
                "publisher": item.get("publisher", ""),
            }
    return dict(sorted(out.items()))


def scholarly_record(root: str | Path, quarto: dict[str, Any], bibliography: list[str],
                     csl: str | None, output_file: str) -> dict[str, Any]:
    """The part of ``book.json`` the page head and the citation block are made from."""
    root = Path(root)
    meta = bookmeta.from_config(quarto)
    record: dict[str, Any] = {
        "title": meta.title, "subtitle": meta.subtitle,
        "authors": [a.name for a in meta.authors],
        "date": meta.date, "year": meta.year, "lang": meta.lang,
        "institution": bookmeta.known(meta.institution), "genre": meta.genre,
        "doi": meta.doi, "license": bookmeta.known(meta.license),
        "site_url": bookmeta.known(meta.site_url), "keywords": meta.keywords,
        "edition": meta.edition_line, "google_scholar": meta.google_scholar,
        "pdf": f"{output_file}.pdf", "docx": f"{output_file}.docx",
        "bibtex": f"{CITE_BASENAME}.bib", "ris": f"{CITE_BASENAME}.ris",
        "references": _csl_references(root, bibliography),
    }
    record["citation"] = (citation_files.house_style(meta, csl, cwd=root) if csl
                          else {"note": "", "entry": ""})
    return record


def _absolute(record: dict[str, Any], path: str) -> str:
    """``path`` on the published site: absolute when ``site-url`` is known."""
    base = record.get("site_url")
    return f"{base.rstrip('/')}/{path}" if base else path


def head_tags(record: dict[str, Any], page_title: str, root: str,
              cited: list[str]) -> str:
    """Dublin Core, Open Graph and per-chapter ``citation_reference`` tags for a page."""
    tags: list[tuple[str, str, str]] = []
    title = record["title"] + (f": {record['subtitle']}" if record.get("subtitle") else "")
    tags.append(("name", "DC.title", title))
    tags += [("name", "DC.creator", a) for a in record["authors"]]
    if record.get("date"):
        tags.append(("name", "DC.date", record["date"]))
    tags.append(("name", "DC.type", "Text"))
    tags.append(("name", "DC.language", record["lang"]))
    if record.get("institution"):
        tags.append(("name", "DC.publisher", record["institution"]))
    if record.get("license"):
        tags.append(("name", "DC.rights", record["license"]))
    if record.get("doi"):
        tags.append(("name", "DC.identifier", f"https://doi.org/{record['doi']}"))
    tags += [("property", "og:type", "book"), ("property", "og:title", page_title),
             ("property", "og:site_name", record["title"]),
             ("property", "og:locale", "nl_NL" if record["lang"].startswith("nl") else
              record["lang"].replace("-", "_"))]
    if record.get("site_url"):
        tags.append(("property", "og:url", record["site_url"]))
    if record.get("google_scholar"):
        # What Quarto's google-scholar tags (html_site.head) leave out for a thesis.
        if record.get("institution"):
            tags.append(("name", "citation_dissertation_institution", record["institution"]))
        if record.get("doi"):
            tags.append(("name", "citation_doi", record["doi"]))
        if not record.get("site_url"):  # with site-url, html_site.head writes it absolute
            tags.append(("name", "citation_pdf_url", f"{root}{record['pdf']}"))
        for key in cited:
            ref = record["references"].get(key)
            if not ref:
                continue
            parts = [f"citation_title={ref['title']}"] if ref["title"] else []
            parts += [f"citation_author={a}" for a in ref["authors"]]
            if ref["year"]:
                parts.append(f"citation_publication_date={ref['year']}")
            # Highwire names the venue by kind: journal, book (for a chapter), publisher.
            if ref["container"]:
                venue = ("citation_journal_title" if ref["type"] == "article-journal"
                         else "citation_inbook_title")
                parts.append(f"{venue}={ref['container']}")
            if ref["publisher"]:
                parts.append(f"citation_publisher={ref['publisher']}")
            tags.append(("name", "citation_reference", "; ".join(parts)))
    return "\n".join(f'<meta {kind}="{_e(name)}" content="{_e(value)}">'
                     for kind, name, value in tags)


def citation_block(record: dict[str, Any], root: str, words: Locale) -> str:
    """The "Citeer dit boek" section of the home page: house style and downloads."""
    cite = record.get("citation") or {}
    if not cite.get("entry"):
        return ""
    edition = (f'<p class="cite-edition">{_e(words.word("proefdruk-cite-edition"))}: '
               f'{_e(record["edition"])}.</p>'
               if record.get("edition") else "")
    return (
        '<section class="cite-book" id="citeer-dit-boek" aria-labelledby="citeer-kop">\n'
        f'<h2 id="citeer-kop" class="unnumbered">{_e(words.word("proefdruk-cite-title"))}</h2>\n'
        f'<p class="cite-entry">{_e(cite["entry"])}</p>\n'
        f'<p class="cite-note">{_e(words.word("proefdruk-cite-note"))}: '
        f'<span>{_e(cite["note"])}</span></p>\n'
        f"{edition}\n"
        f'<p class="cite-downloads"><a href="{root}{_e(record["bibtex"])}" download>BibTeX</a>'
        f' · <a href="{root}{_e(record["ris"])}" download>RIS</a></p>\n'
        "</section>"
    )


def write_citation_downloads(quarto: dict[str, Any], bib_out: str | Path,
                             ris_out: str | Path) -> None:
    """``citeer.bib`` and ``citeer.ris`` for the site (what the block's links fetch)."""
    meta = bookmeta.from_config(quarto)
    atomic_write_text(bib_out, citation_files.bibtex(meta))
    atomic_write_bytes(ris_out, citation_files.ris(meta).encode("utf-8"))
