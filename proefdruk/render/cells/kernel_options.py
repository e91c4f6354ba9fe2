"""Quarto's execution options for a chapter's cells: defaults, checks and layering.

Options come, in rising priority, from Quarto's defaults, ``execute:`` in ``_quarto.yml``,
the chapter folder's ``_metadata.yml``, the chapter's front matter, and the ``#|`` lines at
the top of a cell. A misspelt option (``ecoh``) or a value Quarto would not accept stops
the build with the line and a suggestion, rather than being silently ignored.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

from proefdruk.errors import BuildError

# Quarto's defaults for a Jupyter chapter (https://quarto.org/docs/computations/execution-options.html).
DEFAULTS: dict[str, Any] = {
    "eval": True,
    "echo": True,
    "output": True,
    "warning": True,
    "error": False,
    "include": True,
}

# Options we honour, with the values Quarto allows.
_BOOL_OPTIONS = {"eval", "warning", "error", "include"}
_SUPPORTED = {
    *_BOOL_OPTIONS, "echo", "output", "label", "fig-cap", "fig-alt", "fig-subcap",
    "tbl-cap", "fig-width", "fig-height",
}
# Valid Quarto cell options that change only presentation details this renderer leaves to
# the edition's defaults; accepted so that chapters stay valid for real Quarto.
_ACCEPTED_WITHOUT_EFFECT = {
    "classes", "code-fold", "code-summary", "code-overflow", "code-line-numbers",
    "code-tools", "fig-align", "fig-pos", "fig-env", "fig-scap", "fig-cap-location",
    "tbl-cap-location", "tbl-colwidths", "tbl-subcap", "output-location", "panel",
    "layout", "layout-ncol", "layout-nrow", "layout-align", "layout-valign", "column",
    "cap-location", "fig-dpi", "fig-format", "lightbox", "html-table-processing",
    "filename", "lst-label", "lst-cap", "freeze", "cache", "enabled", "comment", "id",
}
_KNOWN = _SUPPORTED | _ACCEPTED_WITHOUT_EFFECT
# ``execute:`` keys that steer Quarto's own caching or kernel daemon, not a cell's output;
# our cache replaces them.
_PROJECT_ONLY = {"freeze", "cache", "daemon", "kernel-keepalive", "ipynb-shell-interactivity"}

_OPTION_LINE = re.compile(r"^#\|[ \t]?(?P<yaml>.*)$")


def cell_options(body: str, chapter: str, first_line: int) -> dict[str, Any]:
    """The ``#|`` lines at the top of a cell, read as YAML (Quarto's cell options)."""
    yaml_lines: list[str] = []
    for ln in body.splitlines():
        m = _OPTION_LINE.match(ln)
        if not m:
            break
        yaml_lines.append(m.group("yaml"))
    if not yaml_lines:
        return {}
    options = load_yaml("\n".join(yaml_lines), chapter, first_line, "cell options")
    if not isinstance(options, dict):
        raise BuildError(
            "cell options are not 'name: value' lines",
            file=chapter, line=first_line, expected="lines like '#| echo: false'",
            found=yaml_lines[0], hint="write each option as '#| name: value'",
        )
    for offset, name in enumerate(options):
        check_option(str(name), options[name], chapter, first_line + offset)
    return options


def check_option(name: str, value: Any, chapter: str, line: int) -> None:
    if name not in _KNOWN:
        close = difflib.get_close_matches(name, sorted(_KNOWN), n=1)
        raise BuildError(
            f"unknown cell option '{name}'",
            file=chapter, line=line, field=name,
            expected="a Quarto cell option such as echo, output, eval, include, warning, "
            "label, fig-cap, fig-alt, tbl-cap",
            found=name,
            hint=f"did you mean '{close[0]}'?" if close else "see Quarto's execution options",
        )
    ok = True
    if name in _BOOL_OPTIONS:
        ok = isinstance(value, bool)
    elif name == "echo":
        ok = isinstance(value, bool) or value == "fenced"
    elif name == "output":
        ok = isinstance(value, bool) or value == "asis"
    elif name in ("label", "fig-alt", "tbl-cap"):
        ok = isinstance(value, str)
    elif name in ("fig-cap", "fig-subcap"):
        ok = isinstance(value, str) or (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        )
    elif name in ("fig-width", "fig-height"):
        ok = isinstance(value, int | float) and not isinstance(value, bool) and value > 0
    if not ok:
        allowed = {
            "echo": "true, false or fenced", "output": "true, false or asis",
            "fig-width": "a size in inches", "fig-height": "a size in inches",
            "fig-cap": "text (or a list of texts)", "fig-subcap": "a list of texts",
        }.get(name, "true or false" if name in _BOOL_OPTIONS else "text")
        raise BuildError(
            f"cell option '{name}' has a value this renderer cannot use",
            file=chapter, line=line, field=name, expected=allowed, found=repr(value),
            hint="Quarto line-number forms such as 'eval: [1, 2]' are not supported; "
            "use true or false" if name in ("eval", "echo") else None,
        )


def load_yaml(text: str, chapter: str, line: int, what: str) -> Any:
    import yaml

    try:
        return yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise BuildError(
            f"the {what} is not valid YAML",
            file=chapter, line=line + (mark.line if mark is not None else 0),
            expected="YAML 'name: value' lines", found=str(getattr(exc, "problem", exc)),
            hint="check indentation and quote values that contain ':' or '#'",
        ) from None


def resolve(
    front_matter: dict[str, Any],
    per_cell: list[dict[str, Any]],
    root: Path,
    source: Path,
    chapter: str,
) -> list[dict[str, Any]]:
    """Effective options per chunk: Quarto's defaults, then ``execute:`` from _quarto.yml,
    the chapter folder's _metadata.yml and the front matter, then the cell's own lines."""
    base = dict(DEFAULTS)
    layers: list[tuple[str, Any]] = []
    project = root / "_quarto.yml"
    if project.is_file():
        layers.append(("_quarto.yml", _execute_of(project, root)))
    folder = source.parent
    if folder != root and folder.is_relative_to(root) and (folder / "_metadata.yml").is_file():
        layers.append((relative(folder / "_metadata.yml", root),
                       _execute_of(folder / "_metadata.yml", root)))
    layers.append((chapter, front_matter.get("execute") or {}))
    for where, execute in layers:
        if not isinstance(execute, dict):
            raise BuildError("'execute:' must hold 'name: value' options", file=where,
                             field="execute", expected="a mapping such as 'echo: false'",
                             found=repr(execute))
        for name, value in execute.items():
            if name == "enabled":
                if value is False:
                    base["eval"] = False
                continue
            if name in _PROJECT_ONLY:
                continue
            check_option(str(name), value, where, 1)
            base[str(name)] = value
    return [{**base, **own} for own in per_cell]


def _execute_of(path: Path, root: Path) -> Any:
    data = load_yaml(path.read_text(encoding="utf-8"), relative(path, root), 1, "file")
    if not isinstance(data, dict):
        return {}
    return data.get("execute") or {}


def relative(path: Path, root: Path) -> str:
    """``path`` relative to the project root (as errors and cache keys name files)."""
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return Path(path).as_posix()
