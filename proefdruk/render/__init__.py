"""The built-in renderer: Quarto books without Quarto, on pandoc and Typst.

Stages: ``_quarto.yml`` and each chapter are read and resolved (includes, shortcodes,
code cells, cross-references, citations) into one pandoc AST per chapter plus a book
description (``book.json``); the edition writers turn those into the HTML site, the PDF
(Typst) and the DOCX. See docs/contracts.md.
"""
