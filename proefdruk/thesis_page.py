"""The title page of a Dutch dissertation and its back, from ``thesis:`` in ``_quarto.yml``.

A Dutch doctoral thesis opens with a fixed formula ("Proefschrift ter verkrijging van de
graad van doctor aan de Universiteit …, op gezag van de rector magnificus …, volgens
besluit van het college voor promoties in het openbaar te verdedigen op … om … uur door
…, geboren te …"), and the back of that page names the promotor(s), copromotor(s) and the
promotion committee. Quarto has no keys for these, so they live under the project key
``thesis:`` (where the promotors already are)::

    thesis:
      institution: "[Universiteit]"       # else citation.publisher
      rector: "[naam rector magnificus]"
      board: "het College voor Promoties" # optional; the locale's word otherwise
      defence:
        date: "[datum]"
        time: "[tijd]"
      birthplace: "[geboorteplaats]"
      promotors: [{name: "[Naam promotor]"}]
      copromotors: [{name: "[Naam copromotor]"}]   # optional
      committee: [{name: "[naam]", affiliation: "[universiteit]"}]

The words of the formula are locale strings (``proefdruk-thesis-*`` in
``proefdruk/locale/{nl,en}.yml``), so an English book gets a plain English form. The page
is made only for a book with ``thesis: defence:``; a placeholder stays visible as
``[datum]`` and :func:`proefdruk.bookmeta.missing` lists it for the author.

Both renderers set the same text: the built-in renderer from :func:`build` (book.json's
``thesis_page``), real Quarto from the extension's ``titlepage.lua``, which follows the
same rules (tests/test_thesis_page.py compares them).
"""

from __future__ import annotations

from string import Template
from typing import Any

from proefdruk.locale.words import Locale

ROLES = (("promotors", "proefdruk-thesis-promotor", "proefdruk-thesis-promotors"),
         ("copromotors", "proefdruk-thesis-copromotor", "proefdruk-thesis-copromotors"),
         ("committee", "proefdruk-thesis-committee", "proefdruk-thesis-committee"))


def _name(person: Any) -> str:
    """A person's line on the back: the name, and the affiliation after a comma."""
    if isinstance(person, dict):
        name = person.get("name")
        if isinstance(name, dict):
            name = name.get("literal") or " ".join(
                str(p) for p in (name.get("given"), name.get("family")) if p)
        aff = person.get("affiliation") or person.get("affiliations")
        if isinstance(aff, list):
            aff = aff[0] if aff else None
        if isinstance(aff, dict):
            aff = aff.get("name")
        return f"{name}, {aff}" if aff else str(name)
    return str(person)


def _people(value: Any) -> list[str]:
    if value is None:
        return []
    return [_name(p) for p in (value if isinstance(value, list) else [value])]


def _author(config: dict[str, Any]) -> str:
    """The authors' names (without affiliation: the formula names the university)."""
    authors = (config.get("book") or {}).get("author")
    items = authors if isinstance(authors, list) else [authors] if authors else []
    return ", ".join(_name({"name": a["name"]}) if isinstance(a, dict) and "name" in a
                     else str(a) for a in items)


def build(config: dict[str, Any], words: Locale) -> dict[str, Any] | None:
    """The title page of the parsed ``_quarto.yml`` ``config``, or None when the book
    is no dissertation to be defended (no ``thesis: defence:``).

    Returns ``formula`` (the sentence up to "door"), ``by`` ("door"), ``author``,
    ``born`` ("geboren te Leiden"), and ``roles``: a list of ``{"label", "names"}`` for
    the back, in the order promotors, copromotors, committee (empty roles left out)."""
    thesis = config.get("thesis")
    if not isinstance(thesis, dict) or not isinstance(thesis.get("defence"), dict):
        return None
    defence = thesis["defence"]
    citation = config.get("citation") if isinstance(config.get("citation"), dict) else {}
    # a key left out shows as its own placeholder, which bookmeta.missing lists
    university = (thesis.get("institution") or citation.get("publisher")
                  or "[thesis.institution]")
    formula = Template(words.word("proefdruk-thesis-formula")).safe_substitute(
        university=university, rector=thesis.get("rector") or "[thesis.rector]",
        board=thesis.get("board") or words.word("proefdruk-thesis-board"),
        date=defence.get("date") or "[thesis.defence.date]",
        time=defence.get("time") or "[thesis.defence.time]")
    born = Template(words.word("proefdruk-thesis-born")).safe_substitute(
        place=thesis.get("birthplace") or "[thesis.birthplace]")
    roles = []
    for key, one, many in ROLES:
        names = _people(thesis.get(key))
        if names:
            roles.append({"label": words.word(one if len(names) == 1 else many),
                          "names": names})
    return {"formula": formula, "by": words.word("proefdruk-thesis-by"),
            "author": _author(config), "born": born, "roles": roles}
