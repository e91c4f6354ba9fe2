"""What the Snakemake rules need from the renderer before anything runs.

:mod:`.plan` computes the book plan from the sources alone (chapters, numbers, labels,
each chapter's input files), :mod:`.book_rules` holds the helpers of
``proefdruk/build/rules/editions.smk``, and :mod:`.quarto_cli` checks a real Quarto before the
workflow hands it the render.
"""
