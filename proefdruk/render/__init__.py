"""The built-in renderer: Quarto books without Quarto, on pandoc and Typst.

Stages: ``_quarto.yml`` and each chapter are read and resolved (includes, shortcodes,
code cells, cross-references, citations) into one pandoc AST per chapter plus a book
description (``book.json``); the edition writers turn those into the HTML site, the PDF
(Typst) and the DOCX. See docs/contracts.md.

Four sub-packages, one per part. :mod:`.cells` imports no other part, :mod:`.core` calls
:mod:`.cells`, :mod:`.editions` reads what :mod:`.core` resolved, and :mod:`.workflow`
plans from both; no other part imports :mod:`.workflow` (``tests/test_render_layout.py``
keeps it so):

- :mod:`.core` (source → AST): reads ``_quarto.yml`` and a chapter, resolves includes,
  shortcodes (through ``core/lua/shortcodes.lua`` and the project's Quarto extension),
  cross-references and citations, and writes one resolved chapter AST;
- :mod:`.cells`: runs a chapter's code cells in a Jupyter kernel, or serves them from
  the cache; the core calls it only for a chapter that has cells;
- :mod:`.editions`: everything after the chapters are resolved: ``book.json``, the
  generated sources (notices, provenance appendix), and the HTML site, PDF and DOCX
  writers with their templates and assets;
- :mod:`.workflow`: what Snakemake needs before anything runs: the book plan (chapters,
  labels, input files) and the helpers of the book rules.

The packages' ``__init__`` modules hold no code, so importing one module never drags in
another part: a rule's derived code inputs (:mod:`proefdruk.rule_code`) stay that
module's own imports.
"""
