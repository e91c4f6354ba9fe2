"""Dutch display forms: decimal comma, dot for thousands, NBSP before %."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from proefdruk.dutch import NBSP, format_number, format_p, format_percent, parse_number


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (0, 0, "0"),
        (342, 0, "342"),
        (1234, 0, "1.234"),
        (1234567.891, 2, "1.234.567,89"),
        (2.5, 0, "3"),  # half away from zero, as a reader rounds
        (0.125, 2, "0,13"),
        (-3.45, 1, "\u22123,5"),
        (-0.04, 1, "0,0"),  # no "minus zero"
    ],
)
def test_format_number(value: float, decimals: int, expected: str) -> None:
    assert format_number(value, decimals) == expected


def test_percent_has_a_non_breaking_space() -> None:
    assert format_percent(217 / 342) == f"63,5{NBSP}%"
    assert format_percent(1.0, 0) == f"100{NBSP}%"


def test_p_values() -> None:
    assert format_p(0.0004) == f"p{NBSP}<{NBSP}0,001"
    assert format_p(0.0321) == f"p{NBSP}={NBSP}0,032"
    with pytest.raises(ValueError):
        format_p(1.2)


def test_rejects_what_is_not_a_number() -> None:
    with pytest.raises(TypeError):
        format_number("12")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        format_number(float("nan"))


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_integers_round_trip(n: int) -> None:
    assert parse_number(format_number(n)) == n


@given(
    st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False),
    st.integers(min_value=0, max_value=4),
)
def test_round_trip_within_half_a_unit(x: float, decimals: int) -> None:
    text = format_number(x, decimals)
    assert "." not in text.split(",")[-1] or decimals == 0
    assert abs(parse_number(text) - x) <= 0.5 * 10**-decimals + 1e-9 * max(1.0, abs(x))


@given(st.integers(min_value=0, max_value=5000), st.integers(min_value=1, max_value=5000))
def test_percent_display_is_k_over_n_rounded(k: int, n: int) -> None:
    k = min(k, n)
    shown = parse_number(format_percent(k / n, 1))
    assert abs(shown - 100 * k / n) <= 0.05 + 1e-9
