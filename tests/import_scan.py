"""The imports a piece of code makes, read from the code (AST), for the boundary tests.

Shared by the boundary tests of both halves: the study's (tests/test_study_api_boundary.py:
study code imports ``proefdruk.api`` alone) and the tool's (tests/test_api_boundary.py:
``proefdruk`` imports nothing of the study). Imports inside functions, ``if`` blocks and
``try`` blocks count as well; so do ``importlib.import_module("x")`` and
``__import__("x")`` with a constant name, the dynamic forms a boundary could hide behind.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Import:
    """One import statement: where it is, the absolute names it imports, how it reads.

    ``from a.b import c`` imports ``a.b.c`` (a submodule or a name of ``a.b``: either way
    it reaches into ``a.b``), ``import a.b`` imports ``a.b``.
    """

    file: str  # project-relative
    line: int
    names: tuple[str, ...]
    text: str  # the statement as written

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.text}"


def _dynamic_name(node: ast.Call) -> str | None:
    """The module a constant ``import_module("x")`` or ``__import__("x")`` names."""
    func = node.func
    called = (func.id if isinstance(func, ast.Name)
              else func.attr if isinstance(func, ast.Attribute) else "")
    if called not in ("import_module", "__import__") or not node.args:
        return None
    first = node.args[0]
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None


def _package_of(path: Path, root: Path) -> list[str]:
    rel = path.relative_to(root).with_suffix("")
    parts = list(rel.parts)
    return parts[:-1] if parts[-1] != "__init__" else parts[:-1]


def imports_in_source(source: str, file: str, package: list[str] | None = None,
                      first_line: int = 1) -> list[Import]:
    """Every import in ``source`` (Python), with absolute module names.

    ``package`` is the dotted package the file belongs to, to resolve relative imports;
    ``first_line`` shifts line numbers when ``source`` is a piece of a larger file.
    """
    tree = ast.parse(source, filename=file)
    lines = source.splitlines()
    found: list[Import] = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = (package or [])[: len(package or []) - (node.level - 1)]
                module = ".".join([*base, module] if module else base)
            names = [f"{module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Call):
            name = _dynamic_name(node)
            names = [name] if name else []
        if names:
            text = lines[node.lineno - 1].strip() if node.lineno <= len(lines) else ""
            found.append(Import(file, node.lineno + first_line - 1, tuple(names), text))
    return sorted(found, key=lambda i: (i.line, i.names))


def imports_in_file(path: Path, root: Path) -> list[Import]:
    """Every import in a Python file below ``root``."""
    rel = path.relative_to(root).as_posix()
    return imports_in_source(path.read_text(encoding="utf-8"), rel, _package_of(path, root))


# A top-level ``import x`` / ``from x import y`` line of a Snakefile or rule file; Snakemake's
# own syntax (rule:, input:) is not Python, so each import line is parsed on its own.
_SMK_IMPORT = re.compile(r"^(?:from\s+[\w.]+\s+import\s+.*|import\s+[\w., ]+)$")


def imports_in_snakefile(path: Path, root: Path) -> list[Import]:
    """The module-level imports of a Snakefile or ``.smk`` rule file.

    A parenthesised import that spans lines is read up to its closing parenthesis.
    """
    rel = path.relative_to(root).as_posix()
    lines = path.read_text(encoding="utf-8").splitlines()
    found: list[Import] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if _SMK_IMPORT.match(line):
            start, chunk = i, [line]
            while "(" in line and ")" not in "\n".join(chunk) and i + 1 < len(lines):
                i += 1
                chunk.append(lines[i])
            found += imports_in_source("\n".join(chunk), rel, first_line=start + 1)
        i += 1
    return found


def is_in(module: str, package: str) -> bool:
    """Whether ``module`` is ``package`` or one of its submodules."""
    return module == package or module.startswith(package + ".")
