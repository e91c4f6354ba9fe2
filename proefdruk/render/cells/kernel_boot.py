"""Code that runs INSIDE the Jupyter kernel of a chapter, before its first cell.

Why it exists: the cache must know which project files a chapter's cells read, so that a
changed input is never served stale (Quarto's freeze hashes only the source). Python's
audit hooks see every ``open`` in the kernel, including those inside pandas, numpy and
``import`` of project modules, without the author changing a line. The same boot step
makes outputs reproducible (SVG hash salt, no dates, fixed hash seed is set by the
launcher) and turns DataFrames into escaped pipe tables.

This module is self-contained (standard library only at import time) because its source
text is sent to the kernel as the first cell; the parent process imports it too, for
:func:`escape_markdown`, so both sides escape text the same way.
"""

from __future__ import annotations

import os
import sys
from typing import Any

# One markdown escaper (proefdruk/markdown.py) and one source-write hook
# (proefdruk/source_hook.py) for the whole project. Inside the Jupyter kernel this file
# runs without the package; the loader (kernel_run._boot) runs both in the same
# namespace first.
if "escape_markdown" not in globals():
    from proefdruk.markdown import escape_markdown
if "make_hook" not in globals():
    from proefdruk.source_hook import make_hook

INLINE_MIME = "application/x-proefdruk-inline+json"
READS_MIME = "application/x-proefdruk-reads+json"

# Fixed matplotlib settings for every chapter: reproducible SVG (salted ids, no date),
# Quarto's default HTML figure size, white background, text as paths (Typst and browsers
# show the same glyphs without the fonts installed).
MPL_RC: dict[str, Any] = {
    "svg.hashsalt": "proefdruk",
    "svg.fonttype": "path",
    "figure.figsize": (7.0, 5.0),
    "figure.dpi": 96,
    "savefig.dpi": "figure",
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
}
MPL_PRINT_KWARGS: dict[str, Any] = {"bbox_inches": "tight", "metadata": {"Date": None}}


def _format_value(value: Any) -> str:
    """One table cell as text: floats without noise digits, missing values empty."""
    try:
        import math

        if isinstance(value, float):
            if math.isnan(value):
                return ""
            return format(value, ".6g") if abs(value) < 1e15 else repr(value)
    except TypeError:
        pass
    if value is None:
        return ""
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return ""
    except ImportError:  # pragma: no cover - pandas is why we are here
        pass
    return str(value)


def dataframe_markdown(df: Any) -> str:
    """A pandas DataFrame as a pandoc pipe table with every cell escaped.

    ``DataFrame.to_markdown`` (tabulate) copies cell text verbatim, so a value such as
    ``{{< var x >}}`` or ``<script>`` would become markup; we build the table ourselves.
    The index is shown when it carries information (named or not a plain 0..n-1 range).
    """
    import pandas as pd

    show_index = not (
        isinstance(df.index, pd.RangeIndex)
        and df.index.start == 0
        and df.index.step == 1
        and df.index.name is None
    )

    def label(value: Any) -> str:
        if isinstance(value, tuple):
            return " / ".join(str(v) for v in value)
        return str(value)

    headers: list[str] = []
    numeric: list[bool] = []
    columns: list[list[str]] = []
    if show_index:
        names = [n for n in df.index.names if n is not None]
        headers.append(" / ".join(str(n) for n in names))
        numeric.append(False)
        columns.append([label(v) for v in df.index])
    for pos, name in enumerate(df.columns):
        series = df.iloc[:, pos]
        headers.append(label(name))
        numeric.append(pd.api.types.is_numeric_dtype(series.dtype)
                       and not pd.api.types.is_bool_dtype(series.dtype))
        columns.append([_format_value(v) for v in series.tolist()])

    def cell(text: str) -> str:
        return escape_markdown(text)  # escapes "|" too, so cells cannot split

    head = "| " + " | ".join(cell(h) or " " for h in headers) + " |"
    rule = "|" + "|".join("---:" if num else ":---" for num in numeric) + "|"
    rows = [
        "| " + " | ".join(cell(col[r]) for col in columns) + " |" for r in range(len(df))
    ]
    return "\n".join([head, rule, *rows])


def _read_access(mode: Any, flags: Any) -> bool:
    """Whether an ``open`` audit event reads existing content (not a pure write)."""
    if isinstance(mode, str):
        return "r" in mode or ("+" in mode and "w" not in mode)
    if isinstance(flags, int):
        access = flags & 3  # O_ACCMODE: O_RDONLY=0, O_WRONLY=1, O_RDWR=2
        return access != 1 and not flags & getattr(os, "O_TRUNC", 0)
    return True


def protect_sources(folders: list[str], files: list[str]) -> None:
    """Refuse writes to the project's sources from the cells (a ``PermissionError`` that
    names the file), with the same hook as the rule scripts (proefdruk.source_hook, run
    in this namespace before this file inside the kernel)."""
    sys.addaudithook(make_hook(folders, files))


def install(root: str, excluded: list[str]) -> None:
    """Start recording reads under ``root`` and configure output formats.

    ``excluded`` holds path prefixes that are never inputs (the cell cache itself); the
    interpreter and site-packages are added here, as the kernel sees them (a virtualenv
    inside the project must not count as input). The hook stays cheap: it runs for every
    audited event in the kernel, so it returns at once for anything that is not an
    ``open`` or a directory listing.
    """
    import site

    roots = tuple({os.path.join(os.path.abspath(root), ""),
                   os.path.join(os.path.realpath(root), "")})
    never = [*excluded, sys.prefix, sys.base_prefix, sys.exec_prefix, *site.getsitepackages()]
    user_site = site.getusersitepackages()
    if isinstance(user_site, str):
        never.append(user_site)
    skip = tuple({os.path.join(f(p), "") for p in never if p
                  for f in (os.path.abspath, os.path.realpath)})
    files: set[str] = set()
    dirs: set[str] = set()

    def accept(path: Any) -> str | None:
        if isinstance(path, int) or path is None:
            return None
        try:
            text = os.fsdecode(path)
        except TypeError:
            return None
        full = os.path.abspath(text)
        if not full.startswith(roots) or full.startswith(skip):
            return None
        # Bytecode mirrors its source; package metadata (the project's own *.egg-info
        # when the root is on sys.path) is read by importlib, not by the cells.
        if "__pycache__" in full or ".egg-info" in full or ".dist-info" in full:
            return None
        return full

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event == "open":
            full = accept(args[0])
            if full is not None and _read_access(args[1], args[2]):
                files.add(full)
        elif event in ("os.listdir", "os.scandir"):
            # The import system lists sys.path folders (the root among them) to find
            # modules; that is not the cells reading a folder, and would make every new
            # file in the project invalidate every chapter.
            caller = sys._getframe(1).f_globals.get("__name__", "")
            if caller.startswith("importlib"):
                return
            full = accept(args[0] if args and args[0] is not None else ".")
            if full is not None:
                dirs.add(full)
        elif event == "sqlite3.connect":
            full = accept(args[0] if args else None)
            if full is not None:
                files.add(full)

    sys.addaudithook(hook)
    _configure_shell(files, dirs)


def _configure_shell(files: set[str], dirs: set[str]) -> None:
    """Figures as reproducible SVG, DataFrames as tables, warnings without temp paths."""
    import warnings

    from IPython import get_ipython
    from IPython.display import display

    shell = get_ipython()
    shell.config.InlineBackend.figure_formats = {"svg"}
    shell.config.InlineBackend.rc = dict(MPL_RC)
    shell.config.InlineBackend.print_figure_kwargs = dict(MPL_PRINT_KWARGS)

    def keep_svg_reproducible() -> None:
        # A cell may call rcdefaults() or a style; re-salt before the inline backend
        # flushes figures (this hook is registered first, so it runs first).
        mpl = sys.modules.get("matplotlib")
        if mpl is not None:
            mpl.rcParams["svg.hashsalt"] = MPL_RC["svg.hashsalt"]

    shell.events.register("post_execute", keep_svg_reproducible)

    markdown = shell.display_formatter.formatters["text/markdown"]
    # pandas 3 reports DataFrame.__module__ as "pandas", older versions the full path.
    for module_name in ("pandas", "pandas.core.frame"):
        markdown.for_type_by_name(module_name, "DataFrame", dataframe_markdown)

    def formatwarning(message, category, filename, lineno, line=None):  # noqa: ANN001
        # The default shows /tmp/ipykernel_<pid>/<hash>.py: different on every run.
        return f"{category.__name__}: {message}\n"

    warnings.formatwarning = formatwarning

    def show_inline(value: Any) -> None:
        """Display an inline expression's value as a string (markdown if it is one)."""
        text: str | None = None
        is_markdown = False
        method = getattr(value, "_repr_markdown_", None)
        if callable(method) and not isinstance(value, type):
            result = method()
            if isinstance(result, tuple):
                result = result[0]
            if isinstance(result, str):
                text, is_markdown = result, True
        if text is None:
            text = str(value)
        display({INLINE_MIME: {"text": text, "markdown": is_markdown}}, raw=True)

    def report_reads() -> None:
        display({READS_MIME: {"files": sorted(files), "dirs": sorted(dirs)}}, raw=True)

    def figsize(width: float, height: float) -> None:
        """Quarto's fig-width/fig-height (inches) for the figures of the next cell."""
        shell.config.InlineBackend.rc["figure.figsize"] = (width, height)
        mpl = sys.modules.get("matplotlib")
        if mpl is not None:
            mpl.rcParams["figure.figsize"] = (width, height)

    module = sys.modules[__name__]
    module.show_inline = show_inline  # type: ignore[attr-defined]
    module.report_reads = report_reads  # type: ignore[attr-defined]
    module.figsize = figsize  # type: ignore[attr-defined]
