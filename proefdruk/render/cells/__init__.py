"""A chapter's executable code cells, run in a real Jupyter kernel or served from the cache.

:mod:`.execute` is the entry the core calls (``run_cells``); :mod:`.kernel_options`
layers Quarto's execution options, :mod:`.kernel_cache` keeps outputs keyed by code and
the content of every file the cells read, :mod:`.kernel_run` starts the kernel with
:mod:`.kernel_boot` inside it, and :mod:`.kernel_markdown` turns the outputs into
markdown. Kept apart from the core because only chapters with cells need Jupyter.
"""
