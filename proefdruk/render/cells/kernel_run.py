"""Run one chapter's cells in a real Jupyter kernel (ipykernel, started through nbclient).

One kernel per chapter, cells in document order, working directory = the project root:
the same model as ``quarto render`` with the Jupyter engine. Imported only when the cache
cannot serve a chapter, because nbclient and zmq cost time every other render would pay.

The kernel is the interpreter running the build (the ``python3`` kernelspec of ipykernel
resolves to ``sys.executable``). It gets a fixed ``PYTHONHASHSEED`` (set and dict order
of strings is then the same on every run), its own IPython directory (no user startup
files or shared history database, which parallel renders would fight over) and the
inline matplotlib backend even when the caller's environment says otherwise.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from proefdruk import markdown, source_guard, source_hook
from proefdruk.errors import BuildError
from proefdruk.render.cells import kernel_boot
from proefdruk.render.cells.kernel_boot import READS_MIME
from proefdruk.render.cells.kernel_markdown import (
    FigureStore,
    cell_markdown,
    inline_markdown,
    strip_ansi,
)

# How long one cell may run before the build stops it (seconds): generous, because a cell
# may fit a model, yet finite, because `while True: pass` must not hang a build for ever.
# Set by config render.cell_timeout (proefdruk.workflow passes it on as this variable).
CELL_TIMEOUT_VAR = "PROEFDRUK_CELL_TIMEOUT"
DEFAULT_CELL_TIMEOUT = 600.0
KERNEL_NAME = "python3"
KERNEL_ARGUMENTS = [
    "--HistoryManager.hist_file=:memory:",
    "--InteractiveShell.colors=nocolor",
    "--IPKernelApp.log_level=ERROR",
]
DEFAULT_FIGSIZE = kernel_boot.MPL_RC["figure.figsize"]
_CELL_LINE = re.compile(r"Cell In\[(\d+)\], line (\d+)")


@dataclass
class Run:
    """What one kernel run produced: a markdown fragment per chunk, what it read, wrote."""

    fragments: list[str]
    files: list[str]
    dirs: list[str]
    figures: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


def execute(chunks: list[Any], *, chapter: str, root: Path, cache_dir: Path) -> Run:
    """Execute ``chunks`` (cells and inline expressions of ``chapter``) in a new kernel."""
    import nbformat
    from nbclient import NotebookClient

    started = time.perf_counter()
    notebook = nbformat.v4.new_notebook()
    client = NotebookClient(
        notebook,
        kernel_name=KERNEL_NAME,
        timeout=cell_timeout(),
        allow_errors=False,
        record_timing=False,
        extra_arguments=list(KERNEL_ARGUMENTS),
        resources={"metadata": {"path": str(root)}},
    )
    store = FigureStore(cache_dir, root, chapter)
    fragments: list[str] = []
    with tempfile.TemporaryDirectory(prefix="proefdruk-ipython-") as ipython_dir:
        try:
            context = client.setup_kernel(env=_kernel_env(ipython_dir), cwd=str(root))
            context.__enter__()
        except Exception as exc:  # noqa: BLE001 - any start failure means the same to a user
            raise BuildError(
                "the Jupyter kernel for the chapter's Python cells did not start",
                file=chapter, expected="a working 'python3' kernel (ipykernel)",
                found=f"{type(exc).__name__}: {exc}",
                hint="install the environment from requirements.lock (ipykernel, nbclient)",
            ) from None
        try:
            _boot(client, notebook, root, cache_dir, chapter)
            figsize = DEFAULT_FIGSIZE
            cell_number = 0
            for chunk in chunks:
                if chunk.kind == "inline":
                    fragments.append(_inline(client, notebook, chunk, chapter, root))
                    continue
                cell_number += 1
                outputs: list[dict[str, Any]] = []
                if chunk.options.get("eval", True):
                    wanted = (
                        float(chunk.options.get("fig-width", DEFAULT_FIGSIZE[0])),
                        float(chunk.options.get("fig-height", DEFAULT_FIGSIZE[1])),
                    )
                    if wanted != figsize:
                        _helper(client, notebook, f"figsize({wanted[0]!r}, {wanted[1]!r})",
                                chapter)
                        figsize = wanted
                    tags = ["raises-exception"] if chunk.options.get("error") else []
                    cell = _run(client, notebook, chunk.code, tags, chunk, chapter, root)
                    outputs = list(cell.outputs)
                fragments.append(cell_markdown(
                    chunk.code, chunk.options, outputs, index=cell_number, root=root,
                    figures=store,
                ))
            reads = _helper(client, notebook, "report_reads()", chapter)
        finally:
            context.__exit__(None, None, None)
    payload: dict[str, list[str]] = {"files": [], "dirs": []}
    for out in reads.outputs:
        payload = out.get("data", {}).get(READS_MIME, payload)
    return Run(
        fragments=fragments, files=list(payload["files"]), dirs=list(payload["dirs"]),
        figures=dict(store.written), seconds=time.perf_counter() - started,
    )


def cell_timeout() -> float:
    """The time one cell may run, from ``PROEFDRUK_CELL_TIMEOUT`` (default 600 s)."""
    value = os.environ.get(CELL_TIMEOUT_VAR, "")
    try:
        seconds = float(value) if value else DEFAULT_CELL_TIMEOUT
    except ValueError:
        raise BuildError("the cell timeout is not a number", field=CELL_TIMEOUT_VAR,
                         expected="seconds, e.g. 600", found=value,
                         hint="set render: cell_timeout: in config/config.yaml") from None
    return seconds if seconds > 0 else DEFAULT_CELL_TIMEOUT


def _kernel_env(ipython_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "PYTHONHASHSEED": "0",
        "IPYTHONDIR": ipython_dir,
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "JUPYTER_PLATFORM_DIRS": "1",
    })
    return env


def _boot(client: Any, notebook: Any, root: Path, cache_dir: Path, chapter: str) -> None:
    """Load :mod:`kernel_boot` (after :mod:`proefdruk.markdown` and
    :mod:`proefdruk.source_hook`, which it uses) into the
    kernel as a private module and install it."""
    source = Path(kernel_boot.__file__).read_text(encoding="utf-8")
    escaper = Path(markdown.__file__).read_text(encoding="utf-8")
    hook = Path(source_hook.__file__).read_text(encoding="utf-8")
    # Cells may read the sources but never write them (proefdruk.source_guard).
    folders, files = source_guard.protected_paths(root)
    code = (
        "def __proefdruk_boot():\n"
        "    import sys, types\n"
        # The kernel dies with the process that started it (Linux): a render job killed
        # by Snakemake, Ctrl-C or kill -9 leaves no kernel running on.
        "    try:\n"
        "        import ctypes, os, signal\n"
        "        ctypes.CDLL(None).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG\n"
        f"        if os.getppid() != {os.getpid()}:\n"
        "            os._exit(1)  # the parent died before the line above\n"
        "    except (OSError, AttributeError):\n"
        "        pass\n"
        "    module = types.ModuleType('_proefdruk_kernel')\n"
        "    sys.modules['_proefdruk_kernel'] = module\n"
        f"    exec(compile({escaper!r}, '<proefdruk-markdown>', 'exec'), module.__dict__)\n"
        f"    exec(compile({hook!r}, '<proefdruk-source-hook>', 'exec'), module.__dict__)\n"
        f"    exec(compile({source!r}, '<proefdruk-kernel-boot>', 'exec'), module.__dict__)\n"
        f"    module.install({str(root)!r}, [{str(cache_dir)!r}])\n"
        f"    module.protect_sources({folders!r}, {files!r})\n"
        "__proefdruk_boot()\n"
        "del __proefdruk_boot\n"
    )
    _helper(client, notebook, None, chapter, code=code)


def _helper(client: Any, notebook: Any, call: str | None, chapter: str,
            code: str | None = None) -> Any:
    """Run our own code in the kernel; a failure here is a tooling fault, said as such."""
    import nbformat
    from nbclient.exceptions import CellExecutionError

    source = code if code is not None else (
        f"__import__('sys').modules['_proefdruk_kernel'].{call}"
    )
    cell = nbformat.v4.new_code_cell(source)
    notebook.cells.append(cell)
    try:
        client.execute_cell(cell, len(notebook.cells) - 1)
    except CellExecutionError as exc:
        raise BuildError(
            "the cell runner's own setup failed inside the kernel",
            file=chapter, found=strip_ansi(str(exc))[-2000:],
            hint="this is a fault in proefdruk.render (kernel_boot); please report it",
        ) from None
    return cell


def _run(client: Any, notebook: Any, code: str, tags: list[str], chunk: Any,
         chapter: str, root: Path) -> Any:
    import nbformat
    from nbclient.exceptions import CellExecutionError, DeadKernelError

    cell = nbformat.v4.new_code_cell(code)
    if tags:
        cell.metadata["tags"] = tags
    notebook.cells.append(cell)
    try:
        client.execute_cell(cell, len(notebook.cells) - 1)
    except CellExecutionError:
        raise cell_error(chunk, cell, chapter) from None
    except TimeoutError:  # nbclient's CellTimeoutError
        raise BuildError(
            f"a Python cell ran longer than {client.timeout:g} seconds and was stopped",
            file=chapter, line=chunk.line, expected="each cell to finish within "
            f"render.cell_timeout ({client.timeout:g} s)", found=_numbered(chunk),
            hint="look for a loop that never ends; for a cell that is slow by design, "
                 "raise render: cell_timeout: in config/config.yaml") from None
    except DeadKernelError as exc:
        raise BuildError(
            "the Jupyter kernel died while running a Python cell",
            file=chapter, line=chunk.line, found=f"{exc}\n\n{_numbered(chunk)}",
            hint="the cell may use too much memory or crash a native library",
        ) from None
    return cell


def _inline(client: Any, notebook: Any, chunk: Any, chapter: str, root: Path) -> str:
    if not chunk.options.get("eval", True):
        return inline_markdown(chunk.code, chunk.options, [], root)
    # The expression on its own lines inside parentheses: a trailing comment cannot
    # swallow the closing bracket, and a statement is a syntax error, as it should be.
    code = f"__import__('sys').modules['_proefdruk_kernel'].show_inline((\n{chunk.code}\n))"
    cell = _run(client, notebook, code, [], chunk, chapter, root)
    return inline_markdown(chunk.code, chunk.options, list(cell.outputs), root)


def _numbered(chunk: Any, failing: int | None = None) -> str:
    """The chunk's code with its .qmd line numbers, the failing line marked ``>``."""
    if chunk.kind == "inline":
        return f"> {chunk.line:>4} | `{{python}} {chunk.code}`"
    lines = chunk.code.rstrip("\n").split("\n")
    return "\n".join(
        f"{'>' if chunk.line + 1 + i == failing else ' '} {chunk.line + 1 + i:>4} | {ln}"
        for i, ln in enumerate(lines)
    )


def cell_error(chunk: Any, cell: Any, chapter: str) -> BuildError:
    """A BuildError that shows where in the chapter the cell failed and why."""
    error = next((o for o in cell.outputs if o.get("output_type") == "error"), {})
    name, value = error.get("ename", "Error"), error.get("evalue", "")
    trace = strip_ansi("\n".join(error.get("traceback", []))).rstrip()
    line = chunk.line
    count = cell.get("execution_count")
    if chunk.kind == "cell":
        for match in _CELL_LINE.finditer(trace):
            if count is None or int(match.group(1)) == count:
                line = chunk.line + int(match.group(2))
                break
    what = "inline Python expression" if chunk.kind == "inline" else "Python cell"
    return BuildError(
        f"a {what} raised {name}: {value}\n\n"
        f"The {what} (starting at line {chunk.line}):\n{_numbered(chunk, line)}\n\n"
        f"Traceback:\n{trace}",
        file=chapter,
        line=line,
        hint="fix the code or the data it reads and render again; to show the error in "
        "the book instead of stopping, give the cell the option '#| error: true'",
    )
