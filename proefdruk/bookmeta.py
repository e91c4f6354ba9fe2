"""The book's scholarly metadata, read once from ``_quarto.yml`` in Quarto's own keys.

A dissertation is published several times over: on the site (Google Scholar/Highwire,
Dublin Core and Open Graph tags, a "Citeer dit boek" block), in a repository deposit
(CITATION.cff, DataCite metadata) and in every edition's colophon. All of them must say
the same thing, so they all read this one record, and it reads the keys Quarto itself
documents (``book: author/date/doi/license/site-url``, ``citation:``,
``google-scholar:``) so that real Quarto sees the same metadata. What Quarto has no key
for (promotors, the edition's version) lives under one project key, ``thesis:``.

Values the author has not filled in yet are written as placeholders in square brackets
(``[Naam promovendus]``); they are reported by :func:`missing`, never published as if
they were facts (a placeholder ORCID or DOI is left out of every metadata file).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from proefdruk.errors import BuildError
from proefdruk.locale.words import locale_for
from proefdruk.render.core import yamlfile

QUARTO_FILE = "_quarto.yml"
_PLACEHOLDER = re.compile(r"^\s*\[.*\]\s*$")
_ORCID = re.compile(r"^(?:https://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$")
_DOI = re.compile(r"^(?:https://doi\.org/)?(10\.\d{4,9}/\S+)$")


def is_placeholder(value: Any) -> bool:
    """True for a value the author still has to fill in (``[Naam promovendus]``)."""
    return value is None or (isinstance(value, str) and bool(_PLACEHOLDER.match(value)))


@dataclass(frozen=True)
class Person:
    """An author or promotor: a display name, and the parts a repository wants."""

    name: str
    given: str | None = None
    family: str | None = None
    orcid: str | None = None
    affiliation: str | None = None

    @property
    def known(self) -> bool:
        return not is_placeholder(self.name)


@dataclass(frozen=True)
class BookMetadata:
    """Everything a citation, a deposit or a colophon says about the book."""

    title: str
    subtitle: str | None
    authors: list[Person]
    date: str | None
    lang: str
    institution: str | None
    genre: str
    promotors: list[Person] = field(default_factory=list)
    copromotors: list[Person] = field(default_factory=list)
    doi: str | None = None
    license: str | None = None
    site_url: str | None = None
    keywords: list[str] = field(default_factory=list)
    abstract: str | None = None
    version: str | None = None
    version_label: str | None = None
    version_date: str | None = None
    output_file: str = "book"
    google_scholar: bool = False
    # the title page's keys still open (placeholders), see _title_page_open
    title_page_open: tuple[str, ...] = ()

    @property
    def full_title(self) -> str:
        return f"{self.title}: {self.subtitle}" if self.subtitle else self.title

    @property
    def year(self) -> str | None:
        """The year of publication (the first four digits of ``date``)."""
        m = re.match(r"\d{4}", self.date or "")
        return m.group(0) if m else None

    @property
    def edition_line(self) -> str | None:
        """"Leesversie voor de commissie, 2026-03 (versie 0.9)" or None."""
        parts = [p for p in (self.version_label, self.version_date) if p]
        text = ", ".join(parts)
        if self.version:
            word = locale_for(self.lang).word("proefdruk-version")
            text = f"{text} ({word} {self.version})" if text else f"{word} {self.version}"
        return text or None


def _person(value: Any, where: str) -> Person:
    if isinstance(value, str):
        return Person(name=value)
    if not isinstance(value, dict) or "name" not in value:
        raise BuildError("a person must be a name or a mapping with name:", file=QUARTO_FILE,
                         line=getattr(value, "start_line", None), field=where,
                         expected="name: (and optionally orcid:, affiliations:)",
                         found=repr(value)[:80])
    name = value["name"]
    given = family = None
    if isinstance(name, dict):  # Quarto's structured form: name: {given:, family:}
        given, family = name.get("given"), name.get("family")
        name = name.get("literal") or " ".join(p for p in (given, family) if p)
    orcid = value.get("orcid")
    if orcid is not None and not is_placeholder(orcid):
        m = _ORCID.match(str(orcid))
        if not m:
            raise BuildError("not an ORCID iD", file=QUARTO_FILE,
                             line=value.line_of("orcid") if hasattr(value, "line_of") else None,
                             field=f"{where}.orcid", expected="0000-0000-0000-0000",
                             found=str(orcid), hint="copy the iD from orcid.org, or leave it out")
        orcid = m.group(1)
    else:
        orcid = None
    aff = value.get("affiliations") or value.get("affiliation")
    if isinstance(aff, list):
        aff = aff[0] if aff else None
    if isinstance(aff, dict):
        aff = aff.get("name")
    return Person(name=str(name), given=given, family=family, orcid=orcid,
                  affiliation=str(aff) if aff and not is_placeholder(aff) else None)


def _people(value: Any, where: str) -> list[Person]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [_person(v, where) for v in items]


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _title_page_open(thesis: dict[str, Any]) -> tuple[str, ...]:
    """The keys of the dissertation's title page (proefdruk.thesis_page) the author has
    not filled in: only for a book with ``thesis: defence:``; copromotors only where
    the book names any (not every dissertation has one)."""
    defence = thesis.get("defence")
    if not isinstance(defence, dict):
        return ()
    out = [key for key, value in (("thesis.rector", thesis.get("rector")),
                                  ("thesis.defence.date", defence.get("date")),
                                  ("thesis.defence.time", defence.get("time")),
                                  ("thesis.birthplace", thesis.get("birthplace")))
           if is_placeholder(value) or value == ""]
    copromotors = _people(thesis.get("copromotors"), "thesis.copromotors")
    if not all(p.known for p in copromotors):
        out.append("thesis.copromotors")
    committee = _people(thesis.get("committee"), "thesis.committee")
    if not committee or not all(p.known for p in committee):
        out.append("thesis.committee")
    return tuple(out)


def from_config(data: dict[str, Any]) -> BookMetadata:
    """The metadata of a parsed ``_quarto.yml`` mapping."""
    book = data.get("book") or {}
    citation = data.get("citation") if isinstance(data.get("citation"), dict) else {}
    thesis = data.get("thesis") or {}
    edition = thesis.get("edition") or {}
    doi = book.get("doi") or citation.get("doi")
    if doi is not None and not is_placeholder(doi):
        m = _DOI.match(str(doi))
        if not m:
            raise BuildError("not a DOI", file=QUARTO_FILE, field="book.doi",
                             expected="10.xxxx/...", found=str(doi),
                             hint="give the DOI the repository assigned, or leave it out")
        doi = m.group(1)
    else:
        doi = None
    keywords = book.get("keywords") or book.get("keyword") or []
    if isinstance(keywords, str):
        keywords = [k.strip() for k in keywords.split(",") if k.strip()]
    return BookMetadata(
        title=str(book.get("title") or "Proefschrift"),
        subtitle=_text(book.get("subtitle")),
        authors=_people(book.get("author"), "book.author"),
        date=_text(book.get("date")),
        lang=str(data.get("lang") or "nl"),
        institution=_text(citation.get("publisher") or thesis.get("institution")),
        genre=str(citation.get("genre") or "Proefschrift"),
        promotors=_people(thesis.get("promotors"), "thesis.promotors"),
        copromotors=_people(thesis.get("copromotors"), "thesis.copromotors"),
        doi=doi,
        license=_text(book.get("license")),
        site_url=_text(book.get("site-url")),
        keywords=[str(k) for k in keywords],
        abstract=_text(book.get("abstract") or book.get("description")),
        version=_text(edition.get("version")),
        version_label=_text(edition.get("label")),
        version_date=_text(edition.get("date")),
        output_file=str(book.get("output-file") or "book"),
        google_scholar=bool(data.get("google-scholar", False)),
        title_page_open=_title_page_open(thesis),
    )


def load(root: str | Path = ".") -> BookMetadata:
    """Read the metadata from ``root/_quarto.yml``."""
    data = yamlfile.load_file(Path(root) / QUARTO_FILE, display=QUARTO_FILE)
    return from_config(yamlfile.plain(data) if isinstance(data, dict) else {})


def missing(meta: BookMetadata) -> list[str]:
    """What the author must still fill in before the book is published, as key paths."""
    out = []
    if not meta.authors or not all(a.known for a in meta.authors):
        out.append("book.author")
    if meta.authors and not any(a.orcid for a in meta.authors):
        out.append("book.author.orcid")
    if is_placeholder(meta.institution):
        out.append("citation.publisher (de universiteit)")
    if not meta.promotors or not all(p.known for p in meta.promotors):
        out.append("thesis.promotors")
    out += meta.title_page_open
    if is_placeholder(meta.license):
        out.append("book.license")
    if meta.doi is None:
        out.append("book.doi (zodra de repository er een toekent)")
    if is_placeholder(meta.site_url):
        out.append("book.site-url")
    return out


def known(value: str | None) -> str | None:
    """``value`` unless it is a placeholder: what may appear in published metadata."""
    return None if is_placeholder(value) else value
