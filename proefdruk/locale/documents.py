"""Whole documents proefdruk writes for a reader, per language (the archive's README).

Kept apart from the word tables so that the job which writes a document depends on its
own templates only (each path is named here, where the code-input derivation finds it).
"""

from __future__ import annotations

from pathlib import Path
from string import Template

from proefdruk.locale.formats import base_language

HERE = Path(__file__).resolve().parent
ARCHIVE_README = {"nl": HERE / "archive-readme.nl.md", "en": HERE / "archive-readme.en.md"}
# the archive's title when the author gives none
ARCHIVE_TITLE = {"nl": "Proefschrift", "en": "Dissertation"}


def archive_readme(lang: str | None, **values: str) -> str:
    """The archive's README in ``lang`` (English for a language without one), with
    ``title``, ``prefix``, ``deposit_dir``, ``manifest_name`` and ``data_list`` filled in."""
    base = base_language(lang)
    template = ARCHIVE_README.get(base, ARCHIVE_README["en"])
    return Template(template.read_text(encoding="utf-8")).substitute(values)


def archive_title(lang: str | None) -> str:
    """The default title of the deposit."""
    return ARCHIVE_TITLE.get(base_language(lang), ARCHIVE_TITLE["en"])
