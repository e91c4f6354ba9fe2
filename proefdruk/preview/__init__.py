"""The author's writing loop (``proefdruk preview``): serve the book, rebuild on save.

Kept import-free: the command line imports :mod:`proefdruk.preview.command` only when
the preview is asked for, so the build steps do not pay for the watcher and the server.
"""
