"""The few lines an author-facing command ends with: what it wrote, where, what is open.

`publish`, `feedback`, `changes`, `verify` and `archive` each did their work in silence
or left the one thing the author must act on (the placeholders still in ``_quarto.yml``)
in ``logs/`` only. Each now ends with the same short block on standard output, which
the rules pass through to the console (``| tee``) and the project's logger shows after
the run::

    publish: version 0.2 -> published/0.2/
      wrote: published/0.2/ (site, PDF, DOCX, manifest, archive.zip, CITATION.cff)
      wrote: published/manifests/0.2.json (commit it)
      open:  7 placeholder(s) in _quarto.yml, left out of the metadata: book.author, ...

One line per item with a fixed label, so a script can read it as well as a person.
"""

from __future__ import annotations

from collections.abc import Sequence

from proefdruk import bookmeta


def block(command: str, headline: str, wrote: Sequence[str], still_open: Sequence[str]
          ) -> str:
    """The summary block of ``command``; ``still_open`` empty says "nothing"."""
    lines = [f"{command}: {headline}"]
    lines += [f"  wrote: {item}" for item in wrote]
    lines += [f"  open:  {item}" for item in still_open] or ["  open:  nothing"]
    return "\n".join(lines)


def placeholders(meta: bookmeta.BookMetadata) -> list[str]:
    """The ``open:`` line for the placeholders in ``_quarto.yml`` (none: an empty list).

    The names are those of :func:`proefdruk.bookmeta.missing`; every such field is left
    out of the published metadata until it is filled."""
    todo = bookmeta.missing(meta)
    if not todo:
        return []
    return [f"{len(todo)} placeholder(s) in {bookmeta.QUARTO_FILE}, left out of the "
            f"metadata: {', '.join(todo)} (fill them before the edition is final)"]
