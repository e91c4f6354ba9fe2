"""YAML with line numbers, so configuration errors point at the offending line.

PyYAML's plain ``safe_load`` forgets where a value came from. ``_quarto.yml`` and chapter
front matter are edited by hand for years; "unknown key 'chapter' at line 12" saves the
author a search. Mappings are loaded as :class:`LineDict`, which remembers the line of
each key.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from proefdruk.errors import BuildError


class LineDict(dict):
    """A dict that also knows the 1-based source line of each key (``.lines[key]``)."""

    lines: dict[str, int]
    start_line: int

    def line_of(self, key: str) -> int | None:
        """The line of ``key`` or, if absent, of the mapping itself."""
        return self.lines.get(key, self.start_line)


class _Loader(yaml.SafeLoader):
    """SafeLoader whose mappings are LineDicts (line offsets added by :func:`load`)."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.lines = {}
    out.start_line = node.start_mark.line + 1 + loader.line_offset
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool):
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark)
        out[str(key) if not isinstance(key, str) else key] = loader.construct_object(
            value_node, deep=True)
        out.lines[str(key)] = key_node.start_mark.line + 1 + loader.line_offset
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Dates stay text: `date: 2026-01-01` must print as the author typed it, not as a Python
# date object that each writer formats differently.
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def plain(value: Any) -> Any:
    """``value`` with every LineDict turned into a plain dict of string keys, for what
    leaves the loader (pandoc metadata, JSON, a Lua filter's variables) and has no use
    for line numbers."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


# What each text parsed to, in this process. PyYAML in pure Python takes ~15 ms for
# _quarto.yml; the preview's warm page renderer (proefdruk.preview.fastpage) parses once
# and every draft forked from it copies the result instead (~0.3 ms). The key is the
# text itself, so an edited file is parsed again.
_PARSED: dict[tuple[str, str, int], Any] = {}


def load(text: str, file: str | Path, line_offset: int = 0) -> Any:
    """Parse YAML ``text`` from ``file``; lines in errors and LineDicts are absolute when
    ``line_offset`` says where the text starts in the file (front matter). Each call
    gets its own copy: callers may change what they get."""
    key = (text, str(file), line_offset)
    if key not in _PARSED:
        _PARSED[key] = _parse(text, file, line_offset)
    return copy.deepcopy(_PARSED[key])


def _parse(text: str, file: str | Path, line_offset: int) -> Any:
    loader = _Loader(text)
    loader.line_offset = line_offset  # type: ignore[attr-defined]
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark is not None else None
        raise BuildError(
            "malformed YAML", file=file, line=line,
            expected="valid YAML (key: value, consistent indentation)",
            found=str(exc.problem or exc.context or exc).strip(),
            hint="fix the indentation or quoting on that line; quote values that contain ':'",
        ) from exc
    except yaml.YAMLError as exc:
        raise BuildError("malformed YAML", file=file, found=str(exc).strip()) from exc
    finally:
        loader.dispose()


def load_file(path: str | Path, display: str | None = None) -> Any:
    """Parse a YAML file; ``display`` is the project-relative name used in errors."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise BuildError("file not found", file=display or path,
                         hint="create it or fix the path that points to it") from exc
    return load(text, display or path)
