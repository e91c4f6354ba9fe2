"""Agreement between two codings of the same municipalities (Cohen's kappa).

The documents say one thing about a municipality's motives, its survey answer another.
Where both exist, the agreement between them is a check on both sources: high kappa
means the notes and the questionnaire measure the same thing, low kappa that they
capture different sides (paper policy versus practice). Kappa corrects the raw share of
agreement for the agreement expected by chance from the marginals.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from scipy.stats import norm


@dataclass(frozen=True)
class Kappa:
    """Cohen's kappa with what is needed to recompute and test it."""

    kappa: float
    observed: float  # share of cases on which both codings agree
    expected: float  # share of agreement expected by chance
    n: int
    se0: float  # standard error under H0: kappa = 0
    z: float
    p: float  # two-sided


def cohens_kappa(a: Sequence[object], b: Sequence[object]) -> Kappa:
    """Cohen's kappa for two codings of the same cases.

    The standard error under the null hypothesis follows Fleiss, Cohen and Everitt
    (1969), the usual large-sample test of kappa = 0. Raises ``ValueError`` on unequal
    lengths, no cases, or when chance agreement is 1 (both codings constant and equal),
    where kappa is undefined.
    """
    if len(a) != len(b):
        raise ValueError(f"codings differ in length: {len(a)} and {len(b)}")
    n = len(a)
    if n == 0:
        raise ValueError("no cases to compare")
    categories = sorted({*a, *b}, key=str)
    pa = {c: sum(1 for x in a if x == c) / n for c in categories}
    pb = {c: sum(1 for x in b if x == c) / n for c in categories}
    po = sum(1 for x, y in zip(a, b, strict=True) if x == y) / n
    pe = sum(pa[c] * pb[c] for c in categories)
    if math.isclose(pe, 1.0):
        raise ValueError("kappa is undefined: both codings put every case in one category")
    kappa = (po - pe) / (1 - pe)
    extra = sum(pa[c] * pb[c] * (pa[c] + pb[c]) for c in categories)
    var0 = (pe + pe**2 - extra) / (n * (1 - pe) ** 2)
    se0 = math.sqrt(var0) if var0 > 0 else float("nan")
    z = kappa / se0 if se0 and not math.isnan(se0) else float("nan")
    p = float(2 * norm.sf(abs(z))) if not math.isnan(z) else 1.0
    return Kappa(kappa=kappa, observed=po, expected=pe, n=n, se0=se0, z=z, p=p)


def interpret_kappa(kappa: float) -> str:
    """Landis and Koch's (1977) verbal labels, in Dutch, for the chapter's wording."""
    if kappa < 0:
        return "geen (slechter dan toeval)"
    for bound, label in ((0.20, "gering"), (0.40, "redelijk"), (0.60, "matig"),
                         (0.80, "substantieel")):
        if kappa <= bound:
            return label
    return "vrijwel volledig"
