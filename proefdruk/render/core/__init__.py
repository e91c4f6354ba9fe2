"""The renderer core: ``_quarto.yml`` and a chapter's ``.qmd`` into a resolved pandoc AST.

In the order a chapter passes through it:

- :mod:`.project` reads ``_quarto.yml`` (with :mod:`.yamlfile`, which keeps line numbers);
  :mod:`.extension` finds the project's Quarto extensions and variables;
- :mod:`.scan` reads every chapter fast, for the plan: headings, labels, dependencies;
- :mod:`.source` reads a chapter (front matter, ``{{< include >}}``, a line map) and
  :mod:`.sourcepos` marks where each block came from;
- code cells run next (:mod:`proefdruk.render.cells`);
- :mod:`.shortcodes` turns shortcodes into placeholders that ``lua/shortcodes.lua``
  resolves by running the project's Quarto extension inside pandoc;
- :mod:`.crossref` numbers sections, figures and tables and resolves ``@fig-``/``@tbl-``/
  ``@sec-`` with the words of :mod:`.terms`; :mod:`.citeproc` runs citeproc;
  :mod:`.conditional` keeps the content meant for each edition;
- :mod:`.chapter` ties these together; :mod:`.quarto_features` is the one list of Quarto
  features and what the renderer does with each, :mod:`.quarto_checks` warns from it;
- :mod:`.pandocast` and :mod:`.slug` are the small helpers all parts share.
"""
