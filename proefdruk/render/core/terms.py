"""Words the renderer prints around numbers: "Figuur 4.2", "Tabel 5.1", "Bijlage A".

Quarto takes them from the document language (``lang: nl``) and lets ``crossref:`` in
``_quarto.yml`` (``sec-prefix``, ``fig-title``, ...) and ``language:`` (Quarto's
translation keys, ``crossref-ch-prefix``, ``crossref-apx-prefix``) override each one; we
read the same keys so both renderers write the same words.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

TERMS: dict[str, dict[str, str]] = {
    "nl": {
        "fig": "Figuur", "tbl": "Tabel", "ch": "Hoofdstuk", "sec": "paragraaf",
        "apx": "Bijlage", "title-delim": ":", "references": "Literatuur",
        "provenance-link": "herkomst", "appendices": "Bijlagen",
    },
    "en": {
        "fig": "Figure", "tbl": "Table", "ch": "Chapter", "sec": "Section",
        "apx": "Appendix", "title-delim": ":", "references": "References",
        "provenance-link": "source", "appendices": "Appendices",
    },
}
# crossref: keys in _quarto.yml (Quarto's names) -> our term names.
OVERRIDES = {"fig-title": "fig", "tbl-title": "tbl", "fig-prefix": "fig", "tbl-prefix": "tbl",
             "sec-prefix": "sec", "appendix-title": "apx", "title-delim": "title-delim"}
# language: keys in _quarto.yml (Quarto's translation keys) -> our term names.
LANGUAGE_OVERRIDES = {"crossref-fig-title": "fig", "crossref-tbl-title": "tbl",
                      "crossref-ch-prefix": "ch", "crossref-sec-prefix": "sec",
                      "crossref-apx-prefix": "apx", "section-title-appendices": "appendices"}


def terms_for(lang: str, crossref: Mapping[str, Any] | None = None,
              language: Mapping[str, Any] | None = None) -> dict[str, str]:
    """The terms for ``lang`` (``nl-NL`` counts as ``nl``) with ``language:`` and then
    ``crossref:`` overrides (Quarto's order: crossref options win)."""
    base = dict(TERMS.get(lang.split("-")[0].lower(), TERMS["en"]))
    for key, term in LANGUAGE_OVERRIDES.items():
        if language and language.get(key) is not None:
            base[term] = str(language[key])
    for key, term in OVERRIDES.items():
        if crossref and key in crossref and crossref[key] is not None:
            base[term] = str(crossref[key])
    return base


def capitalise(word: str) -> str:
    """``paragraaf`` -> ``Paragraaf`` for a reference that starts a sentence (``@Sec-``)."""
    return word[:1].upper() + word[1:]
