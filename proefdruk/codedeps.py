"""The project's own Python modules a rule script imports, to declare them as inputs.

Snakemake re-runs a job when its script changes, but not when a module the script
imports changes (``analysis/statistics.py`` behind ``analysis/scripts/survey_section.py``).
The outputs then go stale silently, and only a clean rebuild (``snakemake verify``)
notices. Listing the imported project files as rule inputs closes that gap::

    from proefdruk.codedeps import local_imports

    rule survey_response:
        input:
            data="results/data/survey.csv",
            code=local_imports("analysis/scripts/survey_response.py"),

Only modules that live in the project are listed (found by reading the import
statements, transitively, without running anything); the standard library and
installed packages are pinned by the lock file instead.
"""

from __future__ import annotations

import ast
import os
from functools import cache
from pathlib import Path


def _module_file(name: str, root: Path) -> Path | None:
    """``a.b`` -> ``root/a/b.py`` or ``root/a/b/__init__.py`` if it exists."""
    base = root.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _statements(body: list[ast.stmt]):
    """Every statement, nested ones included (imports may sit in functions, ifs or
    try blocks); expressions are skipped, which makes this several times faster than
    ``ast.walk`` on a whole module."""
    for node in body:
        yield node
        for field in ("body", "orelse", "finalbody"):
            inner = getattr(node, field, None)
            if isinstance(inner, list):
                yield from _statements(inner)
        for handler in getattr(node, "handlers", None) or []:
            yield from _statements(handler.body)
        for case in getattr(node, "cases", None) or []:
            yield from _statements(case.body)


def _imported_names(path: Path) -> frozenset[str]:
    """The modules ``path`` imports. Memoised per file version: every analysis rule asks
    when Snakemake starts, and they share most modules, so parsing each file once keeps a
    no-op build cheap."""
    stat = path.stat()
    return _imported_names_cached(str(path), stat.st_mtime_ns, stat.st_size)


@cache
def _imported_names_cached(path_text: str, mtime_ns: int, size: int) -> frozenset[str]:
    path = Path(path_text)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=path_text)
    names: set[str] = set()
    for node in _statements(tree.body):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    # A package's __init__ runs on import of any of its submodules.
    for name in list(names):
        parts = name.split(".")
        names.update(".".join(parts[:i]) for i in range(1, len(parts)))
    return frozenset(names)


def local_imports(*scripts: str | Path, root: str | Path = ".",
                  packages: tuple[str, ...] | None = None) -> list[str]:
    """Project-relative paths of the project modules ``scripts`` import, transitively.

    ``packages`` limits the search to these top-level packages (e.g. ``("analysis",)``);
    by default any module found under ``root`` counts.
    """
    root = Path(root).resolve()
    seen: set[Path] = set()
    todo = [Path(s) if Path(s).is_absolute() else root / s for s in scripts]
    while todo:
        path = todo.pop()
        for name in sorted(_imported_names(path)):
            if packages is not None and name.split(".")[0] not in packages:
                continue
            found = _module_file(name, root)
            if found is not None and found not in seen:
                seen.add(found)
                todo.append(found)
    return sorted(os.path.relpath(p, root).replace(os.sep, "/") for p in seen)
