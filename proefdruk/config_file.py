"""Read ``config/config.yaml`` with limits, before anything else looks at it.

Snakemake's ``configfile:`` directive hands the file to an unbounded YAML loader while the
Snakefile is parsed, before any of our code runs: a "billion laughs" file (an anchor used
nine times in an anchor used nine times, ...) is a few hundred bytes on disk and billions
of values once expanded, and the build grows past the machine's memory with no message. So
a study's Snakefile leaves the directive out and lets :func:`proefdruk.build.setup` read
the file here, through :func:`load_config_file`, which first walks the file's YAML
*events* (a stream as long as the file, whatever its aliases say) and stops with an
``error:`` block when the file is too large, nests too deep, uses too many aliases, or
would expand to too many values. Only a file within those limits is built into Python
values.

:func:`merged_config` then applies the command line the way Snakemake's directive does:
the file first, then ``--configfile`` files and ``--config`` values over it (Snakemake
has already merged those two into ``workflow.config_settings.overwrite_config``), and
``--replace-workflow-config`` drops the file. (``--configfile`` files themselves are read
by Snakemake's own loader before the Snakefile is parsed; that is the command line's
business, not a file in the study.)
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from proefdruk.errors import BuildError

# A study's options file is a page of YAML; these leave it a thousandfold room.
MAX_BYTES = 1 << 20          # 1 MiB on disk
MAX_DEPTH = 64               # nested mappings and lists
MAX_ALIASES = 1000           # uses of an anchor (*name)
MAX_VALUES = 200_000         # values once every alias is expanded

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _too_much(path: Path, what: str, limit: int, found: str) -> BuildError:
    return BuildError(f"the options file is too {what}", file=path,
                      expected=f"at most {limit:,}".replace(",", " "), found=found,
                      hint=f"{path} holds a page of options (config/schema.yaml lists "
                           "them); remove what is not an option, or write a repeated "
                           "value out instead of through YAML anchors and aliases (&, *)")


def _mark_line(exc: yaml.YAMLError) -> int | None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + 1 if mark is not None else None


def check_shape(text: str, path: Path) -> None:
    """Stop unless the YAML in ``text`` stays within the depth, alias and expanded-size
    limits. Walks the parser's events (no values are built), counting each alias as the
    number of values its anchor stands for."""
    sizes: dict[str, int] = {}           # anchor -> values it expands to
    stack: list[list[Any]] = []          # open collections: [anchor, values so far]
    aliases = 0
    total = 0

    def add(n: int) -> None:
        nonlocal total
        if stack:
            stack[-1][1] += n
        else:
            total += n
        if (stack[0][1] if stack else total) > MAX_VALUES:
            raise _too_much(path, "large once its aliases are expanded", MAX_VALUES,
                            f"more than {MAX_VALUES:,} values".replace(",", " "))

    try:
        for event in yaml.parse(text, Loader=_LOADER):
            if isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_ALIASES:
                    raise _too_much(path, "full of aliases", MAX_ALIASES,
                                    f"more than {MAX_ALIASES} aliases (*name)")
                if any(open_anchor == event.anchor for open_anchor, _ in stack):
                    raise BuildError("the options file refers to itself", file=path,
                                     line=event.start_mark.line + 1,
                                     expected="options that end",
                                     found=f"*{event.anchor} inside &{event.anchor}",
                                     hint="write the value out instead of the alias")
                add(sizes.get(event.anchor, 1))
            elif isinstance(event, yaml.ScalarEvent):
                if event.anchor:
                    sizes[event.anchor] = 1
                add(1)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                stack.append([event.anchor, 1])
                if len(stack) > MAX_DEPTH:
                    raise _too_much(path, "deeply nested", MAX_DEPTH,
                                    f"more than {MAX_DEPTH} levels of mappings or lists")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                anchor, n = stack.pop()
                if anchor:
                    sizes[anchor] = n
                add(n)
    except yaml.YAMLError as exc:
        if "nesting depth" in str(getattr(exc, "problem", "")):  # libyaml's own limit
            raise _too_much(path, "deeply nested", MAX_DEPTH, "more than 1000 levels of "
                            "mappings or lists") from None
        raise _yaml_error(path, exc) from None


def _yaml_error(path: Path, exc: yaml.YAMLError) -> BuildError:
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return BuildError("the options file is not valid YAML", file=path, line=_mark_line(exc),
                      expected="YAML: `key: value` lines, nested by indentation",
                      found=str(problem),
                      hint="correct the line (a tab instead of spaces, a missing colon or "
                           "an unclosed quote are the usual causes)")


def load_config_file(path: str | Path, display: str | Path | None = None) -> dict[str, Any]:
    """The options in ``path`` (a mapping; an empty file is ``{}``), read within the
    limits above; anything else is a :class:`BuildError` naming the file (as
    ``display``, default ``path``) and the limit."""
    real = Path(path)
    path = Path(display) if display is not None else real
    try:
        size = real.stat().st_size
        if real.is_dir():
            raise BuildError("the options file is a folder", file=path,
                             expected="a YAML file of options", found="a folder",
                             hint=f"move the folder away and write the options to {path}")
        if size > MAX_BYTES:
            raise _too_much(path, "large", MAX_BYTES, f"{size:,} bytes".replace(",", " "))
        raw = real.read_bytes()[:MAX_BYTES + 1]
    except FileNotFoundError:
        raise BuildError("the options file is missing", file=path,
                         expected="a YAML file of options (it may be empty: `{}`)",
                         found="no such file",
                         hint=f"create {path}; `proefdruk new` writes a starter") from None
    except OSError as exc:
        raise BuildError("the options file cannot be read", file=path,
                         found=f"{exc.strerror} (errno {exc.errno})",
                         hint="check that the file is readable") from None
    if len(raw) > MAX_BYTES:  # grew between stat and read, or a device
        raise _too_much(path, "large", MAX_BYTES, f"more than {MAX_BYTES} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise BuildError("the options file is not UTF-8 text", file=path, line=line,
                         expected="YAML text in UTF-8", found=f"byte 0x{raw[exc.start]:02x}",
                         hint="save the file as UTF-8 text (is it a binary file?)") from None
    check_shape(text, path)
    try:
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise _yaml_error(path, exc) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise BuildError("the options file is not a mapping of options", file=path,
                         expected="`key: value` lines (or `{}` for none)",
                         found=f"a {type(data).__name__}",
                         hint="write each option as `name: value` (config/schema.yaml)")
    # Unshare what aliases point at, so that filling in defaults under one key cannot
    # change another (bounded: the expanded size was checked above).
    return copy.deepcopy(data, memo=_NoMemo())


class _NoMemo(dict):
    """A deepcopy memo that remembers nothing: every alias becomes its own copy."""

    def __setitem__(self, key: Any, value: Any) -> None:
        pass

    def get(self, key: Any, default: Any = None) -> Any:
        return default


def merged_config(path: str | Path, overwrite: dict[str, Any], replace: bool = False,
                  display: str | Path | None = None) -> dict[str, Any]:
    """The options as a Snakefile with ``configfile: path`` would see them: the file
    (bounded, above), then the command line's ``--configfile``/``--config`` values
    (``overwrite``) over it; ``replace`` (``--replace-workflow-config``) drops the file."""
    from snakemake.utils import update_config

    config: dict[str, Any] = {} if replace and overwrite else load_config_file(path, display)
    update_config(config, copy.deepcopy(overwrite))
    return config
