"""Dutch display forms for numbers.

The registry keeps every number twice: the raw value for machines and a display form
for readers. Dutch style uses a decimal comma, a dot as thousands separator and a
non-breaking space before the percent sign, so that "63,4 %" never breaks across lines.
"""

from __future__ import annotations

import math

NBSP = "\u00a0"
NARROW_MINUS = "\u2212"


def format_number(value: float, decimals: int = 0, thousands: bool = True) -> str:
    """Format ``value`` the Dutch way: ``1.234,5``.

    Rounding is half away from zero on the decimal representation, as a reader rounding by
    hand would do it, not banker's rounding.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"format_number expects a number, got {type(value).__name__}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"cannot format non-finite value {value!r}")
    if decimals < 0:
        raise ValueError("decimals must be >= 0")
    from decimal import ROUND_HALF_UP, Decimal

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
        whole = ".".join(groups)
    out = whole + ("," + frac if frac else "")
    if negative and rounded != 0:
        out = NARROW_MINUS + out
    return out


def format_percent(share: float, decimals: int = 1) -> str:
    """A share in [0, 1] as a Dutch percentage: ``0.634`` -> ``63,4 %`` (NBSP)."""
    return f"{format_number(share * 100, decimals)}{NBSP}%"


def format_p(p: float) -> str:
    """A p-value as reported in Dutch social science: ``p = 0,032`` or ``p < 0,001``."""
    if not 0 <= p <= 1:
        raise ValueError(f"p-value out of range: {p!r}")
    if p < 0.001:
        return f"p{NBSP}<{NBSP}0,001"
    return f"p{NBSP}={NBSP}{format_number(p, 3)}"


def parse_number(text: str) -> float:
    """Read back a Dutch display form (``1.234,5``, ``63,4 %``); the inverse of the above.

    Used by the consistency checks, which compare what a reader sees with the raw value.
    """
    t = text.replace(NBSP, " ").replace(NARROW_MINUS, "-").strip()
    if t.endswith("%"):
        t = t[:-1].strip()
    t = t.replace(".", "").replace(",", ".")
    return float(t)
