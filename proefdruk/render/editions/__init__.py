"""Everything after the chapters are resolved: the book description and the editions.

- :mod:`.book` assembles ``book.json``, the one description every writer reads;
  :mod:`.shared` holds what the writers share (loading a chapter AST, labels, pandoc);
- :mod:`.notices` and :mod:`.herkomst` write generated Quarto sources (the edition
  notices, the provenance appendix) that both renderers include;
- :mod:`.html` writes the site (with :mod:`.html_blocks`, :mod:`.html_site`,
  :mod:`.site` for its options and :mod:`.site_meta` for citation metadata; templates and
  assets live next to it), :mod:`.typst_pdf` the PDF, :mod:`.docx` the DOCX (with
  :mod:`.docx_marks`, the source positions a supervisor's Word keeps);
  :mod:`.print_blocks` shows interactive constructs the way print editions do.
"""
