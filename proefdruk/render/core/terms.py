"""Words the renderer prints around numbers: "Figuur 4.2", "Tabel 5.1", "Bijlage A".

Quarto takes them from the document language (``lang: nl``) and lets ``crossref:`` in
``_quarto.yml`` (``sec-prefix``, ``fig-title``, ...) and ``language:`` (Quarto's
translation keys, ``crossref-ch-prefix``, ``crossref-apx-prefix``) override each one; we
read the same keys so both renderers write the same words. The words themselves live in
the locale tables (:mod:`proefdruk.locale`); this module only names the few the core
needs, under short names.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from proefdruk.locale.words import Locale, locale_for

# our term names -> the locale's keys (Quarto's translation keys where Quarto has one)
LOCALE_KEYS = {"fig": "crossref-fig-title", "tbl": "crossref-tbl-title",
               "ch": "crossref-ch-prefix", "sec": "crossref-sec-prefix",
               "apx": "crossref-apx-prefix", "references": "section-title-references",
               "provenance-link": "proefdruk-provenance-link",
               "appendices": "section-title-appendices", "and": "proefdruk-and"}
# crossref: keys in _quarto.yml (Quarto's names) -> our term names.
OVERRIDES = {"fig-title": "fig", "tbl-title": "tbl", "fig-prefix": "fig", "tbl-prefix": "tbl",
             "sec-prefix": "sec", "appendix-title": "apx", "title-delim": "title-delim"}
# language: keys in _quarto.yml (Quarto's translation keys) -> our term names.
LANGUAGE_OVERRIDES = {key: term for term, key in LOCALE_KEYS.items()
                      if not key.startswith("proefdruk-") and term != "references"}


def terms_from(locale: Locale, crossref: Mapping[str, Any] | None = None) -> dict[str, str]:
    """The terms of ``locale`` (its ``language:`` overrides already applied) with the
    ``crossref:`` overrides on top (Quarto's order: crossref options win)."""
    base = {term: locale.word(key) for term, key in LOCALE_KEYS.items()}
    base["title-delim"] = ":"
    for key, term in OVERRIDES.items():
        if crossref and key in crossref and crossref[key] is not None:
            base[term] = str(crossref[key])
    return base


def terms_for(lang: str, crossref: Mapping[str, Any] | None = None,
              language: Mapping[str, Any] | None = None) -> dict[str, str]:
    """The terms for ``lang`` (``nl-NL`` counts as ``nl``) with ``language:`` and then
    ``crossref:`` overrides."""
    return terms_from(locale_for(lang, language), crossref)


def capitalise(word: str) -> str:
    """``paragraaf`` -> ``Paragraaf`` for a reference that starts a sentence (``@Sec-``)."""
    return word[:1].upper() + word[1:]
