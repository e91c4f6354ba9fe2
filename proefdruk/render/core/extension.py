"""The project's Quarto extensions and variables, as the built-in renderer sees them.

Quarto finds shortcodes through ``_extensions/<name>/_extension.yml`` (``contributes:
shortcodes:``); we read the same files so both renderers run the same Lua code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from proefdruk.errors import BuildError
from proefdruk.render.core import yamlfile

# Quarto built-ins the Lua filter answers (kbd and the documented ones it leaves as
# written, with a warning: see proefdruk.render.core.quarto_features).
BUILTIN_SHORTCODES = ("meta", "pagebreak", "var", "include", "kbd", "env", "video", "lipsum",
                      "placeholder", "contents", "embed", "version")


def extension_manifests(root: str | Path) -> list[Path]:
    """Every ``_extension.yml`` under ``_extensions/`` (sorted, so load order is fixed)."""
    base = Path(root) / "_extensions"
    if not base.is_dir():
        return []
    return sorted(p for p in base.rglob("_extension.yml"))


def extension_files(root: str | Path) -> list[str]:
    """Project-relative paths of every file of the project's extensions. Real Quarto
    reads any of them (each format's filters and partials, the site's theme), so all are
    inputs of its render; the built-in renderer's rules list the ones it reads."""
    root = Path(root)
    return sorted({p.relative_to(root).as_posix() for m in extension_manifests(root)
                   for p in m.parent.rglob("*") if p.is_file()})


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


def _format_files(manifest: Path) -> set[Path]:
    """Files an extension's formats name (partials, filters, themes): they shape one
    edition, not the chapters."""
    data = yamlfile.plain(yamlfile.load_file(manifest, display=manifest.name) or {})
    out: set[Path] = set()
    for fmt in ((data.get("contributes") or {}).get("formats") or {}).values():
        if not isinstance(fmt, dict):
            continue
        for key in ("template-partials", "filters", "theme"):
            for item in fmt.get(key) or []:
                path = item.get("path") if isinstance(item, dict) else item
                out.add((manifest.parent / str(path)).resolve())
    return out


def lua_sources(root: str | Path) -> list[str]:
    """The manifests and the shortcode Lua of every extension, with the Lua files those
    load: a change must re-render chapters. The formats' partials, filters and themes
    concern only their edition (see typst_files)."""
    root = Path(root)
    out: list[str] = []
    for manifest in extension_manifests(root):
        edition_only = _format_files(manifest)
        out += sorted(p.relative_to(root).as_posix() for p in manifest.parent.rglob("*")
                      if p.is_file() and (p.suffix == ".lua" or p == manifest)
                      and p.resolve() not in edition_only)
    return out


def filter_files(root: str | Path, filters: Any) -> list[str]:
    """Project-relative Lua files of the ``filters:`` list in ``_quarto.yml``, in order.

    An entry is a Lua file (``my.lua``), an extension name whose ``_extension.yml``
    contributes filters (``proefdruk``), or Quarto's own ``quarto`` (its place in the
    list only matters to Quarto). Quarto also accepts ``{path: …, at: …}``; the built-in
    renderer runs every filter after the shortcodes, whatever ``at`` says.
    """
    root = Path(root)
    out: list[str] = []
    for entry in filters or []:
        name = str(entry.get("path", "")) if isinstance(entry, dict) else str(entry)
        if name in ("quarto", ""):
            continue
        if name.endswith(".lua"):
            if not (root / name).is_file():
                raise BuildError(f"filter '{name}' does not exist", file="_quarto.yml",
                                 field="filters", hint="fix the path under filters:")
            out.append(name)
            continue
        manifests = [m for m in extension_manifests(root) if m.parent.name == name]
        if not manifests:
            raise BuildError(f"filter '{name}' is neither a .lua file nor an extension",
                             file="_quarto.yml", field="filters",
                             expected="a .lua file or the name of a folder under _extensions/",
                             found=name, hint="fix the entry under filters:")
        manifest = manifests[0]
        rel = manifest.relative_to(root).as_posix()
        data = yamlfile.load_file(manifest, display=rel) or {}
        for item in ((data.get("contributes") or {}).get("filters") or []):
            item = item.get("path") if isinstance(item, dict) else item
            lua = manifest.parent / str(item)
            if not str(item).endswith(".lua") or not lua.is_file():
                raise BuildError(f"filter '{item}' of extension '{name}' is not a Lua file "
                                 "that exists", file=rel, field="contributes: filters:",
                                 hint="the built-in renderer runs Lua filters only")
            out.append(lua.relative_to(root).as_posix())
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


@dataclass(frozen=True)
class TypstFormat:
    """The project's Typst format (``contributes: formats: typst:``): its template
    partials and filters, as files, in the order the manifest lists them."""

    manifest: str
    partials: list[Path]
    filters: list[Path]
    options: dict[str, Any]
    # the other template partials (titlepage.typ): typst-show.typ includes them by name
    # (``$titlepage.typ()$``), so they must lie next to the joined template
    included: list[Path] = field(default_factory=list)

    def write_template(self, directory: Path) -> Path:
        """The built-in renderer's pandoc template in ``directory``: the partials joined
        around ``$body$``, the included partials beside it."""
        template = directory / "book.typst"
        template.write_text("\n\n".join(p.read_text(encoding="utf-8") for p in self.partials)
                            + "\n\n$body$\n", encoding="utf-8")
        for extra in self.included:
            (directory / extra.name).write_text(extra.read_text(encoding="utf-8"),
                                                encoding="utf-8")
        return template


TYPST_PARTIALS = ("typst-template.typ", "typst-show.typ")
# Partials that replace one of Quarto's own and that the built-in renderer does without
# (page.typ: the house design sets the page itself).
NOT_INCLUDED = ("page.typ",)


def typst_format(root: str | Path) -> TypstFormat:
    """The Typst format of the project's extension; both renderers set the PDF with it.

    Quarto merges the partials into its own Typst template; the built-in renderer joins
    ``typst-template.typ`` and ``typst-show.typ`` and fills them in with pandoc's template
    engine. A book without such a format cannot be set: the error names what to add."""
    root = Path(root)
    for manifest in extension_manifests(root):
        rel = manifest.relative_to(root).as_posix()
        data = yamlfile.plain(yamlfile.load_file(manifest, display=rel) or {})
        fmt = ((data.get("contributes") or {}).get("formats") or {}).get("typst")
        if not isinstance(fmt, dict):
            continue
        names = [str(p) for p in fmt.get("template-partials") or []]
        missing = [n for n in TYPST_PARTIALS if Path(n).name not in {Path(x).name for x in names}]
        if missing:
            raise BuildError("the Typst format lacks a template partial", file=rel,
                             field="contributes.formats.typst.template-partials",
                             expected=", ".join(TYPST_PARTIALS), found=", ".join(names) or "none",
                             hint=f"add {missing[0]} to template-partials")
        by_name = {Path(n).name: manifest.parent / n for n in names}
        filters = []
        for item in fmt.get("filters") or []:
            path = item.get("path") if isinstance(item, dict) else item
            filters.append(manifest.parent / str(path))
        for f in [*by_name.values(), *filters]:
            if not f.is_file():
                raise BuildError(f"'{f.name}' does not exist", file=rel,
                                 field="contributes.formats.typst",
                                 hint="add the file or remove it from the manifest")
        options = {k: v for k, v in fmt.items() if k not in ("template-partials", "filters")}
        included = [p for n, p in by_name.items() if n not in TYPST_PARTIALS
                    and n not in NOT_INCLUDED]
        return TypstFormat(rel, [by_name[n] for n in TYPST_PARTIALS], filters, options,
                           included)
    raise BuildError("no Typst format in the project's extension", file="_extensions/",
                     expected="an _extension.yml with contributes: formats: typst: "
                              "template-partials: [typst-template.typ, typst-show.typ]",
                     hint="restore _extensions/proefdruk/_extension.yml")


def typst_files(root: str | Path) -> list[str]:
    """Project-relative paths of the Typst format's files (inputs of the PDF rule)."""
    root = Path(root)
    try:
        fmt = typst_format(root)
    except BuildError:
        return []
    files = [fmt.manifest, *(p.relative_to(root).as_posix() for p in [*fmt.partials,
                                                                       *fmt.included,
                                                                       *fmt.filters])]
    return sorted(set(files))


def extension_names(root: str | Path) -> tuple[str, ...]:
    """Names of the project's extensions (their folder): a top-level key of that name in
    ``_quarto.yml`` is the extension's own configuration."""
    return tuple(sorted(m.parent.name for m in extension_manifests(root)))


def format_base(name: str, extensions: tuple[str, ...]) -> str:
    """The base format of a format name: ``proefdruk-html`` (extension ``proefdruk``'s
    custom format) is ``html``, as Quarto reads ``<extension>-<base>``; ``html`` is
    ``html``."""
    ext, _, base = name.partition("-")
    return base if base and ext in extensions else name
