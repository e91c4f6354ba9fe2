"""Snakemake's logger plugin ``proefdruk`` (``--logger proefdruk``, set by the default
profile): a shim, because Snakemake finds logger plugins only as top-level modules of
this name; the logger itself is :mod:`proefdruk.console`. tools/setup-env puts this
folder on the virtual environment's path."""

from proefdruk.console import LogHandler

__all__ = ["LogHandler"]
