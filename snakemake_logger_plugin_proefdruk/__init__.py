"""Snakemake's logger plugin ``proefdruk`` (``--logger proefdruk``, set by the default
profile): a shim, because Snakemake finds logger plugins only as top-level modules of
this name; the logger itself is :mod:`proefdruk.console`. Part of proefdruk's wheel
(pyproject.toml), so an installed proefdruk brings it."""

from proefdruk.console import LogHandler

__all__ = ["LogHandler"]
