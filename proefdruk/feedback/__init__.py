"""Reading a supervisor's returned DOCX back onto the ``.qmd`` sources.

The DOCX edition carries, as Word bookmarks, the source file and lines of every
paragraph, heading, caption and footnote (:mod:`proefdruk.render.editions.docx_marks`). This
package reads the returned file (:mod:`.docx_read`), places every comment and tracked
change on its file and line (:mod:`.locate`, :mod:`.items`), lists edits made without
Track Changes (:mod:`.untracked`), writes the accepted prose
changes as a patch (:mod:`.patch`) and a report in Markdown and HTML (:mod:`.report`).
It never edits a source file, and reads only the book's own files (:mod:`.scope`),
whatever the DOCX's properties name; the DOCX itself is read within limits
(:mod:`.docx_limits`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from proefdruk.feedback.items import Item


def run(docx: str | Path, root: str | Path, markdown_out: str | Path, html_out: str | Path,
        patch_out: str | Path) -> list[Item]:
    """Read ``docx``, write the report (Markdown, HTML) and the patch; return the items."""
    # Imported here, not at the top: every start of the workflow imports a submodule of
    # this package (feedback.smk), and reading a DOCX is needed only when one came back.
    from proefdruk.feedback import report
    from proefdruk.feedback.docx_read import read_feedback
    from proefdruk.feedback.items import collect
    from proefdruk.feedback.locate import Sources
    from proefdruk.feedback.patch import unified_diff
    from proefdruk.feedback.scope import check_files
    from proefdruk.feedback.untracked import untracked
    from proefdruk.files import atomic_write_text

    root = Path(root)
    fb = read_feedback(docx)
    # Before anything is read from a named file: only the book's chapters may be named.
    src = Sources(root, check_files(fb.files, root, Path(docx)))
    items = sorted(collect(fb, src) + untracked(fb, src),
                   key=lambda i: (i.order, i.kind != "comment"))
    diff = unified_diff(items, src)
    patch_name = Path(patch_out).as_posix()
    name = Path(docx).name
    # All three made first, then written: an error leaves no report half-written.
    texts = [(patch_out, diff),
             (markdown_out, report.markdown(items, name, patch_name, root)),
             (html_out, report.to_html(items, name, patch_name, root))]
    for out, text in texts:
        atomic_write_text(out, text)
    return items
