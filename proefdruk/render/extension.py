"""The project's Quarto extensions and variables, as the built-in renderer sees them.

Quarto finds shortcodes through ``_extensions/<name>/_extension.yml`` (``contributes:
shortcodes:``); we read the same files so both renderers run the same Lua code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from proefdruk.errors import BuildError
from proefdruk.render import yamlfile

BUILTIN_SHORTCODES = ("meta", "pagebreak", "var", "include")


def extension_manifests(root: str | Path) -> list[Path]:
    """Every ``_extension.yml`` under ``_extensions/`` (sorted, so load order is fixed)."""
    base = Path(root) / "_extensions"
    if not base.is_dir():
        return []
    return sorted(p for p in base.rglob("_extension.yml"))


def shortcode_files(root: str | Path) -> list[str]:
    """Project-relative paths of the Lua files that define shortcodes."""
    root = Path(root)
    out: list[str] = []
    for manifest in extension_manifests(root):
        rel = manifest.relative_to(root).as_posix()
        data = yamlfile.load_file(manifest, display=rel) or {}
        items = ((data.get("contributes") or {}).get("shortcodes") or [])
        if not isinstance(items, list):
            raise BuildError("contributes: shortcodes: must be a list of .lua files", file=rel)
        for item in items:
            lua = manifest.parent / str(item)
            if not lua.is_file():
                raise BuildError(f"shortcode file '{item}' does not exist", file=rel,
                                 hint="fix the name under contributes: shortcodes:")
            out.append(lua.relative_to(root).as_posix())
    return out


def lua_sources(root: str | Path) -> list[str]:
    """Every file of every extension (their change must re-render chapters)."""
    root = Path(root)
    out: list[str] = []
    for manifest in extension_manifests(root):
        out += sorted(p.relative_to(root).as_posix() for p in manifest.parent.rglob("*")
                      if p.is_file())
    return out


def known_shortcodes(root: str | Path) -> list[str]:
    names = set(BUILTIN_SHORTCODES)
    for f in shortcode_files(root):
        names.add(Path(f).stem)
    return sorted(names)


def variables(root: str | Path) -> dict[str, Any]:
    """``_variables.yml`` (Quarto's ``{{< var >}}`` source), or nothing."""
    path = Path(root) / "_variables.yml"
    if not path.is_file():
        return {}
    data = yamlfile.load_file(path, display="_variables.yml")
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise BuildError("_variables.yml must be a mapping", file="_variables.yml", line=1)
    return yamlfile.plain(data)
