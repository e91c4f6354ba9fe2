"""Dutch-aware tokenisation: compounds, diacritics and stop words."""

from __future__ import annotations

import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT))  # the study package; until pytest's pythonpath is set

from analysis.text_nl import STOPWORDS, Term, count_terms, fold, tokenize  # noqa: E402


def test_fold_removes_diacritics_and_case() -> None:
    assert fold("Financiële Coöperatie in België") == "financiele cooperatie in belgie"
    assert fold("ĲSSELMEER") == "ijsselmeer"  # the ligature becomes two letters


def test_tokenize_drops_stop_words_digits_and_keeps_content_words() -> None:
    tokens = tokenize("De gemeente en haar partners in 2024: een nieuwe handelsmissie!")
    assert tokens == ["gemeente", "partners", "nieuwe", "handelsmissie"]
    assert not set(tokens) & STOPWORDS


def test_tokenize_splits_hyphenated_compounds_and_drops_apostrophes() -> None:
    assert tokenize("Euregio-samenwerking en nota's") == ["euregio", "samenwerking", "notas"]
    assert tokenize("'s-Hertogenbosch", drop_stopwords=False) == ["s", "hertogenbosch"]


@pytest.mark.parametrize("token", ["handel", "handelsmissie", "wereldhandel",
                                   "exporthandelsbeleid", "handelsbetrekkingen"])
def test_word_term_matches_as_compound_component(token: str) -> None:
    assert Term.parse("handel").matches(token)


@pytest.mark.parametrize("token", ["behandeling", "handelen", "handelt"])
def test_word_term_does_not_match_accidental_substrings(token: str) -> None:
    # 'be' is too short to be a word; 'handelen' is the verb (to act), not trade: its
    # rest 'en' is a linking morpheme without a word after it.
    assert not Term.parse("handel").matches(token)


def test_component_rule_needs_exclusions_for_false_friends() -> None:
    # 'onder' + 'handel' + 'ingen' looks like a compound to the rule; the motive
    # dictionary lists such tokens as exclusions (tests/test_documents_motives.py).
    assert Term.parse("handel").matches("onderhandelingen")


def test_short_left_part_blocks_a_match() -> None:
    assert not Term.parse("vrede").matches("tevreden")
    assert Term.parse("vrede").matches("vredesbeleid")


def test_stem_term_matches_inflections_and_diacritics_folded() -> None:
    econ = Term.parse("econom*")
    for token in tokenize("Economie, economische groei en de regio-economische agenda"):
        if token.startswith("econom"):
            assert econ.matches(token)
    assert Term.parse("België").text == "belgie"
    assert Term.parse("belgie").matches(tokenize("België")[0])


def test_invalid_terms_are_rejected() -> None:
    for bad in ("", "two words", "x*y", "12"):
        with pytest.raises(ValueError):
            Term.parse(bad)


def test_count_terms_respects_exclusions() -> None:
    tokens = tokenize("Kunst en kunstenaars, maar ook kunststof en kunstgras.")
    counts = count_terms(tokens, [Term.parse("kunst")], frozenset({"kunststof", "kunstgras"}))
    assert counts == {"kunst": 2}
