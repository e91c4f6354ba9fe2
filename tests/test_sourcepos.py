"""Source-position markers: where they go, and that pandoc reads the same document.

The markers are typed into the text pandoc parses, so every markdown construct a chapter
may use is parsed here twice, with and without markers, by the real pandoc: after the
markers are stripped the two documents must be equal, and each block must name the
lines it came from.
"""

from __future__ import annotations

import json

from proefdruk.feedback.items import escape_markdown
from proefdruk.feedback.project_text import project
from proefdruk.render.core import pandocast as pa
from proefdruk.render.core import sourcepos
from proefdruk.render.core.source import Expanded

TRICKY = """\
# Kop met *nadruk* {#sec-kop}

"Aanhalingstekens" aan het begin, 'enkel' ook, en een harde regelbreuk\\
op de volgende regel.^[Een noot met [haken] en *nadruk*
over twee regels.]

Setext-kop
----------

- punt een
- [ ] taak open
- \\[x\\] taak af
    - genest punt

1945. Een jaartal dat pandoc als genummerde lijst leest.

A.  Hoofdletterlijst
B.  tweede

(@) Voorbeeld

> Een citaat
> over twee regels.

| Lijnblok
| tweede regel

Term
:   Definitie van de term.

  Kolom   Twee
  ------- -----
  a       b

+-----+-----+
| a   | b   |
+=====+=====+
| 1   | 2   |
+-----+-----+

: Bijschrift van het raster. {#tbl-raster}

<div class="x">html</div>

    ingesprongen code

::: {.callout-note}
## Let op
Inhoud van de callout.
:::

![Bijschrift van de figuur.](fig.svg){#fig-x}

***

Laatste alinea met `code ^[geen noot]` erin.
"""


def parse(text: str) -> dict:
    proc = pa.run(["-f", "markdown", "-t", "json"], text, cwd=".")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_markers_change_no_markdown_construct() -> None:
    lines = TRICKY.split("\n")[:-1]
    exp = Expanded(lines, [("chapters/x.qmd", i + 1) for i in range(len(lines))])
    marked = parse(sourcepos.mark(exp).text)
    assert sourcepos.strip(json.loads(json.dumps(marked))) == sourcepos.strip(parse(TRICKY))
    sourcepos.resolve(marked, exp, ".")
    found: list[tuple[str, str]] = []

    def visit(node: dict) -> None:
        if node.get("t") in ("Para", "Plain", "Header"):
            inlines = node["c"][2] if node["t"] == "Header" else node["c"]
            first = inlines[0] if inlines else None
            if first and sourcepos.is_marker(first):
                where = sourcepos.source_of(first)
                found.append((f"{where[1]}-{where[2]}", pa.stringify(inlines)[:18]))

    pa.walk(marked["blocks"], visit)
    assert found == [
        ("1-1", "Kop met nadruk"), ("3-5", "“Aanhalingstekens”"),
        ("4-5", "Een noot met [hake"),  # the note: its own lines inside the paragraph
        ("7-8", "Setext-kop"), ("10-10", "punt een"), ("15-15", "Een jaartal dat pa"),
        ("17-17", "Hoofdletterlijst"), ("18-18", "tweede"), ("20-20", "Voorbeeld"),
        ("22-23", "Een citaat over tw"), ("29-29", "Definitie van de t"),
        ("41-41", "Bijschrift van het"), ("48-48", "Let op"),
        ("49-49", "Inhoud van de call"), ("52-52", "Bijschrift van de "),
        ("56-56", "Laatste alinea met")]


def test_projection_knows_numbers_citations_and_markup() -> None:
    text = ("Een *nadrukkelijke* zin met {{< num a.b >}} gemeenten[@key, p. 3] en "
            "[een link](https://x.nl) naar @fig-x.")
    proj = project(text, 0, len(text), lambda key: "42" if key == "a.b" else None)
    assert proj.text == "Een nadrukkelijke zin met 42 gemeenten en een link naar ."
    kinds = {k for _, _, k in proj.hidden}
    assert kinds == {"num:a.b", "cite", "xref"}
    at = proj.text.index("42")
    assert proj.kinds[at] == "num:a.b" and text[proj.offsets[at]:].startswith("{{< num")
    assert text[proj.offsets[proj.text.index("link")]:].startswith("link](")


def test_a_claim_shows_outcome_texts_of_its_own_kind() -> None:
    text = ("Zo is het. [[Wel bevestigd.]{when=\"true\"}[Niet bevestigd.]{when=\"false\"}]"
            "{.claim key=\"b.h1\"} Verder.")
    proj = project(text, 0, len(text), lambda key: None)
    assert proj.text == "Zo is het. Wel bevestigd.Niet bevestigd. Verder."
    claim = {k for k, ch in zip(proj.kinds, proj.chars, strict=True) if ch == "W"}
    assert claim == {"claim:b.h1"} and proj.kinds[0] == "prose"
    assert [k for _, _, k in proj.hidden] == ["claim:b.h1"]


def test_inline_code_results_are_generated() -> None:
    text = "Er zijn `{python} len(gemeenten)` gemeenten, en `code` blijft tekst."
    proj = project(text, 0, len(text), lambda key: None)
    assert proj.text == "Er zijn gemeenten, en code blijft tekst."
    assert [k for _, _, k in proj.hidden] == ["cell"]


def test_words_typed_in_word_stay_literal_markdown() -> None:
    assert escape_markdown("*niet* @key [x]") == r"\*niet\* \@key \[x\]"


def test_a_change_in_code_cell_output_is_manual(tmp_path) -> None:
    """A paragraph a code cell printed maps to the cell's lines: never patch the code."""
    import hashlib

    from proefdruk.feedback.docx_read import Change, Feedback, Paragraph, Segment
    from proefdruk.feedback.items import collect
    from proefdruk.feedback.locate import Sources

    chapter = tmp_path / "chapters" / "x.qmd"
    chapter.parent.mkdir()
    chapter.write_text("# Kop\n\n```{python}\n#| output: asis\nprint('Veel gemeenten.')\n```\n",
                       encoding="utf-8")
    para = Paragraph(0, "body", "Body Text", False, [("pd", 1, 3, 6)],
                     [Segment("same", "Veel "), Segment("del", "gemeenten", "P"),
                      Segment("ins", "steden", "P"), Segment("same", ".")])
    fb = Feedback([para], [Change(para, 5, 14, "gemeenten", "steden", ["P"], "")], [],
                  {1: ("chapters/x.qmd", hashlib.sha256(chapter.read_bytes()).hexdigest())})
    [item] = collect(fb, Sources(tmp_path))
    assert (item.action, item.file, item.line) == ("manual", "chapters/x.qmd", 3)
    assert "code cell" in item.reason
