"""Where the HTML site publishes a project file it shows: ``media/`` plus a stable name.

Two parties must agree on the name: the page writer (:mod:`.html`), which points an
image at its copy, and the book rules (rule ``site_media`` in proefdruk/build/rules/editions.smk),
which make every copy as a declared output, so that every job reading the site (manifest,
promote, the reproducibility scan) has the copies among its inputs. Kept free of the
renderer's imports: the Snakefile calls it while planning.

One job makes all the copies (:func:`copy_media`): copying is cheap, a job is not (each
costs Snakemake a DAG node at every start and its per-job overhead in a build). The
pages do not wait for the copies, since they only link them: a changed figure remakes the
copies and the chapters that show it, but no other page. The job also writes
:data:`MEDIA_LIST`, one file the preview asks for to have the copies of the pages it
shows made.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

MEDIA = "media"
# What rule site_media copied where (copy -> project file): the preview's target.
MEDIA_LIST = "results/render/site-media.json"


def media_path(rel: str) -> str:
    """The site-relative path of project file ``rel``'s copy: ``results/`` is dropped,
    the rest kept (``results/figures/a.svg`` -> ``media/figures/a.svg``), so a reader can
    tell which figure it is and the name does not change between builds."""
    parts = [p for p in PurePosixPath(rel).parts if p not in ("..", ".", "/")]
    if parts and parts[0] == "results":
        parts = parts[1:]
    return "/".join([MEDIA, *parts])


def copy_media(images: list[str], copies: list[str], listing: str | Path,
               root: str | Path = ".") -> dict[str, str]:
    """Copy each project file in ``images`` to the path at the same place in ``copies``
    (its :func:`media_path` under the site folder), each atomically; write ``listing``
    (copy -> project file) last. Returns the listing."""
    from proefdruk.errors import BuildError
    from proefdruk.files import atomic_write_bytes, atomic_write_text

    if len(images) != len(copies):
        raise BuildError("site-media: one copy for each image", expected=f"{len(images)} "
                         "copies", found=f"{len(copies)}", hint="pass --images and "
                         "--copies in the same order (rule site_media)")
    root = Path(root)
    made = dict(zip(copies, images, strict=True))
    for copy, rel in made.items():  # all checked before anything is written
        if not copy.endswith("/" + media_path(rel)):
            raise BuildError("site-media: a copy is not where the page links it",
                             expected=f".../{media_path(rel)}", found=copy,
                             hint="list the copies in the order of the images")
    for copy, rel in made.items():
        atomic_write_bytes(copy, (root / rel).read_bytes())
    atomic_write_text(listing, json.dumps(made, indent=2, sort_keys=True) + "\n")
    return made
