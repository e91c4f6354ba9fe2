"""The few statistics the survey chapters report, each on a library implementation.

Wilson intervals come from statsmodels, the tests from SciPy; this module only chooses
between them the way the methods chapter describes: a chi-square test of independence,
or Fisher's exact test when more than a fifth of the expected counts is below five (the
usual rule, after Cochran), with Cramér's V as the effect size in both cases.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

SMALL_EXPECTED = 5.0
SMALL_SHARE = 0.2


def wilson_interval(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval for k successes in n trials (statsmodels)."""
    if n <= 0:
        return (math.nan, math.nan)
    lo, hi = proportion_confint(k, n, alpha=1 - level, method="wilson")
    # At k = 0 or k = n the bound is 0 or 1 exactly; floating point leaves ~1e-17.
    return (0.0 if k == 0 else float(lo)), (1.0 if k == n else float(hi))


@dataclass(frozen=True)
class TestResult:
    """A test of association on a contingency table."""

    test: str          # "chi2" or "fisher"
    statistic: float   # chi-square (also reported for Fisher, as its effect-size basis)
    df: int
    p: float
    n: int
    cramers_v: float
    small_expected: bool

    def as_dict(self) -> dict[str, float | int | str | bool]:
        return {"toets": self.test, "statistiek": self.statistic, "df": self.df, "p": self.p,
                "n": self.n, "cramers_v": self.cramers_v,
                "kleine_verwachte_aantallen": self.small_expected}


def cramers_v(chi2: float, n: int, shape: tuple[int, int]) -> float:
    """Cramér's V = sqrt(chi² / (n · (min(r, c) − 1)))."""
    k = min(shape) - 1
    if n == 0 or k <= 0:
        return math.nan
    return math.sqrt(chi2 / (n * k))


def drop_empty(table: np.ndarray) -> np.ndarray:
    """Remove all-zero rows and columns (they carry no information and break the tests)."""
    t = np.asarray(table, dtype=float)
    t = t[t.sum(axis=1) > 0]
    return t[:, t.sum(axis=0) > 0]


def association(table: np.ndarray, seed: int = 20240101) -> TestResult | None:
    """Test of independence for an r×c table of counts, or None if it is degenerate.

    Chi-square without continuity correction (so V is comparable across tables); when
    expected counts are small, Fisher's exact test supplies p: exact for 2×2 tables, and
    for larger tables SciPy's random-table test with a fixed seed, so p is reproducible.
    """
    t = drop_empty(table)
    if t.shape[0] < 2 or t.shape[1] < 2:
        return None
    chi2, p, dof, expected = stats.chi2_contingency(t, correction=False)
    n = int(t.sum())
    small = bool((expected < SMALL_EXPECTED).mean() > SMALL_SHARE)
    v = cramers_v(float(chi2), n, t.shape)
    if not small:
        return TestResult("chi2", float(chi2), int(dof), float(p), n, v, False)
    if t.shape == (2, 2):
        p_exact = stats.fisher_exact(t.astype(int)).pvalue
    else:
        method = stats.MonteCarloMethod(n_resamples=9999, rng=np.random.default_rng(seed))
        p_exact = stats.fisher_exact(t.astype(int), method=method).pvalue
    # SciPy 1.17 returns the Monte Carlo p of some tiny tables (e.g. [[0,1,2],[1,0,0]]) as
    # a one-element array, which float() refuses; ravel takes the scalar either way.
    p_exact = float(np.ravel(p_exact)[0])
    return TestResult("fisher", float(chi2), int(dof), p_exact, n, v, True)


def goodness_of_fit(observed: np.ndarray, expected_shares: np.ndarray) -> tuple[float, int,
                                                                                 float]:
    """Chi-square goodness of fit of counts against population shares: (χ², df, p)."""
    obs = np.asarray(observed, dtype=float)
    exp = np.asarray(expected_shares, dtype=float)
    exp = exp / exp.sum() * obs.sum()
    chi2, p = stats.chisquare(obs, exp)
    return float(chi2), len(obs) - 1, float(p)
