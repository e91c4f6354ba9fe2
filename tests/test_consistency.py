"""Consistency checks: percentages against k/n (GRIM), statistics against p (statcheck+)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from proefdruk.consistency import check_entry, check_registry, grim_candidates, main
from proefdruk.dutch import NBSP
from proefdruk.numbers import NumberSet


def entry(ns: NumberSet, key: str) -> dict:
    return dict(ns.numbers[key])


@given(n=st.integers(1, 2000), data=st.data(), decimals=st.integers(0, 2))
def test_every_percent_the_registry_writes_is_consistent(n: int, data, decimals: int) -> None:
    k = data.draw(st.integers(0, n))
    ns = NumberSet("t")
    key = ns.percent("p", k, n, "x", decimals=decimals)
    assert check_entry(key, ns.numbers[key]).status == "ok"


def test_grim_catches_a_percentage_no_k_of_n_can_give() -> None:
    # 28 cases: 17/28 = 60,71 % and 18/28 = 64,29 %; 60,8 % is impossible.
    assert grim_candidates(f"60,8{NBSP}%", 28, 1) == []
    ns = NumberSet("t")
    key = ns.percent("p", 17, 28, "x")
    e = entry(ns, key)
    e["display"] = f"60,8{NBSP}%"
    out = check_entry(key, e)
    assert out.status == "fail" and "GRIM" in out.message


def test_a_percentage_printed_for_the_wrong_numerator_fails() -> None:
    ns = NumberSet("t")
    key = ns.percent("p", 217, 342, "x")
    e = entry(ns, key)
    e["display"] = f"63,2{NBSP}%"  # 216/342, a possible value, but not 217/342
    out = check_entry(key, e)
    assert out.status == "fail" and "217/342" in out.message


def test_a_value_that_is_not_numerator_over_denominator_fails() -> None:
    ns = NumberSet("t")
    key = ns.percent("p", 1, 4, "x")
    e = entry(ns, key)
    e["numerator"] = 2
    assert check_entry(key, e).status == "fail"


def test_shares_and_counts_are_checked_against_their_print() -> None:
    ns = NumberSet("t")
    s = ns.share("s", 0.4567, "gewogen", numerator=45.67, denominator=100.0)
    c = ns.count("c", 1234, "x")
    v = ns.value("v", 2.345, "x", decimals=2)
    for key in (s, c, v):
        assert check_entry(key, ns.numbers[key]).status == "ok", key
    bad = entry(ns, c)
    bad["display"] = "1.243"
    assert check_entry(c, bad).status == "fail"
    bad = entry(ns, s)
    bad["numerator"] = 40.0
    assert check_entry(s, bad).status == "fail"


def test_chi2_statistic_and_p_agree_raw_and_printed() -> None:
    ns = NumberSet("t")
    stat = 12.4138
    key = ns.statistic("chi", stat, float(stats.chi2.sf(stat, 3)), "x", test="chi2", df=3)
    assert check_entry(key, ns.numbers[key]).status == "ok"


def test_chi2_with_a_wrong_p_or_df_fails() -> None:
    ns = NumberSet("t")
    stat = 12.4138
    key = ns.statistic("chi", stat, 0.02, "x", test="chi2", df=3)
    out = check_entry(key, ns.numbers[key])
    assert out.status == "fail" and "0.00609" in out.message
    ns2 = NumberSet("u")
    key2 = ns2.statistic("chi", stat, float(stats.chi2.sf(stat, 5)), "x", test="chi2", df=3)
    assert check_entry(key2, ns2.numbers[key2]).status == "fail"


def test_t_and_z_tests_are_recomputed() -> None:
    ns = NumberSet("t")
    kt = ns.statistic("t", 2.1, float(2 * stats.t.sf(2.1, 40)), "x", test="t", df=40)
    kz = ns.statistic("z", -1.96, float(2 * stats.norm.sf(1.96)), "x", test="z")
    assert check_entry(kt, ns.numbers[kt]).status == "ok"
    assert check_entry(kz, ns.numbers[kz]).status == "ok"


def test_kappa_and_fisher_are_skipped_with_a_reason_or_checked_from_a_table() -> None:
    ns = NumberSet("t")
    kk = ns.statistic("kappa", 0.71, 0.0001, "x", test="kappa")
    kf = ns.statistic("fisher", 3.5, 0.04, "x", test="fisher")
    assert check_entry(kk, ns.numbers[kk]).status == "skipped"
    assert "agreement table" in check_entry(kk, ns.numbers[kk]).message
    assert check_entry(kf, ns.numbers[kf]).status == "skipped"
    res = stats.fisher_exact([[8, 2], [1, 5]])
    ns2 = NumberSet("u")
    kf2 = ns2.statistic("fisher", float(res.statistic), float(res.pvalue), "x", test="fisher")
    e2 = dict(ns2.numbers[kf2], table=[[8, 2], [1, 5]])
    assert check_entry(kf2, e2).status == "ok"
    e2["table"] = [[8, 2], [2, 5]]
    assert check_entry(kf2, e2).status == "fail"
    bad_kappa = entry(ns, kk)
    bad_kappa.update(value=1.3, display=f"κ{NBSP}={NBSP}1,30; p{NBSP}<{NBSP}0,001")
    assert check_entry(kk, bad_kappa).status == "fail"


def test_report_names_the_key_and_the_chapter_lines() -> None:
    ns = NumberSet("respons")
    key = ns.percent("pct", 17, 28, "x")
    registry = {key: dict(ns.numbers[key], display=f"60,8{NBSP}%", source="results/n.json")}
    rep = check_registry(registry, {key: [("chapters/02-methodologie.qmd", 14)]})
    (err,) = rep["errors"]
    assert err["key"] == "respons.pct"
    assert err["used_in"] == ["chapters/02-methodologie.qmd:14"]


def test_cli_fails_naming_key_and_chapter(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    ns = NumberSet("respons")
    key = ns.percent("pct", 17, 28, "x")
    reg = tmp_path / "numbers.json"
    reg.write_text(json.dumps({key: dict(ns.numbers[key], display=f"60,8{NBSP}%")}),
                   encoding="utf-8")
    ch = tmp_path / "02.qmd"
    ch.write_text("Respons: {{< num respons.pct >}}.\n", encoding="utf-8")
    out = tmp_path / "c.json"
    assert main([str(reg), str(ch), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "respons.pct" in err and "02.qmd:1" in err
    assert not out.exists()
    reg.write_text(json.dumps({key: ns.numbers[key]}), encoding="utf-8")
    assert main([str(reg), str(ch), "--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["passed"] == 1


def test_an_exact_p_next_to_a_chi2_statistic_is_read_and_skipped_honestly() -> None:
    """Monte Carlo p-values for r x c tables: the print is checked, p is not recomputed."""
    ns = NumberSet("t")
    key = ns.statistic("toets", 7.875, 0.0453, "x", test="fisher", df=3, n=14)
    e = dict(ns.numbers[key], exact="Fisher (Monte Carlo, 9999 trekkingen)",
             display=f"χ²(3){NBSP}={NBSP}7,88; exacte p{NBSP}={NBSP}0,045")
    out = check_entry(key, e)
    assert out.status == "skipped" and "Monte Carlo" in out.message
    e["display"] = f"χ²(3){NBSP}={NBSP}7,88; exacte p{NBSP}={NBSP}0,054"
    assert check_entry(key, e).status == "fail"


def test_years_print_without_a_thousands_separator() -> None:
    ns = NumberSet("t")
    ns.value("jaar", 2016.46, "Gemiddeld jaar", decimals=1, unit="jaar")
    e = dict(ns.numbers["t.jaar"], display="2016,5")
    assert check_entry("t.jaar", e).status == "ok"
    e["display"] = "2016,4"
    assert check_entry("t.jaar", e).status == "fail"
