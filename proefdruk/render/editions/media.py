"""Where the HTML site publishes a project file it shows: ``media/`` plus a stable name.

Two parties must agree on the name: the page writer (:mod:`.html`), which points an
image at its copy, and the book rules (rule ``site_media`` in workflow/rules/book.smk),
which make each copy as a declared output, so that every job reading the site (manifest,
promote, the reproducibility scan) has the copies among its inputs. Kept free of the
renderer's imports: the Snakefile calls it while planning.
"""

from __future__ import annotations

from pathlib import PurePosixPath

MEDIA = "media"


def media_path(rel: str) -> str:
    """The site-relative path of project file ``rel``'s copy: ``results/`` is dropped,
    the rest kept (``results/figures/a.svg`` -> ``media/figures/a.svg``), so a reader can
    tell which figure it is and the name does not change between builds."""
    parts = [p for p in PurePosixPath(rel).parts if p not in ("..", ".", "/")]
    if parts and parts[0] == "results":
        parts = parts[1:]
    return "/".join([MEDIA, *parts])
