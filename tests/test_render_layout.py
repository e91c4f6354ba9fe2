"""The renderer's four parts stay apart: a newcomer can trust the layout of proefdruk/render.

The sub-packages (core, cells, editions, workflow) are only worth having while each one
imports what its place in the flow allows, and while their ``__init__`` modules stay empty:
an ``__init__`` that imported its siblings would make every module of a part a code
input of every rule that uses one of them (proefdruk/rule_code.py follows imports).
"""

from __future__ import annotations

import ast
from pathlib import Path

RENDER = Path(__file__).resolve().parent.parent / "proefdruk" / "render"
PARTS = ("core", "cells", "editions", "workflow")
# Which other parts each part may import; the flow is source -> AST -> editions, and the
# workflow glue plans from the sources (core) and the site options (editions).
ALLOWED = {
    "cells": set(),
    "core": {"cells"},
    "editions": {"core"},
    "workflow": {"core", "editions"},
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{path}: relative import (codedeps does not follow them)"
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def part_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[:2] != ["proefdruk", "render"] or len(parts) < 3:
        return None
    return parts[2]


def test_every_module_lives_in_one_part() -> None:
    flat = sorted(p.name for p in RENDER.glob("*.py") if p.name != "__init__.py")
    assert not flat, f"modules outside the sub-packages of proefdruk/render: {flat}"
    assert sorted(p.name for p in RENDER.iterdir() if p.is_dir()
                  and p.name != "__pycache__") == sorted(PARTS)


def test_each_part_imports_only_what_the_flow_allows() -> None:
    wrong = []
    for part in PARTS:
        for path in sorted((RENDER / part).glob("*.py")):
            for module in imported_modules(path):
                other = part_of(module)
                if other is not None and other != part and other not in ALLOWED[part]:
                    wrong.append(f"{part}/{path.name} imports {module}")
    assert not wrong, "\n".join(wrong)


def test_package_inits_hold_no_code() -> None:
    """Only a docstring: importing one module of a part must not import the others."""
    for init in [RENDER / "__init__.py", *(RENDER / part / "__init__.py" for part in PARTS)]:
        body = ast.parse(init.read_text(encoding="utf-8")).body
        assert len(body) == 1 and isinstance(body[0], ast.Expr), f"{init} holds code"
