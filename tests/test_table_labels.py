"""A table's label column is not hyphenated (issue 31: "investe-ringen" in Tabel 5.1).

The house design (typst-template.typ, both renderers) keeps the words of the first column
whole, as it does for the header row; the other columns still hyphenate. Checked by
setting a narrow table through the partials with Typst and reading the PDF's text.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import typst
from pypdf import PdfReader

from proefdruk.render.core import extension
from proefdruk.render.core import pandocast as pa

ROOT = Path(__file__).resolve().parent.parent
WORD = "investeringen"


def test_the_label_column_keeps_its_words_whole(tmp_path: Path) -> None:
    fmt = extension.typst_format(ROOT)
    template = fmt.write_template(tmp_path)
    cell = f"[Aantrekken van buitenlandse {WORD}]"
    table = f"#table(columns: (1.8cm, 1.8cm), [Antwoord], [Toelichting], {cell}, {cell})"
    md = ("---\ntitle: T\nlang: nl\n---\n\n# Inleiding\n\n```{=typst}\n" + table + "\n```\n")
    proc = pa.run(["-f", "markdown", "-t", "typst", f"--template={template}"], md, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    reader = PdfReader(BytesIO(typst.compile(proc.stdout.encode("utf-8"),
                                             ignore_system_fonts=True)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    whole = text.count(WORD)
    assert whole == 1, text  # the label column's; the second column's is hyphenated
