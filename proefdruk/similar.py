"""Suggest the key the author probably meant: nearest by edit distance.

"unknown number key 'motieven.mot.handle'" is only helpful when the message names
``motieven.mot.handel``, not the first few keys of the alphabet. The distance is
Levenshtein's (insertions, deletions, substitutions, each one step) with a neighbouring
swap counted as one step too, the commonest typing slip.
"""

from __future__ import annotations

from collections.abc import Iterable


def distance(a: str, b: str) -> int:
    """Edit distance between ``a`` and ``b`` (optimal string alignment)."""
    if a == b:
        return 0
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            best = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                best = min(best, prev2[j - 2] + 1)
            row.append(best)
        prev2, prev = prev, row
    return prev[-1]


def similar(word: str, candidates: Iterable[str], limit: int = 5) -> list[str]:
    """Up to ``limit`` candidates close to ``word``, nearest first (ties by name).

    Close means within one edit of the nearest candidate and at most a sixth of the
    word's length in edits (at least 2), so a wild guess suggests nothing rather than
    noise, and one clear typo suggests just its target.
    """
    allowed = max(2, len(word) // 6)
    scored = sorted((d, c) for c in set(candidates)
                    if c != word and (d := distance(word.lower(), c.lower())) <= allowed)
    if not scored:
        return []
    best = scored[0][0]
    return [c for d, c in scored[:limit] if d <= best + 1]
