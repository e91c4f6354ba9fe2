"""The built-in renderer: Quarto books without Quarto, on pandoc and Typst.

Stages: ``_quarto.yml`` and each chapter are read and resolved (includes, shortcodes,
code cells, cross-references, citations) into one pandoc AST per chapter plus a book
description (``book.json``); the edition writers turn those into the HTML site, the PDF
(Typst) and the DOCX. See docs/contracts.md.

The core, in the order a chapter passes through it:

- :mod:`.project` reads ``_quarto.yml`` (with :mod:`.yamlfile`, which keeps line numbers);
- :mod:`.scan` and :mod:`.plan` plan the book from the sources alone, at Snakemake start:
  chapter kinds and numbers, labels, and each chapter's input files;
- :mod:`.source` reads a chapter (front matter, ``{{< include >}}``, a line map);
- :mod:`.cells` (code cells) runs before parsing;
- :mod:`.shortcodes` turns shortcodes into placeholders that ``lua/shortcodes.lua`` resolves
  by running the project's Quarto extension (``_extensions/*``) inside pandoc;
- :mod:`.crossref` numbers sections, figures and tables and resolves ``@fig-``/``@tbl-``/
  ``@sec-`` with the words of :mod:`.terms`; :mod:`.citeproc` runs citeproc;
- :mod:`.chapter` ties these together; :mod:`.herkomst` writes the provenance appendix;
  :mod:`.book` assembles ``book.json``; :mod:`.workflow_support` serves the book rules.
"""
