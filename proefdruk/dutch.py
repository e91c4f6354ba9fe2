"""Dutch display forms for numbers: the registry's first style, kept under its old names.

The study's analysis code imports ``format_number`` and ``format_percent`` from here; the
implementation now lives in :mod:`proefdruk.locale.formats`, which also knows English.
Dutch style uses a decimal comma, a dot as thousands separator and a non-breaking space
before the percent sign, so that "63,4 %" never breaks across lines.
"""

from __future__ import annotations

from proefdruk.locale import formats
from proefdruk.locale.formats import NARROW_MINUS, NBSP

__all__ = ["NARROW_MINUS", "NBSP", "format_number", "format_p", "format_percent",
           "parse_number"]


def format_number(value: float, decimals: int = 0, thousands: bool = True) -> str:
    """Format ``value`` the Dutch way: ``1.234,5``."""
    return formats.format_number(value, decimals, thousands, lang="nl")


def format_percent(share: float, decimals: int = 1) -> str:
    """A share in [0, 1] as a Dutch percentage: ``0.634`` -> ``63,4 %`` (NBSP)."""
    return formats.format_percent(share, decimals, lang="nl")


def format_p(p: float) -> str:
    """A p-value as reported in Dutch social science: ``p = 0,032`` or ``p < 0,001``."""
    return formats.format_p(p, lang="nl")


def parse_number(text: str) -> float:
    """Read back a Dutch display form (``1.234,5``, ``63,4 %``)."""
    return formats.parse_number(text, lang="nl")
