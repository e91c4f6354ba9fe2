"""Cell parsing, option checks and escaping: fast tests that need no kernel.

Escaping is checked against real pandoc: whatever text a cell produces, pandoc must read
it back as the same literal text and nothing else.
"""

from __future__ import annotations

import json
import os
import re
import string
import subprocess
import sys
from pathlib import Path

import pypandoc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proefdruk.errors import BuildError
from proefdruk.markdown import escape_markdown
from proefdruk.render.cells.execute import Parsed, _splice, parse_chapter, run_cells
from proefdruk.render.cells.kernel_boot import dataframe_markdown
from proefdruk.render.cells.kernel_markdown import code_block


def test_text_without_cells_is_returned_untouched_without_importing_nbclient(
    tmp_path: Path,
) -> None:
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from proefdruk.render.cells.execute import run_cells\n"
        "text = '# Kop\\n\\nGeen cellen, wel `code` en ```\\nblok\\n```\\n'\n"
        "r = run_cells(text, Path('c.qmd'), root=Path(sys.argv[1]), cache_dir=Path('x'))\n"
        "assert r.text == text and r.reads == [] and r.executed is False\n"
        "print(sorted(m for m in ('nbclient', 'yaml', 'jupyter_client', 'zmq')"
        " if m in sys.modules))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    out = subprocess.run([sys.executable, "-c", script, str(tmp_path)], env=env,
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
    assert not (tmp_path / "x").exists()


def test_cells_and_inline_expressions_are_found_in_document_order() -> None:
    text = (
        "---\ntitle: '`{python} 1`'\nexecute:\n  echo: false\n---\n\n"
        "Een `{python} a + 1` en ``niet `{python} b` hier`` en `gewone code`.\n\n"
        "````markdown\n```{python}\nprint('voorbeeld, niet uitvoeren')\n```\n````\n\n"
        "```{python}\n#| label: fig-x\n#| fig-cap: \"Kop\"\nx = 1\n```\n\n"
        "~~~python\n`{python} nee`\n~~~\n\n"
        "Slot `{python} x`.\n"
    )
    parsed = parse_chapter(text, "c.qmd")
    assert [(c.kind, c.code, c.line) for c in parsed.chunks] == [
        ("inline", "a + 1", 7),
        ("cell", '#| label: fig-x\n#| fig-cap: "Kop"\nx = 1\n', 15),
        ("inline", "x", 25),
    ]
    assert parsed.chunks[1].cell_options == {"label": "fig-x", "fig-cap": "Kop"}
    assert parsed.front_matter["execute"] == {"echo": False}


def test_a_lone_backtick_does_not_hide_a_later_expression() -> None:
    text = "Een losse ` backtick.\n\nLater `{python} x` en `{python} y`.\n"
    assert [c.code for c in parse_chapter(text).chunks] == ["x", "y"]


def test_unclosed_cell_and_unknown_option_are_clear_errors() -> None:
    with pytest.raises(BuildError) as caught:
        parse_chapter("Tekst\n\n```{python}\nx = 1\n", "h.qmd")
    assert caught.value.file == "h.qmd" and caught.value.line == 3
    assert "never closed" in str(caught.value)

    with pytest.raises(BuildError) as caught:
        parse_chapter("```{python}\n#| echo: false\n#| ecoh: true\nx = 1\n```\n", "h.qmd")
    assert caught.value.line == 3 and caught.value.field == "ecoh"
    assert "did you mean 'echo'" in str(caught.value)

    with pytest.raises(BuildError) as caught:
        parse_chapter("```{python}\n#| output: sometimes\n```\n", "h.qmd")
    assert "true, false or asis" in str(caught.value)

    with pytest.raises(BuildError) as caught:
        parse_chapter("Tekst\n\n```{python echo=false}\nx = 1\n```\n", "h.qmd")
    assert caught.value.line == 3 and "'#|' lines" in str(caught.value)

    with pytest.raises(BuildError) as caught:
        parse_chapter("```{python}\n#| fig-cap: [unclosed\n```\n", "h.qmd")
    assert "not valid YAML" in str(caught.value) and caught.value.line == 2


def test_verbatim_cells_are_shown_not_run(tmp_path: Path) -> None:
    text = "Voorbeeld:\n\n```{{python}}\n1 + 1\n```\n"
    result = run_cells(text, tmp_path / "c.qmd", root=tmp_path, cache_dir=tmp_path / "c")
    assert result.executed is False
    blocks = json.loads(pypandoc.convert_text(result.text, "json", format="markdown"))["blocks"]
    assert blocks[1]["t"] == "CodeBlock" and blocks[1]["c"][1] == "```{python}\n1 + 1\n```"


def test_short_outputs_keep_the_line_numbers_after_the_cell() -> None:
    text = "A\n```{python}\n#| include: false\nx = 1\ny = 2\n```\nB\n\nC\n"
    parsed = parse_chapter(text, "c.qmd")
    out = _splice(text, parsed, [""])
    assert out.splitlines().index("B") == text.splitlines().index("B")
    out = _splice(text, parsed, ["![](f.svg)"])
    assert out.splitlines().index("C") == text.splitlines().index("C")
    assert "A\n\n![](f.svg)\n" in out  # a blank line so the image is its own paragraph


def test_splice_handles_no_fragments_for_empty_parse() -> None:
    assert _splice("x", Parsed(chunks=[], literals=[], front_matter={}), []) == "x"


PRINTABLE = st.text(
    alphabet=st.sampled_from(string.printable + "€éëï’“”\u00a0"), min_size=1, max_size=40
)


@settings(max_examples=20, deadline=None)
@given(st.lists(PRINTABLE.filter(lambda s: s.split()), min_size=20, max_size=20))
def test_escaped_text_reads_back_as_the_same_literal_text(values: list[str]) -> None:
    """Any value, escaped, is one paragraph of plain text that says exactly the value."""
    doc = "\n\n".join(f"X {escape_markdown(v)}" for v in values)
    blocks = json.loads(pypandoc.convert_text(doc, "json", format="markdown"))["blocks"]
    assert len(blocks) == len(values)
    for block, value in zip(blocks, values, strict=True):
        assert block["t"] == "Para", (value, block)
        parts = []
        for node in block["c"]:
            assert node["t"] in ("Str", "Space", "SoftBreak"), (value, node)
            parts.append(node["c"] if node["t"] == "Str" else " ")
        shown = "".join(parts)[2:]
        assert shown == re.sub(r"[ \t\n\r\f\v]+", " ", value).strip(" "), value


def test_code_blocks_hold_any_text_and_escape_shortcodes() -> None:
    text = "````\n```{python}\n{{< var x >}}\n"
    block = code_block(text, ".cell-output")
    parsed = json.loads(pypandoc.convert_text(block, "json", format="markdown"))["blocks"]
    assert len(parsed) == 1 and parsed[0]["t"] == "CodeBlock"
    assert parsed[0]["c"][1] == "````\n```{python}\n{{{< var x >}}}"


def test_dataframe_table_escapes_cells() -> None:
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"naam": ["<b>x</b>", "a|b", "@key"], "waarde": [1.5, None, 3.0]},
                      index=pd.Index(["p", "q", "r"], name="id"))
    md = dataframe_markdown(df)
    blocks = json.loads(pypandoc.convert_text(md, "json", format="markdown"))["blocks"]
    assert [b["t"] for b in blocks] == ["Table"]
    body = json.dumps(blocks[0]["c"][4])
    for literal in ("<b>x</b>", "a|b", "@key", "1.5"):
        assert json.dumps(literal)[1:-1] in body
    assert md.splitlines()[0] == "| id | naam | waarde |"
    assert md.splitlines()[1] == "|:---|:---|---:|"
