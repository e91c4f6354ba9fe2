"""The project files a piece of code runs or reads, found by reading the code.

Snakemake re-runs a job when its input files change, and when its ``script:`` changes,
but it knows nothing of the modules that script imports (``analysis/statistics.py``
behind ``analysis/scripts/survey_section.py``), of the renderer modules behind
``python -m proefdruk page``, or of the templates, Lua filters and stylesheets those
modules open. Outputs then go stale silently. A hand-kept list of such files falls behind
the code the first time someone adds a module, so the list is derived instead:

- **imports**, transitively, of every module that lives in the project (the standard
  library and installed packages are pinned by the lock file instead);
- **files the code names relative to itself**: ``Path(__file__).parent / "templates" /
  "page.html"``, ``HERE / "assets"`` (every file below), ``here.glob("kernel_*.py")``.

An entry point is a script path (``analysis/scripts/survey_response.py``), a module name
(``proefdruk.numbers``) or a module and one of its functions
(``proefdruk.cli:cmd_page``): then only that function's imports (and those of the
module-level code and of the module's own functions it calls) count, so that the page
writer does not depend on the PDF writer's code. Nothing is executed; the files are
parsed, once per file version.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from proefdruk.parse_memo import parse_memo

# Files that are never code inputs even when they sit in a referenced folder.
_SKIP_PARTS = ("__pycache__",)
_SKIP_SUFFIXES = (".pyc", ".pyo")


@dataclass(frozen=True)
class ModuleFacts:
    """What one module imports and which files it names relative to its own location."""

    module_imports: frozenset[str]  # imports of the module-level code (run on import)
    all_imports: frozenset[str]  # every import anywhere in the module
    functions: dict[str, tuple[frozenset[str], frozenset[str]]]  # name -> (imports, calls)
    referenced: frozenset[str]  # absolute paths of files and folders the code names


# Every path any module named next to itself, found or not (absolute): the folders a
# remembered answer rests on (proefdruk.code_memo). Only grows within a process.
NAMED_PATHS: set[str] = set()

# module imports, all imports, per function (imports, calls): see ModuleFacts
ImportFacts = tuple[frozenset[str], frozenset[str],
                    dict[str, tuple[frozenset[str], frozenset[str]]]]


def forget_files() -> None:
    """Forget which modules exist (call when files may have been added or removed; the
    workflow calls it once per parse of the Snakefile)."""
    _module_file.cache_clear()


@cache
def _module_file(name: str, root: Path) -> Path | None:
    """``a.b`` -> ``root/a/b.py`` or ``root/a/b/__init__.py`` if it exists. Memoised: every
    rule asks for the same few dozen modules (see :func:`forget_files`)."""
    base = root.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _statements(body: list[ast.stmt], into_functions: bool = True) -> Iterator[ast.stmt]:
    """Every statement, nested ones included (imports may sit in functions, ifs or
    try blocks); expressions are skipped, which makes this several times faster than
    ``ast.walk`` on a whole module."""
    for node in body:
        yield node
        if not into_functions and isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for field in ("body", "orelse", "finalbody"):
            inner = getattr(node, field, None)
            if isinstance(inner, list):
                yield from _statements(inner, into_functions)
        for handler in getattr(node, "handlers", None) or []:
            yield from _statements(handler.body, into_functions)
        for case in getattr(node, "cases", None) or []:
            yield from _statements(case.body, into_functions)


def _imports_of(statements: Iterable[ast.stmt]) -> frozenset[str]:
    names: set[str] = set()
    for node in statements:
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


def _called_names(func: ast.AST) -> frozenset[str]:
    return frozenset(n.func.id for n in ast.walk(func)
                     if isinstance(n, ast.Call) and isinstance(n.func, ast.Name))


class _PathEvaluator:
    """Evaluates the few path expressions code uses to find files next to itself."""

    def __init__(self, module_path: Path) -> None:
        self.module_path = module_path
        self.names: dict[str, list[Path]] = {}
        # whether an answer came from the disk (a glob): then it cannot be remembered
        self.listed_files = False

    def eval(self, node: ast.AST) -> list[Path] | None:
        if isinstance(node, ast.Name):
            return self.names.get(node.id)
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, ast.Attribute) and node.attr == "parent":
            base = self.eval(node.value)
            return [p.parent for p in base] if base is not None else None
        if (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div)
                and isinstance(node.right, ast.Constant) and isinstance(node.right.value, str)):
            base = self.eval(node.left)
            return [p / node.right.value for p in base] if base is not None else None
        return None

    def _call(self, node: ast.Call) -> list[Path] | None:
        func = node.func
        if (isinstance(func, ast.Name) and func.id in ("Path", "PurePath")
                and len(node.args) == 1 and isinstance(node.args[0], ast.Name)
                and node.args[0].id == "__file__"):
            return [self.module_path]
        if not isinstance(func, ast.Attribute):
            return None
        consts = [a.value for a in node.args if isinstance(a, ast.Constant)]
        if len(consts) != len(node.args) or not all(isinstance(c, str) for c in consts):
            return None
        base = self.eval(func.value)
        if base is None:
            return None
        if func.attr in ("resolve", "absolute") and not consts:
            return base
        if func.attr == "with_name" and len(consts) == 1:
            return [p.with_name(consts[0]) for p in base]
        if func.attr == "joinpath" and consts:
            return [p.joinpath(*consts) for p in base]
        if func.attr in ("glob", "rglob") and len(consts) == 1:
            self.listed_files = True
            return [f for p in base for f in sorted(getattr(p, func.attr)(consts[0]))]
        return None

    def references(self, tree: ast.Module) -> set[Path]:
        """Every path expression in the module that evaluates (outermost ones only)."""
        found: set[Path] = set()
        for node in _statements(tree.body):
            if (isinstance(node, ast.Assign) and len(node.targets) == 1
                    and isinstance(node.targets[0], ast.Name)):
                value = self.eval(node.value)
                if value is not None:
                    self.names[node.targets[0].id] = value
        todo: list[ast.AST] = [tree]
        while todo:
            node = todo.pop()
            value = self.eval(node) if isinstance(node, ast.expr) else None
            if value is not None:
                found.update(value)
            else:
                todo.extend(ast.iter_child_nodes(node))
        return found


def module_facts(path: Path) -> ModuleFacts:
    """The :class:`ModuleFacts` of ``path``. Memoised per file version: every rule asks
    when Snakemake starts, and they share most modules, so parsing each file once keeps a
    no-op build cheap."""
    stat = path.stat()
    return _module_facts_cached(str(path), stat.st_mtime_ns, stat.st_size)


@cache
def _module_facts_cached(path_text: str, mtime_ns: int, size: int) -> ModuleFacts:
    path = Path(path_text)
    text = path.read_text(encoding="utf-8")
    tree: ast.Module | None = None
    imports = parse_memo.recall(path, text)
    if imports is None:
        tree = ast.parse(text, filename=path_text)
        imports = _import_facts(tree)
        parse_memo.remember(path, text, imports)
    referenced: set[Path] = set()
    if "__file__" in text:
        here = path.resolve()
        # The path expressions are a function of the text, unless one globs: what a glob
        # finds changes with the files on disk, so that is never remembered.
        named = parse_memo.recall_named(path, text)
        if named is None:
            tree = tree or ast.parse(text, filename=path_text)
            evaluator = _PathEvaluator(here)
            found = evaluator.references(tree)
            if not evaluator.listed_files:
                parse_memo.remember_named(path, text, found)
        else:
            found = named
        NAMED_PATHS.update(str(p) for p in found)
        anchors = {here.parent, *here.parent.parents}
        referenced = {p for p in found if p not in anchors and p != here and p.exists()}
    module_imports, all_imports, functions = imports
    return ModuleFacts(module_imports=module_imports, all_imports=all_imports,
                       functions=functions, referenced=frozenset(str(p) for p in referenced))


def _import_facts(tree: ast.Module) -> ImportFacts:
    """What the text of a module says about its imports: a function of the text alone."""
    functions = {
        node.name: (_imports_of(_statements(node.body)), _called_names(node))
        for node in tree.body if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    return (_imports_of(_statements(tree.body, into_functions=False)),
            _imports_of(_statements(tree.body)), functions)


def _entry_imports(facts: ModuleFacts, function: str | None) -> frozenset[str]:
    """Imports that running ``function`` of a module can trigger (all, without one).

    A name the module does not define adds nothing to its top-level imports: that is how
    a ``__main__`` which hands over to a dispatcher counts only its own lines
    (:func:`proefdruk.rule_code._package_entries`)."""
    if function is None:
        return facts.all_imports
    names = set(facts.module_imports)
    todo, seen = [function], set()
    while todo:
        name = todo.pop()
        if name in seen or name not in facts.functions:
            continue
        seen.add(name)
        imports, calls = facts.functions[name]
        names |= imports
        todo.extend(calls)
    return frozenset(names)


def _files_below(path: Path) -> list[Path]:
    candidates = sorted(path.rglob("*")) if path.is_dir() else [path]
    return [p for p in candidates if p.is_file() and p.suffix not in _SKIP_SUFFIXES
            and not any(part in _SKIP_PARTS for part in p.parts)]


def resolve_entry(entry: str | Path, root: Path) -> tuple[Path, str | None] | None:
    """The file and function of an entry point: a path, ``a.b`` or ``a.b:func``."""
    text = str(entry)
    if text.endswith(".py") or os.sep in text or "/" in text:
        path = Path(text) if Path(text).is_absolute() else root / text
        return (path, None) if path.is_file() else None
    module, _, function = text.partition(":")
    found = _module_file(module, root)
    return (found, function or None) if found is not None else None


def code_files(*entries: str | Path, root: str | Path = ".",
               packages: tuple[str, ...] | None = None) -> list[str]:
    """Project-relative paths of every project file the entry points run or read.

    The entry files themselves are included. ``packages`` limits the imports followed to
    these top-level packages (e.g. ``("analysis",)``); by default any module found under
    ``root`` counts.
    """
    root = Path(root).resolve()
    seen: set[Path] = set()
    files: set[Path] = set()
    todo: list[tuple[Path, str | None]] = []
    for entry in entries:
        resolved = resolve_entry(entry, root)
        if resolved is not None:
            todo.append((resolved[0].resolve(), resolved[1]))
            files.add(resolved[0].resolve())
            # ``python -m a.b`` runs ``a/__init__.py`` first.
            is_module = not (str(entry).endswith(".py") or "/" in str(entry))
            parts = str(entry).partition(":")[0].split(".") if is_module else []
            for i in range(1, len(parts)):
                package = _module_file(".".join(parts[:i]), root)
                if package is not None and package not in seen:
                    seen.add(package)
                    files.add(package)
                    todo.append((package, None))
    while todo:
        path, function = todo.pop()
        facts = module_facts(path)
        for ref in facts.referenced:
            files.update(_files_below(Path(ref)))
        for name in sorted(_entry_imports(facts, function)):
            if packages is not None and name.split(".")[0] not in packages:
                continue
            found = _module_file(name, root)  # under the resolved root: already absolute
            if found is not None and found not in seen:
                seen.add(found)
                files.add(found)
                todo.append((found, None))
    inside = [p for p in files if p.is_relative_to(root)]
    return sorted(p.relative_to(root).as_posix() for p in inside)


def local_imports(*scripts: str | Path, root: str | Path = ".",
                  packages: tuple[str, ...] | None = None) -> list[str]:
    """Project-relative paths of the project modules ``scripts`` import, transitively
    (the scripts themselves and the data files the code names are not included)."""
    root_path = Path(root).resolve()
    own = {resolve_entry(s, root_path) for s in scripts}
    own_files = {r[0].resolve().relative_to(root_path).as_posix() for r in own if r}
    return [f for f in code_files(*scripts, root=root, packages=packages)
            if f.endswith(".py") and f not in own_files]
