"""The study's claims: findings the chapters state in words, decided from the registry.

A sentence such as "economische motieven wegen het zwaarst" or "gemeenten oordelen eerder
congruent dan concurrerend" is a finding, just like the percentages beside it. Each is
decided here, by a rule over registry numbers that a reviewer can recompute, and published
as a claim (``proefdruk.numbers.NumberSet.claim``) with the values it was decided on. The
chapters bind the sentence to the claim and offer a text per outcome, so the day the real
export replaces the synthetic one, the book says what the real data say (or the build
stops, naming the sentence).

Every function takes the merged registry (``key -> entry``) and returns a :class:`Claim`;
:data:`CLAIMS` lists them. A rule compares registry values only: no threshold that the
data could not reach, no judgement that the chapter does not state.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

ALPHA = 0.05
MOTIVE_GROUPS = ("economisch", "cultureel", "politiek", "grensoverschrijdend")
WEIGHTIEST = {  # mot_zwaarst answer -> motive group
    "economische_motieven": "economisch",
    "culturele_motieven": "cultureel",
    "politieke_en_maatschappelijke_mo": "politiek",
    "grensoverschrijdende_motieven": "grensoverschrijdend",
}
TIE = "gedeeld"


@dataclass(frozen=True)
class Claim:
    """One decided finding: ``outcome`` is a bool or one of ``outcomes``."""

    name: str
    outcome: bool | str
    rule: str
    values: dict[str, Any]
    description: str
    sources: tuple[str, ...]
    outcomes: tuple[str, ...] = field(default=())


def value(registry: Mapping[str, Any], key: str) -> Any:
    """The raw value of a registry number, or a clear error naming the missing key."""
    try:
        return registry[key]["value"]
    except KeyError:
        raise KeyError(f"claim rule needs registry number '{key}', which no analysis step "
                       "wrote (check the codebook option or the key)") from None


def largest(registry: Mapping[str, Any], keys: Mapping[str, str]) -> tuple[str, dict[str, Any]]:
    """The label whose registry value is largest (``TIE`` when two share the maximum)."""
    values = {key: value(registry, key) for key in keys.values()}
    top = max(values.values())
    winners = [label for label, key in keys.items() if values[key] == top]
    return (winners[0] if len(winners) == 1 else TIE), values


def motive_group_largest(registry: Mapping[str, Any]) -> Claim:
    keys = {g: f"motieven.mot.groep_{g}" for g in MOTIVE_GROUPS}
    outcome, values = largest(registry, keys)
    return Claim("motief_groep_grootst", outcome,
                 "de motiefgroep die het grootste aandeel gemeenten ten minste één keer "
                 f"aankruist (‘{TIE}’ bij een gelijke stand)", values,
                 "Motiefgroep die de meeste gemeenten noemen", ("survey",),
                 (*MOTIVE_GROUPS, TIE))


def motive_weightiest(registry: Mapping[str, Any]) -> Claim:
    keys = {group: f"motieven.mot_zwaarst.{answer}" for answer, group in WEIGHTIEST.items()}
    outcome, values = largest(registry, keys)
    return Claim("motief_zwaarst", outcome,
                 "de motiefgroep die het vaakst als zwaarstwegend wordt gekozen "
                 f"(‘{TIE}’ bij een gelijke stand)", values,
                 "Motiefgroep die het vaakst het zwaarst weegt", ("survey",),
                 (*MOTIVE_GROUPS, TIE))


def _any_significant(registry: Mapping[str, Any], prefix: str, suffix: str
                     ) -> tuple[bool, dict[str, Any]]:
    keys = sorted(k for k in registry if k.startswith(prefix) and k.endswith(suffix))
    if not keys:
        raise KeyError(f"claim rule needs tests '{prefix}…{suffix}', and the registry has none")
    values = {k: registry[k].get("p") for k in keys}
    return any(p is not None and p < ALPHA for p in values.values()), values


def motive_size_association(registry: Mapping[str, Any]) -> Claim:
    outcome, values = _any_significant(registry, "motieven.mot.", "_grootte_toets")
    return Claim("motief_grootte_samenhang", outcome,
                 f"ten minste één motief hangt samen met de grootteklasse (p < {ALPHA:g} in "
                 "de toets op samenhang; waarden: de overschrijdingskansen)", values,
                 "Samenhang tussen motieven en gemeentegrootte", ("survey",))


def partner_size_association(registry: Mapping[str, Any]) -> Claim:
    outcome, values = _any_significant(registry, "partners.partners.", "_grootte_toets")
    return Claim("partner_grootte_samenhang", outcome,
                 f"ten minste één partner hangt samen met de grootteklasse (p < {ALPHA:g} in "
                 "de toets op samenhang; waarden: de overschrijdingskansen)", values,
                 "Samenhang tussen partners en gemeentegrootte", ("survey",))


def congruence_over_competition(registry: Mapping[str, Any]) -> Claim:
    keys = ("rijk.rijk_congruent.eens", "rijk.rijk_concurrentie.eens")
    values = {k: value(registry, k) for k in keys}
    return Claim("congruentie_boven_concurrentie", values[keys[0]] > values[keys[1]],
                 "het aandeel gemeenten dat het eens is met de stelling over aansluiting is "
                 "groter dan het aandeel dat het eens is met de stelling over doorkruising",
                 values, "Gemeenten oordelen eerder congruent dan concurrerend", ("survey",))


def complement_over_competition(registry: Mapping[str, Any]) -> Claim:
    keys = ("rijk.rijk_aanvullend.eens", "rijk.rijk_concurrentie.eens")
    values = {k: value(registry, k) for k in keys}
    return Claim("aanvulling_boven_concurrentie", values[keys[0]] > values[keys[1]],
                 "het aandeel gemeenten dat het eens is met de stelling over aanvulling is "
                 "groter dan het aandeel dat het eens is met de stelling over doorkruising",
                 values, "Gemeenten zien hun beleid eerder als aanvulling dan als doorkruising",
                 ("survey",))


def deviation_minority(registry: Mapping[str, Any]) -> Claim:
    keys = ("rijk.rijk_afwijking.ja", "rijk.rijk_afwijking.nee")
    values = {k: value(registry, k) for k in keys}
    return Claim("afwijking_minderheid", values[keys[0]] < values[keys[1]],
                 "minder gemeenten antwoorden ‘ja’ dan ‘nee’ op de vraag of zij een "
                 "standpunt innamen of een activiteit ondernamen die afweek van het rijksbeleid",
                 values, "Afwijkend handelen is de uitzondering", ("survey",))


def state_barrier_minor(registry: Mapping[str, Any]) -> Claim:
    keys = ("ruimte.ruimte_belemmering.rijk", "ruimte.ruimte_belemmering.capaciteit",
            "ruimte.ruimte_belemmering.financien")
    values = {k: value(registry, k) for k in keys}
    rijk, *own = values.values()
    return Claim("rijk_belemmering_ondergeschikt", all(rijk < v for v in own),
                 "de houding van het Rijk wordt door minder gemeenten als belemmering genoemd "
                 "dan zowel beperkte ambtelijke capaciteit als beperkte financiële middelen",
                 values, "Het Rijk is een kleinere belemmering dan de eigen middelen",
                 ("survey",))


def policy_note_minority(registry: Mapping[str, Any]) -> Claim:
    key = "organisatie.org_nota.ja_vastgesteld_door_de_gemeenter"
    values = {key: value(registry, key)}
    return Claim("nota_minderheid", values[key] < 0.5,
                 "minder dan de helft van de gemeenten die de vraag beantwoordden, heeft een "
                 "door de gemeenteraad vastgestelde nota over internationaal beleid", values,
                 "Een vastgestelde nota is de uitzondering", ("survey",))


CLAIMS: tuple[Callable[[Mapping[str, Any]], Claim], ...] = (
    motive_group_largest, motive_weightiest, motive_size_association,
    partner_size_association, congruence_over_competition, complement_over_competition,
    deviation_minority, state_barrier_minor, policy_note_minority,
)


def decide_all(registry: Mapping[str, Any]) -> list[Claim]:
    """Every claim of the study, in a fixed order."""
    return [rule(registry) for rule in CLAIMS]
