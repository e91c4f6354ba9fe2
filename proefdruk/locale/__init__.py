"""The locale layer: every word a reader sees, and how numbers and dates are written.

- :mod:`proefdruk.locale.words`: the word tables (``nl.yml``, ``en.yml``) keyed by
  ``_quarto.yml``'s ``lang:``, with Quarto's ``language:`` overrides, and the
  :class:`~proefdruk.locale.words.Locale` the renderer uses;
- :mod:`proefdruk.locale.formats`: number, percentage and date formats per language.

This file stays empty on purpose: importing a submodule runs it, and every file the code
of a job names is an input of that job (:mod:`proefdruk.codedeps`). An analysis step
that formats numbers imports ``formats`` only, and so does not depend on the tables.
"""
