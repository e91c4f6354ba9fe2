"""The study's claims are decided by rules over registry values (analysis/claims.py)."""

from __future__ import annotations

import json

import pytest

from analysis import claims as c
from proefdruk.numbers import NumberSet, load_file, merge_claims


def reg(**values: object) -> dict[str, dict[str, object]]:
    """A registry with the given raw values (keys with '__' for '.')."""
    return {k.replace("__", "."): {"value": v} for k, v in values.items()}


def motive_registry(econ: float, cult: float, pol: float, grens: float) -> dict:
    return reg(motieven__mot__groep_economisch=econ, motieven__mot__groep_cultureel=cult,
               motieven__mot__groep_politiek=pol, motieven__mot__groep_grensoverschrijdend=grens)


def test_largest_motive_group_follows_the_shares() -> None:
    assert c.motive_group_largest(motive_registry(0.7, 0.5, 0.3, 0.1)).outcome == "economisch"
    flipped = c.motive_group_largest(motive_registry(0.4, 0.6, 0.3, 0.1))
    assert flipped.outcome == "cultureel"
    assert flipped.values["motieven.mot.groep_cultureel"] == 0.6
    assert c.motive_group_largest(motive_registry(0.6, 0.6, 0.3, 0.1)).outcome == c.TIE


def test_weightiest_group_reads_the_single_choice_question() -> None:
    r = reg(**{f"motieven__mot_zwaarst__{a}": v for a, v in zip(
        c.WEIGHTIEST, (0.2, 0.5, 0.2, 0.1), strict=True)})
    assert c.motive_weightiest(r).outcome == "cultureel"


def test_congruence_claim_compares_the_two_statements() -> None:
    yes = reg(rijk__rijk_congruent__eens=0.55, rijk__rijk_concurrentie__eens=0.20)
    no = reg(rijk__rijk_congruent__eens=0.20, rijk__rijk_concurrentie__eens=0.55)
    assert c.congruence_over_competition(yes).outcome is True
    assert c.congruence_over_competition(no).outcome is False
    # A tie is not "more congruent than competitive".
    tie = reg(rijk__rijk_congruent__eens=0.3, rijk__rijk_concurrentie__eens=0.3)
    assert c.congruence_over_competition(tie).outcome is False


def test_size_association_uses_p_values_of_every_test() -> None:
    r = {"motieven.mot.handel_grootte_toets": {"value": 3.1, "p": 0.2},
         "motieven.mot.cultuur_grootte_toets": {"value": 9.9, "p": 0.01}}
    claim = c.motive_size_association(r)
    assert claim.outcome is True and set(claim.values) == set(r)
    r["motieven.mot.cultuur_grootte_toets"]["p"] = 0.5
    assert c.motive_size_association(r).outcome is False
    with pytest.raises(KeyError, match="partners.partners"):
        c.partner_size_association(r)


def test_state_barrier_is_minor_only_below_both_own_means() -> None:
    r = reg(ruimte__ruimte_belemmering__rijk=0.1, ruimte__ruimte_belemmering__capaciteit=0.6,
            ruimte__ruimte_belemmering__financien=0.5)
    assert c.state_barrier_minor(r).outcome is True
    r["ruimte.ruimte_belemmering.financien"]["value"] = 0.05
    assert c.state_barrier_minor(r).outcome is False


def test_policy_note_claim_is_a_strict_minority() -> None:
    key = "organisatie__org_nota__ja_vastgesteld_door_de_gemeenter"
    assert c.policy_note_minority(reg(**{key: 0.3})).outcome is True
    assert c.policy_note_minority(reg(**{key: 0.5})).outcome is False


def test_missing_number_names_the_key() -> None:
    with pytest.raises(KeyError, match="rijk.rijk_afwijking.ja"):
        c.deviation_minority({})


def test_claims_are_written_and_merged_with_provenance(tmp_path) -> None:
    ns = NumberSet("bevindingen")
    for claim in c.decide_all({**motive_registry(0.7, 0.5, 0.3, 0.1), **_rest()}):
        ns.claim(claim.name, claim.outcome, rule=claim.rule, values=claim.values,
                 description=claim.description, outcomes=claim.outcomes or None,
                 synthetic=True)
    record = {"rule": "study_claims", "script": "s.py", "inputs": {}, "software": {}}
    ns.write(tmp_path / "bevindingen.json", record)
    data = load_file(tmp_path / "bevindingen.json")
    assert data["claims"]["bevindingen.motief_groep_grootst"]["outcome"] == "economisch"
    assert data["claims"]["bevindingen.congruentie_boven_concurrentie"]["outcome"] == "true"
    merged = merge_claims([tmp_path / "bevindingen.json"])
    assert merged["bevindingen.afwijking_minderheid"]["provenance"]["rule"] == "study_claims"
    assert json.loads((tmp_path / "bevindingen.json").read_text())["numbers"] == {}


def test_a_claim_refuses_an_outcome_it_does_not_offer() -> None:
    ns = NumberSet("x")
    with pytest.raises(ValueError, match="not one of"):
        ns.claim("a", "paars", rule="r", values={"x.y": 1}, description="d",
                 outcomes=["rood", "groen"])
    with pytest.raises(ValueError, match="rule"):
        ns.claim("b", True, rule=" ", values={"x.y": 1}, description="d")


def _rest() -> dict:
    r = reg(rijk__rijk_congruent__eens=0.6, rijk__rijk_concurrentie__eens=0.2,
            rijk__rijk_aanvullend__eens=0.5, rijk__rijk_afwijking__ja=0.2,
            rijk__rijk_afwijking__nee=0.7, ruimte__ruimte_belemmering__rijk=0.1,
            ruimte__ruimte_belemmering__capaciteit=0.6,
            ruimte__ruimte_belemmering__financien=0.5,
            organisatie__org_nota__ja_vastgesteld_door_de_gemeenter=0.3)
    r.update({f"motieven.mot_zwaarst.{a}": {"value": v} for a, v in zip(
        c.WEIGHTIEST, (0.5, 0.2, 0.2, 0.1), strict=True)})
    r["motieven.mot.handel_grootte_toets"] = {"value": 1.0, "p": 0.3}
    r["partners.partners.bz_grootte_toets"] = {"value": 1.0, "p": 0.01}
    return r
