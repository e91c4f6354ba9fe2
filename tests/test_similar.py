"""Suggestions for an unknown key come from edit distance, nearest first."""

from __future__ import annotations

import pytest

from proefdruk.errors import BuildError
from proefdruk.numbers import lookup
from proefdruk.similar import distance, similar


@pytest.mark.parametrize(("a", "b", "d"), [
    ("handel", "handel", 0), ("handel", "handle", 1), ("handel", "hanel", 1),
    ("handel", "handels", 1), ("kitten", "sitting", 3), ("", "abc", 3), ("ab", "ba", 1),
])
def test_distance(a: str, b: str, d: int) -> None:
    assert distance(a, b) == d
    assert distance(b, a) == d


def test_nearest_first_and_nothing_for_a_wild_guess() -> None:
    keys = ["motieven.mot.handel", "motieven.mot.cultuur", "motieven.mot.basis",
            "activiteiten.act.handelsmissie", "motieven.mot.handel_ci_hoog"]
    assert similar("motieven.mot.handle", keys) == ["motieven.mot.handel"]
    assert similar("motieven.mot.hande", keys)[0] == "motieven.mot.handel"
    assert similar("respons.zzzzzzzzzzzz", keys) == []


def test_unknown_number_key_suggests_the_typo_s_target_not_the_alphabet() -> None:
    registry = {f"motieven.mot.{k}": {} for k in
                ("aaa", "basis", "belangen", "cultuur", "duurzaamheid", "eu_middelen",
                 "groep_cultureel", "groep_economisch", "handel", "investeringen")}
    with pytest.raises(BuildError) as exc:
        lookup(registry, "motieven.mot.hnadel", file="chapters/05-motieven.qmd", line=12)
    assert exc.value.hint == "similar keys: motieven.mot.handel"
    assert "chapters/05-motieven.qmd:12" in str(exc.value)
