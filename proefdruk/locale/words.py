"""The words a reader sees, in the book's language: one table per language.

``_quarto.yml``'s ``lang:`` picks the table (``nl.yml``, ``en.yml`` next to this module;
``nl-NL`` reads ``nl``); a language without a table reads English, and the build says so
once (:func:`Locale.warnings`, folded into the warnings report by the ``_quarto.yml``
check). Keys are Quarto's own language keys where Quarto has one, so that ``language:``
in ``_quarto.yml`` overrides a word for both renderers the way real Quarto reads it: a
mapping of keys, optionally with sub-mappings per language (``language: {en: {...}}``),
or the path of a ``_language.yml``-style file, whose variations ``<stem>-<lang>.yml``
beside it are read too. Words only proefdruk prints have ``proefdruk-`` keys.

How the words reach a job: the edition writers read them from ``book.json`` and from the
book skeleton that every page rule gets as a parameter, the provenance appendix from its
rule's plan (``BookPlan.provenance_words``), the site's scripts from ``proefdruk assets
--words``: all made from this module by the workflow glue, so a changed word re-renders
what shows it and nothing upstream. A ``language:`` file is read where ``_quarto.yml`` is;
:attr:`Locale.files` names it, so the jobs that read it can declare it
(``BookPlan.language_files``). Numbers are formatted by :mod:`proefdruk.locale.formats`,
which holds no words, so an analysis step does not depend on these tables at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from proefdruk.errors import BuildError
from proefdruk.locale import formats

HERE = Path(__file__).resolve().parent
# The tables, named one by one so that the code-input derivation finds them.
TABLES = {"nl": HERE / "nl.yml", "en": HERE / "en.yml"}
FALLBACK = "en"
QUARTO_FILE = "_quarto.yml"


@cache
def table(lang: str) -> dict[str, str]:
    """The shipped words of ``lang`` (a base language with a table), read once."""
    path = TABLES[lang]
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    words = data.get("words")
    if not isinstance(words, dict):
        raise BuildError("a locale table has no 'words:' mapping", file=str(path),
                         expected="words: {key: text}", found=type(words).__name__)
    return {str(k): str(v) for k, v in words.items()}


LINT_LISTS = ("label-words", "page-words", "chain-words", "percent-words", "decade-words",
              "ordinal-suffixes", "century-words")


@cache
def lint_words(kind: str) -> tuple[str, ...]:
    """One of the prose lint's word lists (``LINT_LISTS``), over every table: a book in
    one language quotes sources in others."""
    out: set[str] = set()
    for lang, path in sorted(TABLES.items()):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        words = (data.get("lint") or {}).get(kind)
        if not isinstance(words, list):
            raise BuildError(f"the {lang} table has no lint list '{kind}'", file=str(path),
                             field=f"lint.{kind}", expected="a list of words",
                             found=type(words).__name__)
        out.update(str(w) for w in words)
    return tuple(sorted(out, key=lambda w: (-len(w), w)))


def supported() -> tuple[str, ...]:
    """The languages proefdruk has a table for."""
    return tuple(sorted(TABLES))


@dataclass(frozen=True)
class Locale:
    """The words and number style of one book."""

    lang: str
    words: Mapping[str, str]
    fallback: bool = False  # no table for ``lang``: English words are used
    files: tuple[str, ...] = field(default=())  # language files read (project-relative)

    @property
    def base(self) -> str:
        """The table's language: ``nl`` for ``nl-NL``; ``en`` when falling back."""
        return FALLBACK if self.fallback else formats.base_language(self.lang)

    def word(self, key: str) -> str:
        """The text for ``key``; an unknown key is a programming error, said clearly."""
        try:
            return self.words[key]
        except KeyError:
            raise BuildError(f"no word '{key}' in the locale", field=key,
                             expected=", ".join(sorted(self.words)[:8]) + ", ...",
                             hint=f"add '{key}' to every table in proefdruk/locale/"
                             ) from None

    def format_number(self, value: float, decimals: int = 0, thousands: bool = True) -> str:
        """``value`` written the book's way (``1.234,5`` / ``1,234.5``)."""
        return formats.format_number(value, decimals, thousands, lang=self.base)

    def format_percent(self, share: float, decimals: int = 1) -> str:
        """A share in [0, 1] as the book writes percentages (``63,4 %`` / ``63.4%``)."""
        return formats.format_percent(share, decimals, lang=self.base)

    def format_date(self, value: Any) -> str:
        """A date in words (``8 december 2026`` / ``8 December 2026``)."""
        return formats.format_date(value, lang=self.base)

    def warnings(self) -> list[dict[str, Any]]:
        """The one warning a language without a table deserves (warnings-report shape)."""
        if not self.fallback:
            return []
        return [{"file": QUARTO_FILE, "line": None, "key": "lang",
                 "message": f"`lang: {self.lang}` has no proefdruk word table "
                            f"(there are: {', '.join(supported())}); the editions use the "
                            "English words. Translate them under `language:` in "
                            "_quarto.yml, or add a table to proefdruk/locale/"}]


def _variation_words(language: Mapping[str, Any], lang: str) -> dict[str, str]:
    """Quarto's ``translationsForLang``: the plain keys, then each sub-mapping named by
    a prefix of ``lang`` (``nl``, then ``nl-NL``), most general first."""
    out = {str(k): str(v) for k, v in language.items()
           if not isinstance(v, Mapping) and v is not None}
    subtags = lang.replace("_", "-").split("-")
    for i in range(len(subtags)):
        sub = language.get("-".join(subtags[: i + 1]))
        if isinstance(sub, Mapping):
            out.update({str(k): str(v) for k, v in sub.items() if v is not None})
    return out


def _read_language_file(path: str, root: Path) -> tuple[dict[str, Any], list[str]]:
    """Quarto's ``readLanguageTranslations`` for ``language: <file>``: the file, and its
    variations ``<stem>-<variation><ext>`` as sub-mappings keyed by the variation."""
    full = root / path
    if not full.is_file():
        raise BuildError("the language file named in _quarto.yml does not exist",
                         file=QUARTO_FILE, field="language", found=path,
                         hint="give a path relative to the project, e.g. _language.yml")
    files = [Path(path).as_posix()]
    data = _load_yaml(full, path)
    out: dict[str, Any] = dict(data)
    stem, ext = full.stem, full.suffix
    for variant in sorted(full.parent.glob(f"{stem}-*{ext}")):
        name = variant.name[len(stem) + 1: len(variant.name) - len(ext)]
        rel = (Path(path).parent / variant.name).as_posix()
        files.append(rel)
        sub = dict(out.get(name) or {})
        sub.update({k: v for k, v in _load_yaml(variant, rel).items()
                    if not isinstance(v, Mapping)})
        out[name] = sub
    return out, files


def _load_yaml(path: Path, display: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise BuildError("the language file is not valid YAML", file=display,
                         line=mark.line + 1 if mark else None, found=str(exc).splitlines()[0],
                         hint="fix the YAML syntax") from exc
    if not isinstance(data, Mapping):
        raise BuildError("a language file must be a mapping of keys to words", file=display,
                         expected="crossref-fig-title: Figure", found=type(data).__name__)
    return dict(data)


def locale_for(lang: str | None, language: Any = None, root: str | Path = ".") -> Locale:
    """The locale of a book in ``lang`` with ``_quarto.yml``'s ``language:`` value
    (``None``, a mapping, or a path relative to ``root``) applied on top."""
    lang = str(lang or FALLBACK)
    base = formats.base_language(lang)
    fallback = base not in TABLES
    words = dict(table(FALLBACK if fallback else base))
    files: list[str] = []
    if isinstance(language, str):
        language, files = _read_language_file(language, Path(root))
    if isinstance(language, Mapping):
        words.update(_variation_words(language, lang))
    elif language is not None:
        raise BuildError("'language:' must be a mapping or the path of a language file",
                         file=QUARTO_FILE, field="language",
                         expected="{crossref-fig-title: Figure} or _language.yml",
                         found=type(language).__name__)
    return Locale(lang=lang, words=words, fallback=fallback, files=tuple(files))


def load_locale(source: str | Path | Mapping[str, Any] = ".",
                root: str | Path | None = None) -> Locale:
    """The locale of a project: ``source`` is its folder (``_quarto.yml`` is read) or the
    already parsed ``_quarto.yml`` (then ``root`` locates a ``language:`` file)."""
    if isinstance(source, Mapping):
        config, base = source, Path(root or ".")
    else:
        from proefdruk.render.core import yamlfile

        base = Path(source)
        config = yamlfile.load_file(base / QUARTO_FILE, display=QUARTO_FILE)
    language = config.get("language")
    return locale_for(str(config.get("lang") or FALLBACK), _plain(language), base)


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def book_words(book: Mapping[str, Any]) -> Locale:
    """The locale an edition writer uses for ``book`` (book.json or a page's skeleton):
    the words the workflow resolved (``book["words"]``), else the table of its
    ``lang`` (a hand-made book description, as in the tests)."""
    lang = str(book.get("lang") or "nl")
    words = book.get("words")
    if isinstance(words, Mapping) and words:
        base = formats.base_language(lang)
        return Locale(lang=lang, words={str(k): str(v) for k, v in words.items()},
                      fallback=base not in TABLES)
    return locale_for(lang)
