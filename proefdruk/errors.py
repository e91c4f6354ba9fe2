"""One error type for everything a user can get wrong.

A dissertation build is run for years by people who are not engineers. Every failure
they can cause (bad data, a broken chapter, a missing reference) must say where it is,
what was expected, what was found and what to do, in one readable block. Code raises
:class:`BuildError`; the command-line entry points print it without a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class BuildError(Exception):
    """A user-facing error with its location and a way out.

    ``line`` is a 1-based line in a text file, ``row`` a 1-based data row (the header is
    row 0), ``field`` a column, key or option name, ``record`` the row's own id where it
    has one (e.g. ``"respondent R0042"``). A data row is also named by its line in a
    spreadsheet (row 6 is line 7, under the header), because that is the number an author
    sees when opening the file; the id finds the row after a re-sort.
    """

    message: str
    file: str | Path | None = None
    line: int | None = None
    row: int | None = None
    field: str | None = None
    expected: str | None = None
    found: str | None = None
    hint: str | None = None
    record: str | None = None

    def __post_init__(self) -> None:
        super().__init__(self.render())

    def location(self) -> str:
        """``file:line`` or ``file, row N, field 'x' (spreadsheet line N+1, id)`` as an
        editor or a person would look it up."""
        parts: list[str] = []
        if self.file is not None:
            where = str(self.file)
            if self.line is not None:
                where += f":{self.line}"
            parts.append(where)
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field is not None:
            parts.append(f"field '{self.field}'")
        aside: list[str] = []
        if self.row is not None and self.line is None:
            aside.append("the header, spreadsheet line 1" if self.row == 0
                         else f"spreadsheet line {self.row + 1}")
        if self.record:
            aside.append(self.record)
        where = ", ".join(parts)
        return f"{where} ({'; '.join(aside)})" if aside else where

    def render(self) -> str:
        """The full multi-line message shown to the user."""
        lines = [f"error: {self.message}"]
        loc = self.location()
        if loc:
            lines.append(f"  where:    {loc}")
        if self.expected is not None:
            lines.append(f"  expected: {self.expected}")
        if self.found is not None:
            lines.append(f"  found:    {self.found}")
        if self.hint is not None:
            lines.append(f"  what to do: {self.hint}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render()


class BuildErrors(Exception):
    """Several independent problems found in one pass, reported together.

    Validation collects all problems in a file before stopping, so the author can fix
    them in one go instead of one rebuild per mistake.
    """

    def __init__(self, errors: list[BuildError], limit: int = 50) -> None:
        self.errors = errors
        shown = errors[:limit]
        text = "\n\n".join(e.render() for e in shown)
        if len(errors) > limit:
            text += f"\n\n... and {len(errors) - limit} more problems of the same kind."
        super().__init__(f"{len(errors)} problem(s) found:\n\n{text}")


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MB"
    return f"{n / 1024:.0f} KB" if n >= 1024 else f"{n} bytes"


def disk_full_error(path: str | Path, needed: int, free: int | None = None) -> BuildError:
    """The disk (or the user's quota) is full while writing ``path``.

    A raw ``OSError: [Errno 28]`` traceback tells a writer nothing; this says which file,
    how much space the step needed and what to do. Writers write to a temporary file and
    rename, so the file that was being replaced is still the previous, complete one.
    """
    found = "no space left on the device"
    if free is not None:
        found += f" ({_size(free)} free)"
    return BuildError("the disk is full", file=path,
                      expected=f"about {_size(needed)} of free space for this step",
                      found=found,
                      hint="free some space (e.g. remove old copies of results/ or "
                           ".proefdruk-cache/) and run `snakemake all` again; the files "
                           "already published were not changed")
