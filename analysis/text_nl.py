"""Dutch-aware tokenisation for coding policy notes with a dictionary.

Dutch writes compounds as one word (``handelsmissie``, ``grensoverschrijdend``,
``stedenbandcommissie``), so a dictionary entry ``handel`` would never match a plain
word comparison. Dutch also carries diacritics that authors use inconsistently
(``financiële``/``financiele``, ``coöperatie``/``cooperatie``) and many short function
words that say nothing about motives. This module turns a text into folded tokens and
decides whether a dictionary term occurs *as a component* of a token, so that coding
is neither blind to compounds nor fooled by accidental substrings (``vrede`` must not
match ``tevreden``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Linking morphemes (tussenklanken) between the parts of a Dutch compound:
# handel-s-missie, steden-band, pannen-koek, kinder-opvang.
LINKERS: tuple[str, ...] = ("en", "er", "s", "e", "")

# Shortest remainder that counts as a word of its own on either side of a term. Three
# letters keeps ``vrede`` out of ``tevreden`` (left part ``te``) and ``handel`` out of
# ``behandeling`` (``be``) while allowing ``eu-beleid`` style parts after splitting.
MIN_PART = 3

# Function words of Dutch (and the few English ones that turn up in Dutch policy
# texts). Kept short and explicit so a reviewer can see what is thrown away.
STOPWORDS: frozenset[str] = frozenset(
    """
    aan al alle alles als alsof altijd andere ben bij binnen daar daarbij daarom dan dat
    de deze die dit doch doen door dus een eens en er ge geen geweest haar had heb hebben
    heeft hem het hier hij hoe hun iemand iets ik in is ja je kan kon kunnen maar me meer
    men met mij mijn moet na naar niet niets nog nu of om omdat ons onze ook op over reeds
    s t te tegen toch toen tot u uit uw van veel voor want waren was wat we wel werd wie
    wij wil worden wordt zal ze zelf zich zij zijn zo zonder zou zullen waarbij waarin
    waardoor welke hierbij hiervoor daarnaast tussen onder sinds via per vanuit tevens
    wordt werden zoals zowel the of and to
    """.split()
)

_TOKEN_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)


def fold(text: str) -> str:
    """Lower case without diacritics: ``Financiële Coöperatie`` -> ``financiele cooperatie``.

    NFKC first turns the ligature ``ĳ`` into ``ij``; NFD then separates accents from
    their letters so they can be dropped. Authors and OCR are inconsistent with
    accents, the meaning is not.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokenize(text: str, drop_stopwords: bool = True) -> list[str]:
    """Split a text into folded word tokens.

    Hyphenated compounds (``Euregio-samenwerking``) become their parts, because each
    part is a Dutch word in its own right; an apostrophe inside a word is dropped
    (``nota's`` -> ``notas``, ``'s-Hertogenbosch`` -> ``s``, ``hertogenbosch``).
    Digits are not words here: years and amounts are not motive vocabulary.
    """
    folded = fold(text).replace("-", " ")
    tokens = [m.group(0).replace("'", "").replace("’", "") for m in _TOKEN_RE.finditer(folded)]
    if drop_stopwords:
        tokens = [t for t in tokens if t not in STOPWORDS and len(t) > 1]
    return tokens


def _rest_is_word(rest: str) -> bool:
    """The part after a term is empty or, after a linking morpheme, a word of its own."""
    if not rest:
        return True
    return any(rest.startswith(link) and len(rest) - len(link) >= MIN_PART
               for link in LINKERS)


@dataclass(frozen=True)
class Term:
    """One dictionary entry: a whole word (``handel``) or a stem (``econom*``).

    A word matches as a compound component (start, middle or end of a token); a stem
    matches a token, or a component after ``MIN_PART`` letters, that begins with it,
    whatever follows (``econom*`` covers ``economie``, ``economische``,
    ``regio-economisch``).
    """

    text: str
    stem: bool = False

    @classmethod
    def parse(cls, entry: str) -> Term:
        entry = fold(entry.strip())
        if not entry or not re.fullmatch(r"[a-z]+\*?", entry):
            raise ValueError(f"dictionary term must be letters with an optional final *: "
                             f"{entry!r}")
        if entry.endswith("*"):
            return cls(entry[:-1], stem=True)
        return cls(entry)

    def matches(self, token: str) -> bool:
        """Whether this term occurs in ``token`` as a word or compound component."""
        t = self.text
        start = token.find(t)
        while start >= 0:
            left_ok = start == 0 or start >= MIN_PART
            if left_ok and (self.stem or _rest_is_word(token[start + len(t):])):
                return True
            start = token.find(t, start + 1)
        return False


def count_terms(tokens: Iterable[str], terms: Iterable[Term],
                exclusions: frozenset[str] = frozenset()) -> dict[str, int]:
    """How many tokens each term matches; a token in ``exclusions`` never counts.

    Exclusions catch the false friends a component rule lets through (``kunststof`` is
    not ``kunst``), and live with the dictionary as data.
    """
    term_list = list(terms)
    counts = {term.text + ("*" if term.stem else ""): 0 for term in term_list}
    for token in tokens:
        if token in exclusions:
            continue
        for term in term_list:
            if term.matches(token):
                counts[term.text + ("*" if term.stem else "")] += 1
    return counts
