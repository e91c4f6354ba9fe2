"""Citation and deposit metadata made from one record: CFF, DataCite, BibTeX, RIS.

A library, a repository and a reader who wants to cite the thesis each read another
format. All are generated from :class:`proefdruk.bookmeta.BookMetadata`, so a corrected
name or DOI changes every one of them at once, and none is edited by hand.

- ``CITATION.cff`` (Citation File Format 1.2.0), which GitHub, Zenodo and Zotero read;
- DataCite metadata (kernel 4.5, JSON), what DANS and Zenodo register a DOI with;
- BibTeX (``@phdthesis``) and RIS (``TY - THES``), the downloads under "Citeer dit boek".

Placeholders (``[Naam promovendus]``) stay visible where a field is required (an author
must have a name), and are left out where a field is optional (an ORCID, a DOI, a
licence): a placeholder there would be published as a fact.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from proefdruk.bookmeta import BookMetadata, Person, known
from proefdruk.errors import BuildError
from proefdruk.locale.words import locale_for
from proefdruk.render.core import pandocast as pa

# Licences as authors write them -> SPDX identifiers, which CFF and DataCite require.
_SPDX = {
    "cc by 4.0": "CC-BY-4.0", "cc-by-4.0": "CC-BY-4.0", "cc by-sa 4.0": "CC-BY-SA-4.0",
    "cc-by-sa-4.0": "CC-BY-SA-4.0", "cc by-nc 4.0": "CC-BY-NC-4.0",
    "cc-by-nc-4.0": "CC-BY-NC-4.0", "cc by-nc-nd 4.0": "CC-BY-NC-ND-4.0",
    "cc-by-nc-nd-4.0": "CC-BY-NC-ND-4.0", "cc0": "CC0-1.0", "cc0-1.0": "CC0-1.0",
    "cc by-nd 4.0": "CC-BY-ND-4.0", "cc-by-nd-4.0": "CC-BY-ND-4.0",
}
_SPDX_URL = "https://spdx.org/licenses/{}.html"


def spdx(license_text: str | None) -> str | None:
    """The SPDX identifier of a licence as written in ``_quarto.yml``, or None."""
    if not known(license_text):
        return None
    assert license_text is not None
    return _SPDX.get(re.sub(r"\s+", " ", license_text.strip().lower()),
                     license_text.strip() if re.fullmatch(r"[A-Za-z0-9.+-]+",
                                                          license_text.strip()) else None)


def _split_name(person: Person) -> tuple[str | None, str]:
    """(given, family) of a person; the last word is the family name unless the
    structured form says otherwise (Dutch particles stay with the family name)."""
    if person.family:
        return person.given, person.family
    words = person.name.split()
    particles = {"van", "de", "der", "den", "ten", "ter", "te", "het", "'t", "in", "op"}
    i = len(words) - 1
    while i > 1 and words[i - 1].lower() in particles:
        i -= 1
    given = " ".join(words[:i]) or None
    return given, " ".join(words[i:])


def _cff_person(p: Person) -> dict[str, Any]:
    if not p.known:
        return {"name": p.name}  # an entity: a visible placeholder, not a made-up person
    given, family = _split_name(p)
    out: dict[str, Any] = {"family-names": family}
    if given:
        out["given-names"] = given
    if p.affiliation:
        out["affiliation"] = p.affiliation
    if p.orcid:
        out["orcid"] = f"https://orcid.org/{p.orcid}"
    return out


def citation_cff(meta: BookMetadata, archive_name: str | None = None) -> str:
    """``CITATION.cff`` for the deposit: the deposit itself, citing the thesis."""
    thesis: dict[str, Any] = {
        "type": "thesis",
        "title": meta.full_title,
        "authors": [_cff_person(a) for a in meta.authors] or [{"name": "[auteur]"}],
        "thesis-type": meta.genre,
        "languages": [meta.lang[:2]],
    }
    if meta.year:
        thesis["year"] = int(meta.year)
    if known(meta.institution):
        thesis["institution"] = {"name": meta.institution}
    if meta.doi:
        thesis["doi"] = meta.doi
    if known(meta.site_url):
        thesis["url"] = meta.site_url
    words = locale_for(meta.lang)  # the deposit speaks the book's language
    data: dict[str, Any] = {
        "cff-version": "1.2.0",
        "message": words.word("proefdruk-cff-message"),
        "type": "dataset",
        "title": f"{meta.full_title} {words.word('proefdruk-cff-title-suffix')}",
        "authors": thesis["authors"],
        "preferred-citation": thesis,
    }
    if meta.version:
        data["version"] = meta.version
    if meta.doi:
        data["doi"] = meta.doi
    licence = spdx(meta.license)
    if licence:
        data["license"] = licence
    if meta.keywords:
        data["keywords"] = list(meta.keywords)
    if meta.abstract:
        data["abstract"] = meta.abstract
    if archive_name:
        data["identifiers"] = [{"type": "other", "value": archive_name,
                                "description": "bestandsnaam van het depot"}]
    return yaml.dump(data, Dumper=_NoAliases, allow_unicode=True, sort_keys=False, width=88)


class _NoAliases(yaml.SafeDumper):
    """A YAML dumper that writes a repeated list out in full (CFF readers expect no
    anchors and aliases)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _datacite_person(p: Person, role: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"name": p.name}
    if p.known:
        given, family = _split_name(p)
        out = {"name": f"{family}, {given}" if given else family, "nameType": "Personal",
               "familyName": family}
        if given:
            out["givenName"] = given
    if p.orcid:
        out["nameIdentifiers"] = [{"nameIdentifier": f"https://orcid.org/{p.orcid}",
                                   "nameIdentifierScheme": "ORCID",
                                   "schemeUri": "https://orcid.org"}]
    if p.affiliation:
        out["affiliation"] = [{"name": p.affiliation}]
    if role:
        out["contributorType"] = role
    return out


def datacite(meta: BookMetadata) -> dict[str, Any]:
    """DataCite kernel 4.5 metadata (JSON form) for the thesis as a dissertation."""
    titles: list[dict[str, Any]] = [{"title": meta.title, "lang": meta.lang}]
    if meta.subtitle:
        titles.append({"title": meta.subtitle, "titleType": "Subtitle", "lang": meta.lang})
    data: dict[str, Any] = {
        "types": {"resourceTypeGeneral": "Dissertation", "resourceType": meta.genre},
        "creators": [_datacite_person(a) for a in meta.authors] or [{"name": "[auteur]"}],
        "titles": titles,
        "publisher": {"name": meta.institution or "[universiteit]"},
        "publicationYear": meta.year or "",
        "language": meta.lang[:2],
        "schemaVersion": "http://datacite.org/schema/kernel-4",
    }
    contributors = [_datacite_person(p, "Supervisor") for p in meta.promotors + meta.copromotors
                    if p.known]
    if contributors:
        data["contributors"] = contributors
    if meta.doi:
        data["doi"] = meta.doi
    if known(meta.site_url):
        data["url"] = meta.site_url
    if meta.version:
        data["version"] = meta.version
    licence = spdx(meta.license)
    if licence:
        data["rightsList"] = [{"rights": meta.license, "rightsIdentifier": licence,
                               "rightsIdentifierScheme": "SPDX",
                               "rightsUri": _SPDX_URL.format(licence)}]
    if meta.keywords:
        data["subjects"] = [{"subject": k, "lang": meta.lang} for k in meta.keywords]
    if meta.abstract:
        data["descriptions"] = [{"description": meta.abstract, "descriptionType": "Abstract",
                                 "lang": meta.lang}]
    return data


def datacite_json(meta: BookMetadata) -> str:
    return json.dumps(datacite(meta), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _bib_escape(text: str) -> str:
    return re.sub(r"([{}&%$#_])", r"\\\1", text)


def bibtex_key(meta: BookMetadata) -> str:
    """``familyYEAR`` of the first author (``proefschriftYEAR`` while unnamed)."""
    first = meta.authors[0] if meta.authors else None
    base = _split_name(first)[1] if first and first.known else "proefschrift"
    base = re.sub(r"[^a-z0-9]", "", base.lower()) or "proefschrift"
    return f"{base}{meta.year or ''}"


def bibtex(meta: BookMetadata) -> str:
    """One ``@phdthesis`` entry."""
    names = " and ".join(
        (f"{_split_name(a)[1]}, {_split_name(a)[0]}" if a.known and _split_name(a)[0]
         else f"{{{a.name}}}") for a in meta.authors) or "{[auteur]}"
    fields = [("author", names), ("title", _bib_escape(meta.full_title)),
              ("school", _bib_escape(meta.institution or "[universiteit]")),
              ("year", meta.year or ""), ("type", _bib_escape(meta.genre)),
              ("language", meta.lang)]
    if meta.doi:
        fields.append(("doi", meta.doi))
    if known(meta.site_url):
        fields.append(("url", meta.site_url or ""))
    if meta.version:
        fields.append(("note", _bib_escape(f"Versie {meta.version}")))
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields if v)
    return f"@phdthesis{{{bibtex_key(meta)},\n{body}\n}}\n"


def ris(meta: BookMetadata) -> str:
    """One RIS record (``TY  - THES``), CRLF line ends as the format prescribes."""
    lines = ["TY  - THES"]
    for a in meta.authors:
        given, family = _split_name(a)
        lines.append(f"AU  - {family}, {given}" if a.known and given else f"AU  - {a.name}")
    lines.append(f"TI  - {meta.title}")
    if meta.subtitle:
        lines.append(f"T2  - {meta.subtitle}")
    if meta.year:
        lines.append(f"PY  - {meta.year}")
    lines.append(f"PB  - {meta.institution or '[universiteit]'}")
    lines.append(f"M3  - {meta.genre}")
    lines.append(f"LA  - {meta.lang}")
    if meta.doi:
        lines.append(f"DO  - {meta.doi}")
    if known(meta.site_url):
        lines.append(f"UR  - {meta.site_url}")
    for k in meta.keywords:
        lines.append(f"KW  - {k}")
    lines.append("ER  - ")
    return "\r\n".join(lines) + "\r\n"


def csl_item(meta: BookMetadata) -> dict[str, Any]:
    """The thesis as a CSL-JSON item, for a citation in the house style (citeproc)."""
    authors = []
    for a in meta.authors:
        if a.known:
            given, family = _split_name(a)
            authors.append({"family": family, "given": given or ""})
        else:
            authors.append({"literal": a.name})
    item: dict[str, Any] = {"id": bibtex_key(meta), "type": "thesis", "title": meta.full_title,
                            "author": authors, "publisher": meta.institution or "",
                            "genre": meta.genre, "language": meta.lang}
    if meta.year:
        item["issued"] = {"date-parts": [[int(meta.year)]]}
    if meta.doi:
        item["DOI"] = meta.doi
    if known(meta.site_url):
        item["URL"] = meta.site_url
    return item


def house_style(meta: BookMetadata, csl: str | Path, *, cwd: str | Path = ".") -> dict[str, str]:
    """The thesis cited in the house style (the project's CSL, through pandoc's citeproc):
    ``{"note": first footnote citation, "entry": the bibliography entry}`` as plain text.

    Made by the same citeproc and CSL as every citation in the book, so "Citeer dit
    boek" can never disagree with how the book cites others."""
    item = csl_item(meta)
    doc = {"pandoc-api-version": _api_version(), "meta": {
        "references": _meta_value([item]), "lang": _meta_value(meta.lang),
        "csl": _meta_value(str(csl)), "suppress-bibliography": _meta_value(False)},
        "blocks": [{"t": "Para", "c": [
            {"t": "Str", "c": "x"},
            {"t": "Cite", "c": [[{"citationId": item["id"], "citationPrefix": [],
                                   "citationSuffix": [], "citationMode": {"t": "NormalCitation"},
                                   "citationNoteNum": 1, "citationHash": 0}],
                                 [{"t": "Str", "c": f"[@{item['id']}]"}]]}]},
            {"t": "Div", "c": [["refs", [], []], []]}]}
    proc = pa.run(["-f", "json", "-t", "plain", "--wrap=none", "--citeproc"],
                  json.dumps(doc), cwd=cwd)
    if proc.returncode != 0:
        raise BuildError("pandoc could not format the book's own citation", file=str(csl),
                         found=proc.stderr.strip()[-400:],
                         hint="check the CSL style with `snakemake all` first")
    text = proc.stdout.strip().replace("\u00a0", " ")
    paras = [p.strip() for p in text.split("\n\n")]
    note = next((p[3:].strip() for p in paras if p.startswith("[1]")), "")
    entry = next((p for p in paras[1:] if not p.startswith("[1]")), "")
    return {"note": note, "entry": " ".join(entry.split())}


def _api_version() -> list[int]:
    doc = json.loads(pa.run(["-f", "markdown", "-t", "json"], "", cwd=".").stdout)
    return doc["pandoc-api-version"]


def _meta_value(value: Any) -> dict[str, Any]:
    """A Python value as pandoc metadata (strings as MetaString)."""
    if isinstance(value, bool):
        return {"t": "MetaBool", "c": value}
    if isinstance(value, dict):
        return {"t": "MetaMap", "c": {k: _meta_value(v) for k, v in value.items()}}
    if isinstance(value, list):
        return {"t": "MetaList", "c": [_meta_value(v) for v in value]}
    return {"t": "MetaString", "c": str(value)}
