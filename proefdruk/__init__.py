"""proefdruk: tooling for a dissertation that rebuilds itself from source.

The package knows nothing about the study it builds. It offers the renderer (Quarto
books on pandoc and Typst), the numbers registry, provenance records, bibliography
checks, the manifest and verification. Study code (``analysis/``) imports it; it never
imports the study.
"""

__version__ = "0.2.0"
