"""How numbers and dates are written, per language: ``1.234,5`` against ``1,234.5``.

This module holds no words and reads no file, on purpose: the analysis steps format the
registry's display forms with it, and every file a step's code names is an input of the
step (:mod:`proefdruk.codedeps`). Kept apart from the word tables (``nl.yml``,
``en.yml``), a new translation of "Vorige" re-runs no analysis. Month names are here,
not in the tables, for the same reason.

Dutch is the style the registry has always used (:mod:`proefdruk.dutch` is its old
name and still works): decimal comma, dot between thousands, a non-breaking space
before ``%`` so "63,4 %" never breaks across lines, a true minus sign. English follows
the usual scientific-press style: ``1,234.5`` and ``12.5%``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"
NARROW_MINUS = "\u2212"


@dataclass(frozen=True)
class NumberStyle:
    """The separators of one language."""

    decimal: str
    group: str
    percent_space: str
    months: tuple[str, ...]
    date_pattern: str  # "{day} {month} {year}" or "{month} {day}, {year}"


STYLES: dict[str, NumberStyle] = {
    "nl": NumberStyle(decimal=",", group=".", percent_space=NBSP,
                      months=("januari", "februari", "maart", "april", "mei", "juni", "juli",
                              "augustus", "september", "oktober", "november", "december"),
                      date_pattern="{day} {month} {year}"),
    "en": NumberStyle(decimal=".", group=",", percent_space="",
                      months=("January", "February", "March", "April", "May", "June", "July",
                              "August", "September", "October", "November", "December"),
                      date_pattern="{day} {month} {year}"),
}
DEFAULT = "en"


def base_language(lang: str | None) -> str:
    """``nl-NL`` -> ``nl``; what the tables are keyed by."""
    return str(lang or DEFAULT).replace("_", "-").split("-")[0].lower()


def style_for(lang: str | None) -> NumberStyle:
    """The style of ``lang``; a language without one writes numbers the English way
    (the word tables warn once about such a language, see :mod:`proefdruk.locale`)."""
    return STYLES.get(base_language(lang), STYLES[DEFAULT])


def format_number(value: float, decimals: int = 0, thousands: bool = True,
                  lang: str | None = "nl") -> str:
    """``value`` with ``decimals`` decimals in the style of ``lang``.

    Rounding is half away from zero on the decimal representation, as a reader rounding by
    hand would do it, not banker's rounding.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"format_number expects a number, got {type(value).__name__}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"cannot format non-finite value {value!r}")
    if decimals < 0:
        raise ValueError("decimals must be >= 0")
    style = style_for(lang)
    quant = Decimal(1).scaleb(-decimals)
    rounded = Decimal(repr(value) if isinstance(value, float) else value).quantize(
        quant, rounding=ROUND_HALF_UP
    )
    negative = rounded < 0
    text = f"{abs(rounded):.{decimals}f}"
    whole, _, frac = text.partition(".")
    if thousands and len(whole) > 3:
        groups = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        groups.insert(0, whole)
        whole = style.group.join(groups)
    out = whole + (style.decimal + frac if frac else "")
    if negative and rounded != 0:
        out = NARROW_MINUS + out
    return out


def format_percent(share: float, decimals: int = 1, lang: str | None = "nl") -> str:
    """A share in [0, 1] as a percentage: ``63,4 %`` (NBSP) in Dutch, ``63.4%`` in English."""
    return f"{format_number(share * 100, decimals, lang=lang)}{style_for(lang).percent_space}%"


def format_p(p: float, lang: str | None = "nl") -> str:
    """A p-value as social science reports it: ``p = 0,032`` or ``p < 0,001``."""
    if not 0 <= p <= 1:
        raise ValueError(f"p-value out of range: {p!r}")
    if p < 0.001:
        return f"p{NBSP}<{NBSP}{format_number(0.001, 3, lang=lang)}"
    return f"p{NBSP}={NBSP}{format_number(p, 3, lang=lang)}"


def format_date(value: dt.date | str, lang: str | None = "nl") -> str:
    """A date in words: ``8 december 2026`` / ``8 December 2026``. A string must be ISO
    (``2026-12-08``); a bare year is returned as it is."""
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 4 and text.isdigit():
            return text
        try:
            value = dt.date.fromisoformat(text)
        except ValueError as exc:
            raise ValueError(f"not an ISO date (YYYY-MM-DD): {value!r}") from exc
    style = style_for(lang)
    return style.date_pattern.format(day=value.day, month=style.months[value.month - 1],
                                     year=value.year)


def parse_number(text: str, lang: str | None = "nl") -> float:
    """Read back a display form (``1.234,5``, ``63,4 %``); the inverse of the above.

    Used by the consistency checks, which compare what a reader sees with the raw value.
    """
    style = style_for(lang)
    t = text.replace(NBSP, " ").replace(NARROW_MINUS, "-").strip()
    if t.endswith("%"):
        t = t[:-1].strip()
    t = t.replace(style.group, "").replace(style.decimal, ".")
    return float(t)
