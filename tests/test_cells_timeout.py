"""A cell that never ends stops the build; the kernel never outlives its render (issue 20,
finding 10). Real Jupyter kernels, as in tests/test_cells.py."""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest

from proefdruk.errors import BuildError
from proefdruk.render.cells.execute import run_cells

PR_SET_CHILD_SUBREAPER = 36
FIXTURE = Path(__file__).parent / "fixtures" / "cells" / "project"
ENDLESS = textwrap.dedent("""\
    ---
    title: "Eindeloos"
    ---

    # Eindeloos

    ```{python}
    x = 1
    ```

    ```{python}
    while True:
        x += 1
    ```
    """)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    (root / "chapters" / "eindeloos.qmd").write_text(ENDLESS, encoding="utf-8")
    return root


def kernels_of(pid: int) -> list[psutil.Process]:
    try:
        kids = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    return [k for k in kids if "ipykernel" in " ".join(k.cmdline())]


def test_an_endless_cell_is_stopped_with_chapter_and_line(project: Path,
                                                          monkeypatch) -> None:
    monkeypatch.setenv("PROEFDRUK_CELL_TIMEOUT", "3")
    path = project / "chapters" / "eindeloos.qmd"
    started = time.monotonic()
    with pytest.raises(BuildError) as err:
        run_cells(path.read_text(encoding="utf-8"), path, root=project,
                  cache_dir=project / ".cache")
    assert time.monotonic() - started < 120
    text = str(err.value)
    assert "ran longer than 3 seconds" in text and "render: cell_timeout" in text
    assert err.value.file == "chapters/eindeloos.qmd" and err.value.line == 11
    assert "while True" in text
    deadline = time.monotonic() + 10
    while kernels_of(os.getpid()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert kernels_of(os.getpid()) == [], "the kernel outlived the failed render"


def _running(proc: psutil.Process) -> bool:
    try:
        return proc.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_the_kernel_dies_with_the_render_that_started_it(project: Path, sig) -> None:
    """kill -9 (or SIGTERM) of the process rendering a chapter while its kernel runs an
    endless cell: the kernel goes too, at once."""
    script = ("import sys; from pathlib import Path; from proefdruk.render.cells.execute import "
              "run_cells; p = Path(sys.argv[1]) / 'chapters' / 'eindeloos.qmd'; "
              "run_cells(p.read_text(), p, root=Path(sys.argv[1]), "
              "cache_dir=Path(sys.argv[1]) / '.cache')")
    env = {**os.environ, "PROEFDRUK_CELL_TIMEOUT": "600",
           "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    # This test process adopts the orphaned kernel (a "subreaper", as a session manager,
    # tmux or a container's init often is), so that its death can be observed here.
    libc = ctypes.CDLL(None)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1) != 0:
        pytest.skip("cannot become a subreaper on this platform")
    render = subprocess.Popen([sys.executable, "-c", script, str(project)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    kernels = []
    try:
        deadline = time.monotonic() + 120
        while not kernels and time.monotonic() < deadline:
            kernels = kernels_of(render.pid)
            time.sleep(0.2)
        assert kernels, "no kernel started"
        time.sleep(3)  # the endless cell is running now
        assert all(k.is_running() for k in kernels)
        render.send_signal(sig)
        render.wait(timeout=30)
        # Dead means gone, or a zombie waiting for this process (its new parent) to reap it.
        # ipykernel notices a dead parent itself, but only on its next poll (up to a
        # second later: the kernel "briefly outlives" the build); bound to its parent's
        # life it goes at once.
        deadline = time.monotonic() + 0.3
        while time.monotonic() < deadline and any(_running(k) for k in kernels):
            time.sleep(0.02)
        alive = [k.pid for k in kernels if _running(k)]
        assert not alive, f"kernel(s) {alive} outlived the render"
    finally:
        libc.prctl(PR_SET_CHILD_SUBREAPER, 0)
        render.kill()
        render.wait()
        for k in kernels:
            try:
                k.kill()
            except psutil.NoSuchProcess:
                pass
            try:
                os.waitpid(k.pid, 0)  # adopted by this process: reap it
            except ChildProcessError:
                pass
