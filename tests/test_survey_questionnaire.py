"""The appendix questionnaire is the analysed instrument, printed safely."""

from __future__ import annotations

import sys
from pathlib import Path

import pypandoc

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the study package; until pytest's pythonpath is set

from analysis.codebook import load_codebook  # noqa: E402
from analysis.questionnaire import md_escape, questionnaire_markdown  # noqa: E402

BOOK = load_codebook(ROOT / "data/raw/survey/codebook.yaml")


def test_every_question_option_and_routing_is_printed():
    text = pypandoc.convert_text(questionnaire_markdown(BOOK), "plain", format="markdown",
                                 extra_args=["--wrap=none"]).replace("’", "'")
    for q in BOOK.questions:
        assert f"({q.id})" in text and q.text in text
        for o in q.options:
            assert o.label in text, o.label
    assert text.count("Alleen gesteld als") == sum(1 for q in BOOK.questions if q.show_if)
    assert "bij vraag 2.1 ‘Lidmaatschap van internationale stedennetwerken' is aangekruist" \
        in text


def test_markup_in_codebook_text_is_escaped():
    assert md_escape("*vet* [link](x) {{< num a.b >}} 50% | x") == (
        "\\*vet\\* \\[link\\](x) \\{\\{\\< num a.b \\>\\}\\} 50% \\| x")
    html = pypandoc.convert_text(md_escape("*niet vet* en <b>geen html</b>"), "html",
                                 format="markdown")
    assert "<em>" not in html and "<b>" not in html


def test_structure_survives_pandoc():
    html = pypandoc.convert_text(questionnaire_markdown(BOOK), "html", format="markdown")
    assert "<ol" not in html                       # "(1) Ja" is text, not a nested list
    sections = [s for s, _ in BOOK.sections if BOOK.in_section(s)]
    assert html.count("<h2") == len(sections)      # under the appendix's own level-1 title
    assert "<li>(1) Ja, vastgesteld door de gemeenteraad</li>" in html
