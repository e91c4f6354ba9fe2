"""The audit hook that refuses writes to the sources: one copy for every Python process.

:mod:`proefdruk.source_guard` installs it in the rule scripts; the Jupyter kernel of a
chapter installs it too, but runs without the package on its path: the kernel's boot
code executes this file's text before its own (see
:func:`proefdruk.render.cells.kernel_run`). So this module imports only the standard
library, and the kernel and the scripts refuse exactly the same writes with the same
message.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any


class SourceWriteError(PermissionError):
    """A job tried to write a source file during the build."""

    def __init__(self, path: str, action: str) -> None:
        self.path = path
        self.action = action
        super().__init__(f"proefdruk: a build job may not {action} the source file {path} "
                         "(sources are read-only during a build)")


def _writes(mode: Any, flags: Any) -> bool:
    """Whether an ``open`` audit event may change the file."""
    if isinstance(mode, str):
        return any(c in mode for c in "wax+")
    if isinstance(flags, int):
        return bool(flags & 3) or bool(flags & (os.O_TRUNC | os.O_CREAT | os.O_APPEND))
    return False


def make_hook(folders: Iterable[str],
              files: Iterable[str]) -> Callable[[str, tuple[Any, ...]], None]:
    """An audit hook that raises :class:`SourceWriteError` for a write to a source:
    a file under one of the absolute ``folders`` prefixes, or one of ``files``."""
    prefixes = tuple(folders)
    tracked = frozenset(files)

    def protected(path: Any) -> str | None:
        if path is None or isinstance(path, int):
            return None
        try:
            full = os.path.abspath(os.fsdecode(path))
        except TypeError:
            return None
        return full if full in tracked or full.startswith(prefixes) else None

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event == "open":
            if len(args) >= 3 and _writes(args[1], args[2]):
                hit = protected(args[0])
                if hit:
                    raise SourceWriteError(hit, "write")
        elif event in ("os.remove", "os.rmdir", "os.truncate"):
            hit = protected(args[0] if args else None)
            if hit:
                raise SourceWriteError(hit, "remove" if event != "os.truncate" else "truncate")
        elif event == "os.rename":
            for path in args[:2]:
                hit = protected(path)
                if hit:
                    raise SourceWriteError(hit, "rename")

    return hook
