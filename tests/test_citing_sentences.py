"""bibliography/CLAIMS.md has one line per citing sentence of the book, and no other.

A sentence that attributes something to a cited work must be audited (what supports it,
or 'niet nagegaan'); the list is only worth reading if it moves with the text. These
tests compare the list with the sentences analysis/citing_sentences.py finds.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.citing_sentences import (  # noqa: E402
    UNVERIFIED,
    book_sentences,
    citing_sentences,
    normal,
    read_list,
    row,
)


@pytest.fixture(scope="module")
def found():
    return book_sentences()


@pytest.fixture(scope="module")
def listed():
    return read_list()


def test_every_citing_sentence_has_a_line(found, listed):
    have = {(e.file, e.line, e.keys) for e in listed}
    missing = [row(c) for c in found if (c.file, c.line, c.keys) not in have]
    assert not missing, ("citing sentences without a line in bibliography/CLAIMS.md (add "
                         "them, audited):\n" + "\n".join(missing))


def test_every_line_has_its_sentence(found, listed):
    have = {(c.file, c.line, c.keys) for c in found}
    stale = [f"CLAIMS.md:{e.row}: {e.file}:{e.line} {e.keys}" for e in listed
             if (e.file, e.line, e.keys) not in have]
    assert not stale, ("lines whose citing sentence is gone or moved (remove them, or "
                       "update place and works):\n" + "\n".join(stale))


def test_each_line_quotes_the_start_of_its_sentence(found, listed):
    by_place = {(c.file, c.line, c.keys): c for c in found}
    reworded = []
    for e in listed:
        c = by_place.get((e.file, e.line, e.keys))
        if c and not normal(c.sentence).startswith(normal(e.excerpt.removesuffix("…"))):
            reworded.append(f"CLAIMS.md:{e.row}: listed {e.excerpt!r}, now {c.excerpt()!r}")
    assert not reworded, "sentences reworded since their audit:\n" + "\n".join(reworded)


def test_each_line_says_what_supports_it_and_invents_no_page(listed):
    assert len(listed) >= 70  # the book cites the literature in about 75 sentences
    for e in listed:
        assert e.support, f"CLAIMS.md:{e.row}: say what supports it, or '{UNVERIFIED}'"
        assert e.page == "—", (f"CLAIMS.md:{e.row}: no page has been checked yet; a page "
                               "goes here only with its source in the support column")
    assert len({(e.file, e.line, e.keys) for e in listed}) == len(listed), "duplicate lines"


def test_the_finder_on_a_small_text(tmp_path):
    qmd = tmp_path / "chapters" / "x.qmd"
    qmd.parent.mkdir()
    qmd.write_text("Eerste zin zonder bron. Tweede zin met bron.[@a; @b]\n"
                   "Derde zin, [vgl. @c] en @sec-x is geen werk.\n\n"
                   "- Een lijstpunt\n  over twee regels.[@a]\n\nZoals @b schreef, klopt het.\n",
                   encoding="utf-8")
    got = [(c.line, c.keys, c.sentence) for c in citing_sentences(qmd, {"a", "b", "c"},
                                                                   tmp_path)]
    assert got == [
        (1, ("a", "b"), "Tweede zin met bron"),  # the sentence, without its full stop
        (2, ("c",), "Derde zin"),
        (5, ("a",), "Een lijstpunt over twee regels"),  # the list marker is not the text
        (7, ("b",), "Zoals @b schreef, klopt het"),
    ]
