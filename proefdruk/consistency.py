"""Consistency checks on the numbers registry, beyond statcheck.

statcheck reads printed test statistics and recomputes their p-values. The registry
lets us do more, because every entry keeps its raw ingredients next to what is printed:

- **percentages** (GRIM-style): a percentage of ``n`` cases can only take the values
  ``k/n`` for whole ``k``. The printed form must be ``k/n`` for the recorded numerator,
  rounded as printed, and *some* whole ``k`` must round to it at all (otherwise the
  number cannot come from ``n`` cases: a GRIM inconsistency);
- **shares** (weighted proportions): the value equals numerator/denominator where both
  are recorded, and the printed form is the value rounded as printed;
- **test statistics**: the p-value follows from the statistic and its degrees of
  freedom (chi², t, z via scipy), both for the raw numbers and for the printed,
  rounded ones (as statcheck does: any statistic that rounds to the printed one may
  give a p that rounds to the printed p);
- **counts and other values**: the printed form is the raw value rounded as printed.

Documented skips: a kappa's p-value needs the agreement table (only the range
-1..1 is checked); a Fisher exact test is recomputed only when the entry carries its
2x2 ``table``; a Cramér's V is range-checked (0..1); text entries are not numbers.

A failure names the key and the chapter(s) and lines that print it.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from proefdruk.arguments import CommandParser
from proefdruk.errors import BuildError, BuildErrors
from proefdruk.locale import formats
from proefdruk.locale.formats import NBSP
from proefdruk.provenance import dump_json

# A raw p may differ from the recomputed one by floating-point noise and by the
# difference between scipy's survival functions and, say, statsmodels' own.
P_REL_TOL = 1e-6
P_ABS_TOL = 1e-10


@dataclass(frozen=True)
class Outcome:
    """The result of checking one entry: ``status`` is ok, fail or skipped."""

    key: str
    status: str
    message: str = ""


def _ok(key: str) -> Outcome:
    return Outcome(key, "ok")


def _fail(key: str, message: str) -> Outcome:
    return Outcome(key, "fail", message)


def _skip(key: str, message: str) -> Outcome:
    return Outcome(key, "skipped", message)


# -------------------------------------------------------------------------- proportions

def _lang(e: Mapping[str, Any]) -> str:
    """The language of an entry's display form (``lang`` of its registry file; a file
    without one is Dutch, the registry's format before locales)."""
    return str(e.get("lang") or "nl")


def grim_candidates(display: str, n: int, decimals: int, lang: str = "nl") -> list[int]:
    """Every whole k in 0..n whose k/n prints as ``display`` with ``decimals`` decimals."""
    printed = formats.parse_number(display, lang) / 100
    centre = round(printed * n)
    span = max(2, int(n * 10 ** -decimals / 100) + 2)
    return [k for k in range(max(0, centre - span), min(n, centre + span) + 1)
            if formats.format_percent(k / n, decimals, lang) == display]


def check_percent(key: str, e: Mapping[str, Any]) -> Outcome:
    """A k/n percentage: numerator, denominator, value and print agree (GRIM)."""
    k, n, d = e.get("numerator"), e.get("denominator"), int(e.get("decimals", 1))
    if not isinstance(k, int) or not isinstance(n, int) or n <= 0 or not 0 <= k <= n:
        return _fail(key, f"percentage needs whole numerator 0..denominator and a positive "
                          f"denominator, found {k!r}/{n!r}")
    if not math.isclose(float(e["value"]), k / n, rel_tol=1e-12, abs_tol=1e-15):
        return _fail(key, f"value {e['value']!r} is not {k}/{n} = {k / n!r}")
    display = str(e.get("display", ""))
    ks = grim_candidates(display, n, d, _lang(e)) if display.endswith("%") else []
    if not ks:
        return _fail(key, f"GRIM: no whole k gives k/{n} printed as '{display}' "
                          f"with {d} decimal(s); it cannot be a share of {n} cases")
    if k not in ks:
        return _fail(key, f"printed '{display}' but {k}/{n} prints as "
                          f"'{formats.format_percent(k / n, d, _lang(e))}'")
    return _ok(key)


def check_share(key: str, e: Mapping[str, Any]) -> Outcome:
    """A weighted proportion: value in [0, 1], equal to num/den if given, printed right."""
    value, d = float(e["value"]), int(e.get("decimals", 1))
    if not 0 <= value <= 1:
        return _fail(key, f"a share must lie in 0..1, found {value!r}")
    num, den = e.get("numerator"), e.get("denominator")
    if num is not None and den is not None:
        if not den or not math.isclose(value, num / den, rel_tol=1e-9, abs_tol=1e-12):
            return _fail(key, f"value {value!r} is not {num}/{den}")
    expected = formats.format_percent(value, d, _lang(e))
    if e.get("display") != expected:
        return _fail(key, f"printed '{e.get('display')}' but {value!r} prints as '{expected}'")
    return _ok(key)


def check_number(key: str, e: Mapping[str, Any]) -> Outcome:
    """A count or other value: the print is the raw value rounded as printed."""
    value, d = e["value"], int(e.get("decimals", 0))
    if not isinstance(value, int | float) or isinstance(value, bool):
        return _fail(key, f"value must be a number, found {value!r}")
    if e.get("kind") == "count" and float(value) != int(value):
        return _fail(key, f"a count must be whole, found {value!r}")
    # Years and codes are printed without a thousands separator (2024, not 2.024).
    lang = _lang(e)
    forms = {formats.format_number(value, d, lang=lang),
             formats.format_number(value, d, thousands=False, lang=lang)}
    display = str(e.get("display", ""))
    if not any(display == f or display.startswith((f + NBSP, f + " ")) for f in forms):
        return _fail(key, f"printed '{display}' but {value!r} with {d} decimal(s) "
                          f"prints as '{formats.format_number(value, d, lang=lang)}'")
    return _ok(key)


# --------------------------------------------------------------------------- statistics

_STAT_DISPLAY = re.compile(
    r"^(?P<label>[^(=\s\u00a0]+)(?:\((?P<df>[\d,. ]+)\))?[\s\u00a0]*=[\s\u00a0]*"
    r"(?P<stat>[\u2212\-]?[\d.,]+);\s*(?P<qualifier>[^\W\d]+\s)?p[\s\u00a0]*(?P<op>[=<])"
    r"[\s\u00a0]*(?P<p>[\d.,]+)$"
)


def p_from_statistic(test: str, stat: float, df: float | None) -> float | None:
    """The two-sided p of a test statistic, or None for tests we cannot recompute."""
    from scipy import stats

    if test == "chi2" and df:
        return float(stats.chi2.sf(stat, df))
    if test == "t" and df:
        return float(2 * stats.t.sf(abs(stat), df))
    if test == "z":
        return float(2 * stats.norm.sf(abs(stat)))
    return None


def _p_interval(op: str, printed: float, decimals: int = 3) -> tuple[float, float]:
    if op == "<":
        return 0.0, printed
    half = 0.5 * 10 ** -decimals
    return max(0.0, printed - half), min(1.0, printed + half)


def check_statistic(key: str, e: Mapping[str, Any]) -> Outcome:
    """Statistic, df and p agree, raw and as printed (statcheck plus the raw values)."""
    test, stat, p, df = e.get("test"), float(e["value"]), e.get("p"), e.get("df")
    d = int(e.get("decimals", 2))
    if p is None or not 0 <= float(p) <= 1:
        return _fail(key, f"p-value missing or outside 0..1: {p!r}")
    m = _STAT_DISPLAY.match(str(e.get("display", "")))
    if not m:
        return _fail(key, f"cannot read the printed statistic '{e.get('display')}'")
    lang = _lang(e)

    def parse_number(text: str) -> float:
        return formats.parse_number(text, lang)

    def format_p(value: float) -> str:
        return formats.format_p(value, lang)

    if df is not None and m.group("df") is not None and parse_number(m.group("df")) != df:
        return _fail(key, f"printed df {m.group('df')} but the entry has df {df}")
    printed_stat = parse_number(m.group("stat"))
    if abs(printed_stat - stat) > 0.5 * 10 ** -d + 1e-12:
        return _fail(key, f"printed statistic {m.group('stat')} is not {stat!r} rounded "
                          f"to {d} decimal(s)")
    printed_p = m.group("op") + m.group("p")
    if printed_p != format_p(float(p)).split(NBSP, 1)[1].replace(NBSP, ""):
        return _fail(key, f"printed p '{m.group('op')} {m.group('p')}' is not "
                          f"'{format_p(float(p))}' for p = {p!r}")
    if test == "kappa":
        if not -1 <= stat <= 1:
            return _fail(key, f"kappa outside -1..1: {stat!r}")
        return _skip(key, "kappa: p needs the agreement table; range checked only")
    if test == "cramers_v":
        if not 0 <= stat <= 1:
            return _fail(key, f"Cramér's V outside 0..1: {stat!r}")
        return _skip(key, "Cramér's V: p belongs to the chi² test; range checked only")
    if test == "fisher":
        return _check_fisher(key, e, stat, float(p))
    recomputed = p_from_statistic(str(test), stat, df)
    if recomputed is None:
        return _skip(key, f"no p-value recomputation for test '{test}' (df={df!r})")
    if not math.isclose(recomputed, float(p), rel_tol=P_REL_TOL, abs_tol=P_ABS_TOL):
        return _fail(key, f"p = {p!r} but {test}({df}) = {stat!r} gives p = {recomputed!r}")
    # statcheck: the printed statistic's rounding interval must reach the printed p.
    half = 0.5 * 10 ** -d
    p_lo = p_from_statistic(str(test), abs(printed_stat) + half, df)
    p_hi = p_from_statistic(str(test), max(0.0, abs(printed_stat) - half), df)
    lo, hi = _p_interval(m.group("op"), parse_number(m.group("p")))
    assert p_lo is not None and p_hi is not None
    if p_hi < lo or p_lo > hi:
        return _fail(key, f"printed '{e['display']}' is inconsistent: a statistic that "
                          f"prints as {m.group('stat')} gives p in [{p_lo:.4g}, {p_hi:.4g}]")
    return _ok(key)


def _check_fisher(key: str, e: Mapping[str, Any], odds: float, p: float) -> Outcome:
    table = e.get("table")
    if not table:
        how = f" ({e['exact']})" if e.get("exact") else ""
        return _skip(key, f"Fisher exact test{how}: p comes from the table, which the entry "
                          "does not record; printed statistic and p checked, p not recomputed")
    from scipy import stats

    res = stats.fisher_exact(table)
    if not math.isclose(float(res.pvalue), p, rel_tol=P_REL_TOL, abs_tol=P_ABS_TOL):
        return _fail(key, f"Fisher p = {p!r} but table {table} gives {float(res.pvalue)!r}")
    if not math.isclose(float(res.statistic), odds, rel_tol=1e-9):
        return _fail(key, f"odds ratio {odds!r} but table {table} gives "
                          f"{float(res.statistic)!r}")
    return _ok(key)


# ----------------------------------------------------------------------------- registry

def check_entry(key: str, entry: Mapping[str, Any]) -> Outcome:
    """Dispatch on the entry's kind (see proefdruk.numbers.NumberSet)."""
    kind = entry.get("kind")
    try:
        if kind == "percent":
            return check_percent(key, entry)
        if kind == "share":
            return check_share(key, entry)
        if kind == "statistic":
            return check_statistic(key, entry)
        if kind == "text":
            return _skip(key, "text entry: not a number")
        if isinstance(entry.get("value"), int | float):
            return check_number(key, entry)
        return _skip(key, f"kind '{kind}' with a non-numeric value")
    except (KeyError, TypeError, ValueError) as exc:
        return _fail(key, f"malformed entry ({type(exc).__name__}: {exc})")


def check_registry(registry: Mapping[str, Any],
                   uses: Mapping[str, list[tuple[str, int]]] | None = None) -> dict[str, Any]:
    """Check every entry; the report names, for each failure, where the book prints it."""
    uses = uses or {}
    outcomes = [check_entry(k, registry[k]) for k in sorted(registry)]
    errors, skipped = [], []
    for o in outcomes:
        where = [f"{f}:{line}" for f, line in uses.get(o.key, [])]
        if o.status == "fail":
            errors.append({"key": o.key, "message": o.message, "used_in": where,
                           "source": registry[o.key].get("source")})
        elif o.status == "skipped":
            skipped.append({"key": o.key, "reason": o.message})
    ok = sum(o.status == "ok" for o in outcomes)
    return {
        "check": "consistency",
        "checked": len(outcomes),
        "passed": ok,
        "skipped": skipped,
        "errors": errors,
        "warnings": [],
        "summary": f"{len(outcomes)} number(s): {ok} consistent, {len(errors)} inconsistent, "
                   f"{len(skipped)} skipped",
    }


def report_error(rep: Mapping[str, Any]) -> BuildErrors:
    """One error per inconsistent number, with the chapters that print it."""
    return BuildErrors([
        BuildError(
            f"number '{e['key']}' is inconsistent: {e['message']}",
            file=(e["used_in"][0] if e["used_in"] else e.get("source")),
            field=e["key"],
            hint=("printed in " + ", ".join(e["used_in"]) + "; " if e["used_in"] else "")
            + "fix the analysis step that writes it (" + str(e.get("source")) + ")",
        )
        for e in rep["errors"]
    ])


def main(argv: list[str] | None = None) -> int:
    """``proefdruk consistency results/numbers.json CHAPTER... --out REPORT``."""
    from proefdruk.lint_prose import collect_uses

    ap = CommandParser(prog="proefdruk consistency", description=__doc__.splitlines()[0])
    ap.add_argument("registry")
    ap.add_argument("chapters", nargs="*")
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    registry = json.loads(Path(args.registry).read_text(encoding="utf-8"))
    rep = check_registry(registry, collect_uses(args.chapters))
    print(f"consistency: {rep['summary']}")
    if rep["errors"]:
        print(str(report_error(rep)), file=sys.stderr)
        return 1
    dump_json(rep, args.out)
    return 0
