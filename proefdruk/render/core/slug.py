"""Anchors for provenance entries, shared with the ``prov`` Lua shortcode.

``results/figures/x.svg`` -> ``src-results-figures-x-svg``. The Lua twin is in
``_extensions/proefdruk/prov.lua``; a test checks that both agree.
"""

from __future__ import annotations

import re


def slug(path: str) -> str:
    """Lowercase, every run of other characters than a-z and 0-9 becomes one '-'."""
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")


def source_anchor(path: str) -> str:
    """The anchor of a generated file's provenance entry."""
    return "src-" + slug(path)


def number_anchor(key: str) -> str:
    """The anchor of a number's provenance entry."""
    return "num-" + key


def claim_anchor(key: str) -> str:
    """The anchor of a claim's provenance entry (the Lua twin is claims.lua)."""
    return "claim-" + key
