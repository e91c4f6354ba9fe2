"""Chapters render through pandoc's citeproc with the dissertation's style.

Shortcodes belong to the book renderer; here they are removed so that only the citation
layer is exercised: every footnote citation must come out in the house form.
"""

from __future__ import annotations

import re
from pathlib import Path

import pypandoc

ROOT = Path(__file__).resolve().parents[1]


def render_chapter(name: str) -> str:
    text = (ROOT / "chapters" / name).read_text(encoding="utf-8")
    text = re.sub(r"\{\{<.*?>\}\}", "", text)
    text = re.sub(r"@(sec|fig|tbl)-[\w-]+", "dit deel", text)
    return pypandoc.convert_text(
        "---\nlang: nl-NL\n---\n\n" + text, "html", format="markdown",
        extra_args=["--citeproc", "--wrap=none",
                    f"--bibliography={ROOT / 'bibliography' / 'references.bib'}",
                    f"--csl={ROOT / 'bibliography' / 'dissertatie-nl.csl'}"])


def notes(html: str) -> list[str]:
    found = re.findall(r'<li id="fn\d+"><p>(.*?)<a href="#fnref', html, flags=re.S)
    return [re.sub(r"<[^>]+>", "", n).strip() for n in found]


def test_theory_chapter_cites_in_footnotes_with_dutch_particles() -> None:
    html = render_chapter("03-theoretisch-kader.qmd")
    footnotes = notes(html)
    assert len(footnotes) >= 25
    assert all(n.endswith(".") for n in footnotes)
    assert "Van der Pluijm &amp; Melissen 2007." in footnotes
    assert "Sassen 1991." in footnotes
    assert not re.search(r"\(\w+ \d{4}", " ".join(footnotes)), "no parenthesised citations"
    assert "???" not in html


def test_introduction_lists_theses_with_prefix() -> None:
    footnotes = notes(render_chapter("01-inleiding.qmd"))
    assert any(n.startswith("O.a. Oranje 1991; Gerlings 1992; Simonsz 2008; Bergh 2011")
               for n in footnotes)
